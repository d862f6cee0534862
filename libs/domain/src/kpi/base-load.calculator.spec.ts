import { baseLoadKw, outOfHoursShare, percentile } from './base-load.calculator';
import { kpiErrorCodeOf } from './kpi-error.spec-helper';
import { KpiErrorCode } from './kpi.errors';
import { localHour, localWeekday } from './local-time.utils';

const H = 3_600_000;
const TOL = 1e-12;

describe('B5 base load and out-of-hours share', () => {
  it.each<[number[], number, number]>([
    // type-7 rank h = (n − 1)·p/100
    [[1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 5, 1.45], // h = 9 × 0.05 = 0.45 → 1 + 0.45 × (2 − 1)
    [[10, 9, 8, 7, 6, 5, 4, 3, 2, 1], 50, 5.5], // order does not matter: h = 4.5 → 5 + 0.5 × 1
    [[1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0, 1],
    [[1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 100, 10],
    [[4.2], 5, 4.2], // single value
    [[2, 4], 2.5, 2.05], // h = 1 × 0.025 → 2 + 0.025 × 2
  ])('percentile(%j, %d) = %d', (values, p, expected) => {
    expect(Math.abs(percentile(values, p) - expected)).toBeLessThan(TOL);
  });

  it('takes the 5th percentile of a week of hourly kW as base load', () => {
    // 7 days × 24 h: 2 kW from 00:00 to 06:59 (7 h/day → 49 samples), 10 kW otherwise (119 samples).
    // n = 168, h = 167 × 0.05 = 8.35 → the 9th and 10th smallest are both 2 kW → 2 kW.
    const t0 = Date.parse('2025-01-06T00:00:00Z');
    const power = Array.from({ length: 168 }, (_, i) => ({ ts: t0 + i * H, value: i % 24 < 7 ? 2 : 10 }));
    expect(baseLoadKw(power)).toBe(2);
    // 2.5th percentile (LBNL near-base): h = 4.175 → 2 kW as well; 50th: h = 83.5 → 10 kW
    expect(baseLoadKw(power, 2.5)).toBe(2);
    expect(baseLoadKw(power, 50)).toBe(10);
  });

  it('splits energy by an occupancy calendar', () => {
    // Monday 2025-01-06 in Paris, hourly intervals: 3 kWh per occupied hour (08:00–17:59, 10 h) and 1 kWh otherwise
    // (14 h). Out of hours = 14 / (30 + 14) = 0.318181…
    const t0 = Date.parse('2025-01-05T23:00:00Z'); // 00:00 CET
    const occupied = (ts: number): boolean =>
      localWeekday(ts) <= 5 && localHour(ts) >= 8 && localHour(ts) < 18;
    const intervals = Array.from({ length: 24 }, (_, h) => ({
      ts: t0 + h * H,
      kwh: occupied(t0 + h * H) ? 3 : 1,
    }));
    expect(Math.abs(outOfHoursShare(intervals, occupied) - 14 / 44)).toBeLessThan(TOL);
    expect(outOfHoursShare(intervals, () => true)).toBe(0);
    expect(outOfHoursShare(intervals, () => false)).toBe(1);
  });

  it.each<[string, () => unknown, KpiErrorCode]>([
    ['no interval', () => outOfHoursShare([], () => true), KpiErrorCode.ZeroDenominator],
    ['zero energy', () => outOfHoursShare([{ ts: 0, kwh: 0 }], () => true), KpiErrorCode.ZeroDenominator],
    [
      'negative energy',
      () => outOfHoursShare([{ ts: 0, kwh: -1 }], () => true),
      KpiErrorCode.InvalidParameter,
    ],
    ['no power sample', () => baseLoadKw([]), KpiErrorCode.EmptyInput],
    ['a percentile above 100', () => percentile([1], 101), KpiErrorCode.InvalidParameter],
    ['a NaN value', () => percentile([1, NaN], 5), KpiErrorCode.NonFiniteValue],
  ])('refuses %s', (_what, fn, code) => {
    expect(kpiErrorCodeOf(fn)).toBe(code);
  });
});
