import { AlertError, AlertErrorCode } from './alert.errors';

/** Default k of "offline after k × the expected interval" (catalogue X2; 2 for critical devices). */
export const DEFAULT_OFFLINE_FACTOR = 3;

/**
 * When a device that last reported at `lastSeen` becomes offline: k × its expected interval later. A device is
 * offline at `now` when `now` ≥ that instant, and back online with its next report.
 */
export function offlineAt(lastSeen: number, intervalS: number, k = DEFAULT_OFFLINE_FACTOR): number {
  if (!Number.isFinite(lastSeen) || !(intervalS > 0) || !(k > 0)) {
    throw new AlertError(
      AlertErrorCode.InvalidRule,
      `offline check needs a finite last-seen time and positive interval and factor (got ${lastSeen}, ${intervalS} s, k = ${k})`,
    );
  }
  return lastSeen + k * intervalS * 1000;
}

export function isOffline(
  lastSeen: number,
  now: number,
  intervalS: number,
  k = DEFAULT_OFFLINE_FACTOR,
): boolean {
  return now >= offlineAt(lastSeen, intervalS, k);
}

/** No alert from data too incomplete to judge: a KPI value counts only when its completeness reaches `min`. */
export const DEFAULT_MIN_COMPLETENESS = 0.8;

export function judgeable(completeness: number, min = DEFAULT_MIN_COMPLETENESS): boolean {
  return Number.isFinite(completeness) && completeness >= min;
}
