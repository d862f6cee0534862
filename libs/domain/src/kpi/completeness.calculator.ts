import { assertFinite } from './kpi-inputs.model';
import { KpiError, KpiErrorCode } from './kpi.errors';
import { DEFAULT_TIME_ZONE, localDayBounds } from './local-time.utils';

/**
 * X1 — data completeness: received valid samples / expected samples, expected = window length / nominal interval
 * (not rounded). A fraction; it exceeds 1 when a device sends more than expected (duplicates, faster reporting).
 */
export function completeness(received: number, windowMs: number, intervalS: number): number {
  assertFinite(received, 'received');
  assertFinite(windowMs, 'windowMs');
  assertFinite(intervalS, 'intervalS');
  if (received < 0) throw new KpiError(KpiErrorCode.InvalidParameter, `received ${received} < 0`);
  if (!(windowMs > 0)) throw new KpiError(KpiErrorCode.ZeroDenominator, `window of ${windowMs} ms`);
  if (!(intervalS > 0))
    throw new KpiError(KpiErrorCode.InvalidParameter, `interval ${intervalS} s must be > 0`);
  return received / (windowMs / (intervalS * 1000));
}

/** X1 over a local civil day, using its real length (23 h / 25 h on DST days). */
export function dailyCompleteness(
  received: number,
  day: string,
  intervalS: number,
  timeZone = DEFAULT_TIME_ZONE,
): number {
  return completeness(received, localDayBounds(day, timeZone).lengthMs, intervalS);
}
