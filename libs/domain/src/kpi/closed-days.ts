import { dayNumberToString, dayStringToNumber } from './local-time.utils';

/**
 * The site attribute holding a building's closed days (holidays, public holidays): local dates and inclusive
 * ranges, `2026-01-01,2026-02-21..2026-03-08`. Opening hours (`hours`) say when a building opens in a normal
 * week; on these days it does not open at all.
 */
export const CLOSED_DAYS_ATTRIBUTE = 'closed_days';

/** At most this many days in one range: a typo like 2026..2062 must not build a set of 13,000 days silently. */
const MAX_RANGE_DAYS = 366;

/**
 * Parses `closed_days`: local day numbers (days since 1970-01-01), or a problem naming the bad item. Absent or
 * empty: no closed day.
 */
export function parseClosedDays(raw: string | undefined): { days: ReadonlySet<number>; problem?: string } {
  const days = new Set<number>();
  if (raw === undefined || raw.trim() === '') return { days };
  for (const item of raw.split(',').map((s) => s.trim())) {
    const [from, to, ...rest] = item.split('..');
    const bad = (why: string) => ({
      days: new Set<number>(),
      problem: `attribute ${CLOSED_DAYS_ATTRIBUTE}: '${item.slice(0, 40)}' ${why} (expected YYYY-MM-DD or YYYY-MM-DD..YYYY-MM-DD, comma-separated)`,
    });
    if (rest.length) return bad('has more than one ..');
    let a: number;
    let b: number;
    try {
      a = dayStringToNumber(from);
      b = to === undefined ? a : dayStringToNumber(to);
    } catch {
      return bad('is not a date or a range of dates');
    }
    // A day that does not exist (2026-13-01, 2026-02-30) must not roll over into another one.
    if (dayNumberToString(a) !== from || (to !== undefined && dayNumberToString(b) !== to)) {
      return bad('is not a date or a range of dates');
    }
    if (b < a) return bad('ends before it starts');
    if (b - a >= MAX_RANGE_DAYS) return bad(`spans more than ${MAX_RANGE_DAYS} days`);
    for (let d = a; d <= b; d++) days.add(d);
  }
  return { days };
}

/** The inverse of `parseClosedDays`: sorted, consecutive days written as one range. */
export function formatClosedDays(days: Iterable<number>): string {
  const sorted = [...new Set(days)].sort((x, y) => x - y);
  const items: string[] = [];
  for (let i = 0; i < sorted.length;) {
    let j = i;
    while (
      j + 1 < sorted.length &&
      sorted[j + 1] === sorted[j] + 1 &&
      sorted[j + 1] - sorted[i] < MAX_RANGE_DAYS
    )
      j++;
    items.push(
      i === j
        ? dayNumberToString(sorted[i])
        : `${dayNumberToString(sorted[i])}..${dayNumberToString(sorted[j])}`,
    );
    i = j + 1;
  }
  return items.join(',');
}
