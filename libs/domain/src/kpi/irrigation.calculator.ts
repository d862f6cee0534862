import { assertFinite } from './kpi-inputs.model';
import { KpiError, KpiErrorCode } from './kpi.errors';

/**
 * W8 — irrigation need (FAO Irrigation and Drainage Paper 56, Allen et al. 1998): reference evapotranspiration
 * ET0 (Hargreaves, eq. 52, from Tmin/Tmax and the extraterrestrial radiation Ra, eq. 21), crop evapotranspiration
 * ETc = Kc × ET0, effective rain, net need and the irrigation ratio. Depths in mm (1 mm on 1 m² = 1 L).
 */

const { sin, cos, tan, acos, sqrt, max, min, PI } = Math;
const DEG = PI / 180;

/** Solar constant, MJ m⁻² min⁻¹ (FAO-56). */
export const SOLAR_CONSTANT_MJ_M2_MIN = 0.082;

/** MJ m⁻² day⁻¹ → mm/day of evaporated water (1 / λ, λ = 2.45 MJ/kg). */
export const MJ_M2_TO_MM = 0.408;

/** Effective rain defaults: `share` of a day's rain when it reaches `minMm` (lighter rain is intercepted). */
export const EFFECTIVE_RAIN_DEFAULTS = { share: 0.8, minMm: 2 } as const;

function checkNonNegative(values: Record<string, number>): void {
  for (const [k, v] of Object.entries(values)) {
    assertFinite(v, k);
    if (v < 0) throw new KpiError(KpiErrorCode.InvalidParameter, `${k} = ${v} is negative`);
  }
}

/**
 * Extraterrestrial radiation Ra of a day, MJ m⁻² day⁻¹ (FAO-56 eq. 21–25): (24·60/π) Gsc dr [ωs sinφ sinδ +
 * cosφ cosδ sin ωs], dr = 1 + 0.033 cos(2π J / 365), ωs = arccos(−tanφ tanδ) (clamped: polar day π, polar night 0).
 * The solar declination δ is given (the NOAA solar position of the day's noon, or FAO's 0.409 sin(2πJ/365 − 1.39)).
 */
export function extraterrestrialRadiation({
  latitudeDeg,
  declinationDeg,
  dayOfYear,
}: {
  latitudeDeg: number;
  declinationDeg: number;
  dayOfYear: number;
}): number {
  assertFinite(latitudeDeg, 'latitudeDeg');
  assertFinite(declinationDeg, 'declinationDeg');
  assertFinite(dayOfYear, 'dayOfYear');
  if (latitudeDeg < -90 || latitudeDeg > 90)
    throw new KpiError(KpiErrorCode.InvalidParameter, `latitudeDeg = ${latitudeDeg} is not in [−90, 90]`);
  if (dayOfYear < 1 || dayOfYear > 366)
    throw new KpiError(KpiErrorCode.InvalidParameter, `dayOfYear = ${dayOfYear} is not in [1, 366]`);
  const phi = latitudeDeg * DEG;
  const delta = declinationDeg * DEG;
  const dr = 1 + 0.033 * cos((2 * PI * dayOfYear) / 365);
  const ws = acos(max(-1, min(1, -tan(phi) * tan(delta))));
  const ra =
    ((24 * 60) / PI) *
    SOLAR_CONSTANT_MJ_M2_MIN *
    dr *
    (ws * sin(phi) * sin(delta) + cos(phi) * cos(delta) * sin(ws));
  return max(0, ra);
}

/**
 * Hargreaves reference evapotranspiration, mm/day (FAO-56 eq. 52): 0.0023 (Tmean + 17.8) √(Tmax − Tmin) × Ra,
 * Ra in mm/day (0.408 × MJ m⁻² day⁻¹), Tmean = (Tmin + Tmax)/2; 0 when Tmean ≤ −17.8 °C.
 */
export function hargreavesEt0({
  tminC,
  tmaxC,
  raMjM2Day,
}: {
  tminC: number;
  tmaxC: number;
  raMjM2Day: number;
}): number {
  assertFinite(tminC, 'tminC');
  assertFinite(tmaxC, 'tmaxC');
  checkNonNegative({ raMjM2Day });
  if (tmaxC < tminC) throw new KpiError(KpiErrorCode.InvalidParameter, `Tmax ${tmaxC} < Tmin ${tminC}`);
  const tmean = (tminC + tmaxC) / 2;
  return max(0, 0.0023 * (tmean + 17.8) * sqrt(tmaxC - tminC) * MJ_M2_TO_MM * raMjM2Day);
}

/** Crop evapotranspiration, mm: ETc = Kc × ET0. */
export function cropEvapotranspiration({ kc, et0Mm }: { kc: number; et0Mm: number }): number {
  checkNonNegative({ kc, et0Mm });
  return kc * et0Mm;
}

/** Effective rain of one day, mm: `share` × rain when the day's rain reaches `minMm`, else 0. */
export function effectiveRain(
  rainMm: number,
  { share, minMm }: { share: number; minMm: number } = EFFECTIVE_RAIN_DEFAULTS,
): number {
  checkNonNegative({ rainMm, share, minMm });
  if (share > 1) throw new KpiError(KpiErrorCode.InvalidParameter, `share = ${share} > 1`);
  return rainMm >= minMm ? share * rainMm : 0;
}

/** Net irrigation need over a period, mm: max(0, Σ ETc − Σ Peff). */
export function irrigationNeedMm({
  etcMm,
  effectiveRainMm,
}: {
  etcMm: number;
  effectiveRainMm: number;
}): number {
  checkNonNegative({ etcMm, effectiveRainMm });
  return max(0, etcMm - effectiveRainMm);
}

/** A depth (mm) over an area (m²) as a volume, m³: mm × m² / 1000 (1 mm on 1 m² = 1 L). */
export function depthToVolumeM3({ depthMm, areaM2 }: { depthMm: number; areaM2: number }): number {
  checkNonNegative({ depthMm, areaM2 });
  return (depthMm * areaM2) / 1000;
}

/** Irrigation ratio = applied / need (same unit); target 0.9–1.1, > 1.2 over-watering. */
export function irrigationRatio({ applied, need }: { applied: number; need: number }): number {
  checkNonNegative({ applied, need });
  if (need === 0) throw new KpiError(KpiErrorCode.ZeroDenominator, 'irrigation need = 0');
  return applied / need;
}
