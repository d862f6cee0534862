import type { DeviceReport, SimulatedDevice, TownSimulation } from '@vigie/devices';
import type { DeviceKind } from '@vigie/domain';
import type { MqttFleet } from './mqtt-fleet';
import { encodeReports, EncodingLimits, OutgoingMessage } from './report-encoding';

export interface SimulationStats {
  /** Simulated time covered: reports with timestamps in (from, simulatedTo] were sent. */
  readonly from: number;
  readonly simulatedTo: number;
  readonly reports: number;
  /** Publishes made, every copy of a duplicated message included. */
  readonly messages: number;
  /** Readings Vigie should store: every valid value once (duplicates and malformed payloads excluded). */
  readonly readings: number;
  readonly duplicates: number;
  readonly malformed: number;
  readonly elapsedMs: number;
}

export interface ProgressEvent extends SimulationStats {
  /** End of the simulated range (backfill); undefined when live without an end. */
  readonly to?: number;
}

export interface BackfillOptions {
  readonly from: number;
  readonly to: number;
  /** Simulated time generated and sent per step. */
  readonly chunkMs: number;
  /** Stops after the chunk being sent (Ctrl-C): what was acknowledged is stored. */
  readonly signal?: AbortSignal;
  readonly onProgress?: (p: ProgressEvent) => void;
}

export interface LiveOptions {
  readonly from: number;
  /** Simulated milliseconds per real millisecond; the simulated clock never runs past the real one. */
  readonly speed: number;
  /** Stop once simulated time reaches this (epoch ms); otherwise run until `signal` aborts. */
  readonly until?: number;
  readonly tickMs: number;
  readonly signal?: AbortSignal;
  readonly onProgress?: (p: ProgressEvent) => void;
}

/**
 * Runs a town simulation through the real broker: the engine's reports become the MQTT messages each device
 * or network server would publish, sent at QoS 1 and counted once acknowledged (that is, durable in Vigie).
 */
export class SimulationRunner {
  private readonly byId: ReadonlyMap<string, SimulatedDevice>;
  private stats = { reports: 0, messages: 0, readings: 0, duplicates: 0, malformed: 0 };

  constructor(
    private readonly sim: TownSimulation,
    private readonly fleet: MqttFleet,
    private readonly kinds: (id: string) => DeviceKind | undefined,
    private readonly limits: EncodingLimits,
  ) {
    this.byId = new Map(sim.town.devices.map((d) => [d.id, d]));
  }

  /** History at full speed, with the devices' own timestamps, one chunk of simulated time after another. */
  async backfill(opts: BackfillOptions): Promise<SimulationStats> {
    const started = Date.now();
    let reports = this.sim.advance(Math.min(opts.from + opts.chunkMs, opts.to));
    let reached = Math.min(opts.from + opts.chunkMs, opts.to);
    for (;;) {
      // Send this chunk while the next one is generated.
      const sending = this.send(reports, true);
      const next = Math.min(reached + opts.chunkMs, opts.to);
      reports = next > reached ? this.sim.advance(next) : [];
      await sending;
      opts.onProgress?.(this.snapshot(opts.from, reached, started, opts.to));
      if (reached >= opts.to || opts.signal?.aborted) break;
      reached = next;
    }
    return this.snapshot(opts.from, reached, started);
  }

  /** Real time (speed 1) or accelerated; each report travels in its own message, as devices send them. */
  async live(opts: LiveOptions): Promise<SimulationStats> {
    const started = Date.now();
    let reached = opts.from;
    while (!opts.signal?.aborted) {
      const elapsed = Date.now() - started;
      let target = Math.min(Date.now(), opts.from + elapsed * opts.speed);
      if (opts.until !== undefined) target = Math.min(target, opts.until);
      if (target > reached) {
        await this.send(this.sim.advance(target), false);
        reached = target;
        opts.onProgress?.(this.snapshot(opts.from, reached, started, opts.until));
      }
      if (opts.until !== undefined && reached >= opts.until) break;
      await sleep(opts.tickMs, opts.signal);
    }
    return this.snapshot(opts.from, reached, started);
  }

  private async send(reports: readonly DeviceReport[], batch: boolean): Promise<void> {
    const byDevice = new Map<string, DeviceReport[]>();
    for (const r of reports) {
      const list = byDevice.get(r.device);
      if (list) list.push(r);
      else byDevice.set(r.device, [r]);
    }
    const sends: Promise<void>[] = [];
    for (const [id, list] of byDevice) {
      const device = this.byId.get(id);
      const kind = device ? this.kinds(device.kind) : undefined;
      if (!device || !kind) throw new Error(`the simulation reported for unknown device ${id}`);
      const messages = encodeReports(device, this.sim.town.tenant.id, kind, list, { ...this.limits, batch });
      this.stats.reports += list.length;
      sends.push(this.sendInOrder(messages));
    }
    await Promise.all(sends);
  }

  /** One device's messages in order: a device does not overtake itself. */
  private async sendInOrder(messages: readonly OutgoingMessage[]): Promise<void> {
    for (const m of messages) {
      await this.fleet.publish(m);
      this.stats.messages += m.copies;
      this.stats.readings += m.readings;
      if (m.copies > 1) this.stats.duplicates += m.copies - 1;
      if (m.malformed) this.stats.malformed++;
    }
  }

  private snapshot(from: number, reached: number, started: number, to?: number): ProgressEvent {
    return { ...this.stats, from, simulatedTo: reached, to, elapsedMs: Date.now() - started };
  }
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        resolve();
      },
      { once: true },
    );
  });
}
