import { sunTimes } from '../solar';
import { HoldOptions, overlapMs, stateSegments } from './burning-hours.calculator';
import { OnOffState } from './kpi-inputs.model';
import { KpiError, KpiErrorCode } from './kpi.errors';
import {
  DAY_MS,
  DEFAULT_TIME_ZONE,
  dayNumberToString,
  HOUR_MS,
  localDayNumber,
  localWallToUtc,
} from './local-time.utils';

const MINUTE_MS = 60_000;

/** Options of the lighting-schedule KPIs: sample-and-hold as for L1 (default: hold any gap) and the time zone. */
export interface LightingScheduleOptions extends Partial<HoldOptions> {
  readonly timeZone?: string;
}

function holdOf(opts: LightingScheduleOptions): HoldOptions {
  return { maxGapMs: opts.maxGapMs ?? Infinity, endTs: opts.endTs };
}

/** Per-day result of L5. */
export interface LitInDaylightDay {
  /** Local civil day, 'YYYY-MM-DD'. */
  readonly day: string;
  /** Minutes ON inside [sunrise + tolerance, sunset − tolerance]. */
  readonly minutes: number;
}

/**
 * The daylight of local day number `n` (days since 1970-01-01 in `timeZone`) at (lat, lon), epoch ms [from, to):
 * [sunrise + tol, sunset − tol] (NOAA, −0.833°); polar day = the whole local day, polar night = empty. L5 and the
 * lit-in-daylight alert rule both judge daylight by it.
 */
export function daylightWindow(
  n: number,
  lat: number,
  lon: number,
  toleranceMin: number,
  timeZone: string = DEFAULT_TIME_ZONE,
): { from: number; to: number } {
  const date = new Date(n * DAY_MS);
  const day = { year: date.getUTCFullYear(), month: date.getUTCMonth() + 1, day: date.getUTCDate() };
  const sun = sunTimes(day, lat, lon);
  const tol = toleranceMin * MINUTE_MS;
  if (sun.sunrise !== undefined && sun.sunset !== undefined) {
    return { from: sun.sunrise + tol, to: sun.sunset - tol };
  }
  if (sun.polar === 'day') {
    return { from: localWallToUtc(n * DAY_MS, timeZone), to: localWallToUtc((n + 1) * DAY_MS, timeZone) };
  }
  return { from: 0, to: 0 };
}

/**
 * L5 — minutes lit in daylight per local day: ON time inside [sunrise + tol, sunset − tol] (NOAA sunrise/sunset,
 * −0.833°). Polar day counts the whole day as daylight, polar night none. Every local day from the first state to the
 * end of the last known segment is listed, with 0 when the lamp stayed off in daylight.
 */
export function minutesLitInDaylight(
  states: readonly OnOffState[],
  lat: number,
  lon: number,
  toleranceMin = 15,
  opts: LightingScheduleOptions = {},
): LitInDaylightDay[] {
  if (!(toleranceMin >= 0))
    throw new KpiError(KpiErrorCode.InvalidParameter, `toleranceMin ${toleranceMin} < 0`);
  const timeZone = opts.timeZone ?? DEFAULT_TIME_ZONE;
  const segments = stateSegments(states, holdOf(opts));
  if (states.length === 0) return [];
  const lastEnd = segments.length > 0 ? segments[segments.length - 1].end : states[states.length - 1].ts;
  const firstDay = localDayNumber(states[0].ts, timeZone);
  const lastDay = localDayNumber(Math.max(states[0].ts, lastEnd - 1), timeZone);
  const out: LitInDaylightDay[] = [];
  let segIndex = 0;
  for (let n = firstDay; n <= lastDay; n++) {
    const { from, to } = daylightWindow(n, lat, lon, toleranceMin, timeZone);
    let ms = 0;
    while (segIndex < segments.length && segments[segIndex].end <= from) segIndex++;
    for (let k = segIndex; k < segments.length && segments[k].start < to; k++) {
      if (segments[k].on) ms += overlapMs(segments[k].start, segments[k].end, from, to);
    }
    out.push({ day: dayNumberToString(n), minutes: ms / MINUTE_MS });
  }
  return out;
}

/** A municipal switch-off window in local hours (fractions allowed: 23.5 = 23:30); it may cross midnight. */
export interface SwitchOffWindow {
  readonly startHour: number;
  readonly endHour: number;
}

/** Per-night result of L7. */
export interface SwitchOffNight {
  /** Night name: date of its evening (12:00 D → 12:00 D+1). */
  readonly night: string;
  readonly windowStart: number;
  readonly windowEnd: number;
  /** Real length of the window (a 23:00–05:00 window lasts 7 h on the night of the October DST change). */
  readonly windowMinutes: number;
  /** Minutes of the window with a known state. */
  readonly observedMinutes: number;
  /** Minutes ON in the window. */
  readonly onMinutes: number;
  /** 1 − onMinutes / windowMinutes (fraction 0..1). */
  readonly compliance: number;
}

/** Wall-clock ms (from the night's date at 00:00) of a window hour: hours before noon belong to the next morning. */
function nightHourWallMs(nightDay: number, hour: number): number {
  return (hour >= 12 ? nightDay : nightDay + 1) * DAY_MS + hour * HOUR_MS;
}

/**
 * L7 — switch-off compliance per night: minutes ON inside the configured window (e.g. 23:00–05:00 local) and
 * compliance = 1 − ON minutes / window minutes. Every night whose window meets the known segments is listed.
 */
export function switchOffCompliance(
  states: readonly OnOffState[],
  window: SwitchOffWindow,
  opts: LightingScheduleOptions = {},
): SwitchOffNight[] {
  const { startHour, endHour } = window;
  for (const h of [startHour, endHour]) {
    if (!(h >= 0 && h < 24))
      throw new KpiError(KpiErrorCode.InvalidParameter, `window hour ${h} not in [0, 24)`);
  }
  if (nightHourWallMs(0, endHour) <= nightHourWallMs(0, startHour)) {
    throw new KpiError(
      KpiErrorCode.InvalidParameter,
      `window ${startHour}→${endHour} does not fit in one night (12:00 → 12:00)`,
    );
  }
  const timeZone = opts.timeZone ?? DEFAULT_TIME_ZONE;
  const segments = stateSegments(states, holdOf(opts));
  if (segments.length === 0) return [];
  const first = segments[0].start;
  const last = segments[segments.length - 1].end;
  const out: SwitchOffNight[] = [];
  // Night day numbers that can hold a window meeting [first, last): from the day before `first` to the day of `last`.
  const n0 = localDayNumber(first, timeZone) - 1;
  const n1 = localDayNumber(last, timeZone);
  for (let n = n0; n <= n1; n++) {
    const ws = localWallToUtc(nightHourWallMs(n, startHour), timeZone);
    const we = localWallToUtc(nightHourWallMs(n, endHour), timeZone);
    if (we <= first || ws >= last) continue;
    let observed = 0;
    let on = 0;
    for (const s of segments) {
      if (s.end <= ws) continue;
      if (s.start >= we) break;
      const o = overlapMs(s.start, s.end, ws, we);
      observed += o;
      if (s.on) on += o;
    }
    const windowMs = we - ws;
    out.push({
      night: dayNumberToString(n),
      windowStart: ws,
      windowEnd: we,
      windowMinutes: windowMs / MINUTE_MS,
      observedMinutes: observed / MINUTE_MS,
      onMinutes: on / MINUTE_MS,
      compliance: 1 - on / windowMs,
    });
  }
  return out;
}
