import {
  decretTarget,
  gapTo2030,
  onTrajectory,
  relativeProgress,
  trajectoryKwh,
} from './decret-tertiaire.calculator';
import { kpiErrorCodeOf } from './kpi-error.spec-helper';
import { KpiErrorCode } from './kpi.errors';

// C_ref = 100,000 kWh in reference year 2019.
const REF = 100_000;

describe('B9 décret tertiaire progress (estimate)', () => {
  it('targets −40 / −50 / −60 %', () => {
    expect(decretTarget(REF, 2030)).toBeCloseTo(60_000, 9);
    expect(decretTarget(REF, 2040)).toBeCloseTo(50_000, 9);
    expect(decretTarget(REF, 2050)).toBeCloseTo(40_000, 9);
  });

  it('relative progress and gap to 2030', () => {
    // 1 − 80,000 / 100,000 = 0.2; gap = 80,000 − 60,000 = 20,000 kWh (work left); 55,000 → −5,000 (ahead).
    expect(relativeProgress(80_000, REF)).toBeCloseTo(0.2, 12);
    expect(gapTo2030(80_000, REF)).toBeCloseTo(20_000, 9);
    expect(gapTo2030(55_000, REF)).toBeCloseTo(-5_000, 9);
    expect(relativeProgress(110_000, REF)).toBeCloseTo(-0.1, 12);
  });

  it.each<[number, number]>([
    [2019, 100_000],
    // 100,000 + (60,000 − 100,000) × (2025 − 2019) / (2030 − 2019) = 100,000 − 40,000 × 6/11 = 78,181.818…
    [2025, 100_000 - (40_000 * 6) / 11],
    [2030, 60_000],
    // 60,000 + (50,000 − 60,000) × 5/10 = 55,000
    [2035, 55_000],
    [2050, 40_000],
    [2060, 40_000],
  ])('trajectory of %d = %d kWh', (year, kwh) => {
    expect(trajectoryKwh(REF, 2019, year)).toBeCloseTo(kwh, 6);
  });

  it('is on track at or below the trajectory', () => {
    expect(onTrajectory(78_000, REF, 2019, 2025)).toBe(true); // 78,000 ≤ 78,181.8
    expect(onTrajectory(79_000, REF, 2019, 2025)).toBe(false);
    expect(onTrajectory(100_000, REF, 2019, 2019)).toBe(true);
  });

  it.each<[string, () => unknown, KpiErrorCode]>([
    ['a missing reference (0 kWh)', () => relativeProgress(1, 0), KpiErrorCode.ZeroDenominator],
    [
      'a reference of 0 kWh on the trajectory',
      () => trajectoryKwh(0, 2019, 2025),
      KpiErrorCode.ZeroDenominator,
    ],
    ['a year before the reference year', () => trajectoryKwh(REF, 2019, 2018), KpiErrorCode.InvalidParameter],
    ['a reference year from 2030 on', () => trajectoryKwh(REF, 2030, 2031), KpiErrorCode.InvalidParameter],
    ['a year that is not a milestone', () => decretTarget(REF, 2035), KpiErrorCode.InvalidParameter],
    ['a NaN consumption', () => gapTo2030(NaN, REF), KpiErrorCode.NonFiniteValue],
  ])('refuses %s', (_what, fn, code) => {
    expect(kpiErrorCodeOf(fn)).toBe(code);
  });
});
