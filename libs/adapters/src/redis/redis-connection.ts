import { Redis } from 'ioredis';

export type { Redis };

/**
 * A Redis connection. `blocking` connections (stream readers) never time out commands; all connections retry
 * forever on their own so a Redis restart pauses Vigie instead of crashing it.
 */
export function createRedis(
  url: string,
  opts: { name: string; blocking?: boolean } = { name: 'vigie' },
): Redis {
  return new Redis(url, {
    connectionName: opts.name,
    maxRetriesPerRequest: null,
    enableAutoPipelining: !opts.blocking,
    retryStrategy: (times) => Math.min(times * 100, 2000),
    lazyConnect: false,
  });
}

/** Key names, all under one prefix so several Vigie instances (or tests) can share a Redis. */
export class RedisKeys {
  constructor(readonly prefix: string) {}
  tenants = () => `${this.prefix}tenants`;
  tenant = (t: string) => `${this.prefix}tenant:${t}`;
  sites = (t: string) => `${this.prefix}sites:${t}`;
  site = (t: string, s: string) => `${this.prefix}site:${t}:${s}`;
  devices = (t: string) => `${this.prefix}devices:${t}`;
  device = (t: string, d: string) => `${this.prefix}device:${t}:${d}`;
  lastSeen = (t: string) => `${this.prefix}lastseen:${t}`;
  devEuis = (t: string) => `${this.prefix}deveuis:${t}`;
  lorawanSeen = (t: string, dedupId: string) => `${this.prefix}lorawan:seen:${t}:${dedupId}`;
  lorawanFcnt = (t: string) => `${this.prefix}lorawan:fcnt:${t}`;
  lorawanLost = (t: string) => `${this.prefix}lorawan:lost:${t}`;
  accounts = () => `${this.prefix}accounts`;
  account = (username: string) => `${this.prefix}account:${username}`;
  spool = () => `${this.prefix}spool`;
  spoolLines = () => `${this.prefix}spool:lines`;
  deadLetters = (t: string) => `${this.prefix}deadletters:${t}`;
  deadLetterTenants = () => `${this.prefix}deadletters:tenants`;
  authFailures = (address: string) => `${this.prefix}authfail:${address}`;
  /** Notification routes of a tenant: hash route id → JSON. */
  alertRoutes = (t: string) => `${this.prefix}alertroutes:${t}`;
  /** Set once a delivery reached its receiver (TTL 30 days): a retried or replayed job sends nothing more. */
  notifySent = (idempotencyKey: string) => `${this.prefix}notify:sent:${idempotencyKey}`;
  /** Deliveries that failed for good, newest first (capped list of JSON records). */
  notifyFailed = (t: string) => `${this.prefix}notify:failed:${t}`;
  /** Follow-ups sent for an alert on a route: hash {reminders, escalated}. */
  notifyFollowUps = (t: string, alertId: string, route: string) =>
    `${this.prefix}notify:followups:${t}:${alertId}:${route}`;
  alert = (t: string, id: string) => `${this.prefix}alert:${t}:${id}`;
  alertEvents = (t: string, id: string) => `${this.prefix}alert:events:${t}:${id}`;
  alertsOpen = (t: string) => `${this.prefix}alerts:open:${t}`;
  alertsByTime = (t: string) => `${this.prefix}alerts:time:${t}`;
  alertStates = (t: string) => `${this.prefix}alerts:state:${t}`;
  alertOverrides = (t: string) => `${this.prefix}alerts:overrides:${t}`;
  alertSilences = (t: string) => `${this.prefix}alerts:silences:${t}`;
  alertsOfflineDue = (t: string) => `${this.prefix}alerts:offline-due:${t}`;
  /** Readings that alert rules watch, handed from ingestion to alert evaluation (a stream). */
  alertSamples = () => `${this.prefix}alerts:samples`;
  /** An API key: hash {id, tenant, role, name, hash, createdAt, expiresAt, revokedAt}. */
  apiKey = (id: string) => `${this.prefix}apikey:${id}`;
  /** The ids of a tenant's API keys ('' = the platform's). */
  apiKeys = (tenant: string) => `${this.prefix}apikeys:${tenant || '_platform'}`;
  /** The audit log of a tenant ('' = platform-wide changes): a capped stream. */
  audit = (tenant: string) => `${this.prefix}audit:${tenant || '_platform'}`;
}
