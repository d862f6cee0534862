/**
 * What ingestion hands to alert evaluation for one accepted payload of a device, in the same Redis transaction as
 * its readings (so an acknowledged reading is never missed by the alert rules): the device, its report times (for
 * the silence rule) and the values of the metrics some reading rule watches. Short keys: a stream holds many.
 */
export interface AlertSampleRecord {
  /** Tenant, device, device kind, site (when the device has one). */
  readonly t: string;
  readonly d: string;
  readonly k: string;
  readonly s?: string;
  /** Distinct report timestamps (epoch ms), ascending. */
  readonly r: readonly number[];
  /** Watched values: [metric, epoch ms, value]. */
  readonly m?: readonly (readonly [string, number, number | boolean])[];
}

/** Field of a stream entry holding a JSON array of AlertSampleRecord. */
export const ALERT_SAMPLES_FIELD = 'j';
