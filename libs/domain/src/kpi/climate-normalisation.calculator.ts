import { DegreeDayModel, modelKwh } from './ipmvp.calculator';
import { assertFinite } from './kpi-inputs.model';
import { KpiError, KpiErrorCode } from './kpi.errors';

/**
 * B4 — climate-normalised consumption (catalogue formula): C_norm = C_base + C_heat × DJU_ref / DJU_period, where
 * C_heat is the weather-dependent part of the period's energy and C_base the rest. Throws ZeroDenominator when
 * DJU_period = 0 while there is heating energy to scale.
 */
export function climateNormalisedKwh(input: {
  readonly baseKwh: number;
  readonly heatingKwh: number;
  readonly djuPeriod: number;
  readonly djuRef: number;
}): number {
  const { baseKwh, heatingKwh, djuPeriod, djuRef } = input;
  for (const [k, v] of Object.entries(input)) assertFinite(v, k);
  if (djuPeriod < 0 || djuRef < 0 || heatingKwh < 0)
    throw new KpiError(KpiErrorCode.InvalidParameter, 'heating energy and DJU must be ≥ 0');
  if (heatingKwh === 0) return baseKwh;
  if (djuPeriod === 0)
    throw new KpiError(KpiErrorCode.ZeroDenominator, `${heatingKwh} kWh of heating with DJU_period = 0`);
  return baseKwh + (heatingKwh * djuRef) / djuPeriod;
}

/**
 * B4 from a degree-day model fitted on the window's own days (PRISM's normalised annual consumption, applied to
 * any window): C_norm = a × days + b × DJU_ref. With the model fitted by OLS on every day of the window, ΣE =
 * a·n + b·ΣDJU exactly (the residuals sum to zero), so this equals the catalogue formula with C_heat = b·DJU_period
 * and C_base = E − C_heat; with missing days it estimates the whole window at the days' mean behaviour.
 */
export function modelNormalisedKwh(
  model: Pick<DegreeDayModel, 'intercept' | 'slope'>,
  days: number,
  djuRef: number,
): number {
  return modelKwh(model, days, djuRef);
}

/** Heating signature: C_heat / DJU_period, kWh per °C·day. Throws ZeroDenominator for DJU_period = 0. */
export function heatingSignature(heatingKwh: number, djuPeriod: number): number {
  assertFinite(heatingKwh, 'heatingKwh');
  assertFinite(djuPeriod, 'djuPeriod');
  if (djuPeriod === 0) throw new KpiError(KpiErrorCode.ZeroDenominator, 'DJU_period = 0');
  return heatingKwh / djuPeriod;
}
