import { encodeChirpstackUplink, encodeTtsUplink, topics } from '@vigie/contracts';
import type { DeviceReport, SimulatedDevice } from '@vigie/devices';
import { decodedObjectFromValues, DeviceKind } from '@vigie/domain';

/** How a message reaches the broker: on the device's own connection, or through a network server's account. */
export type Route = 'device' | 'chirpstack' | 'tts';

/** One MQTT publish the simulator makes, with what Vigie should store from it. */
export interface OutgoingMessage {
  readonly route: Route;
  readonly device: string;
  readonly topic: string;
  readonly payload: string;
  /** How many times it is sent (a duplicated-messages fault sends it more than once). */
  readonly copies: number;
  /** Readings Vigie stores from it (0 for a malformed payload, which is dead-lettered). */
  readonly readings: number;
  readonly malformed: boolean;
  /** Device timestamps it carries, for stores that count distinct points. */
  readonly timestamps: readonly number[];
}

export interface EncodingLimits {
  /** Readings per message at most (the broker's INGEST_MAX_READINGS). */
  readonly maxReadings: number;
  /** Bytes per payload at most (well under the broker's MQTT_MAX_PACKET_BYTES). */
  readonly maxBytes: number;
}

/** LoRaWAN link quality travels in the uplink's radio metadata, not in the decoded object. */
const LINK_METRICS = ['rssi_dbm', 'snr_db'] as const;
const DEFAULT_LINK = { rssi_dbm: -97, snr_db: 6.5 };
/** fCnt counts uplinks since this epoch at the device's interval, so it keeps growing across runs. */
const FCNT_EPOCH_MS = Date.UTC(2024, 0, 1);
const LORAWAN_APPLICATION: Record<string, string> = {
  'bin-sensor': 'waste-bins',
  'water-meter': 'water-meters',
  'rain-gauge': 'weather',
  'weather-station': 'weather',
  'irrigation-controller': 'irrigation',
};

/**
 * Turns one device's reports into the MQTT messages a real device (or its network server) would publish.
 * With `batch`, consecutive ordinary reports share a message (Vigie JSON array or one SenML pack), as a device
 * uploading its history does; a duplicated or malformed report always travels alone, so the fault costs no
 * other reading. LoRaWAN reports are always one uplink each.
 */
export function encodeReports(
  device: SimulatedDevice,
  tenant: string,
  kind: DeviceKind,
  reports: readonly DeviceReport[],
  opts: EncodingLimits & { readonly batch: boolean },
): OutgoingMessage[] {
  if (device.transport === 'chirpstack' || device.transport === 'tts') {
    return reports.map((r) => lorawanMessage(device, kind, r));
  }
  const topic = topics.readings(tenant, device.id);
  const encode = device.transport === 'senml' ? senmlPayload : vigieJsonPayload;
  const out: OutgoingMessage[] = [];
  let group: DeviceReport[] = [];
  let groupReadings = 0;
  let groupBytes = 2;
  const flush = () => {
    if (group.length === 0) return;
    out.push(directMessage(device.id, topic, encode(device, group), group, 1, false));
    group = [];
    groupReadings = 0;
    groupBytes = 2;
  };
  for (const report of reports) {
    const readings = Object.keys(report.values).length;
    const copies = report.copies ?? 1;
    if (!opts.batch || report.malformed || copies > 1) {
      flush();
      const payload = encode(device, [report]);
      out.push(
        report.malformed
          ? directMessage(device.id, topic, breakPayload(payload), [report], copies, true)
          : directMessage(device.id, topic, payload, [report], copies, false),
      );
      continue;
    }
    const bytes = estimateBytes(device, report);
    if (
      group.length > 0 &&
      (groupReadings + readings > opts.maxReadings || groupBytes + bytes > opts.maxBytes)
    )
      flush();
    group.push(report);
    groupReadings += readings;
    groupBytes += bytes;
  }
  flush();
  return out;
}

function directMessage(
  device: string,
  topic: string,
  payload: string,
  reports: readonly DeviceReport[],
  copies: number,
  malformed: boolean,
): OutgoingMessage {
  return {
    route: 'device',
    device,
    topic,
    payload,
    copies,
    malformed,
    readings: malformed ? 0 : reports.reduce((n, r) => n + Object.keys(r.values).length, 0),
    timestamps: reports.map((r) => r.ts),
  };
}

/** Vigie JSON: one `{ts, values}` object, or an array of them. */
function vigieJsonPayload(_device: SimulatedDevice, reports: readonly DeviceReport[]): string {
  const items = reports.map((r) => ({ ts: r.ts, values: r.values }));
  return JSON.stringify(items.length === 1 ? items[0] : items);
}

/** A SenML pack (RFC 8428): base name and base time once, then one record per value. */
function senmlPayload(device: SimulatedDevice, reports: readonly DeviceReport[]): string {
  const bt = reports[0].ts / 1000;
  const records: Record<string, unknown>[] = [];
  for (const r of reports) {
    const t = Math.round(r.ts - reports[0].ts) / 1000;
    for (const [name, value] of Object.entries(r.values)) {
      const record: Record<string, unknown> = { n: name };
      if (t !== 0) record['t'] = t;
      if (typeof value === 'boolean') record['vb'] = value;
      else record['v'] = value;
      records.push(record);
    }
  }
  records[0] = { bn: `urn:dev:vigie:${device.id}:`, bt, ...records[0] };
  return JSON.stringify(records);
}

function estimateBytes(device: SimulatedDevice, report: DeviceReport): number {
  const perValue = device.transport === 'senml' ? 40 : 24;
  return 32 + Object.keys(report.values).length * perValue;
}

/** A malformed-payload fault: the message is cut short, so it is no longer JSON. */
function breakPayload(payload: string): string {
  return payload.slice(0, Math.max(1, Math.floor(payload.length / 2)));
}

function lorawanMessage(device: SimulatedDevice, kind: DeviceKind, report: DeviceReport): OutgoingMessage {
  const values: Record<string, number | boolean> = { ...report.values };
  const link = { ...DEFAULT_LINK };
  for (const m of LINK_METRICS) {
    const v = values[m];
    if (typeof v === 'number') link[m] = v;
    delete values[m];
  }
  const devEui = device.devEui ?? '';
  const fCnt = Math.max(0, Math.floor((report.ts - FCNT_EPOCH_MS) / (device.intervalS * 1000))) >>> 0;
  const spec = {
    devEui,
    deviceName: device.id,
    applicationId: LORAWAN_APPLICATION[kind.id] ?? 'vigie-sim',
    fCnt,
    time: report.ts,
    object: decodedObjectFromValues(kind, values),
    rssiDbm: link.rssi_dbm,
    snrDb: link.snr_db,
    fPort: 2,
  };
  const { topic, payload } =
    device.transport === 'chirpstack' ? encodeChirpstackUplink(spec) : encodeTtsUplink(spec);
  const stored =
    Object.keys(values).length + LINK_METRICS.filter((m) => Object.hasOwn(kind.metrics, m)).length;
  return {
    route: device.transport === 'chirpstack' ? 'chirpstack' : 'tts',
    device: device.id,
    topic,
    payload: report.malformed ? breakPayload(payload) : payload,
    copies: report.copies ?? 1,
    readings: report.malformed ? 0 : stored,
    malformed: report.malformed === true,
    timestamps: [report.ts],
  };
}
