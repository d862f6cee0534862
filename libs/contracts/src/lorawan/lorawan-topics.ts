import { TOPIC_ROOT } from '../topics';

/** The LoRaWAN network servers whose MQTT integrations Vigie accepts. */
export type LorawanNetwork = 'chirpstack' | 'tts';
export const LORAWAN_NETWORKS: readonly LorawanNetwork[] = ['chirpstack', 'tts'];

export function isLorawanNetwork(value: string): value is LorawanNetwork {
  return (LORAWAN_NETWORKS as readonly string[]).includes(value);
}

/** The uplink event; every other event (status, join, ack, txack, log, location …) is acknowledged and ignored. */
export const LORAWAN_UPLINK_EVENT = 'up';

/** Events the servers publish (ChirpStack v4, then TTS v3); any other is labelled `other` in metrics. */
export const LORAWAN_EVENTS: readonly string[] = [
  'up',
  'status',
  'join',
  'ack',
  'txack',
  'log',
  'location',
  'integration',
  'down/queued',
  'down/sent',
  'down/ack',
  'down/nack',
  'down/failed',
  'service/data',
  'location/solved',
];

/** The event as a metrics label: a known event name or `other` (labels stay few whatever is published). */
export function lorawanEventLabel(event: string): string {
  return LORAWAN_EVENTS.includes(event) ? event : 'other';
}

/**
 * The topics the network servers publish on (global names, chosen by the servers, outside `vigie/`):
 *
 *   ChirpStack v4:       application/{applicationId}/device/{devEui}/event/{event}
 *   The Things Stack v3: v3/{appId}@{tenantId}/devices/{deviceId}/{event}     (event may be `down/ack` …)
 *
 * Vigie never forwards a message on them: an accepted publish is re-published inside its account's tenant as
 * `vigie/{tenant}/lorawan/{original topic}`.
 */
export const lorawanTopics = {
  chirpstackEvent: (applicationId: string, devEui: string, event: string): string =>
    `application/${applicationId}/device/${devEui}/event/${event}`,
  ttsEvent: (applicationId: string, ttsTenant: string, deviceId: string, event: string): string =>
    `v3/${applicationId}@${ttsTenant}/devices/${deviceId}/${event}`,
  /** Filters covering every event of a network. */
  filter: (network: LorawanNetwork): string =>
    network === 'chirpstack' ? 'application/+/device/+/event/+' : 'v3/+/devices/+/#',
  /** Where Vigie re-publishes a network server's message, inside the account's tenant. */
  tenantMirror: (tenant: string, original: string): string => `${TOPIC_ROOT}/${tenant}/lorawan/${original}`,
};

export interface LorawanTopic {
  readonly network: LorawanNetwork;
  readonly event: string;
  readonly applicationId: string;
  /** ChirpStack: the DevEUI (as in the topic); TTS: the device id. */
  readonly deviceRef: string;
  /** TTS only: the tenant after `@` (`ttn` on The Things Network). */
  readonly ttsTenant?: string;
}

const LEVEL = /^[^/+#]+$/;

/** Parses a ChirpStack v4 or TTS v3 event topic; undefined for any other topic. */
export function parseLorawanTopic(topic: string): LorawanTopic | undefined {
  const l = topic.split('/');
  if (l.length === 6 && l[0] === 'application' && l[2] === 'device' && l[4] === 'event') {
    if (![l[1], l[3], l[5]].every((x) => LEVEL.test(x))) return undefined;
    return { network: 'chirpstack', applicationId: l[1], deviceRef: l[3], event: l[5] };
  }
  if (l.length >= 5 && l[0] === 'v3' && l[2] === 'devices') {
    const at = l[1].lastIndexOf('@');
    const event = l.slice(4).join('/');
    if (at <= 0 || at === l[1].length - 1 || !l.slice(1).every((x) => LEVEL.test(x))) return undefined;
    return {
      network: 'tts',
      applicationId: l[1].slice(0, at),
      ttsTenant: l[1].slice(at + 1),
      deviceRef: l[3],
      event,
    };
  }
  return undefined;
}
