import {
  climateNormalisedKwh,
  heatingSignature,
  modelNormalisedKwh,
} from './climate-normalisation.calculator';
import { fitDegreeDayModel } from './ipmvp.calculator';
import { kpiErrorCodeOf } from './kpi-error.spec-helper';
import { KpiErrorCode } from './kpi.errors';

describe('B4 climate-normalised consumption', () => {
  it('scales the heating part by DJU_ref / DJU_period', () => {
    // 1,000 + 2,000 × 360 / 300 = 1,000 + 2,400 = 3,400 kWh (a mild period: normalised upwards).
    expect(
      climateNormalisedKwh({ baseKwh: 1000, heatingKwh: 2000, djuPeriod: 300, djuRef: 360 }),
    ).toBeCloseTo(3400, 9);
    // No heating energy: nothing to scale, even with zero DJU.
    expect(climateNormalisedKwh({ baseKwh: 500, heatingKwh: 0, djuPeriod: 0, djuRef: 40 })).toBe(500);
  });

  it('from a model fitted on the window equals the catalogue formula with C_heat = b·DJU_period', () => {
    // Days (DJU, kWh) (0,10) (1,14) (2,16) (3,22): a = 9.8, b = 3.8 (see ipmvp spec); ΣE = 62, ΣDJU = 6.
    // Model at DJU_ref = 10 over 4 days: 9.8×4 + 3.8×10 = 39.2 + 38 = 77.2.
    // Catalogue: C_heat = 3.8×6 = 22.8, C_base = 62 − 22.8 = 39.2 → 39.2 + 22.8 × 10/6 = 39.2 + 38 = 77.2.
    const m = fitDegreeDayModel([
      { dju: 0, kwh: 10 },
      { dju: 1, kwh: 14 },
      { dju: 2, kwh: 16 },
      { dju: 3, kwh: 22 },
    ]);
    expect(modelNormalisedKwh(m, 4, 10)).toBeCloseTo(77.2, 9);
    expect(
      climateNormalisedKwh({ baseKwh: 62 - 3.8 * 6, heatingKwh: 3.8 * 6, djuPeriod: 6, djuRef: 10 }),
    ).toBeCloseTo(77.2, 9);
  });

  it('gives the heating signature in kWh per DJU', () => {
    // 2,000 kWh of heating over 400 DJU = 5 kWh/DJU.
    expect(heatingSignature(2000, 400)).toBe(5);
  });

  it.each<[string, () => unknown, KpiErrorCode]>([
    [
      'heating with zero DJU',
      () => climateNormalisedKwh({ baseKwh: 1, heatingKwh: 10, djuPeriod: 0, djuRef: 30 }),
      KpiErrorCode.ZeroDenominator,
    ],
    ['a signature over zero DJU', () => heatingSignature(10, 0), KpiErrorCode.ZeroDenominator],
    [
      'negative DJU',
      () => climateNormalisedKwh({ baseKwh: 1, heatingKwh: 10, djuPeriod: -1, djuRef: 30 }),
      KpiErrorCode.InvalidParameter,
    ],
    [
      'a missing reference (NaN)',
      () => climateNormalisedKwh({ baseKwh: 1, heatingKwh: 10, djuPeriod: 5, djuRef: NaN }),
      KpiErrorCode.NonFiniteValue,
    ],
  ])('refuses %s', (_what, fn, code) => {
    expect(kpiErrorCodeOf(fn)).toBe(code);
  });
});
