import { RejectReason, Rejection } from '@vigie/domain';
import { DecodedReading, DecodeLimits, DecodeResult, DEFAULT_DECODE_LIMITS } from './decoded-reading';
import { jsonRefusal, parseJsonWithin } from './json-depth';
import { decodeSenml, looksLikeSenmlRecord } from './senml.decoder';
import { decodeVigieJson, looksLikeVigieObject } from './vigie-json.decoder';

const utf8 = new TextDecoder('utf-8', { fatal: true });

function refuse(reason: RejectReason, detail: string): DecodeResult {
  return { format: 'unknown', readings: [], rejections: [{ reason, detail }] };
}

/**
 * Decodes what a device publishes on its readings topic: Vigie JSON (an object or an array of objects with
 * "values") or a SenML JSON pack, told apart by their shape. Never throws: everything wrong is a rejection.
 */
export function decodeReadingsPayload(
  payload: Uint8Array,
  nowMs: number,
  limits: DecodeLimits = DEFAULT_DECODE_LIMITS,
): DecodeResult {
  if (payload.length === 0) return refuse(RejectReason.EmptyPayload, 'the payload is empty');
  let text: string;
  try {
    text = utf8.decode(payload);
  } catch {
    return refuse(RejectReason.InvalidUtf8, 'the payload is not valid UTF-8');
  }
  const parsed = parseJsonWithin(text, limits.maxDepth);
  if (!parsed.ok) {
    const { reason, detail } = jsonRefusal(parsed, 'the payload', limits.maxDepth);
    return refuse(reason, detail);
  }
  const doc = parsed.value;
  const readings: DecodedReading[] = [];
  const rejections: Rejection[] = [];
  if (Array.isArray(doc)) {
    if (doc.length === 0) return refuse(RejectReason.EmptyPayload, 'the payload is an empty array');
    if (doc.length > limits.maxReadings) {
      return refuse(
        RejectReason.TooManyReadings,
        `the payload has ${doc.length} elements, more than ${limits.maxReadings}`,
      );
    }
    // The first object element tells the format; other elements are judged one by one.
    const first = doc.find((e) => typeof e === 'object' && e !== null && !Array.isArray(e));
    if (looksLikeVigieObject(first)) {
      decodeVigieJson(doc, readings, rejections);
      return limitReadings({ format: 'vigie-json', readings, rejections }, limits);
    }
    if (looksLikeSenmlRecord(first)) {
      decodeSenml(doc, nowMs, readings, rejections);
      return limitReadings({ format: 'senml', readings, rejections }, limits);
    }
    return refuse(
      RejectReason.UnknownFormat,
      'an array whose first object is neither a Vigie reading object nor a SenML record',
    );
  }
  if (typeof doc === 'object' && doc !== null) {
    decodeVigieJson(doc, readings, rejections);
    return limitReadings({ format: 'vigie-json', readings, rejections }, limits);
  }
  return refuse(
    RejectReason.UnknownFormat,
    `a JSON ${doc === null ? 'null' : typeof doc} is neither Vigie JSON nor SenML`,
  );
}

function limitReadings(result: DecodeResult, limits: DecodeLimits): DecodeResult {
  if (result.readings.length <= limits.maxReadings) return result;
  return {
    format: result.format,
    readings: [],
    rejections: [
      {
        reason: RejectReason.TooManyReadings,
        detail: `the payload carries ${result.readings.length} readings, more than ${limits.maxReadings}`,
      },
    ],
  };
}
