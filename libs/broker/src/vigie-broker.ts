import { Account, AuthenticatedPrincipal, AuthThrottle, Device, RegistryRepository } from '@vigie/adapters';
import {
  filterCovers,
  lorawanTopics,
  parseLorawanTopic,
  parseReadingsTopic,
  topicMatches,
  topics,
} from '@vigie/contracts';
import { DeviceKind } from '@vigie/domain';
import { IngestSubject, LorawanIngestor, ReadingsIngestor } from '@vigie/ingest';
import type { Logger } from '@vigie/observability';
import { VigieMetrics } from '@vigie/observability';
import type { Aedes, AuthenticateError, Client, PublishPacket, Subscription } from 'aedes';
import { createServer, Server, Socket } from 'node:net';
import { AddressInfo } from 'node:net';
import { MqttGuardStream } from './mqtt-guard.stream';

export interface BrokerOptions {
  readonly host: string;
  readonly port: number;
  readonly maxPacketBytes: number;
  readonly connectTimeoutMs: number;
  readonly devicePublishRate: number;
  readonly devicePublishBurst: number;
  readonly accountPublishRate: number;
  /** Above this many spool lines, acknowledgements wait for the writers to catch up. */
  readonly spoolMaxLines: number;
}

export interface BrokerDeps {
  readonly registry: RegistryRepository;
  readonly throttle: AuthThrottle;
  readonly ingestor: ReadingsIngestor;
  /** Uplinks of LoRaWAN network servers' integration accounts. */
  readonly lorawan: LorawanIngestor;
  readonly kinds: (id: string) => DeviceKind | undefined;
  readonly metrics: VigieMetrics;
  readonly logger: Logger;
  /** Spool lines waiting for InfluxDB, refreshed by the caller. */
  readonly spoolDepth: () => number;
}

interface Session {
  readonly username: string;
  readonly principal: AuthenticatedPrincipal;
  /** What this client's publishes to a topic resolve to, so a steady stream skips the ACL and lookups. */
  readonly routes: Map<string, Route>;
}

/** A readings topic this session may publish to: who the readings are about, until when that holds. */
interface Route {
  readonly subject: IngestSubject;
  /** The device's last-seen entry (none for an unknown device), its time updated in place at each publish. */
  readonly seen?: { readonly key: string; readonly record: LastSeen };
  readonly until: number;
}

interface LastSeen {
  readonly tenant: string;
  readonly device: string;
  at: number;
}

/** Routes kept per session; an account publishing to more topics than this starts over. */
const MAX_ROUTES_PER_SESSION = 10_000;
/** How long an account's route to a registered device (or to an unknown one) is trusted. */
const ROUTE_TTL_MS = { known: 30_000, unknown: 2_000 } as const;

interface ConnectInfo {
  readonly rawClientId: string;
  readonly clean: boolean;
}

/** Pending connections the kernel may queue for accept (capped by net.core.somaxconn). */
export const LISTEN_BACKLOG = 8192;

/** CONNACK return codes of MQTT 3.1.1. */
const CONNACK = { identifierRejected: 2, badCredentials: 4, notAuthorized: 5 } as const;

function authError(returnCode: number, message: string): AuthenticateError {
  return Object.assign(new Error(message), { returnCode }) as AuthenticateError;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * The MQTT edge: aedes with Vigie's policy in its hooks. Identity in `authenticate`, topic ACLs in
 * `authorizePublish`/`authorizeSubscribe`, and ingestion in `authorizePublish` — aedes sends PUBACK only
 * after that hook calls back, so a QoS 1 reading is acknowledged only once it is durable in the spool.
 */
export class VigieBroker {
  private aedes?: Aedes;
  private server?: Server;
  private readonly sessions = new WeakMap<Client, Session>();
  private readonly connects = new WeakMap<Client, ConnectInfo>();
  private readonly deviceCache = new Map<string, { device?: Device; until: number }>();
  private readonly seen = new Map<string, LastSeen>();
  private touchTimer?: NodeJS.Timeout;
  private connected = 0;

  constructor(
    private readonly opts: BrokerOptions,
    private readonly deps: BrokerDeps,
  ) {}

  async listen(): Promise<number> {
    const { Aedes } = await import('aedes');
    const aedes = await Aedes.createBroker({
      connectTimeout: this.opts.connectTimeoutMs,
      maxClientsIdLength: 65535,
      preConnect: (client, packet, cb) => {
        this.connects.set(client, { rawClientId: packet.clientId ?? '', clean: packet.clean !== false });
        cb(null, true);
      },
      authenticate: (client, username, password, cb) => {
        this.authenticate(client, username, password).then(
          () => cb(null, true),
          (err: AuthenticateError) => cb(err, false),
        );
      },
      authorizePublish: (client, packet, cb) => {
        this.authorizePublish(client, packet).then(
          () => cb(null),
          (err: Error) => cb(err),
        );
      },
      authorizeSubscribe: (client, sub, cb) => cb(null, this.authorizeSubscribe(client, sub)),
    });
    this.aedes = aedes;
    aedes.on('clientReady', () => this.deps.metrics.clientsConnected.set(++this.connected));
    aedes.on('clientDisconnect', (client) => {
      if (this.sessions.has(client)) this.deps.metrics.clientsConnected.set(--this.connected);
      this.sessions.delete(client);
    });
    aedes.on('connectionError', (_client, err) => {
      this.deps.logger.debug({ err: err.message }, 'connection error');
    });

    this.server = createServer((socket: Socket) => this.accept(socket));
    await new Promise<void>((resolve, reject) => {
      this.server?.once('error', reject);
      // A reconnect storm of thousands of devices overflows Node's default accept backlog (511): SYNs are
      // dropped and clients back off for seconds. The kernel caps this at net.core.somaxconn.
      this.server?.listen({ port: this.opts.port, host: this.opts.host, backlog: LISTEN_BACKLOG }, () =>
        resolve(),
      );
    });
    this.touchTimer = setInterval(() => this.flushLastSeen(), 5000);
    this.touchTimer.unref();
    return (this.server.address() as AddressInfo).port;
  }

  /** Hands a raw duplex stream (TCP socket or WebSocket stream) to aedes behind the protocol guard. */
  accept(socket: Socket | (import('node:stream').Duplex & { remoteAddress?: string })): void {
    if ('setNoDelay' in socket && typeof socket.setNoDelay === 'function') socket.setNoDelay(true);
    const guard = new MqttGuardStream(socket, {
      maxPacketBytes: this.opts.maxPacketBytes,
      onViolation: (reason) => {
        this.deps.metrics.connectionsRefused.inc({ reason });
        this.deps.logger.warn(
          { remote: guard.remoteAddress, reason },
          'connection closed by the protocol guard',
        );
      },
    });
    socket.on('error', () => undefined);
    this.aedes?.handle(guard);
  }

  async close(): Promise<void> {
    if (this.touchTimer) clearInterval(this.touchTimer);
    // Stop accepting first; the server's close completes only once aedes has closed every client.
    const serverClosed = new Promise<void>((resolve) =>
      this.server ? this.server.close(() => resolve()) : resolve(),
    );
    await new Promise<void>((resolve) => (this.aedes ? this.aedes.close(() => resolve()) : resolve()));
    await serverClosed;
    await this.flushLastSeen();
  }

  private refuse(reason: string, code: number, message: string): never {
    this.deps.metrics.connectionsRefused.inc({ reason });
    throw authError(code, message);
  }

  private async authenticate(
    client: Client,
    username: string | undefined,
    password: Buffer | undefined,
  ): Promise<void> {
    const info = this.connects.get(client);
    const address = (client.conn as MqttGuardStream).remoteAddress ?? 'unknown';
    if (info && info.rawClientId === '' && !info.clean) {
      this.refuse('empty_client_id', CONNACK.identifierRejected, 'an empty client id needs a clean session');
    }
    if (info && !isPrintableClientId(info.rawClientId)) {
      this.refuse('invalid_client_id', CONNACK.identifierRejected, 'the client id is not valid UTF-8 text');
    }
    if (!username || !password)
      this.refuse('no_credentials', CONNACK.badCredentials, 'username and password are required');
    if (await this.deps.throttle.isBlocked(address)) {
      this.refuse('throttled', CONNACK.notAuthorized, 'too many failed logins from this address; try later');
    }
    const principal = await this.deps.registry.authenticate(username, password.toString('utf8'));
    if (!principal) {
      await this.deps.throttle.recordFailure(address);
      this.deps.logger.info({ remote: address, username }, 'login refused: bad username or password');
      this.refuse('bad_credentials', CONNACK.badCredentials, 'bad username or password');
    }
    // A client id in use by another identity would let one tenant kick another's device off: refuse it.
    const holder = (this.aedes as unknown as { clients: Record<string, Client> } | undefined)?.clients[
      client.id
    ];
    const holderSession = holder ? this.sessions.get(holder) : undefined;
    if (holderSession && holderSession.username !== username) {
      this.refuse(
        'client_id_taken',
        CONNACK.identifierRejected,
        'this client id is in use by another identity',
      );
    }
    this.sessions.set(client, { username, principal, routes: new Map() });
    const guard = client.conn as MqttGuardStream;
    if (principal.type === 'device')
      guard.setPublishRate(this.opts.devicePublishRate, this.opts.devicePublishBurst);
    else guard.setPublishRate(this.opts.accountPublishRate, Math.max(1, this.opts.accountPublishRate * 2));
  }

  private async authorizePublish(client: Client | null, packet: PublishPacket): Promise<void> {
    if (!client) return; // the broker's own messages ($SYS)
    const session = this.sessions.get(client);
    const route = session?.routes.get(packet.topic);
    if (route && route.until > Date.now()) return this.ingest(route, packet);
    if (!session || !mayPublish(session.principal, packet.topic)) {
      this.deps.metrics.publishesDenied.inc({ action: 'publish' });
      this.deps.logger.info(
        { username: session?.username, topic: packet.topic },
        'publish refused by ACL; closing',
      );
      throw new Error(`not authorized to publish to ${packet.topic}`);
    }
    const principal = session.principal;
    if (principal.type === 'account' && principal.account.lorawan && principal.account.tenant) {
      const original = packet.topic;
      if (parseLorawanTopic(original)) {
        // A network server's topic is a global name: what is forwarded stays inside the account's tenant.
        packet.topic = lorawanTopics.tenantMirror(principal.account.tenant, original);
        await this.waitForSpool();
        const receivedAt = Date.now();
        const result = await this.deps.lorawan.ingest(
          { tenant: principal.account.tenant, network: principal.account.lorawan },
          original,
          packet.payload as Buffer,
          receivedAt,
        );
        if (result.device && result.outcome === 'stored') {
          this.seen.set(`${result.device.tenant}:${result.device.id}`, {
            tenant: result.device.tenant,
            device: result.device.id,
            at: receivedAt,
          });
        }
        return;
      }
    }
    const target = parseReadingsTopic(packet.topic);
    if (!target) return;
    const fresh = await this.route(principal, target.tenant, target.device);
    if (session.routes.size >= MAX_ROUTES_PER_SESSION) session.routes.clear();
    session.routes.set(packet.topic, fresh);
    return this.ingest(fresh, packet);
  }

  /** The slow path of a readings topic: the device (looked up for an account), its kind and site. */
  private async route(principal: AuthenticatedPrincipal, tenant: string, id: string): Promise<Route> {
    const { device, until } =
      principal.type === 'device'
        ? { device: principal.device, until: Number.POSITIVE_INFINITY } // the session's own, fixed at CONNECT
        : await this.findDevice(tenant, id);
    return {
      subject: {
        tenant,
        device: id,
        site: device?.site,
        kind: device ? this.deps.kinds(device.kind) : undefined,
      },
      seen: device
        ? {
            key: `${device.tenant}:${device.id}`,
            record: { tenant: device.tenant, device: device.id, at: 0 },
          }
        : undefined,
      until,
    };
  }

  /** A device named by an account's topic, through a cache all sessions share. */
  private async findDevice(tenant: string, id: string): Promise<{ device?: Device; until: number }> {
    const key = `${tenant}:${id}`;
    const cached = this.deviceCache.get(key);
    const now = Date.now();
    if (cached && cached.until > now) return cached;
    const device = await this.deps.registry.getDevice(tenant, id);
    const entry = { device, until: now + (device ? ROUTE_TTL_MS.known : ROUTE_TTL_MS.unknown) };
    this.deviceCache.set(key, entry);
    return entry;
  }

  private async ingest(route: Route, packet: PublishPacket): Promise<void> {
    if (this.deps.spoolDepth() > this.opts.spoolMaxLines) await this.waitForSpool();
    const receivedAt = Date.now();
    await this.deps.ingestor.ingest(route.subject, packet.topic, packet.payload as Buffer, receivedAt);
    if (route.seen) {
      route.seen.record.at = receivedAt;
      this.seen.set(route.seen.key, route.seen.record);
    }
  }

  /** Back-pressure: above `spoolMaxLines` spool lines, acknowledgements wait for the writers. */
  private async waitForSpool(): Promise<void> {
    while (this.deps.spoolDepth() > this.opts.spoolMaxLines) await sleep(100);
  }

  private authorizeSubscribe(client: Client, sub: Subscription): Subscription | null {
    const session = this.sessions.get(client);
    if (session && maySubscribe(session.principal, sub.topic)) return sub;
    this.deps.metrics.publishesDenied.inc({ action: 'subscribe' });
    this.deps.logger.info({ username: session?.username, topic: sub.topic }, 'subscription refused by ACL');
    return null;
  }

  private async flushLastSeen(): Promise<void> {
    if (this.seen.size === 0) return;
    const batch = new Map(this.seen);
    this.seen.clear();
    await this.deps.registry
      .touchDevices(batch)
      .catch((err: Error) => this.deps.logger.warn({ err: err.message }, 'could not record last seen'));
  }
}

/**
 * A device publishes only to its own readings topic; an account only inside its ACL, and a LoRaWAN integration
 * account also on its network server's event topics (which the broker then keeps inside its tenant).
 */
export function mayPublish(principal: AuthenticatedPrincipal, topic: string): boolean {
  if (topic.startsWith('$')) return false;
  if (principal.type === 'device')
    return topic === topics.readings(principal.device.tenant, principal.device.id);
  const lorawan = principal.account.lorawan;
  if (lorawan && principal.account.tenant && parseLorawanTopic(topic)?.network === lorawan) return true;
  return (
    principal.account.acl.some((pattern) => topicMatches(pattern, topic)) &&
    withinTenant(principal.account, topic)
  );
}

/** A device subscribes only inside its own tree; an account only to filters its ACL covers. */
export function maySubscribe(principal: AuthenticatedPrincipal, filter: string): boolean {
  if (principal.type === 'device')
    return filterCovers(topics.deviceTree(principal.device.tenant, principal.device.id), filter);
  return principal.account.acl.some((pattern) => filterCovers(pattern, filter));
}

function withinTenant(account: Account, topic: string): boolean {
  return account.tenant === undefined || topic.startsWith(topics.tenantPrefix(account.tenant));
}

/** Invalid UTF-8 decodes to U+FFFD; control characters have no place in a client id either. */
function isPrintableClientId(id: string): boolean {
  for (let i = 0; i < id.length; i++) {
    const c = id.charCodeAt(i);
    if (c < 0x20 || c === 0x7f || c === 0xfffd) return false;
  }
  return true;
}
