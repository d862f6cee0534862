import { assertSortedTimestamps, Sample } from './kpi-inputs.model';
import { KpiError, KpiErrorCode } from './kpi.errors';
import { DAY_MS } from './local-time.utils';

/** A detected collection: the drop between two consecutive valid readings. */
export interface CollectionEvent {
  /** Timestamp of the first reading after the drop. */
  readonly ts: number;
  /** Fill % of the last valid reading before the drop (the fill at collection). */
  readonly fillBefore: number;
  /** Fill % of the first reading after the drop. */
  readonly fillAfter: number;
}

export const DEFAULT_COLLECTION_DROP_PTS = 30;
export const DEFAULT_FILL_THRESHOLD_PCT = 80;

/** Readings with a finite value (invalid ones are skipped, so "consecutive" means consecutive valid readings). */
function validReadings(fill: readonly Sample[]): Sample[] {
  assertSortedTimestamps(fill, 'fill');
  return fill.filter((s) => Number.isFinite(s.value));
}

/** K3 — collection events: a drop ≥ `minDropPts` percentage points between consecutive valid readings. */
export function collectionEvents(
  fill: readonly Sample[],
  minDropPts = DEFAULT_COLLECTION_DROP_PTS,
): CollectionEvent[] {
  if (!(minDropPts > 0))
    throw new KpiError(KpiErrorCode.InvalidParameter, `minDropPts ${minDropPts} must be > 0`);
  const xs = validReadings(fill);
  const out: CollectionEvent[] = [];
  for (let i = 1; i < xs.length; i++) {
    if (xs[i - 1].value - xs[i].value >= minDropPts) {
      out.push({ ts: xs[i].ts, fillBefore: xs[i - 1].value, fillAfter: xs[i].value });
    }
  }
  return out;
}

/** K3 — average fill at collection (%): mean of `fillBefore`; undefined when there was no collection. */
export function averageFillAtCollection(events: readonly CollectionEvent[]): number | undefined {
  if (events.length === 0) return undefined;
  let sum = 0;
  for (const e of events) sum += e.fillBefore;
  return sum / events.length;
}

/** K3 — share (0..1) of premature collections: fill at collection < `belowPct` (default 50); undefined if none. */
export function prematureCollectionShare(
  events: readonly CollectionEvent[],
  belowPct = 50,
): number | undefined {
  if (events.length === 0) return undefined;
  return events.filter((e) => e.fillBefore < belowPct).length / events.length;
}

/** K2 — bins whose latest fill ≥ threshold: count and share (0..1) of the bins given. */
export function binsAboveThreshold(
  latest: readonly number[],
  threshold = DEFAULT_FILL_THRESHOLD_PCT,
): { count: number; share: number } {
  const valid = latest.filter((v) => Number.isFinite(v));
  if (valid.length === 0) throw new KpiError(KpiErrorCode.EmptyInput, 'no bin with a valid fill level');
  const count = valid.filter((v) => v >= threshold).length;
  return { count, share: count / valid.length };
}

/** K6 — least-squares line of fill vs time since the last collection. */
export interface FillTrend {
  /** OLS slope, % per day. */
  readonly slopePctPerDay: number;
  /** Fitted fill (%) at the last reading, ŷ(t_last). */
  readonly fittedLast: number;
  /** Timestamp of the first reading of the fit (the first after the last collection). */
  readonly firstTs: number;
  /** Timestamp of the last reading. */
  readonly lastTs: number;
  /** Number of readings in the fit (≥ 3). */
  readonly points: number;
}

/** K6 — OLS fit of the readings after the last collection (≥ 3 valid points, distinct times), else undefined. */
export function fillTrend(
  fill: readonly Sample[],
  minDropPts = DEFAULT_COLLECTION_DROP_PTS,
): FillTrend | undefined {
  const xs = validReadings(fill);
  let from = 0;
  for (let i = 1; i < xs.length; i++) if (xs[i - 1].value - xs[i].value >= minDropPts) from = i;
  const pts = xs.slice(from);
  if (pts.length < 3) return undefined;
  const t0 = pts[0].ts;
  let sx = 0;
  let sy = 0;
  for (const p of pts) {
    sx += (p.ts - t0) / DAY_MS;
    sy += p.value;
  }
  const mx = sx / pts.length;
  const my = sy / pts.length;
  let sxy = 0;
  let sxx = 0;
  for (const p of pts) {
    const dx = (p.ts - t0) / DAY_MS - mx;
    sxy += dx * (p.value - my);
    sxx += dx * dx;
  }
  if (sxx === 0) return undefined;
  const slope = sxy / sxx;
  const last = pts[pts.length - 1];
  return {
    slopePctPerDay: slope,
    fittedLast: my + slope * ((last.ts - t0) / DAY_MS - mx),
    firstTs: t0,
    lastTs: last.ts,
    points: pts.length,
  };
}

/** K6 — fill rate, %/day (uCIFI "average filling speed"); undefined with fewer than 3 points since collection. */
export function fillRate(
  fill: readonly Sample[],
  minDropPts = DEFAULT_COLLECTION_DROP_PTS,
): number | undefined {
  return fillTrend(fill, minDropPts)?.slopePctPerDay;
}

/**
 * K6 — time to threshold: (threshold − ŷ(t_last)) / slope days, and the forecast date t_last + that. 0 days when the
 * fitted fill is already at or above the threshold. Undefined ("no forecast") when there is no trend or slope ≤ 0.
 */
export function timeToThreshold(
  fill: readonly Sample[],
  threshold = DEFAULT_FILL_THRESHOLD_PCT,
  minDropPts = DEFAULT_COLLECTION_DROP_PTS,
): { days: number; forecastTs: number } | undefined {
  const trend = fillTrend(fill, minDropPts);
  if (!trend || trend.slopePctPerDay <= 0) return undefined;
  const days = Math.max(0, (threshold - trend.fittedLast) / trend.slopePctPerDay);
  return { days, forecastTs: trend.lastTs + days * DAY_MS };
}

/** K1 — readings the outlier filter takes the median of (catalogue: "filter outliers (median of 3)"). */
export const FILL_FILTER_READINGS = 3;

/**
 * K1 — filtered fill level (%) at the end of a series: the median of its last three valid readings (of the last
 * two: their mean; of one: itself), so one spurious echo never becomes the bin's level. Undefined without a valid
 * reading.
 */
export function filteredFillLevel(fill: readonly Sample[]): number | undefined {
  const xs = validReadings(fill)
    .slice(-FILL_FILTER_READINGS)
    .map((s) => s.value)
    .sort((a, b) => a - b);
  if (xs.length === 0) return undefined;
  return xs.length === 2 ? (xs[0] + xs[1]) / 2 : xs[(xs.length - 1) >> 1];
}

export const DEFAULT_OVERFLOW_FULL_PCT = 100;
export const DEFAULT_OVERFLOW_HIGH_PCT = 95;
export const DEFAULT_OVERFLOW_SUSTAINED_MS = 2 * 3_600_000;

/** How K4 reads a fill series. */
export interface OverflowOptions {
  /** Longest gap (ms) over which a reading's level is held (catalogue §0: 2 × the reporting interval). */
  readonly maxGapMs: number;
  /** End of the series' window: the last level is held until then (within maxGapMs). */
  readonly endTs?: number;
  /** A reading at or above this is an overflow at once (default 100). */
  readonly fullPct?: number;
  /** A level at or above this, held for `sustainedMs`, is an overflow too (default 95 for 2 h). */
  readonly highPct?: number;
  readonly sustainedMs?: number;
}

/** One overflow episode: [start, end) of the run of readings ≥ the high level, and its peak. */
export interface OverflowEpisode {
  readonly start: number;
  readonly end: number;
  readonly peakPct: number;
}

/**
 * K4 — overflow episodes: runs of consecutive valid readings ≥ `highPct` (sample-and-hold: a reading's level lasts
 * until the next reading, or `maxGapMs` at most, so a gap ends the run) that reach `fullPct` or last at least
 * `sustainedMs`. The episode's time is the whole run.
 */
export function overflowEpisodes(fill: readonly Sample[], opts: OverflowOptions): OverflowEpisode[] {
  const full = opts.fullPct ?? DEFAULT_OVERFLOW_FULL_PCT;
  const high = opts.highPct ?? DEFAULT_OVERFLOW_HIGH_PCT;
  const sustained = opts.sustainedMs ?? DEFAULT_OVERFLOW_SUSTAINED_MS;
  if (!(opts.maxGapMs > 0) || !(high <= full))
    throw new KpiError(
      KpiErrorCode.InvalidParameter,
      `maxGapMs ${opts.maxGapMs} must be > 0 and highPct ${high} ≤ fullPct ${full}`,
    );
  const xs = validReadings(fill);
  const out: OverflowEpisode[] = [];
  let run: { start: number; end: number; peak: number } | undefined;
  const close = () => {
    if (run && (run.peak >= full || run.end - run.start >= sustained))
      out.push({ start: run.start, end: run.end, peakPct: run.peak });
    run = undefined;
  };
  for (let i = 0; i < xs.length; i++) {
    const s = xs[i];
    const next = i + 1 < xs.length ? xs[i + 1].ts : opts.endTs;
    // The level holds until the next reading, or not at all past the longest gap.
    const gap = next === undefined || next - s.ts > opts.maxGapMs;
    const holdEnd = gap ? s.ts : next;
    if (s.value < high) {
      close();
      continue;
    }
    if (run && run.end === s.ts) {
      run.end = holdEnd;
      run.peak = Math.max(run.peak, s.value);
    } else {
      close();
      run = { start: s.ts, end: holdEnd, peak: s.value };
    }
    if (gap) close();
  }
  close();
  return out;
}

/** ISO weekdays (1 = Monday … 7 = Sunday) of a collection schedule such as `mon,thu`; an error text when invalid. */
export function parseCollectionSchedule(text: string): { weekdays?: number[]; problem?: string } {
  const names = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
  const parts = text
    .split(',')
    .map((p) => p.trim().toLowerCase())
    .filter((p) => p !== '');
  const days = parts.map((p) => names.indexOf(p) + 1);
  if (parts.length === 0 || days.some((d) => d === 0))
    return { problem: `'${text.slice(0, 64)}' is not a list of weekdays such as mon,thu` };
  return { weekdays: [...new Set(days)].sort((a, b) => a - b) };
}

/**
 * K5 — rounds of a fixed schedule on the local dates given (day numbers, each counted once): a bin observed on
 * those dates only would have been collected that many times.
 */
export function scheduledCollections(dayNumbers: Iterable<number>, weekdays: readonly number[]): number {
  let n = 0;
  // 1970-01-01 (day 0) was a Thursday: ISO weekday of day d is ((d + 3) mod 7) + 1.
  for (const d of new Set(dayNumbers)) if (weekdays.includes(((((d + 3) % 7) + 7) % 7) + 1)) n++;
  return n;
}

/** K5 — collections avoided against the fixed schedule: N_fixed − N_actual, and that over N_fixed (0..1, < 0 = extra). */
export function collectionsAvoided(
  scheduled: number,
  actual: number,
): { avoided: number; share: number } | undefined {
  if (!(scheduled > 0)) return undefined;
  return { avoided: scheduled - actual, share: (scheduled - actual) / scheduled };
}

export const DEFAULT_FIRE_THRESHOLD_C = 60;
export const DEFAULT_FIRE_RISE_C = 10;
export const DEFAULT_FIRE_RISE_WINDOW_MS = 10 * 60_000;

/** One fire alert: the reading that raised it and why. */
export interface FireAlert {
  readonly ts: number;
  readonly temperatureC: number;
  readonly cause: 'threshold' | 'rise';
}

/**
 * K7 — fire alerts in a temperature series: a reading alarms when T ≥ `thresholdC` (default 60 °C), or when it is
 * ≥ `riseC` (10 °C) above an earlier reading at most `riseWindowMs` (10 min) before it. An alert is the first
 * alarming reading after a calm one (or the first reading): an alarm lasting several readings is one alert.
 */
export function fireAlerts(
  temperatures: readonly Sample[],
  opts: { thresholdC?: number; riseC?: number; riseWindowMs?: number } = {},
): FireAlert[] {
  const threshold = opts.thresholdC ?? DEFAULT_FIRE_THRESHOLD_C;
  const rise = opts.riseC ?? DEFAULT_FIRE_RISE_C;
  const windowMs = opts.riseWindowMs ?? DEFAULT_FIRE_RISE_WINDOW_MS;
  const xs = validReadings(temperatures);
  const out: FireAlert[] = [];
  let alarming = false;
  let from = 0;
  for (let i = 0; i < xs.length; i++) {
    const s = xs[i];
    while (s.ts - xs[from].ts > windowMs) from++;
    let lowest = Infinity;
    for (let j = from; j < i; j++) lowest = Math.min(lowest, xs[j].value);
    const cause = s.value >= threshold ? 'threshold' : s.value - lowest >= rise ? 'rise' : undefined;
    if (cause && !alarming) out.push({ ts: s.ts, temperatureC: s.value, cause });
    alarming = cause !== undefined;
  }
  return out;
}
