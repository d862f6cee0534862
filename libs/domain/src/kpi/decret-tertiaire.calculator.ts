import { assertFinite } from './kpi-inputs.model';
import { KpiError, KpiErrorCode } from './kpi.errors';

/**
 * B9 — décret tertiaire (décret n° 2019-771) relative route: −40 % in 2030, −50 % in 2040, −60 % in 2050 against
 * the reference year's consumption. Our figures are estimates, not OPERAT's.
 */
export const DECRET_TERTIAIRE_MILESTONES: readonly { readonly year: number; readonly reduction: number }[] = [
  { year: 2030, reduction: 0.4 },
  { year: 2040, reduction: 0.5 },
  { year: 2050, reduction: 0.6 },
];

function checkReference(cRef: number, referenceYear: number): void {
  assertFinite(cRef, 'cRef');
  if (!(cRef > 0)) throw new KpiError(KpiErrorCode.ZeroDenominator, `reference consumption ${cRef} kWh`);
  if (!Number.isInteger(referenceYear) || referenceYear >= DECRET_TERTIAIRE_MILESTONES[0].year)
    throw new KpiError(KpiErrorCode.InvalidParameter, `reference year ${referenceYear} must be before 2030`);
}

/** Relative progress = 1 − C_norm(year) / C_ref (fraction; 0.4 = the 2030 target reached). */
export function relativeProgress(cNorm: number, cRef: number): number {
  assertFinite(cNorm, 'cNorm');
  assertFinite(cRef, 'cRef');
  if (!(cRef > 0)) throw new KpiError(KpiErrorCode.ZeroDenominator, `reference consumption ${cRef} kWh`);
  return 1 - cNorm / cRef;
}

/** Target of a milestone year (2030, 2040, 2050): C_ref × (1 − reduction). */
export function decretTarget(cRef: number, milestoneYear: number): number {
  const m = DECRET_TERTIAIRE_MILESTONES.find((x) => x.year === milestoneYear);
  if (!m) throw new KpiError(KpiErrorCode.InvalidParameter, `${milestoneYear} is not 2030, 2040 or 2050`);
  assertFinite(cRef, 'cRef');
  return cRef * (1 - m.reduction);
}

/** Gap to the 2030 target = C_norm(year) − 0.6 × C_ref (kWh; > 0 means work left). */
export function gapTo2030(cNorm: number, cRef: number): number {
  assertFinite(cNorm, 'cNorm');
  return cNorm - decretTarget(cRef, 2030);
}

/**
 * The trajectory for `year`: linear from (reference year, C_ref) to (2030, 0.6 C_ref), then to (2040, 0.5 C_ref)
 * and (2050, 0.4 C_ref), flat after 2050. Throws InvalidParameter for a year before the reference year.
 */
export function trajectoryKwh(cRef: number, referenceYear: number, year: number): number {
  checkReference(cRef, referenceYear);
  if (!Number.isInteger(year) || year < referenceYear)
    throw new KpiError(
      KpiErrorCode.InvalidParameter,
      `year ${year} is before the reference year ${referenceYear}`,
    );
  let fromYear = referenceYear;
  let fromKwh = cRef;
  for (const m of DECRET_TERTIAIRE_MILESTONES) {
    const toKwh = cRef * (1 - m.reduction);
    if (year <= m.year) return fromKwh + ((toKwh - fromKwh) * (year - fromYear)) / (m.year - fromYear);
    fromYear = m.year;
    fromKwh = toKwh;
  }
  return fromKwh;
}

/** On track when C_norm(year) ≤ the trajectory of that year. */
export function onTrajectory(cNorm: number, cRef: number, referenceYear: number, year: number): boolean {
  assertFinite(cNorm, 'cNorm');
  return cNorm <= trajectoryKwh(cRef, referenceYear, year);
}
