import { createHash } from 'node:crypto';
import { Device } from '@vigie/adapters';
import {
  decodeLorawanUplink,
  DecodeResult,
  LORAWAN_UPLINK_EVENT,
  lorawanEventLabel,
  LorawanNetwork,
  LorawanUplink,
  parseLorawanTopic,
} from '@vigie/contracts';
import {
  DecodedReading,
  DeviceKind,
  readingsFromDecodedObject,
  RejectReason,
  Rejection,
  RSSI_METRIC,
  SNR_METRIC,
} from '@vigie/domain';
import { IngestOutcome, IngestSubject, ReadingsIngestor } from './readings.ingestor';

/** Finds a tenant's device by its DevEUI (the registry). */
export interface LorawanDevicePort {
  getDeviceByDevEui(tenant: string, devEui: string): Promise<Device | undefined>;
}

/** Shared uplink state (Redis): de-duplication and fCnt gaps, one round trip per uplink. */
export interface UplinkStatePort {
  /** `fingerprint` identifies the message itself, so that a redelivery of it is told from another copy. */
  record(
    tenant: string,
    device: string,
    dedupId: string,
    fCnt: number,
    fingerprint: string,
  ): Promise<{ duplicate: boolean; lost: number; sameMessage: boolean }>;
  forget(tenant: string, dedupId: string): Promise<void>;
}

/** What became of a network server's message. */
export type LorawanOutcome = 'ignored' | 'stored' | 'refused' | 'duplicate';

export interface LorawanCounters {
  /** Every message, by network and event (`up`, `status`, `join` …). */
  event(network: LorawanNetwork, event: string): void;
  /** Every uplink, by network and outcome. */
  uplink(network: LorawanNetwork, outcome: Exclude<LorawanOutcome, 'ignored'>): void;
  /** Frames missing between two uplinks of a device (fCnt gaps). */
  lost(network: LorawanNetwork, n: number): void;
}

/** Who published: an integration account of a tenant, for one network server. */
export interface LorawanPublisher {
  readonly tenant: string;
  readonly network: LorawanNetwork;
}

export interface LorawanIngestResult {
  readonly outcome: LorawanOutcome;
  readonly event: string;
  /** The device the uplink is from, when found. */
  readonly device?: Device;
  /** Frames lost before this uplink. */
  readonly lost: number;
  readonly ingest?: IngestOutcome;
}

/** The pure first step: is the message an uplink, and what does it say? */
export type LorawanMessagePlan =
  | { readonly step: 'ignored'; readonly event: string }
  | { readonly step: 'refused'; readonly rejection: Rejection; readonly devEui?: string }
  | { readonly step: 'uplink'; readonly uplink: LorawanUplink };

/**
 * Reads a network server's message. `topic` undefined means "an uplink" (golden tests); otherwise it must be
 * an event topic of `network`, and only `up` events carry readings.
 */
export function planLorawanMessage(
  network: LorawanNetwork,
  topic: string | undefined,
  payload: Uint8Array,
  receivedAt: number,
): LorawanMessagePlan {
  const parsed = topic === undefined ? undefined : parseLorawanTopic(topic);
  if (topic !== undefined && parsed?.network !== network) {
    return {
      step: 'refused',
      rejection: {
        reason: RejectReason.LorawanInvalid,
        detail: `'${topic.slice(0, 120)}' is not a ${network} event topic`,
      },
    };
  }
  if (parsed && parsed.event !== LORAWAN_UPLINK_EVENT) return { step: 'ignored', event: parsed.event };
  const decoded = decodeLorawanUplink(network, payload, receivedAt, parsed);
  return decoded.ok
    ? { step: 'uplink', uplink: decoded.uplink }
    : { step: 'refused', rejection: decoded.rejection, devEui: decoded.devEui };
}

/**
 * The readings of an uplink for a device of `kind`: its decoded object mapped by the kind's LoRaWAN section
 * (unknown fields ignored), plus the best gateway's rssi_dbm and snr_db when the kind has those metrics, all
 * at the uplink's time.
 */
export function uplinkReadings(kind: DeviceKind, uplink: LorawanUplink): DecodeResult {
  const readings: DecodedReading[] = readingsFromDecodedObject(kind, uplink.object, uplink.time);
  const link: [string, number | undefined][] = [
    [RSSI_METRIC, uplink.rssiDbm],
    [SNR_METRIC, uplink.snrDb],
  ];
  for (const [metric, value] of link) {
    if (value !== undefined && metric in kind.metrics && !readings.some((r) => r.metric === metric)) {
      readings.push({ metric, value, ts: uplink.time, index: readings.length });
    }
  }
  return { format: uplink.network, readings, rejections: [] };
}

/** A dead letter's device for an uplink of an unknown device: its DevEUI. */
export const devEuiLabel = (devEui: string): string => `dev_eui:${devEui}`;

/**
 * LoRaWAN uplinks from a network server's integration account: topic → uplink → device by DevEUI → dedup and
 * fCnt gap (Redis) → the same validation, line protocol and group-committed spool as native readings
 * (ReadingsIngestor). Resolves once the readings and dead letters are durable, when the broker may acknowledge.
 */
export class LorawanIngestor {
  private readonly cache = new Map<string, { device?: Device; until: number }>();

  constructor(
    private readonly readings: ReadingsIngestor,
    private readonly devices: LorawanDevicePort,
    private readonly state: UplinkStatePort,
    private readonly counters: LorawanCounters,
    private readonly kinds: (id: string) => DeviceKind | undefined,
  ) {}

  async ingest(
    publisher: LorawanPublisher,
    topic: string,
    payload: Uint8Array,
    receivedAt: number,
  ): Promise<LorawanIngestResult> {
    const { tenant, network } = publisher;
    const plan = planLorawanMessage(network, topic, payload, receivedAt);
    const event = plan.step === 'ignored' ? plan.event : LORAWAN_UPLINK_EVENT;
    this.counters.event(network, lorawanEventLabel(event));
    if (plan.step === 'ignored') return { outcome: 'ignored', event, lost: 0 };
    const refuse = async (rejection: Rejection, device: string, subject?: IngestSubject) => {
      const ingest = await this.readings.refuse(
        subject ?? { tenant, device },
        topic,
        payload,
        receivedAt,
        network,
        rejection,
      );
      this.counters.uplink(network, 'refused');
      return { outcome: 'refused' as const, event, lost: 0, ingest };
    };
    if (plan.step === 'refused') {
      const device = plan.devEui ? await this.findDevice(tenant, plan.devEui) : undefined;
      return refuse(plan.rejection, device?.id ?? (plan.devEui ? devEuiLabel(plan.devEui) : ''));
    }
    const { uplink } = plan;
    const device = await this.findDevice(tenant, uplink.devEui);
    const kind = device ? this.kinds(device.kind) : undefined;
    if (!device || !kind) {
      return refuse(
        {
          reason: RejectReason.UnknownDevEui,
          detail: `no device of tenant '${tenant}' has DevEUI ${uplink.devEui} (vigie devices add … --dev-eui ${uplink.devEui})`,
        },
        devEuiLabel(uplink.devEui),
      );
    }
    const fingerprint = createHash('sha1').update(payload).digest('base64');
    const seen = await this.state.record(tenant, device.id, uplink.dedupId, uplink.fCnt, fingerprint);
    const spool = () =>
      this.readings.ingestDecoded(
        { tenant, device: device.id, site: device.site, kind },
        topic,
        payload,
        receivedAt,
        uplinkReadings(kind, uplink),
      );
    if (seen.duplicate) {
      // A copy of an uplink already seen. A redelivery of the very same message whose time the server stated
      // makes the same points, which InfluxDB keeps once: spooling it again costs nothing and means that a
      // message redelivered after a crash between the marker and the spool write is stored, not lost. Any other
      // copy (another gateway's metadata, no stated time) would change or add points, so it is only counted.
      const ingest = seen.sameMessage && uplink.timeStated ? await spool() : undefined;
      this.counters.uplink(network, 'duplicate');
      return { outcome: 'duplicate', event, device, lost: 0, ingest };
    }
    if (seen.lost > 0) this.counters.lost(network, seen.lost);
    let ingest: IngestOutcome;
    try {
      ingest = await spool();
    } catch (err) {
      // Not acknowledged: the redelivery must be stored, not taken for a copy.
      await this.state.forget(tenant, uplink.dedupId).catch(() => undefined);
      throw err;
    }
    const outcome = ingest.accepted > 0 ? 'stored' : 'refused';
    this.counters.uplink(network, outcome);
    return { outcome, event, device, lost: seen.lost, ingest };
  }

  private async findDevice(tenant: string, devEui: string): Promise<Device | undefined> {
    const key = `${tenant}:${devEui}`;
    const now = Date.now();
    const cached = this.cache.get(key);
    if (cached && cached.until > now) return cached.device;
    const device = await this.devices.getDeviceByDevEui(tenant, devEui);
    if (this.cache.size > 100_000) this.cache.clear();
    this.cache.set(key, { device, until: now + (device ? 30_000 : 2_000) });
    return device;
  }
}
