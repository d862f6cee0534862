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
