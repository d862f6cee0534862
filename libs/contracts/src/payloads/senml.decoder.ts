import { RejectReason, Rejection } from '@vigie/domain';
import { DecodedReading } from './decoded-reading';

/** RFC 8428 §4.5.1: names start with a letter or digit and use only these characters. */
const SENML_NAME = /^[A-Za-z0-9][-:./_A-Za-z0-9]*$/;
const BASE64URL = /^[A-Za-z0-9_-]*$/;
/** RFC 8428 §4.5.3: resolved times below 2^28 s are relative to "now". */
const RELATIVE_TIME_LIMIT = 2 ** 28;
const SUPPORTED_VERSION = 10;
const KNOWN_LABELS = new Set([
  'bn',
  'bt',
  'bu',
  'bv',
  'bs',
  'bver',
  'n',
  'u',
  'v',
  'vs',
  'vb',
  'vd',
  's',
  't',
  'ut',
]);
const STRING_LABELS = ['bn', 'bu', 'n', 'u', 'vs', 'vd'] as const;
const FINITE_LABELS = ['bt', 'bver', 't', 'ut'] as const;
/** Value labels: any JSON number (an overflow like 1e400 becomes Infinity and is refused as non_finite later). */
const VALUE_NUMBER_LABELS = ['bv', 'bs', 'v', 's'] as const;

const SENML_LABEL_HINTS = ['bn', 'bt', 'bu', 'bv', 'bs', 'bver', 'n', 'v', 'vs', 'vb', 'vd', 's'];

/** Is this element shaped like a SenML record? */
export function looksLikeSenmlRecord(value: unknown): boolean {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    SENML_LABEL_HINTS.some((label) => label in value)
  );
}

interface Base {
  name: string;
  time: number;
  unit?: string;
  value: number;
  sum: number;
}

/**
 * Decodes a SenML JSON pack (RFC 8428). The metric is the last segment of the resolved name (after the last
 * ':' or '/'), so `{"bn": "urn:dev:eui64:70b3d57ed0001234:", "n": "power_w"}` reads metric `power_w`.
 * A record that breaks the RFC is refused alone; base fields it carries are not applied.
 */
export function decodeSenml(
  pack: readonly unknown[],
  nowMs: number,
  readings: DecodedReading[],
  rejections: Rejection[],
): void {
  const version = pack.find(
    (r): r is { bver: unknown } => typeof r === 'object' && r !== null && 'bver' in r,
  )?.bver;
  if (typeof version === 'number' && version > SUPPORTED_VERSION) {
    // RFC 8428 §4.4: a pack of a version the receiver does not understand is not used at all.
    rejections.push({
      reason: RejectReason.SenmlUnsupportedVersion,
      detail: `the SenML pack has bver ${version}, newer than the supported ${SUPPORTED_VERSION}: no record used`,
    });
    return;
  }
  const base: Base = { name: '', time: 0, value: 0, sum: 0 };
  let brokenBaseAt: number | undefined;
  pack.forEach((record, index) => {
    const problem = recordProblem(record);
    if (problem) {
      rejections.push({
        reason: problem.reason,
        index,
        detail: `SenML record ${index}: ${problem.detail}`,
      });
      if (carriesBaseField(record)) brokenBaseAt ??= index;
      return;
    }
    if (brokenBaseAt !== undefined) {
      // Its base fields may come from the refused record: storing it could store wrong names, times or values.
      rejections.push({
        reason: RejectReason.SenmlInvalid,
        index,
        detail: `SenML record ${index}: follows record ${brokenBaseAt}, refused while it set base fields`,
      });
      return;
    }
    const r = record as Record<string, unknown>;
    if (r['bn'] !== undefined) base.name = r['bn'] as string;
    if (r['bt'] !== undefined) base.time = r['bt'] as number;
    if (r['bu'] !== undefined) base.unit = r['bu'] as string;
    if (r['bv'] !== undefined) base.value = r['bv'] as number;
    if (r['bs'] !== undefined) base.sum = r['bs'] as number;

    const hasValue = ['v', 'vs', 'vb', 'vd', 's'].some((label) => r[label] !== undefined);
    if (!hasValue) {
      // A record with only base fields (or a name without value) carries no reading (RFC 8428 §4.6).
      if (r['n'] !== undefined) {
        rejections.push({
          reason: RejectReason.SenmlInvalid,
          index,
          detail: `SenML record ${index}: names "${String(r['n'])}" but carries no value (v, vs, vb, vd or s)`,
        });
      }
      return;
    }
    const name = base.name + ((r['n'] as string | undefined) ?? '');
    if (!SENML_NAME.test(name)) {
      rejections.push({
        reason: RejectReason.SenmlInvalid,
        index,
        detail: `SenML record ${index}: resolved name ${JSON.stringify(name).slice(0, 80)} is not a valid SenML name`,
      });
      return;
    }
    const metric = name.slice(Math.max(name.lastIndexOf(':'), name.lastIndexOf('/')) + 1);
    if (metric === '') {
      rejections.push({
        reason: RejectReason.SenmlInvalid,
        index,
        detail: `SenML record ${index}: resolved name "${name}" ends without a metric`,
      });
      return;
    }
    const time = base.time + ((r['t'] as number | undefined) ?? 0);
    const ts = time < RELATIVE_TIME_LIMIT ? nowMs + time * 1000 : time * 1000;
    const unit = (r['u'] as string | undefined) ?? base.unit;
    let value: unknown;
    if (r['v'] !== undefined) value = base.value + (r['v'] as number);
    else if (r['s'] !== undefined) value = base.sum + (r['s'] as number);
    else if (r['vb'] !== undefined) value = r['vb'];
    else if (r['vs'] !== undefined) value = r['vs'];
    else value = r['vd'];
    readings.push({ metric, value, ts: Math.round(ts), unit, index });
  });
}

function carriesBaseField(record: unknown): boolean {
  return (
    typeof record === 'object' &&
    record !== null &&
    ['bn', 'bt', 'bu', 'bv', 'bs', 'bver'].some((l) => l in record)
  );
}

function recordProblem(record: unknown): { reason: RejectReason; detail: string } | undefined {
  if (typeof record !== 'object' || record === null || Array.isArray(record)) {
    return { reason: RejectReason.SenmlInvalid, detail: 'is not an object' };
  }
  const r = record as Record<string, unknown>;
  for (const key of Object.keys(r)) {
    if (!KNOWN_LABELS.has(key) && key.endsWith('_')) {
      return {
        reason: RejectReason.SenmlInvalid,
        detail: `has must-understand label "${key}" that Vigie does not know`,
      };
    }
  }
  for (const label of STRING_LABELS) {
    if (r[label] !== undefined && typeof r[label] !== 'string') {
      return { reason: RejectReason.SenmlInvalid, detail: `"${label}" must be a string` };
    }
  }
  for (const label of FINITE_LABELS) {
    if (r[label] !== undefined && (typeof r[label] !== 'number' || !Number.isFinite(r[label]))) {
      return { reason: RejectReason.SenmlInvalid, detail: `"${label}" must be a finite number` };
    }
  }
  for (const label of VALUE_NUMBER_LABELS) {
    if (r[label] !== undefined && typeof r[label] !== 'number') {
      return { reason: RejectReason.SenmlInvalid, detail: `"${label}" must be a number` };
    }
  }
  if (!Object.keys(r).some((key) => KNOWN_LABELS.has(key))) {
    return { reason: RejectReason.SenmlInvalid, detail: 'has no SenML label' };
  }
  if (r['vb'] !== undefined && typeof r['vb'] !== 'boolean') {
    return { reason: RejectReason.SenmlInvalid, detail: '"vb" must be a boolean' };
  }
  if (r['vd'] !== undefined && !BASE64URL.test(r['vd'] as string)) {
    return { reason: RejectReason.SenmlInvalid, detail: '"vd" must be base64url' };
  }
  const valueLabels = ['v', 'vs', 'vb', 'vd'].filter((label) => r[label] !== undefined);
  if (valueLabels.length > 1) {
    return {
      reason: RejectReason.SenmlInvalid,
      detail: `has more than one value (${valueLabels.join(', ')})`,
    };
  }
  return undefined;
}
