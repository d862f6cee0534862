import { DecodedReading } from './decoded-reading';
import { DeviceKind, LORAWAN_LINK_METRICS, UnitScale } from './device-kind';

/**
 * Scales by a decimal factor without binary noise: 0.62 × 100 is 62.00000000000001 in floating point, 62 here.
 * Rounds to 15 significant digits, which every double holds exactly.
 */
export function scaleDecimal(value: number, scale: UnitScale | undefined): number {
  if (scale === undefined || scale === 1) return value;
  const scaled = typeof scale === 'number' ? value * scale : value / scale.divideBy;
  return Number.isFinite(scaled) ? Number(scaled.toPrecision(15)) : scaled;
}

function inverse(scale: UnitScale | undefined): UnitScale | undefined {
  if (scale === undefined || scale === 1) return undefined;
  return typeof scale === 'number' ? { divideBy: scale } : scale.divideBy;
}

const own = (o: object, key: string) => Object.prototype.hasOwnProperty.call(o, key);

/**
 * The readings in a network server's decoded object (ChirpStack `object`, TTS `decoded_payload`), by the kind's
 * `lorawan` section. Rules:
 * - a field named in the section becomes its metric, scaled (a non-number is passed on unscaled, so that
 *   validateReading refuses it as `wrong_type`);
 * - a field named exactly like one of the kind's metrics is taken as is (a codec written for Vigie);
 * - any other field is ignored (codecs add fields of their own: raw voltages, status bytes …), never refused;
 *   `ignoredLorawanFields` lists them.
 * `ts` (epoch ms, the uplink's time) is given to every reading.
 */
export function readingsFromDecodedObject(
  kind: DeviceKind,
  object: Readonly<Record<string, unknown>>,
  ts?: number,
): DecodedReading[] {
  const readings: DecodedReading[] = [];
  const fields = kind.lorawan?.fields ?? {};
  let index = 0;
  for (const key of Object.keys(object)) {
    const value = object[key];
    if (own(fields, key)) {
      const mapping = fields[key];
      const scaled = typeof value === 'number' ? scaleDecimal(value, mapping.scale) : value;
      readings.push({ metric: mapping.metric, value: scaled, ts, index: index++ });
    } else if (own(kind.metrics, key)) {
      readings.push({ metric: key, value, ts, index: index++ });
    }
  }
  return readings;
}

/** Fields of a decoded object that `readingsFromDecodedObject` ignores for this kind. */
export function ignoredLorawanFields(kind: DeviceKind, object: Readonly<Record<string, unknown>>): string[] {
  const fields = kind.lorawan?.fields ?? {};
  return Object.keys(object).filter((key) => !own(fields, key) && !own(kind.metrics, key));
}

/**
 * The reverse: the decoded object a codec would output for these metric values (what a simulator publishes as
 * ChirpStack `object` / TTS `decoded_payload`). Mapped metrics get their codec field name and inverse scale;
 * other metrics keep their name; the link metrics (rssi_dbm, snr_db) are left out: they travel in the radio
 * metadata, not in the payload.
 */
export function decodedObjectFromValues(
  kind: DeviceKind,
  values: Readonly<Record<string, number | boolean>>,
): Record<string, number | boolean> {
  const byMetric = new Map<string, { field: string; scale?: UnitScale }>();
  for (const [field, mapping] of Object.entries(kind.lorawan?.fields ?? {})) {
    if (!byMetric.has(mapping.metric)) byMetric.set(mapping.metric, { field, scale: mapping.scale });
  }
  const out: Record<string, number | boolean> = {};
  for (const [metric, value] of Object.entries(values)) {
    if (LORAWAN_LINK_METRICS.includes(metric)) continue;
    const mapping = byMetric.get(metric);
    const field = mapping?.field ?? metric;
    out[field] = typeof value === 'number' ? scaleDecimal(value, inverse(mapping?.scale)) : value;
  }
  return out;
}
