import { assertFinite } from './kpi-inputs.model';
import { KpiError, KpiErrorCode } from './kpi.errors';

/**
 * W6 — IWA water balance and Infrastructure Leakage Index (Lambert et al., 1999; AWWA M36). Volumes in m³ over the
 * same period; lengths in km; pressure in metres of water column.
 */

function checkNonNegative(values: Record<string, number>): void {
  for (const [k, v] of Object.entries(values)) {
    assertFinite(v, k);
    if (v < 0) throw new KpiError(KpiErrorCode.InvalidParameter, `${k} = ${v} is negative`);
  }
}

/**
 * Current annual real losses (CARL) over the period, m³: water losses (V4 − V6, which may be negative with meter
 * errors) minus the apparent losses, taken as `apparentLossesShare` (0–1) of the water losses.
 */
export function realLosses({
  v4,
  v6,
  apparentLossesShare = 0,
}: {
  v4: number;
  v6: number;
  apparentLossesShare?: number;
}): number {
  checkNonNegative({ v4, v6, apparentLossesShare });
  if (apparentLossesShare > 1) {
    throw new KpiError(KpiErrorCode.InvalidParameter, `apparentLossesShare = ${apparentLossesShare} > 1`);
  }
  return (v4 - v6) * (1 - apparentLossesShare);
}

/**
 * Unavoidable annual real losses (UARL), L/day: (18 × Lm + 0.8 × Nc + 25 × Lp) × P — Lm mains length (km), Nc
 * service connections, Lp private pipe length between property line and customer meter (km), P average operating
 * pressure (m).
 */
export function unavoidableRealLosses({
  mainsKm,
  connections,
  privatePipeKm = 0,
  pressureM,
}: {
  mainsKm: number;
  connections: number;
  privatePipeKm?: number;
  pressureM: number;
}): number {
  checkNonNegative({ mainsKm, connections, privatePipeKm, pressureM });
  return (18 * mainsKm + 0.8 * connections + 25 * privatePipeKm) * pressureM;
}

/** ILI = CARL / UARL, both in the same unit (e.g. L/day); dimensionless. */
export function infrastructureLeakageIndex({ carl, uarl }: { carl: number; uarl: number }): number {
  assertFinite(carl, 'carl');
  checkNonNegative({ uarl });
  if (uarl === 0) throw new KpiError(KpiErrorCode.ZeroDenominator, 'UARL = 0 (no network or no pressure)');
  return carl / uarl;
}
