/** Street-lighting energy, power and failure rules (catalogue §4: L2, L3, L4, L6). Pure: no I/O. */

/** L4 — a lit lamp drawing less than this share of its nominal power is failing (catalogue [DESIGN]: 10 %). */
export const DEFAULT_LOW_POWER_SHARE = 0.1;
/** L4 — consecutive low-power readings that make a failure (catalogue [DESIGN]: 2). */
export const DEFAULT_LOW_POWER_READINGS = 2;

/**
 * L2 — unmetered / loss share of a cabinet: (cabinet kWh − Σ point kWh) / cabinet kWh (negative when the points
 * meter more than the cabinet). Undefined when the cabinet metered nothing.
 */
export function unmeteredShare(cabinetKwh: number, pointsKwh: number): number | undefined {
  if (!(cabinetKwh > 0)) return undefined;
  return (cabinetKwh - pointsKwh) / cabinetKwh;
}

/**
 * L3 — mean power while ON over nominal: mean P / (P_nom × mean dim level). Under the drivers' linear power vs
 * level the ratio of means is exactly the lamp's P / (P_nom × level); 1 = nominal, 0.8 = 20 % too low. A point
 * reporting no dimming level is compared with P_nom at full level. Undefined for a nominal or level of 0.
 */
export function powerVsNominal(
  meanPowerW: number,
  nominalW: number,
  meanDimPct?: number,
): number | undefined {
  const level = meanDimPct === undefined ? 1 : meanDimPct / 100;
  if (!(nominalW > 0) || !(level > 0)) return undefined;
  return meanPowerW / (nominalW * level);
}

/** One light-controller reading as L4 sees it (fields absent when not in the report). */
export interface LampReading {
  readonly lampOn?: boolean;
  readonly powerW?: number;
  readonly lampFailure?: boolean;
}

/**
 * L4 — is a point failing at a snapshot, from its latest readings (newest first): its newest reading flags
 * `lamp_failure`, or its last `readings` (2) readings are all lit with P < `lowShare` (10 %) × P_nom.
 */
export function failingAtSnapshot(
  newestFirst: readonly LampReading[],
  nominalW: number,
  opts: { lowShare?: number; readings?: number } = {},
): boolean {
  if (newestFirst.length === 0) return false;
  if (newestFirst[0].lampFailure === true) return true;
  const n = opts.readings ?? DEFAULT_LOW_POWER_READINGS;
  const limit = (opts.lowShare ?? DEFAULT_LOW_POWER_SHARE) * nominalW;
  const last = newestFirst.slice(0, n);
  return (
    last.length === n &&
    last.every(
      (r) => r.lampOn === true && r.powerW !== undefined && Number.isFinite(r.powerW) && r.powerW < limit,
    )
  );
}

/**
 * L6 — dimming savings of a night: reference P_nom × t_on (kWh), saved = reference − E_measured, share = saved /
 * reference. Undefined when the lamp was not lit (no reference).
 */
export function dimmingSavings(
  nominalW: number,
  onHours: number,
  measuredKwh: number,
): { referenceKwh: number; savedKwh: number; share: number } | undefined {
  const referenceKwh = (nominalW * onHours) / 1000;
  if (!(referenceKwh > 0)) return undefined;
  const savedKwh = referenceKwh - measuredKwh;
  return { referenceKwh, savedKwh, share: savedKwh / referenceKwh };
}
