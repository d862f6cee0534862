import { baseLoadKw, closingLoads, outOfHoursShare, percentile } from './base-load.calculator';
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

describe('closingLoads (B5 after-closing load ratio)', () => {
  // Hours numbered from 0; open 8–17 (and 12 closed for a 1-hour lunch in the second case).
  const day = (kwh: (h: number) => number, hours = 24) =>
    new Map(Array.from({ length: hours }, (_, h) => [h * H, kwh(h)] as [number, number]));
  const open = (h: number) => h >= 8 * H && h < 18 * H;

  it('compares the 2 closed hours after the closing hour with the 2 open hours before it', () => {
    // Open 10 kWh/h, hour 18 (the closing hour) 7, then 2 with a setback: (2 + 2) / (10 + 10) = 0.2.
    const setback = closingLoads(
      day((h) => (open(h * H) ? 10 : h === 18 ? 7 : 2)),
      open,
    );
    expect(setback).toEqual([{ closedAt: 18 * H, ratio: 0.2 }]);
    // Heating held at its setpoint: 6 kWh/h after closing → 0.6.
    const held = closingLoads(
      day((h) => (open(h * H) ? 10 : h >= 18 && h < 22 ? 6 : 2)),
      open,
    );
    expect(held).toEqual([{ closedAt: 18 * H, ratio: 0.6 }]);
  });

  it('takes no lunch break for a closing, nor a closing with one of its hours missing', () => {
    const lunch = (h: number) => open(h) && h !== 12 * H;
    expect(
      closingLoads(
        day(() => 5),
        lunch,
      ).map((c) => c.closedAt),
    ).toEqual([18 * H]);
    const hourly = day(() => 5);
    hourly.delete(20 * H);
    expect(closingLoads(hourly, open)).toEqual([]);
  });

  it('gives nothing for a day closed throughout, or without energy before the closing', () => {
    expect(
      closingLoads(
        day(() => 3),
        () => false,
      ),
    ).toEqual([]);
    expect(
      closingLoads(
        day((h) => (open(h * H) ? 0 : 2)),
        open,
      ),
    ).toEqual([]);
  });
});
