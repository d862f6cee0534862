import { assertFinite, assertSortedTimestamps, Sample } from './kpi-inputs.model';
import { KpiError, KpiErrorCode } from './kpi.errors';
import { DEFAULT_TIME_ZONE, localDay } from './local-time.utils';

/** B1 (and W, L2…) — consumption from a cumulative index (meter reading, pulse count). */
export interface IndexOptions {
  /**
   * The counter's modulus: the value at which it wraps to 0 (100,000 for a 5-digit register, 2³² for a 32-bit pulse
   * counter). When set, a negative delta is a rollover: delta = new + (max − old). When absent, it is a reset:
   * delta = new value.
   */
  readonly maxIndex?: number;
}

export interface IndexInterval {
  /** Timestamp of the reading that opens the interval. */
  readonly startTs: number;
  /** Timestamp of the reading that closes the interval (the consumption is attributed to it). */
  readonly ts: number;
  /** Consumption in the interval, ≥ 0, in the index's unit. */
  readonly delta: number;
  /** True when the index went down: a reset or rollover was assumed. */
  readonly reset: boolean;
}

export interface IndexConsumption {
  /** Σ of interval consumptions, ≥ 0. */
  readonly consumption: number;
  /** Timestamps of the readings where a reset or rollover was assumed. */
  readonly resets: number[];
}

/**
 * Per-interval consumption between consecutive readings of a cumulative index (sorted by ts): the positive delta, or
 * for a negative delta the reset/rollover rule of catalogue §0 — never a negative consumption.
 */
export function intervalConsumption(samples: readonly Sample[], opts: IndexOptions = {}): IndexInterval[] {
  assertSortedTimestamps(samples, 'samples');
  const max = opts.maxIndex;
  if (max !== undefined && !(Number.isFinite(max) && max > 0)) {
    throw new KpiError(KpiErrorCode.InvalidParameter, `maxIndex ${max} must be a positive number`);
  }
  const out: IndexInterval[] = [];
  for (let i = 0; i < samples.length; i++) {
    assertFinite(samples[i].value, `samples[${i}].value`);
    if (i === 0) continue;
    const prev = samples[i - 1];
    const cur = samples[i];
    const delta = intervalDelta(prev.value, cur.value, max);
    out.push({ startTs: prev.ts, ts: cur.ts, delta, reset: cur.value < prev.value });
  }
  return out;
}

/**
 * The consumption of one interval of a cumulative index, from `prev` to `cur` (finite values): the delta, or when
 * the index went down (`cur` < `prev`: a reset or rollover) the rule of catalogue §0 — never negative. The one place
 * of that rule (intervalConsumption, and the KPI engine's loops over raw columns).
 */
export function intervalDelta(prev: number, cur: number, maxIndex?: number): number {
  const d = cur - prev;
  if (d >= 0) return d;
  // Rollover when the counter's range is known and the old value lay in it; otherwise a reset to 0.
  const rolled = maxIndex !== undefined && prev <= maxIndex ? cur + (maxIndex - prev) : cur;
  return Math.max(0, rolled);
}

/** B1 — consumption of a cumulative index over the samples' span: Σ interval deltas, with resets flagged. */
export function indexConsumption(samples: readonly Sample[], opts: IndexOptions = {}): IndexConsumption {
  let consumption = 0;
  const resets: number[] = [];
  for (const iv of intervalConsumption(samples, opts)) {
    consumption += iv.delta;
    if (iv.reset) resets.push(iv.ts);
  }
  return { consumption, resets };
}

/**
 * B1 — daily consumption per local civil day. Each interval is attributed to the local day of its closing reading,
 * taken 1 ms earlier, so that a reading exactly at local midnight closes the previous day.
 */
export function dailyIndexConsumption(
  samples: readonly Sample[],
  opts: IndexOptions = {},
  timeZone = DEFAULT_TIME_ZONE,
): { day: string; consumption: number; resets: number }[] {
  const out: { day: string; consumption: number; resets: number }[] = [];
  for (const iv of intervalConsumption(samples, opts)) {
    const day = localDay(iv.ts - 1, timeZone);
    const last = out[out.length - 1];
    if (last && last.day === day) {
      last.consumption += iv.delta;
      if (iv.reset) last.resets++;
    } else out.push({ day, consumption: iv.delta, resets: iv.reset ? 1 : 0 });
  }
  return out;
}
