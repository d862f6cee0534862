import { assertFinite } from './kpi-inputs.model';
import { KpiError, KpiErrorCode } from './kpi.errors';

/**
 * B6 — IPMVP option C (whole facility): a degree-day model E = a + b·DJU fitted by ordinary least squares on daily
 * data, its goodness of fit (ASHRAE Guideline 14), CalTRACK-like sufficiency checks and the IPMVP savings equation.
 * B4 (climate normalisation) evaluates the same model at the normal DJU.
 */

/** One day of a building: its energy (kWh) and its heating degree days (°C·day). */
export interface DegreeDayObservation {
  readonly kwh: number;
  readonly dju: number;
}

/** Number of parameters of the model E = a + b·DJU (for n − p). */
export const DEGREE_DAY_MODEL_PARAMETERS = 2;

/** A fitted daily model E = intercept + slope × DJU, and its fit statistics. */
export interface DegreeDayModel {
  /** a, kWh per day (the weather-independent load). */
  readonly intercept: number;
  /** b, kWh per °C·day (the heating signature). */
  readonly slope: number;
  /** Days fitted. */
  readonly n: number;
  /** Mean daily energy ȳ, kWh. */
  readonly meanKwh: number;
  /** CV(RMSE) = sqrt(Σ(y − ŷ)² / (n − p)) / ȳ, fraction. */
  readonly cvRmse: number;
  /** NMBE = Σ(y − ŷ) / ((n − p) · ȳ), fraction (≈ 0 in sample: OLS residuals with an intercept sum to zero). */
  readonly nmbe: number;
  /** Days with DJU > 0. */
  readonly heatingDays: number;
  /** Σ DJU of the fitted days. */
  readonly totalDju: number;
}

/**
 * OLS fit of E = a + b·DJU: b = Σ(x − x̄)(y − ȳ) / Σ(x − x̄)², a = ȳ − b·x̄. Throws EmptyInput for fewer than
 * p + 1 = 3 days, ZeroDenominator when every day has the same DJU (e.g. all zero: no slope to fit) or ȳ = 0.
 */
export function fitDegreeDayModel(days: readonly DegreeDayObservation[]): DegreeDayModel {
  const p = DEGREE_DAY_MODEL_PARAMETERS;
  const n = days.length;
  if (n <= p)
    throw new KpiError(KpiErrorCode.EmptyInput, `${n} day(s) to fit E = a + b·DJU; at least ${p + 1}`);
  days.forEach((d, i) => {
    assertFinite(d.kwh, `days[${i}].kwh`);
    assertFinite(d.dju, `days[${i}].dju`);
  });
  const xMean = days.reduce((s, d) => s + d.dju, 0) / n;
  const yMean = days.reduce((s, d) => s + d.kwh, 0) / n;
  let sxx = 0;
  let sxy = 0;
  for (const d of days) {
    sxx += (d.dju - xMean) ** 2;
    sxy += (d.dju - xMean) * (d.kwh - yMean);
  }
  if (!(sxx > 0)) {
    throw new KpiError(
      KpiErrorCode.ZeroDenominator,
      `every day has DJU ${xMean}: the slope of E = a + b·DJU cannot be fitted`,
    );
  }
  if (yMean === 0)
    throw new KpiError(KpiErrorCode.ZeroDenominator, 'mean daily energy is 0: CV(RMSE) undefined');
  const slope = sxy / sxx;
  const intercept = yMean - slope * xMean;
  let sse = 0;
  let bias = 0;
  for (const d of days) {
    const r = d.kwh - (intercept + slope * d.dju);
    sse += r * r;
    bias += r;
  }
  return {
    intercept,
    slope,
    n,
    meanKwh: yMean,
    cvRmse: Math.sqrt(sse / (n - p)) / yMean,
    nmbe: bias / ((n - p) * yMean),
    heatingDays: days.filter((d) => d.dju > 0).length,
    totalDju: days.reduce((s, d) => s + d.dju, 0),
  };
}

/** CalTRACK-like data sufficiency of a daily degree-day model (CalTRACK 2.0 §2.2, §3.2, in °C·day here). */
export interface SufficiencyRules {
  /** Minimum length of the baseline period, days (CalTRACK: 365). */
  readonly minPeriodDays: number;
  /** Minimum share of the period's days having both energy and DJU (CalTRACK: 0.9). */
  readonly minValidShare: number;
  /** Minimum number of days with DJU > 0 (CalTRACK: 10). */
  readonly minHeatingDays: number;
  /** Minimum Σ DJU (CalTRACK: 20 °F·day; 20 °C·day here, stricter). */
  readonly minTotalDju: number;
}

export const CALTRACK_SUFFICIENCY: SufficiencyRules = {
  minPeriodDays: 365,
  minValidShare: 0.9,
  minHeatingDays: 10,
  minTotalDju: 20,
};

/** What stands against a baseline: its length and valid days (data sufficiency); empty when usable. */
export function periodSufficiencyProblems(
  periodDays: number,
  validDays: number,
  rules: Pick<SufficiencyRules, 'minPeriodDays' | 'minValidShare'>,
): string[] {
  const problems: string[] = [];
  if (periodDays < rules.minPeriodDays)
    problems.push(`the period has ${periodDays} days, at least ${rules.minPeriodDays} needed`);
  if (validDays < rules.minValidShare * periodDays)
    problems.push(
      `${validDays} of ${periodDays} days have both energy and DJU, at least ${Math.round(rules.minValidShare * 100)} % needed`,
    );
  return problems;
}

/**
 * What disqualifies a fitted model (CalTRACK): too few heating days or degree days, a negative intercept or a
 * negative slope. Empty when the model is acceptable.
 */
export function modelProblems(
  model: DegreeDayModel,
  rules: Pick<SufficiencyRules, 'minHeatingDays' | 'minTotalDju'>,
): string[] {
  const problems: string[] = [];
  if (model.heatingDays < rules.minHeatingDays)
    problems.push(`${model.heatingDays} day(s) with DJU > 0, at least ${rules.minHeatingDays} needed`);
  if (model.totalDju < rules.minTotalDju)
    problems.push(`Σ DJU = ${round(model.totalDju)}, at least ${rules.minTotalDju} needed`);
  if (model.intercept < 0) problems.push(`negative intercept a = ${round(model.intercept)} kWh/day`);
  if (model.slope < 0) problems.push(`negative slope b = ${round(model.slope)} kWh/DJU`);
  return problems;
}

const round = (x: number): number => Math.round(x * 1000) / 1000;

/** The model's energy for `days` days totalling `dju` degree days: a·days + b·DJU. */
export function modelKwh(
  model: Pick<DegreeDayModel, 'intercept' | 'slope'>,
  days: number,
  dju: number,
): number {
  assertFinite(days, 'days');
  assertFinite(dju, 'dju');
  if (days < 0 || dju < 0)
    throw new KpiError(KpiErrorCode.InvalidParameter, `days ${days}, dju ${dju}: must be ≥ 0`);
  return model.intercept * days + model.slope * dju;
}

export interface IpmvpSavings {
  /** Adjusted baseline = a·days + b·DJU_reporting, kWh. */
  readonly adjustedBaselineKwh: number;
  /** Avoided energy = adjusted baseline − reporting-period energy, kWh (> 0 = savings). */
  readonly avoidedKwh: number;
  /** Savings = avoided / adjusted baseline, fraction. */
  readonly savingsFraction: number;
}

/**
 * IPMVP core equation (no non-routine adjustment): over `days` reporting days with Σ DJU `dju` and energy
 * `reportingKwh`. Throws ZeroDenominator when the adjusted baseline is 0.
 */
export function ipmvpSavings(
  model: Pick<DegreeDayModel, 'intercept' | 'slope'>,
  reporting: { readonly days: number; readonly dju: number; readonly kwh: number },
): IpmvpSavings {
  assertFinite(reporting.kwh, 'reporting kwh');
  const adjustedBaselineKwh = modelKwh(model, reporting.days, reporting.dju);
  if (adjustedBaselineKwh === 0)
    throw new KpiError(KpiErrorCode.ZeroDenominator, 'the adjusted baseline is 0 kWh');
  const avoidedKwh = adjustedBaselineKwh - reporting.kwh;
  return { adjustedBaselineKwh, avoidedKwh, savingsFraction: avoidedKwh / adjustedBaselineKwh };
}
