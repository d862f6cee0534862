import { connectAsync, MqttClient } from 'mqtt';
import type { OutgoingMessage, Route } from './report-encoding';

export interface Credentials {
  readonly username: string;
  readonly password: string;
}

/** A counting semaphore: at most `limit` publishes wait for their PUBACK at once. */
class Limiter {
  private active = 0;
  private readonly queue: (() => void)[] = [];
  constructor(private readonly limit: number) {}

  async run<T>(fn: () => Promise<T>): Promise<T> {
    if (this.active >= this.limit) await new Promise<void>((resolve) => this.queue.push(resolve));
    this.active++;
    try {
      return await fn();
    } finally {
      this.active--;
      this.queue.shift()?.();
    }
  }
}

/**
 * The simulated town's MQTT connections: one per direct device (as real devices connect) and one per
 * network-server integration account (ChirpStack, The Things Stack), all QoS 1. A publish resolves on its
 * PUBACK, which Vigie sends only once the readings are durable.
 */
export class MqttFleet {
  private readonly devices = new Map<string, MqttClient>();
  private readonly networks = new Map<Route, MqttClient[]>();
  private readonly limiter: Limiter;
  private readonly networkConnections: number;

  constructor(
    private readonly url: string,
    private readonly clientIdPrefix: string,
    opts: {
      readonly maxInFlight: number;
      /**
       * Connections per network-server account. A broker handles one connection's publishes one after the
       * other, so a backfill of many LoRaWAN devices spreads them (each device always on the same one).
       */
      readonly networkConnections?: number;
    },
  ) {
    this.limiter = new Limiter(opts.maxInFlight);
    this.networkConnections = Math.max(1, opts.networkConnections ?? 1);
  }

  get connections(): number {
    let n = this.devices.size;
    for (const pool of this.networks.values()) n += pool.length;
    return n;
  }

  /** Connects every direct device, `concurrency` at a time; fails with the first refused device named. */
  async connectDevices(
    credentials: ReadonlyMap<string, Credentials>,
    concurrency = 50,
    onConnected?: (done: number) => void,
  ): Promise<void> {
    const queue = [...credentials.entries()];
    let done = 0;
    const worker = async () => {
      for (let next = queue.shift(); next; next = queue.shift()) {
        const [device, creds] = next;
        this.devices.set(device, await this.connect(`${this.clientIdPrefix}-${device}`, creds, device));
        onConnected?.(++done);
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, queue.length) }, worker));
  }

  async connectNetwork(route: Exclude<Route, 'device'>, creds: Credentials): Promise<void> {
    const pool = await Promise.all(
      Array.from({ length: this.networkConnections }, (_, i) =>
        this.connect(`${this.clientIdPrefix}-${route}-${i}`, creds, creds.username),
      ),
    );
    this.networks.set(route, pool);
  }

  /** Sends a message (every copy of it) at QoS 1 and resolves once the broker has acknowledged each. */
  async publish(message: OutgoingMessage): Promise<void> {
    const client =
      message.route === 'device' ? this.devices.get(message.device) : this.networkClient(message);
    if (!client) throw new Error(`no connection for ${message.route} ${message.device}`);
    for (let i = 0; i < message.copies; i++) {
      await this.limiter.run(() => client.publishAsync(message.topic, message.payload, { qos: 1 }));
    }
  }

  /** The pool connection a device's uplinks always take, so they stay in order. */
  private networkClient(message: OutgoingMessage): MqttClient | undefined {
    const pool = this.networks.get(message.route);
    if (!pool) return undefined;
    let h = 0;
    for (let i = 0; i < message.device.length; i++) h = (h * 31 + message.device.charCodeAt(i)) >>> 0;
    return pool[h % pool.length];
  }

  async close(): Promise<void> {
    const all = [...this.devices.values(), ...[...this.networks.values()].flat()];
    await Promise.all(all.map((c) => c.endAsync().catch(() => undefined)));
    this.devices.clear();
    this.networks.clear();
  }

  private async connect(clientId: string, creds: Credentials, label: string): Promise<MqttClient> {
    try {
      return await connectAsync(this.url, {
        clientId,
        username: creds.username,
        password: creds.password,
        protocolVersion: 4,
        clean: true,
        keepalive: 60,
        reconnectPeriod: 1000,
        connectTimeout: 15_000,
        // Publishes made while a connection is down wait in the client and go out on reconnection.
        queueQoSZero: false,
      });
    } catch (err) {
      throw new Error(`${label} could not connect to ${this.url}: ${(err as Error).message}`);
    }
  }
}
