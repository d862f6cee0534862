import { RejectReason, Rejection } from '@vigie/domain';
import { DecodedReading } from './decoded-reading';
import { parseTimestamp } from './timestamps';

const OBJECT_KEYS = new Set(['ts', 'values']);
const MAX_VALUES_PER_OBJECT = 64;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Is this element shaped like a Vigie JSON reading object (as opposed to a SenML record)? */
export function looksLikeVigieObject(value: unknown): boolean {
  return isPlainObject(value) && ('values' in value || 'ts' in value);
}

/**
 * Decodes `{"ts"?: <epoch ms | ISO 8601>, "values": {"<metric>": <value>, …}}` or an array of those.
 * Each object is judged on its own: a broken element is refused, the others go on.
 */
export function decodeVigieJson(doc: unknown, readings: DecodedReading[], rejections: Rejection[]): void {
  const elements = Array.isArray(doc) ? doc : [doc];
  elements.forEach((element, index) => decodeObject(element, index, readings, rejections));
}

function decodeObject(
  element: unknown,
  index: number,
  readings: DecodedReading[],
  rejections: Rejection[],
): void {
  if (!isPlainObject(element)) {
    rejections.push({
      reason: RejectReason.InvalidShape,
      index,
      detail: `element ${index} is not an object`,
    });
    return;
  }
  const unknownKeys = Object.keys(element).filter((k) => !OBJECT_KEYS.has(k));
  if (unknownKeys.length > 0) {
    rejections.push({
      reason: RejectReason.InvalidShape,
      index,
      detail: `element ${index} has unknown key(s) ${unknownKeys.map((k) => JSON.stringify(k)).join(', ')}; only "ts" and "values" are allowed`,
    });
    return;
  }
  const values = element['values'];
  if (!isPlainObject(values)) {
    rejections.push({
      reason: RejectReason.InvalidShape,
      index,
      detail: `element ${index} needs "values" as an object`,
    });
    return;
  }
  const metrics = Object.keys(values);
  if (metrics.length === 0) {
    rejections.push({ reason: RejectReason.InvalidShape, index, detail: `element ${index} has no values` });
    return;
  }
  if (metrics.length > MAX_VALUES_PER_OBJECT) {
    rejections.push({
      reason: RejectReason.TooManyReadings,
      index,
      detail: `element ${index} has ${metrics.length} values, more than ${MAX_VALUES_PER_OBJECT}`,
    });
    return;
  }
  let ts: number | undefined;
  if (element['ts'] !== undefined) {
    ts = parseTimestamp(element['ts']);
    if (ts === undefined) {
      rejections.push({
        reason: RejectReason.BadTimestamp,
        index,
        detail: `element ${index} has ts ${JSON.stringify(element['ts']).slice(0, 60)}: expected epoch milliseconds or an ISO 8601 date-time with a time zone`,
      });
      return;
    }
  }
  for (const metric of metrics) {
    readings.push({ metric, value: values[metric], ts, index });
  }
}
