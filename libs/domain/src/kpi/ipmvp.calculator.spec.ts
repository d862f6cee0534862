import {
  CALTRACK_SUFFICIENCY,
  fitDegreeDayModel,
  ipmvpSavings,
  modelKwh,
  modelProblems,
  periodSufficiencyProblems,
} from './ipmvp.calculator';
import { kpiErrorCodeOf } from './kpi-error.spec-helper';
import { KpiErrorCode } from './kpi.errors';

const TOL = 1e-9;
const days = (pairs: [number, number][]) => pairs.map(([dju, kwh]) => ({ dju, kwh }));

describe('B6 IPMVP option C — degree-day model', () => {
  it('fits E = 100 + 5·DJU exactly: a = 100, b = 5, CV(RMSE) = NMBE = 0', () => {
    // DJU 0, 2, 4, 6, 8 → E 100, 110, 120, 130, 140. x̄ = 4, ȳ = 120; Σ(x − x̄)² = 16+4+0+4+16 = 40;
    // Σ(x − x̄)(y − ȳ) = Σ 5(x − x̄)² = 200 → b = 200/40 = 5, a = 120 − 5×4 = 100; residuals all 0.
    const m = fitDegreeDayModel(days([0, 2, 4, 6, 8].map((x) => [x, 100 + 5 * x])));
    expect(m.slope).toBeCloseTo(5, 12);
    expect(m.intercept).toBeCloseTo(100, 12);
    expect(m.cvRmse).toBeLessThan(TOL);
    expect(Math.abs(m.nmbe)).toBeLessThan(TOL);
    expect(m).toMatchObject({ n: 5, meanKwh: 120, heatingDays: 4, totalDju: 20 });
  });

  it('fits a noisy series with CV(RMSE) over n − p', () => {
    // (DJU, kWh): (0,10) (1,14) (2,16) (3,22). x̄ = 1.5, ȳ = 15.5; x − x̄ = −1.5, −0.5, 0.5, 1.5;
    // y − ȳ = −5.5, −1.5, 0.5, 6.5. Sxx = 5, Sxy = 8.25 + 0.75 + 0.25 + 9.75 = 19 → b = 3.8, a = 15.5 − 5.7 = 9.8.
    // ŷ = 9.8, 13.6, 17.4, 21.2; residuals 0.2, 0.4, −1.4, 0.8 (Σ = 0 → NMBE = 0);
    // SSE = 0.04 + 0.16 + 1.96 + 0.64 = 2.8; CV(RMSE) = sqrt(2.8 / (4 − 2)) / 15.5 = 1.1832160 / 15.5 = 0.0763365.
    const m = fitDegreeDayModel(
      days([
        [0, 10],
        [1, 14],
        [2, 16],
        [3, 22],
      ]),
    );
    expect(m.slope).toBeCloseTo(3.8, 12);
    expect(m.intercept).toBeCloseTo(9.8, 12);
    expect(m.cvRmse).toBeCloseTo(Math.sqrt(1.4) / 15.5, 12);
    expect(m.cvRmse).toBeCloseTo(0.0763365, 6);
    expect(Math.abs(m.nmbe)).toBeLessThan(TOL);
  });

  it.each<[string, () => unknown, KpiErrorCode]>([
    [
      'two days (n ≤ p)',
      () =>
        fitDegreeDayModel(
          days([
            [1, 10],
            [2, 12],
          ]),
        ),
      KpiErrorCode.EmptyInput,
    ],
    ['no day', () => fitDegreeDayModel([]), KpiErrorCode.EmptyInput],
    [
      'zero DJU every day (no slope)',
      () =>
        fitDegreeDayModel(
          days([
            [0, 10],
            [0, 12],
            [0, 11],
          ]),
        ),
      KpiErrorCode.ZeroDenominator,
    ],
    [
      'no energy at all',
      () =>
        fitDegreeDayModel(
          days([
            [0, 0],
            [1, 0],
            [2, 0],
          ]),
        ),
      KpiErrorCode.ZeroDenominator,
    ],
    [
      'a NaN energy',
      () =>
        fitDegreeDayModel(
          days([
            [0, 1],
            [1, NaN],
            [2, 3],
          ]),
        ),
      KpiErrorCode.NonFiniteValue,
    ],
  ])('refuses %s', (_what, fn, code) => {
    expect(kpiErrorCodeOf(fn)).toBe(code);
  });

  it('checks CalTRACK sufficiency of the period: 365 days, ≥ 90 % valid', () => {
    // 0.9 × 365 = 328.5: 329 valid days pass, 328 do not.
    expect(periodSufficiencyProblems(365, 329, CALTRACK_SUFFICIENCY)).toEqual([]);
    expect(periodSufficiencyProblems(365, 328, CALTRACK_SUFFICIENCY)).toEqual([
      '328 of 365 days have both energy and DJU, at least 90 % needed',
    ]);
    expect(periodSufficiencyProblems(28, 28, CALTRACK_SUFFICIENCY)).toEqual([
      'the period has 28 days, at least 365 needed',
    ]);
    expect(periodSufficiencyProblems(28, 26, { minPeriodDays: 28, minValidShare: 0.9 })).toEqual([]);
  });

  it('disqualifies a negative slope or intercept, and too few heating days or degree days', () => {
    // (0,20) (1,18) (2,16): b = −2, a = 20; 2 heating days, Σ DJU = 3.
    expect(
      modelProblems(
        fitDegreeDayModel(
          days([
            [0, 20],
            [1, 18],
            [2, 16],
          ]),
        ),
        CALTRACK_SUFFICIENCY,
      ),
    ).toEqual([
      '2 day(s) with DJU > 0, at least 10 needed',
      'Σ DJU = 3, at least 20 needed',
      'negative slope b = -2 kWh/DJU',
    ]);
    // (10,10) (20,30) (30,50): b = 2, a = 30 − 2×20 = −10.
    expect(
      modelProblems(
        fitDegreeDayModel(
          days([
            [10, 10],
            [20, 30],
            [30, 50],
          ]),
        ),
        {
          minHeatingDays: 3,
          minTotalDju: 20,
        },
      ),
    ).toEqual(['negative intercept a = -10 kWh/day']);
    // The exact model: 4 heating days, Σ DJU 20 — passes with minHeatingDays 4.
    const exact = fitDegreeDayModel(days([0, 2, 4, 6, 8].map((x) => [x, 100 + 5 * x])));
    expect(modelProblems(exact, { minHeatingDays: 4, minTotalDju: 20 })).toEqual([]);
  });

  it('computes the adjusted baseline, avoided energy and savings', () => {
    // a = 100, b = 5; reporting 30 days, Σ DJU 150, E = 3,400 kWh:
    // adjusted = 100×30 + 5×150 = 3,750; avoided = 3,750 − 3,400 = 350; savings = 350 / 3,750 = 0.093333…
    const s = ipmvpSavings({ intercept: 100, slope: 5 }, { days: 30, dju: 150, kwh: 3400 });
    expect(s.adjustedBaselineKwh).toBeCloseTo(3750, 9);
    expect(s.avoidedKwh).toBeCloseTo(350, 9);
    expect(s.savingsFraction).toBeCloseTo(350 / 3750, 12);
    // Zero DJU in the reporting period: only the intercept, 100 × 30 = 3,000; E = 3,300 → avoided −300 (−10 %).
    expect(
      ipmvpSavings({ intercept: 100, slope: 5 }, { days: 30, dju: 0, kwh: 3300 }).savingsFraction,
    ).toBeCloseTo(-0.1, 12);
    expect(modelKwh({ intercept: 100, slope: 5 }, 0, 0)).toBe(0);
    expect(kpiErrorCodeOf(() => ipmvpSavings({ intercept: 0, slope: 5 }, { days: 3, dju: 0, kwh: 1 }))).toBe(
      KpiErrorCode.ZeroDenominator,
    );
    expect(kpiErrorCodeOf(() => modelKwh({ intercept: 1, slope: 1 }, -1, 0))).toBe(
      KpiErrorCode.InvalidParameter,
    );
  });
});
