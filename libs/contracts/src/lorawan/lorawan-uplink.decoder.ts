import { RejectReason, Rejection } from '@vigie/domain';
import { createHash } from 'node:crypto';
import { jsonRefusal, parseJsonWithin } from '../payloads/json-depth';
import { parseTimestamp } from '../payloads/timestamps';
import { LorawanNetwork, LorawanTopic } from './lorawan-topics';

/** One uplink, whichever network server published it. */
export interface LorawanUplink {
  readonly network: LorawanNetwork;
  /** Lowercase, 16 hex digits. */
  readonly devEui: string;
  /** Uplink frame counter; 0 when the server omitted it (both omit default values). */
  readonly fCnt: number;
  /** Same for every copy of this uplink: ChirpStack `deduplicationId`, TTS `as:up:` correlation id or a hash. */
  readonly dedupId: string;
  /** Epoch ms: ChirpStack `time` → earliest rxInfo `nsTime` → receive time; TTS uplink `received_at` → top-level. */
  readonly time: number;
  /** The server stated the time (not the receive time): every copy of this uplink carries the same one. */
  readonly timeStated: boolean;
  /** The codec's output (ChirpStack `object`, TTS `decoded_payload`). */
  readonly object: Readonly<Record<string, unknown>>;
  /** Best RSSI and SNR over the gateways that heard the uplink, when any reported them. */
  readonly rssiDbm?: number;
  readonly snrDb?: number;
  readonly fPort?: number;
  readonly deviceName?: string;
  readonly applicationId?: string;
}

export type LorawanDecodeResult =
  | { readonly ok: true; readonly uplink: LorawanUplink }
  | { readonly ok: false; readonly rejection: Rejection; readonly devEui?: string };

/** Nesting allowed in an uplink: radio metadata is 3 levels deep, codec objects get room of their own. */
export const LORAWAN_MAX_DEPTH = 16;

const DEV_EUI = /^[0-9a-fA-F]{16}$/;
const utf8 = new TextDecoder('utf-8', { fatal: true });

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** null and absent are the same: ChirpStack 4.6 emitted nulls for unset fields. */
function field(o: Json | undefined, key: string): unknown {
  const v = o && Object.prototype.hasOwnProperty.call(o, key) ? o[key] : undefined;
  return v === null ? undefined : v;
}

function refuse(reason: RejectReason, detail: string, devEui?: string): LorawanDecodeResult {
  return { ok: false, rejection: { reason, detail }, devEui };
}

class Invalid extends Error {}

function fail(detail: string): never {
  throw new Invalid(detail);
}

function counter(value: unknown, name: string): number {
  if (value === undefined) return 0;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > 0xffffffff) {
    fail(`${name} must be a whole number in 0..4294967295, got ${JSON.stringify(value)?.slice(0, 40)}`);
  }
  return value;
}

function time(value: unknown, name: string): number | undefined {
  if (value === undefined) return undefined;
  const ms = typeof value === 'string' ? parseTimestamp(value) : undefined;
  if (ms === undefined)
    fail(
      `${name} must be an ISO 8601 date-time with a time zone, got ${JSON.stringify(value)?.slice(0, 60)}`,
    );
  return ms;
}

function best(values: unknown[]): number | undefined {
  const numbers = values.filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
  return numbers.length ? Math.max(...numbers) : undefined;
}

function optionalText(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function fPortOf(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= 255
    ? value
    : undefined;
}

/** A dedup id for uplinks that carry none: the same for every copy of the same frame. */
export function uplinkHash(devEui: string, fCnt: number, receivedAt: string): string {
  return createHash('sha256').update(`${devEui}|${fCnt}|${receivedAt}`).digest('hex').slice(0, 32);
}

/**
 * Decodes an uplink event of ChirpStack v4 or The Things Stack v3 (their MQTT JSON) into one shape. Never
 * throws: a payload of the wrong shape is `lorawan_invalid`, a ChirpStack v3 one `unsupported_lorawan_version`,
 * one without a codec output `no_decoded_payload`. When `topic` is given, the device it names must be the
 * payload's.
 */
export function decodeLorawanUplink(
  network: LorawanNetwork,
  payload: Uint8Array,
  receivedAt: number,
  topic?: LorawanTopic,
): LorawanDecodeResult {
  if (payload.length === 0) return refuse(RejectReason.EmptyPayload, 'the uplink payload is empty');
  let text: string;
  try {
    text = utf8.decode(payload);
  } catch {
    return refuse(RejectReason.InvalidUtf8, 'the uplink is not valid UTF-8');
  }
  const parsed = parseJsonWithin(text, LORAWAN_MAX_DEPTH);
  if (!parsed.ok) {
    const { reason, detail } = jsonRefusal(parsed, 'the uplink', LORAWAN_MAX_DEPTH);
    return refuse(reason, detail);
  }
  const doc = parsed.value;
  if (!isObject(doc)) return refuse(RejectReason.LorawanInvalid, `a ${network} uplink is a JSON object`);
  let devEui: string | undefined;
  try {
    if (network === 'chirpstack') {
      if (['devEUI', 'objectJSON', 'applicationID'].some((k) => k in doc)) {
        return refuse(
          RejectReason.UnsupportedLorawanVersion,
          'this is a ChirpStack v3 uplink (devEUI/objectJSON/applicationID): upgrade to ChirpStack v4 or use its v4 JSON integration',
        );
      }
      const info = field(doc, 'deviceInfo');
      if (!isObject(info)) fail('deviceInfo is missing');
      devEui = devEuiOf(field(info, 'devEui'), 'deviceInfo.devEui');
      if (topic && topic.deviceRef.toLowerCase() !== devEui) {
        fail(`the topic names DevEUI ${topic.deviceRef.slice(0, 32)} but the payload ${devEui}`);
      }
      const fCnt = counter(field(doc, 'fCnt'), 'fCnt');
      const rxInfo = field(doc, 'rxInfo');
      const gateways = Array.isArray(rxInfo) ? rxInfo.filter(isObject) : [];
      const nsTimes = gateways
        .map((g) => time(field(g, 'nsTime'), 'rxInfo.nsTime'))
        .filter((t): t is number => t !== undefined);
      const stated = time(field(doc, 'time'), 'time') ?? (nsTimes.length ? Math.min(...nsTimes) : undefined);
      const at = stated ?? receivedAt;
      const object = field(doc, 'object');
      if (object === undefined) {
        return refuse(
          RejectReason.NoDecodedPayload,
          `uplink ${fCnt} of ${devEui} has no "object": the device profile has no codec`,
          devEui,
        );
      }
      if (!isObject(object))
        fail(`"object" must be a JSON object, got ${Array.isArray(object) ? 'an array' : typeof object}`);
      const dedup = optionalText(field(doc, 'deduplicationId'));
      return {
        ok: true,
        uplink: {
          network,
          devEui,
          fCnt,
          dedupId: dedup ?? uplinkHash(devEui, fCnt, String(field(doc, 'time') ?? at)),
          time: at,
          timeStated: stated !== undefined,
          object,
          rssiDbm: best(gateways.map((g) => field(g, 'rssi'))),
          snrDb: best(gateways.map((g) => field(g, 'snr'))),
          fPort: fPortOf(field(doc, 'fPort')),
          deviceName: optionalText(field(info, 'deviceName')),
          applicationId: optionalText(field(info, 'applicationId')),
        },
      };
    }
    const ids = field(doc, 'end_device_ids');
    if (!isObject(ids)) fail('end_device_ids is missing');
    const deviceId = optionalText(field(ids, 'device_id'));
    if (field(ids, 'dev_eui') === undefined) {
      fail(
        `end_device_ids.dev_eui is missing${deviceId ? ` for device '${deviceId.slice(0, 36)}'` : ''}: register its DevEUI on the network server`,
      );
    }
    devEui = devEuiOf(field(ids, 'dev_eui'), 'end_device_ids.dev_eui');
    if (topic && deviceId !== undefined && topic.deviceRef !== deviceId) {
      fail(`the topic names device ${topic.deviceRef.slice(0, 36)} but the payload ${deviceId.slice(0, 36)}`);
    }
    const up = field(doc, 'uplink_message');
    if (!isObject(up)) fail('uplink_message is missing');
    const fCnt = counter(field(up, 'f_cnt'), 'uplink_message.f_cnt');
    const upReceived = field(up, 'received_at');
    const topReceived = field(doc, 'received_at');
    const stated = time(upReceived, 'uplink_message.received_at') ?? time(topReceived, 'received_at');
    const at = stated ?? receivedAt;
    const object = field(up, 'decoded_payload');
    if (object === undefined) {
      return refuse(
        RejectReason.NoDecodedPayload,
        `uplink ${fCnt} of ${devEui} has no "decoded_payload": the device or application has no payload formatter`,
        devEui,
      );
    }
    if (!isObject(object))
      fail(
        `"decoded_payload" must be a JSON object, got ${Array.isArray(object) ? 'an array' : typeof object}`,
      );
    const correlation = field(doc, 'correlation_ids');
    const asUp = Array.isArray(correlation)
      ? correlation.find((c): c is string => typeof c === 'string' && c.startsWith('as:up:') && c.length > 6)
      : undefined;
    const rx = field(up, 'rx_metadata');
    const gateways = Array.isArray(rx) ? rx.filter(isObject) : [];
    const appIds = field(ids, 'application_ids');
    return {
      ok: true,
      uplink: {
        network,
        devEui,
        fCnt,
        dedupId: asUp ?? uplinkHash(devEui, fCnt, String(upReceived ?? topReceived ?? at)),
        time: at,
        timeStated: stated !== undefined,
        object,
        rssiDbm: best(gateways.map((g) => field(g, 'rssi') ?? field(g, 'channel_rssi'))),
        snrDb: best(gateways.map((g) => field(g, 'snr'))),
        fPort: fPortOf(field(up, 'f_port')),
        deviceName: deviceId,
        applicationId: isObject(appIds) ? optionalText(field(appIds, 'application_id')) : undefined,
      },
    };
  } catch (err) {
    if (err instanceof Invalid)
      return refuse(RejectReason.LorawanInvalid, `${network} uplink: ${err.message}`, devEui);
    throw err;
  }
}

function devEuiOf(value: unknown, name: string): string {
  if (typeof value !== 'string' || !DEV_EUI.test(value)) {
    fail(`${name} must be 16 hex digits, got ${JSON.stringify(value)?.slice(0, 40)}`);
  }
  return value.toLowerCase();
}
