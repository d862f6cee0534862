import { DecodedReading } from './decoded-reading';
import { RejectReason, Rejection } from './reject-reasons';
import { applyUnitScale, DeviceKind } from './device-kind';

/** A reading that passed every check: value in the metric's unit and type, timestamp in epoch ms. */
export interface ValidReading {
  readonly metric: string;
  readonly value: number | boolean;
  readonly ts: number;
}

export interface TimeWindow {
  /** Oldest accepted timestamp, in ms before now. */
  readonly maxPastMs: number;
  /** Latest accepted timestamp, in ms after now. */
  readonly maxFutureMs: number;
}

export type ValidationOutcome = { ok: true; reading: ValidReading } | { ok: false; rejection: Rejection };

function reject(reading: DecodedReading, reason: RejectReason, detail: string): ValidationOutcome {
  return { ok: false, rejection: { reason, detail, index: reading.index, metric: reading.metric } };
}

/** Checks one decoded reading against its device kind's catalogue and the accepted time window. */
export function validateReading(
  kind: DeviceKind,
  reading: DecodedReading,
  receivedAtMs: number,
  window: TimeWindow,
): ValidationOutcome {
  const spec = Object.prototype.hasOwnProperty.call(kind.metrics, reading.metric)
    ? kind.metrics[reading.metric]
    : undefined;
  const label = `${reading.metric}`.slice(0, 64);
  if (!spec) {
    return reject(
      reading,
      RejectReason.UnknownMetric,
      `metric "${label}" is not a metric of kind ${kind.id}`,
    );
  }
  let value = reading.value;
  if (spec.type === 'boolean') {
    if (typeof value !== 'boolean') {
      return reject(reading, RejectReason.WrongType, `${label} must be a boolean, got ${describe(value)}`);
    }
  } else {
    if (typeof value !== 'number') {
      return reject(reading, RejectReason.WrongType, `${label} must be a number, got ${describe(value)}`);
    }
    if (!Number.isFinite(value)) {
      return reject(reading, RejectReason.NonFinite, `${label} is ${String(value)}`);
    }
    if (reading.unit !== undefined) {
      const scale =
        spec.senmlUnits && Object.hasOwn(spec.senmlUnits, reading.unit)
          ? spec.senmlUnits[reading.unit]
          : undefined;
      if (scale === undefined) {
        const accepted = Object.keys(spec.senmlUnits ?? {}).join(', ') || 'none';
        return reject(
          reading,
          RejectReason.BadUnit,
          `${label} does not accept unit "${reading.unit.slice(0, 16)}" (accepted: ${accepted})`,
        );
      }
      value = applyUnitScale(value, scale);
    }
    const n = value as number;
    if ((spec.min !== undefined && n < spec.min) || (spec.max !== undefined && n > spec.max)) {
      return reject(
        reading,
        RejectReason.OutOfRange,
        `${label} = ${n} is outside [${spec.min ?? '-∞'}, ${spec.max ?? '+∞'}] ${spec.unit}`,
      );
    }
  }
  if (spec.type === 'boolean' && reading.unit !== undefined && reading.unit !== '') {
    return reject(reading, RejectReason.BadUnit, `${label} is a boolean and takes no unit`);
  }
  const ts = reading.ts ?? receivedAtMs;
  if (ts < receivedAtMs - window.maxPastMs || ts > receivedAtMs + window.maxFutureMs) {
    return reject(
      reading,
      RejectReason.TimestampOutOfWindow,
      `${label} timestamp ${safeIso(ts)} is outside the accepted window around ${new Date(receivedAtMs).toISOString()}`,
    );
  }
  return { ok: true, reading: { metric: reading.metric, value: value as number | boolean, ts } };
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'string') return `the string ${JSON.stringify(value.slice(0, 24))}`;
  if (Array.isArray(value)) return 'an array';
  return `a ${typeof value}`;
}

function safeIso(ts: number): string {
  const d = new Date(ts);
  return Number.isNaN(d.getTime()) ? String(ts) : d.toISOString();
}
