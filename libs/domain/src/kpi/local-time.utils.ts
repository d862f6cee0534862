import { KpiError, KpiErrorCode } from './kpi.errors';

/**
 * Local civil calendar for KPI windows (catalogue §0: days, months and years in Europe/Paris local time; DST days last
 * 23 h or 25 h). Built on Intl.DateTimeFormat; offsets are cached per UTC day (and the instant of the change on the
 * days that have one), so a look-up is a Map hit after the first call for a day. Hot paths call these millions of times.
 */

// Module-scope alias: inside Jest's VM contexts every global look-up (`Math`) goes through a slow interceptor.
const floor = Math.floor;

export const DEFAULT_TIME_ZONE = 'Europe/Paris';
export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;

interface DayOffsets {
  /** Offset (ms, local − UTC) from the start of the UTC day until `switchAt`. */
  readonly before: number;
  /** Offset from `switchAt` to the end of the UTC day. */
  readonly after: number;
  /** First instant with the `after` offset; +Infinity when the offset is constant over the UTC day. */
  readonly switchAt: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
const offsetCaches = new Map<string, Map<number, DayOffsets>>();
const dayStrings = new Map<number, string>();
let lastZone = '';
let lastCache: Map<number, DayOffsets> = new Map();
let lastDayStart = NaN;
let lastEntry: DayOffsets = { before: 0, after: 0, switchAt: Infinity };
let lastDayNumber = NaN;
let lastDayString = '';

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    try {
      f = new Intl.DateTimeFormat('en-US', {
        timeZone,
        hourCycle: 'h23',
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        hour: 'numeric',
        minute: 'numeric',
        second: 'numeric',
      });
    } catch {
      throw new KpiError(KpiErrorCode.InvalidTimeZone, `"${String(timeZone).slice(0, 64)}"`);
    }
    formatters.set(timeZone, f);
  }
  return f;
}

/** Offset (ms) of `timeZone` at `ts`, straight from Intl (slow path). */
function intlOffset(ts: number, timeZone: string): number {
  let y = 1970;
  let mo = 1;
  let d = 1;
  let h = 0;
  let mi = 0;
  let s = 0;
  for (const p of formatterFor(timeZone).formatToParts(ts)) {
    switch (p.type) {
      case 'year':
        y = Number(p.value);
        break;
      case 'month':
        mo = Number(p.value);
        break;
      case 'day':
        d = Number(p.value);
        break;
      case 'hour':
        h = Number(p.value);
        break;
      case 'minute':
        mi = Number(p.value);
        break;
      case 'second':
        s = Number(p.value);
        break;
      default:
        break;
    }
  }
  const wholeSecond = ts - mod(ts, 1000);
  return Date.UTC(y, mo - 1, d, h, mi, s) - wholeSecond;
}

function computeDayOffsets(dayIndex: number, timeZone: string): DayOffsets {
  const start = dayIndex * DAY_MS;
  const end = start + DAY_MS - 1000;
  const before = intlOffset(start, timeZone);
  const after = intlOffset(end, timeZone);
  if (before === after) return { before, after, switchAt: Infinity };
  // One change inside this UTC day: binary search its instant to the second.
  let lo = 0; // seconds after start, known to have `before`
  let hi = (end - start) / 1000; // known to have `after`
  while (hi - lo > 1) {
    const midS = floor((lo + hi) / 2);
    if (intlOffset(start + midS * 1000, timeZone) === before) lo = midS;
    else hi = midS;
  }
  return { before, after, switchAt: start + hi * 1000 };
}

/** UTC offset (ms, local − UTC) of `timeZone` at `ts`. Europe/Paris: 3,600,000 in winter, 7,200,000 in summer. */
export function timeZoneOffsetMs(ts: number, timeZone = DEFAULT_TIME_ZONE): number {
  // Fast path: same zone and same UTC day as the previous call (series are walked in time order). Map look-ups are
  // kept off this path: they cost ~0.4 µs each inside Jest's VM contexts.
  if (timeZone === lastZone && ts >= lastDayStart && ts < lastDayStart + DAY_MS) {
    return ts < lastEntry.switchAt ? lastEntry.before : lastEntry.after;
  }
  let cache: Map<number, DayOffsets>;
  if (timeZone === lastZone) cache = lastCache;
  else {
    let c = offsetCaches.get(timeZone);
    if (!c) {
      formatterFor(timeZone); // validates the zone before caching anything
      c = new Map();
      offsetCaches.set(timeZone, c);
    }
    cache = c;
  }
  if (!Number.isFinite(ts)) throw new KpiError(KpiErrorCode.NonFiniteValue, `timestamp is ${ts}`);
  const dayIndex = floor(ts / DAY_MS);
  let e = cache.get(dayIndex);
  if (!e) {
    e = computeDayOffsets(dayIndex, timeZone);
    cache.set(dayIndex, e);
  }
  lastZone = timeZone;
  lastCache = cache;
  lastDayStart = dayIndex * DAY_MS;
  lastEntry = e;
  return ts < e.switchAt ? e.before : e.after;
}

/** Local wall-clock time as if it were UTC ms (ts + offset): `new Date(wall).toISOString()` reads local time. */
export function localWallMs(ts: number, timeZone = DEFAULT_TIME_ZONE): number {
  return ts + timeZoneOffsetMs(ts, timeZone);
}

/** Days since 1970-01-01 of the local civil date of `ts`. */
export function localDayNumber(ts: number, timeZone = DEFAULT_TIME_ZONE): number {
  return floor(localWallMs(ts, timeZone) / DAY_MS);
}

/** 'YYYY-MM-DD' of a day number (days since 1970-01-01). */
export function dayNumberToString(dayNumber: number): string {
  if (dayNumber === lastDayNumber) return lastDayString;
  let s = dayStrings.get(dayNumber);
  if (s === undefined) {
    s = new Date(dayNumber * DAY_MS).toISOString().slice(0, 10);
    dayStrings.set(dayNumber, s);
  }
  lastDayNumber = dayNumber;
  lastDayString = s;
  return s;
}

/** Day number (days since 1970-01-01) of a 'YYYY-MM-DD' string; `InvalidParameter` if it is not a real date. */
export function dayStringToNumber(day: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  const ms = m ? Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) : NaN;
  if (!m || !Number.isFinite(ms) || new Date(ms).getUTCDate() !== Number(m[3])) {
    throw new KpiError(
      KpiErrorCode.InvalidParameter,
      `"${String(day).slice(0, 32)}" is not a YYYY-MM-DD date`,
    );
  }
  return ms / DAY_MS;
}

/** Local civil date of `ts`, 'YYYY-MM-DD'. */
export function localDay(ts: number, timeZone = DEFAULT_TIME_ZONE): string {
  return dayNumberToString(localDayNumber(ts, timeZone));
}

/** Local hour of day, 0..23 (on 2025-10-26 in Paris the hour 2 occurs twice, on 2025-03-30 it never occurs). */
export function localHour(ts: number, timeZone = DEFAULT_TIME_ZONE): number {
  return floor(mod(localWallMs(ts, timeZone), DAY_MS) / HOUR_MS);
}

/** Milliseconds since local midnight on the wall clock (0 .. 86,399,999). */
export function localTimeOfDayMs(ts: number, timeZone = DEFAULT_TIME_ZONE): number {
  return mod(localWallMs(ts, timeZone), DAY_MS);
}

/** ISO weekday of the local date: 1 = Monday … 7 = Sunday. */
export function localWeekday(ts: number, timeZone = DEFAULT_TIME_ZONE): number {
  // 1970-01-01 (day 0) was a Thursday (4).
  return mod(localDayNumber(ts, timeZone) + 3, 7) + 1;
}

/**
 * The instant (epoch ms) at which a local wall-clock time occurs. A time that occurs twice (clocks go back) gives the
 * earlier instant; a time that does not exist (clocks go forward) gives the instant after the gap, as a clock would
 * show it (02:30 on 2025-03-30 in Paris → 03:30 CEST).
 */
export function localWallToUtc(wallMs: number, timeZone = DEFAULT_TIME_ZONE): number {
  // Offsets lie within −12 h … +14 h, so the instant lies in [wall − 14 h, wall + 12 h]; at most one change there.
  const oA = timeZoneOffsetMs(wallMs - 14 * HOUR_MS, timeZone);
  const oB = timeZoneOffsetMs(wallMs + 12 * HOUR_MS, timeZone);
  const tA = wallMs - oA;
  const tB = wallMs - oB;
  const okA = timeZoneOffsetMs(tA, timeZone) === oA;
  const okB = timeZoneOffsetMs(tB, timeZone) === oB;
  if (okA && okB) return Math.min(tA, tB);
  if (okA) return tA;
  if (okB) return tB;
  return Math.max(tA, tB);
}

/** Epoch ms of the local midnight that starts the local day of `ts`. */
export function startOfLocalDay(ts: number, timeZone = DEFAULT_TIME_ZONE): number {
  return localWallToUtc(localDayNumber(ts, timeZone) * DAY_MS, timeZone);
}

/** Start and end (exclusive) instants of a local civil day, and its real length (23, 24 or 25 h in Paris). */
export function localDayBounds(
  day: string,
  timeZone = DEFAULT_TIME_ZONE,
): { start: number; end: number; lengthMs: number } {
  const n = dayStringToNumber(day);
  const start = localWallToUtc(n * DAY_MS, timeZone);
  const end = localWallToUtc((n + 1) * DAY_MS, timeZone);
  return { start, end, lengthMs: end - start };
}

function mod(a: number, n: number): number {
  return ((a % n) + n) % n;
}
