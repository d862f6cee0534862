import {
  DAY_MS,
  dayNumberToString,
  dayStringToNumber,
  KpiError,
  localWallToUtc,
  nightBounds,
} from '@vigie/domain';
import { KpiEngineError, KpiEngineErrorCode } from './kpi-engine.errors';

/** A KPI window: its name (`2026-03-29`, `2026-03`), and its instants [start, end) in epoch ms. */
export interface KpiWindowSpan {
  readonly key: string;
  readonly start: number;
  readonly end: number;
}

/** The days a run covers, inclusive, as day numbers (days since 1970-01-01 of the local civil dates). */
export interface KpiPeriod {
  readonly from: string;
  readonly to: string;
  readonly firstDay: number;
  readonly lastDay: number;
}

/** Longest period one run accepts (a backfill of several years is several runs). */
export const MAX_PERIOD_DAYS = 1096;

/** Parses `from` / `to` ('YYYY-MM-DD', inclusive). Throws KpiEngineError for a bad date or period. */
export function parsePeriod(from: string, to: string): KpiPeriod {
  const day = (what: string, value: string) => {
    try {
      return dayStringToNumber(value);
    } catch (err) {
      if (err instanceof KpiError) {
        throw new KpiEngineError(KpiEngineErrorCode.InvalidDate, `--${what} ${err.detail}`);
      }
      throw err;
    }
  };
  const firstDay = day('from', from);
  const lastDay = day('to', to);
  if (lastDay < firstDay) {
    throw new KpiEngineError(KpiEngineErrorCode.InvalidPeriod, `--to ${to} is before --from ${from}`);
  }
  if (lastDay - firstDay + 1 > MAX_PERIOD_DAYS) {
    throw new KpiEngineError(
      KpiEngineErrorCode.InvalidPeriod,
      `${lastDay - firstDay + 1} days from ${from} to ${to}; at most ${MAX_PERIOD_DAYS} days per run`,
    );
  }
  return { from, to, firstDay, lastDay };
}

/** Local civil days of the period: [00:00, 24:00) local, 23 h or 25 h on DST days. */
export function dayWindows(period: KpiPeriod, timeZone: string): KpiWindowSpan[] {
  const out: KpiWindowSpan[] = [];
  let start = localWallToUtc(period.firstDay * DAY_MS, timeZone);
  for (let d = period.firstDay; d <= period.lastDay; d++) {
    const end = localWallToUtc((d + 1) * DAY_MS, timeZone);
    out.push({ key: dayNumberToString(d), start, end });
    start = end;
  }
  return out;
}

/** Nights named by the date of their evening, for each day of the period: 12:00 local → 12:00 the next day. */
export function nightWindows(period: KpiPeriod, timeZone: string): KpiWindowSpan[] {
  const out: KpiWindowSpan[] = [];
  for (let d = period.firstDay; d <= period.lastDay; d++) {
    const key = dayNumberToString(d);
    out.push({ key, ...nightBounds(key, timeZone) });
  }
  return out;
}

/** Day number of the first day of the month after the one holding day number `d`. */
function nextMonthStart(d: number): number {
  const date = new Date(d * DAY_MS);
  return Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 1) / DAY_MS;
}

/**
 * Local calendar months touched by the period, each whole (a recompute of a day recomputes its month):
 * [1st 00:00, 1st of next month 00:00) local.
 */
export function monthWindows(period: KpiPeriod, timeZone: string): KpiWindowSpan[] {
  const out: KpiWindowSpan[] = [];
  const first = new Date(period.firstDay * DAY_MS);
  let d = Date.UTC(first.getUTCFullYear(), first.getUTCMonth(), 1) / DAY_MS;
  while (d <= period.lastDay) {
    const next = nextMonthStart(d);
    out.push({
      key: dayNumberToString(d).slice(0, 7),
      start: localWallToUtc(d * DAY_MS, timeZone),
      end: localWallToUtc(next * DAY_MS, timeZone),
    });
    d = next;
  }
  return out;
}

/** Index of the window of `windows` (sorted by time) holding instant `ts`, by binary search; -1 if none. */
export function windowIndexOf(windows: readonly KpiWindowSpan[], ts: number): number {
  let lo = 0;
  let hi = windows.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const w = windows[mid];
    if (ts < w.start) hi = mid - 1;
    else if (ts >= w.end) lo = mid + 1;
    else return mid;
  }
  return -1;
}

/** Expected samples in a window of `lengthMs` for a device reporting every `intervalS` seconds. */
export function expectedSamples(lengthMs: number, intervalS: number): number {
  return lengthMs / (intervalS * 1000);
}

/** A count over an expectation, as a completeness in [0, 1]. */
export function completenessShare(received: number, expected: number): number {
  if (!(expected > 0)) return 0;
  return Math.min(1, Math.max(0, received / expected));
}

/**
 * ISO weeks touched by the period, each whole (a recompute of a day recomputes its week): Monday 00:00 local →
 * the next Monday 00:00 local (167 h or 169 h on DST weeks), named by the date of their Monday.
 */
export function weekWindows(period: KpiPeriod, timeZone: string): KpiWindowSpan[] {
  const out: KpiWindowSpan[] = [];
  // 1970-01-01 (day 0) was a Thursday: day n is ((n + 3) mod 7) days after a Monday.
  let d = period.firstDay - ((((period.firstDay + 3) % 7) + 7) % 7);
  while (d <= period.lastDay) {
    out.push({
      key: dayNumberToString(d),
      start: localWallToUtc(d * DAY_MS, timeZone),
      end: localWallToUtc((d + 7) * DAY_MS, timeZone),
    });
    d += 7;
  }
  return out;
}

/**
 * Local calendar years touched by the period, each whole (a recompute of a day recomputes its year):
 * [1 January 00:00, next 1 January 00:00) local, named `YYYY`.
 */
export function yearWindows(period: KpiPeriod, timeZone: string): KpiWindowSpan[] {
  const out: KpiWindowSpan[] = [];
  const firstYear = new Date(period.firstDay * DAY_MS).getUTCFullYear();
  const lastYear = new Date(period.lastDay * DAY_MS).getUTCFullYear();
  for (let y = firstYear; y <= lastYear; y++) {
    out.push({
      key: String(y),
      start: localWallToUtc(Date.UTC(y, 0, 1), timeZone),
      end: localWallToUtc(Date.UTC(y + 1, 0, 1), timeZone),
    });
  }
  return out;
}

/** How many of `items` (e.g. samples) fall in each window of `windows` (sorted by time), by `ts`. */
export function countPerWindow(
  items: readonly { readonly ts: number }[],
  windows: readonly KpiWindowSpan[],
): number[] {
  const counts = new Array<number>(windows.length).fill(0);
  for (const item of items) {
    const i = windowIndexOf(windows, item.ts);
    if (i >= 0) counts[i]++;
  }
  return counts;
}
