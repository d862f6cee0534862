import { assertFinite, Sample } from './kpi-inputs.model';
import { KpiError, KpiErrorCode } from './kpi.errors';
import { HOUR_MS } from './local-time.utils';

/** Energy of one interval: `ts` = a timestamp inside the interval (its start, by convention), `kwh` ≥ 0. */
export interface EnergyInterval {
  readonly ts: number;
  readonly kwh: number;
}

/**
 * B5 — out-of-hours share = E(outside occupancy) / E(window), a fraction 0..1. `isOccupied(ts)` is asked about each
 * interval's `ts` (pass interval starts, or mid-points for long intervals). `ZeroDenominator` when the window has no
 * energy (or no interval).
 */
export function outOfHoursShare(
  intervals: readonly EnergyInterval[],
  isOccupied: (ts: number) => boolean,
): number {
  let total = 0;
  let outside = 0;
  for (let i = 0; i < intervals.length; i++) {
    const { ts, kwh } = intervals[i];
    assertFinite(kwh, `intervals[${i}].kwh`);
    if (kwh < 0) throw new KpiError(KpiErrorCode.InvalidParameter, `intervals[${i}].kwh ${kwh} < 0`);
    total += kwh;
    if (!isOccupied(ts)) outside += kwh;
  }
  if (total === 0) {
    throw new KpiError(KpiErrorCode.ZeroDenominator, `no energy in ${intervals.length} interval(s)`);
  }
  return outside / total;
}

/**
 * The p-th percentile (0..100) of values, linear interpolation between closest ranks (R type 7, numpy's default):
 * rank h = (n − 1)·p/100, result = x[⌊h⌋] + (h − ⌊h⌋)(x[⌊h⌋+1] − x[⌊h⌋]).
 */
export function percentile(values: readonly number[], p: number): number {
  if (!(p >= 0 && p <= 100))
    throw new KpiError(KpiErrorCode.InvalidParameter, `percentile ${p} not in 0..100`);
  if (values.length === 0) throw new KpiError(KpiErrorCode.EmptyInput, 'no value for the percentile');
  values.forEach((v, i) => assertFinite(v, `values[${i}]`));
  const xs = [...values].sort((a, b) => a - b);
  const h = ((xs.length - 1) * p) / 100;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, xs.length - 1);
  return xs[lo] + (h - lo) * (xs[hi] - xs[lo]);
}

/**
 * B5 — base load ("talon"), kW: the `percentile`-th percentile (default 5) of interval-average power samples
 * (catalogue default: hourly kW over 7 days; LBNL "near-base load" uses 2.5).
 */
export function baseLoadKw(power: readonly Sample[], percentileRank = 5): number {
  return percentile(
    power.map((s) => s.value),
    percentileRank,
  );
}

/** Whole hours compared on each side of a closing (B5 after-closing load ratio). */
export const CLOSING_HOURS = 2;

/** One closing of a building: when it happened and the ratio of the load after it to the load before. */
export interface ClosingLoad {
  /** Start of the first hour whose mid-point is closed (epoch ms). */
  readonly closedAt: number;
  /** Mean kW of the `CLOSING_HOURS` whole hours after the closing hour / mean kW of those before it. */
  readonly ratio: number;
}

/**
 * B5 — load after closing: at each closing (an hour `h` whose mid-point is closed after an open one), the energy of
 * hours h+1 … h+CLOSING_HOURS (all closed) over that of hours h−CLOSING_HOURS … h−1 (all open); the closing hour
 * itself, part open, is left out, and a break shorter than CLOSING_HOURS + 1 hours (lunch) is no closing. With a
 * setback, heating stops when the building closes and what remains is the base load, a small fraction of the open
 * load; heating held at its occupied setpoint keeps the ratio near the share of heating in the open load.
 * `hourly` maps an hour's start to its kWh (complete hours only: a missing hour leaves that closing out).
 */
export function closingLoads(
  hourly: ReadonlyMap<number, number>,
  isOpenHour: (hourStart: number) => boolean,
): ClosingLoad[] {
  const hourMs = HOUR_MS;
  const out: ClosingLoad[] = [];
  const hours = [...hourly.keys()].sort((a, b) => a - b);
  const sum = (from: number, n: number, open: boolean): number | undefined => {
    let total = 0;
    for (let k = 0; k < n; k++) {
      const t = from + k * hourMs;
      const kwh = hourly.get(t);
      if (kwh === undefined || isOpenHour(t) !== open) return undefined;
      assertFinite(kwh, `hour ${t} kWh`);
      total += kwh;
    }
    return total;
  };
  for (const h of hours) {
    if (isOpenHour(h) || !isOpenHour(h - hourMs)) continue;
    const before = sum(h - CLOSING_HOURS * hourMs, CLOSING_HOURS, true);
    const after = sum(h + hourMs, CLOSING_HOURS, false);
    if (before === undefined || after === undefined || !(before > 0)) continue;
    out.push({ closedAt: h, ratio: after / before });
  }
  return out;
}
