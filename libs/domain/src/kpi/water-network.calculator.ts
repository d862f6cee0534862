import { assertFinite } from './kpi-inputs.model';
import { KpiError, KpiErrorCode } from './kpi.errors';

/**
 * W1–W4 — drinking-water network indicators (SISPEA, arrêté du 2 mai 2007; décret n° 2012-97). Volumes in m³ over the
 * same period; network length L in km excluding service connections; D = number of days of the period (365 for the
 * official yearly value).
 */
export interface NetworkVolumes {
  /** V1, volume produced. */
  readonly v1: number;
  /** V2, volume imported (bought in bulk). */
  readonly v2: number;
  /** V3, volume exported (sold in bulk). */
  readonly v3: number;
  /** V6, authorised consumption (V7 + V8 + V9). */
  readonly v6: number;
}

function checkVolumes(values: Record<string, number>): void {
  for (const [k, v] of Object.entries(values)) {
    assertFinite(v, k);
    if (v < 0) throw new KpiError(KpiErrorCode.InvalidParameter, `${k} = ${v} is negative`);
  }
}

function perKmPerDay(volume: number, lengthKm: number, days: number): number {
  checkVolumes({ lengthKm, days });
  if (lengthKm === 0 || days === 0) {
    throw new KpiError(KpiErrorCode.ZeroDenominator, `L × D = ${lengthKm} km × ${days} days`);
  }
  return volume / (lengthKm * days);
}

/** W1 — P104.3 network efficiency (rendement), %: R = (V6 + V3) / (V1 + V2) × 100. */
export function networkEfficiency({ v1, v2, v3, v6 }: NetworkVolumes): number {
  checkVolumes({ v1, v2, v3, v6 });
  if (v1 + v2 === 0)
    throw new KpiError(KpiErrorCode.ZeroDenominator, 'V1 + V2 = 0 (no volume produced or bought)');
  return ((v6 + v3) / (v1 + v2)) * 100;
}

/** V4 — volume put into distribution, m³: V1 + V2 − V3. */
export function volumeInDistribution({ v1, v2, v3 }: { v1: number; v2: number; v3: number }): number {
  checkVolumes({ v1, v2, v3 });
  return v1 + v2 - v3;
}

/** W2 — P105.3 ILVNC (unbilled volume linear index), m³/km/day: (V4 − V7) / (L × D). */
export function ilvnc({
  v4,
  v7,
  lengthKm,
  days = 365,
}: {
  v4: number;
  v7: number;
  lengthKm: number;
  days?: number;
}): number {
  checkVolumes({ v4, v7 });
  return perKmPerDay(v4 - v7, lengthKm, days);
}

/** W3 — P106.3 ILP (linear loss index), m³/km/day: (V4 − V6) / (L × D). */
export function ilp({
  v4,
  v6,
  lengthKm,
  days = 365,
}: {
  v4: number;
  v6: number;
  lengthKm: number;
  days?: number;
}): number {
  checkVolumes({ v4, v6 });
  return perKmPerDay(v4 - v6, lengthKm, days);
}

/** W4 — ILC (linear consumption index), m³/km/day: (V6 + V3) / (L × D). */
export function ilc({
  v6,
  v3,
  lengthKm,
  days = 365,
}: {
  v6: number;
  v3: number;
  lengthKm: number;
  days?: number;
}): number {
  checkVolumes({ v6, v3 });
  return perKmPerDay(v6 + v3, lengthKm, days);
}

/**
 * W4 — Grenelle II minimum efficiency, %: min(85, 65 + ILC/5); the fixed term is 70 instead of 65 when more than
 * 2 Mm³/yr are abstracted in a zone de répartition des eaux (`zre`).
 */
export function grenelleThreshold({ ilc: ilcValue, zre = false }: { ilc: number; zre?: boolean }): number {
  checkVolumes({ ilc: ilcValue });
  return Math.min(85, (zre ? 70 : 65) + ilcValue / 5);
}

/** W4 — true when the efficiency (%) meets the Grenelle II threshold (no action plan required). */
export function grenelleCompliant({
  efficiencyPct,
  ilc: ilcValue,
  zre = false,
}: {
  efficiencyPct: number;
  ilc: number;
  zre?: boolean;
}): boolean {
  assertFinite(efficiencyPct, 'efficiencyPct');
  return efficiencyPct >= grenelleThreshold({ ilc: ilcValue, zre });
}
