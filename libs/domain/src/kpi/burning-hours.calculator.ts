import { assertSortedTimestamps, OnOffState } from './kpi-inputs.model';
import { KpiError, KpiErrorCode } from './kpi.errors';
import {
  DAY_MS,
  DEFAULT_TIME_ZONE,
  dayNumberToString,
  dayStringToNumber,
  HOUR_MS,
  localWallMs,
  localWallToUtc,
} from './local-time.utils';

/** How an on/off series becomes durations (sample-and-hold). */
export interface HoldOptions {
  /**
   * Longest gap (ms) between two readings over which the earlier state is held. A longer gap is not bridged: its
   * duration counts neither as on nor as off (unknown). Use the device's reporting interval × 2 (catalogue §0), or
   * a large value for devices that report on change only.
   */
  readonly maxGapMs: number;
  /** End of the window: the last state is held until then (if within maxGapMs). Absent: the last state adds nothing. */
  readonly endTs?: number;
}

/** A span [start, end) during which the state was known. */
export interface StateSegment {
  readonly start: number;
  readonly end: number;
  readonly on: boolean;
}

/** Known-state segments of an on/off series (sorted by ts), adjacent segments of the same state merged. */
export function stateSegments(states: readonly OnOffState[], opts: HoldOptions): StateSegment[] {
  assertSortedTimestamps(states, 'states');
  const { maxGapMs, endTs } = opts;
  if (!(maxGapMs >= 0)) throw new KpiError(KpiErrorCode.InvalidParameter, `maxGapMs ${maxGapMs} must be ≥ 0`);
  const last = states[states.length - 1];
  if (endTs !== undefined && last && !(endTs >= last.ts)) {
    throw new KpiError(
      KpiErrorCode.InvalidParameter,
      `endTs ${endTs} is before the last state at ${last.ts}`,
    );
  }
  const out: { start: number; end: number; on: boolean }[] = [];
  for (let i = 0; i < states.length; i++) {
    const start = states[i].ts;
    const end = i + 1 < states.length ? states[i + 1].ts : endTs;
    if (end === undefined || end - start > maxGapMs || end === start) continue;
    const on = states[i].on;
    const prev = out[out.length - 1];
    if (prev && prev.on === on && prev.end === start) prev.end = end;
    else out.push({ start, end, on });
  }
  return out;
}

/** L1 — burning hours: Σ durations with the lamp ON (sample-and-hold, gaps > maxGapMs not bridged), hours. */
export function burningHours(states: readonly OnOffState[], opts: HoldOptions): number {
  let ms = 0;
  for (const s of stateSegments(states, opts)) if (s.on) ms += s.end - s.start;
  return ms / HOUR_MS;
}

/** Day number of the night (12:00 D → 12:00 D+1 local) holding `ts`. */
function nightNumber(ts: number, timeZone: string): number {
  return Math.floor((localWallMs(ts, timeZone) - 12 * HOUR_MS) / DAY_MS);
}

/**
 * L1 — the night a timestamp belongs to, named by the date of its evening: from 12:00 local on D to 12:00 on D + 1,
 * so that evening and morning burning fall in the same night.
 */
export function nightOf(ts: number, timeZone = DEFAULT_TIME_ZONE): string {
  return dayNumberToString(nightNumber(ts, timeZone));
}

/** Start (12:00 local on the evening's date) of the night with day number `n`. */
function nightStart(n: number, timeZone: string): number {
  return localWallToUtc(n * DAY_MS + 12 * HOUR_MS, timeZone);
}

/** L1 — burning hours per night (12:00 → 12:00 local), segments split at noon. Nights without ON time are omitted. */
export function burningHoursByNight(
  states: readonly OnOffState[],
  opts: HoldOptions,
  timeZone = DEFAULT_TIME_ZONE,
): { night: string; hours: number }[] {
  const byNight = new Map<number, number>();
  for (const seg of stateSegments(states, opts)) {
    if (!seg.on) continue;
    let cursor = seg.start;
    while (cursor < seg.end) {
      const n = nightNumber(cursor, timeZone);
      const stop = Math.min(seg.end, nightStart(n + 1, timeZone));
      byNight.set(n, (byNight.get(n) ?? 0) + (stop - cursor));
      cursor = stop;
    }
  }
  return [...byNight.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([n, ms]) => ({ night: dayNumberToString(n), hours: ms / HOUR_MS }));
}

/** Length (ms) of the overlap of [a0, a1) and [b0, b1). */
export function overlapMs(a0: number, a1: number, b0: number, b1: number): number {
  return Math.max(0, Math.min(a1, b1) - Math.max(a0, b0));
}

/** Start and end (exclusive) of a night named 'YYYY-MM-DD' (12:00 local that day → 12:00 the next). */
export function nightBounds(night: string, timeZone = DEFAULT_TIME_ZONE): { start: number; end: number } {
  const n = dayStringToNumber(night);
  return { start: nightStart(n, timeZone), end: nightStart(n + 1, timeZone) };
}
