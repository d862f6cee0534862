import { createHash } from 'node:crypto';
import { lorawanTopics } from './lorawan-topics';

/** What a simulator needs to publish one uplink as a network server would. */
export interface UplinkSpec {
  readonly devEui: string;
  readonly deviceName: string;
  readonly applicationId: string;
  readonly fCnt: number;
  /** Epoch ms. */
  readonly time: number;
  readonly object: Readonly<Record<string, unknown>>;
  readonly rssiDbm: number;
  readonly snrDb: number;
  readonly fPort?: number;
  readonly dedupId?: string;
  /** More gateways that heard the uplink (weaker or stronger than the main one). */
  readonly extraGateways?: readonly { readonly rssiDbm: number; readonly snrDb: number }[];
}

function hex(spec: UplinkSpec, salt: string, length: number): string {
  return createHash('sha256')
    .update(`${salt}|${spec.devEui}|${spec.fCnt}|${spec.time}`)
    .digest('hex')
    .slice(0, length);
}

/** A UUID-shaped id, the same for the same spec (ChirpStack's deduplicationId is a UUID). */
function uuidOf(spec: UplinkSpec): string {
  const h = hex(spec, 'dedup', 32);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

const iso = (ms: number) => new Date(ms).toISOString();
const frm = (spec: UplinkSpec) => Buffer.from(JSON.stringify(spec.object)).toString('base64');
const gateways = (spec: UplinkSpec) => [
  { rssiDbm: spec.rssiDbm, snrDb: spec.snrDb },
  ...(spec.extraGateways ?? []),
];

/** A ChirpStack v4 `event/up` message (JSON marshaler), as the MQTT integration publishes it. */
export function encodeChirpstackUplink(spec: UplinkSpec): { topic: string; payload: string } {
  const devEui = spec.devEui.toLowerCase();
  const body = {
    deduplicationId: spec.dedupId ?? uuidOf(spec),
    time: iso(spec.time),
    deviceInfo: {
      tenantId: '52f14cd4-c6f1-4fbd-8f87-4025e1d49242',
      tenantName: 'Vigie simulation',
      applicationId: spec.applicationId,
      applicationName: spec.applicationId,
      deviceProfileId: 'c2e4d1a2-0000-4000-8000-000000000001',
      deviceProfileName: 'vigie-simulated',
      deviceName: spec.deviceName,
      devEui,
      deviceClassEnabled: 'CLASS_A',
      tags: {},
    },
    devAddr: hex(spec, 'devaddr', 8),
    adr: true,
    dr: 5,
    fCnt: spec.fCnt,
    fPort: spec.fPort ?? 2,
    confirmed: false,
    data: frm(spec),
    object: spec.object,
    rxInfo: gateways(spec).map((g, i) => ({
      gatewayId: `0016c001f153a1${(0x4c + i).toString(16).padStart(2, '0')}`,
      uplinkId: parseInt(hex(spec, `uplink${i}`, 8), 16),
      nsTime: iso(spec.time),
      rssi: g.rssiDbm,
      snr: g.snrDb,
      channel: 2,
      location: {},
      context: 'E3OWOQ==',
      metadata: { region_common_name: 'EU868', region_config_id: 'eu868' },
      crcStatus: 'CRC_OK',
    })),
    txInfo: {
      frequency: 867100000,
      modulation: { lora: { bandwidth: 125000, spreadingFactor: 7, codeRate: 'CR_4_5' } },
    },
  };
  return {
    topic: lorawanTopics.chirpstackEvent(spec.applicationId, devEui, 'up'),
    payload: JSON.stringify(body),
  };
}

/**
 * A The Things Stack v3 `up` message. Like the real server it omits empty fields (`f_cnt` on the first uplink)
 * and writes `frequency` as a string.
 */
export function encodeTtsUplink(spec: UplinkSpec & { readonly ttsTenant?: string }): {
  topic: string;
  payload: string;
} {
  const tenant = spec.ttsTenant ?? 'ttn';
  const correlation = spec.dedupId ?? hex(spec, 'dedup', 26).toUpperCase();
  const body = {
    end_device_ids: {
      device_id: spec.deviceName,
      application_ids: { application_id: spec.applicationId },
      dev_eui: spec.devEui.toUpperCase(),
      join_eui: '0000000000000000',
      dev_addr: hex(spec, 'devaddr', 8).toUpperCase(),
    },
    correlation_ids: [`as:up:${correlation}`, `gs:uplink:${hex(spec, 'gs', 26).toUpperCase()}`],
    received_at: iso(spec.time + 40),
    uplink_message: {
      session_key_id: Buffer.from(hex(spec, 'session', 16), 'hex').toString('base64'),
      f_port: spec.fPort ?? 2,
      ...(spec.fCnt !== 0 ? { f_cnt: spec.fCnt } : {}),
      frm_payload: frm(spec),
      decoded_payload: spec.object,
      rx_metadata: gateways(spec).map((g, i) => ({
        gateway_ids: {
          gateway_id: `gw-${i + 1}`,
          eui: `9C5C8E00001A05${(0xc4 + i).toString(16).toUpperCase()}`,
        },
        time: iso(spec.time - 50),
        timestamp: 2463457000,
        rssi: g.rssiDbm,
        channel_rssi: g.rssiDbm,
        snr: g.snrDb,
        uplink_token: 'ChIKEAoOZ3ctdG93bi1oYWxsEAE=',
        channel_index: 2,
        received_at: iso(spec.time - 10),
      })),
      settings: {
        data_rate: { lora: { bandwidth: 125000, spreading_factor: 7, coding_rate: '4/5' } },
        frequency: '867100000',
        timestamp: 2463457000,
        time: iso(spec.time - 50),
      },
      received_at: iso(spec.time),
      consumed_airtime: '0.061696s',
      network_ids: { net_id: '000013', tenant_id: tenant, cluster_id: 'eu1' },
    },
  };
  return {
    topic: lorawanTopics.ttsEvent(spec.applicationId, tenant, spec.deviceName, 'up'),
    payload: JSON.stringify(body),
  };
}
