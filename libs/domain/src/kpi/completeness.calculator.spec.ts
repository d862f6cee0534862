import { completeness, dailyCompleteness } from './completeness.calculator';
import { kpiErrorCodeOf } from './kpi-error.spec-helper';
import { KpiErrorCode } from './kpi.errors';

const DAY = 86_400_000;

describe('X1 completeness', () => {
  it.each<[number, number, number, number]>([
    [96, DAY, 900, 1], // 86,400 / 900 = 96 expected
    [72, DAY, 900, 0.75], // 72 / 96
    [0, DAY, 900, 0],
    [1440, DAY, 60, 1],
    [100, DAY, 900, 100 / 96], // more than expected: duplicates show as > 1
    [1, 3_600_000, 7 * 60, 1 / (3600 / 420)], // expected 8.571… (not rounded)
  ])('%d samples in %d ms at %d s → %d', (received, windowMs, intervalS, expected) => {
    expect(Math.abs(completeness(received, windowMs, intervalS) - expected)).toBeLessThan(1e-12);
  });

  it.each<[string, number, number]>([
    // 15-min data: 23 h → 92 expected, 25 h → 100 expected
    ['2025-03-30', 92, 1],
    ['2025-10-26', 96, 0.96], // 96 / 100
    ['2025-10-26', 100, 1],
    ['2025-06-15', 96, 1],
  ])('uses the real length of %s: %d samples → %d', (day, received, expected) => {
    expect(Math.abs(dailyCompleteness(received, day, 900) - expected)).toBeLessThan(1e-12);
  });

  it.each<[string, () => unknown, KpiErrorCode]>([
    ['a zero window', () => completeness(0, 0, 900), KpiErrorCode.ZeroDenominator],
    ['a zero interval', () => completeness(10, DAY, 0), KpiErrorCode.InvalidParameter],
    ['a negative count', () => completeness(-1, DAY, 900), KpiErrorCode.InvalidParameter],
    ['a NaN count', () => completeness(NaN, DAY, 900), KpiErrorCode.NonFiniteValue],
  ])('refuses %s', (_what, fn, code) => {
    expect(kpiErrorCodeOf(fn)).toBe(code);
  });
});
