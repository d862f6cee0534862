import { Actor } from '@vigie/domain';
import { Redis } from 'ioredis';
import { RedisKeys } from '../redis/redis-connection';

/** One change, as recorded: who, what, when, the state before and after (secrets never included). */
export interface AuditEntry {
  /** Stream id: orders entries and serves as the pagination cursor. */
  readonly id: string;
  readonly at: string;
  readonly actor: string;
  readonly role: string;
  /** What was done, `<resource>.<verb>`: `device.create`, `site.update`, `alert.acknowledge`… */
  readonly action: string;
  /** What it was done to: `device:boiler-1`, `site:school`, `api-key:3fa2…`. */
  readonly target: string;
  readonly before?: unknown;
  readonly after?: unknown;
}

export interface AuditChange {
  /** The tenant whose log records it; undefined for platform-wide changes (tenants, platform keys). */
  readonly tenant?: string;
  readonly action: string;
  readonly target: string;
  readonly before?: unknown;
  readonly after?: unknown;
}

/** Records changes; what services that change things depend on. */
export interface AuditRecorder {
  record(actor: Actor, change: AuditChange): Promise<void>;
}

export interface AuditQuery {
  /** Epoch ms bounding `at` (Redis's clock when the entry was written), inclusive. */
  readonly from?: number;
  readonly to?: number;
  readonly limit: number;
  /** The `id` of the last entry of the previous page: the next page starts after it. */
  readonly cursor?: string;
}

/** Entries kept per tenant (the oldest are trimmed past it; an export keeps the whole history). */
export const AUDIT_MAX_ENTRIES = 100_000;

/**
 * The audit log in Redis: one capped stream per tenant, and one for platform-wide changes. Stream ids are
 * millisecond timestamps, so a time range is an id range, read newest first.
 */
export class AuditLogRepository implements AuditRecorder {
  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
  ) {}

  async record(actor: Actor, change: AuditChange): Promise<void> {
    // No time field: the stream id is Redis's clock at the write, so `at` and the from/to filter use one clock.
    const fields = [
      'actor',
      actor.id,
      'role',
      actor.role,
      'action',
      change.action,
      'target',
      change.target,
      ...(change.before === undefined ? [] : ['before', JSON.stringify(change.before)]),
      ...(change.after === undefined ? [] : ['after', JSON.stringify(change.after)]),
    ];
    await this.redis.xadd(
      this.keys.audit(change.tenant ?? ''),
      'MAXLEN',
      '~',
      AUDIT_MAX_ENTRIES,
      '*',
      ...fields,
    );
  }

  /** Entries of a tenant's log ('' = the platform's), newest first, one page. */
  async list(tenant: string, q: AuditQuery): Promise<{ entries: AuditEntry[]; nextCursor?: string }> {
    const end = q.cursor ? `(${q.cursor}` : q.to !== undefined ? String(Math.max(0, q.to)) : '+';
    const start = q.from !== undefined ? String(Math.max(0, q.from)) : '-';
    const limit = Math.max(1, q.limit);
    const rows = await this.redis.xrevrange(this.keys.audit(tenant), end, start, 'COUNT', limit + 1);
    const entries = rows.slice(0, limit).map(([id, flat]) => {
      const f: Record<string, string> = {};
      for (let i = 0; i < flat.length; i += 2) f[flat[i]] = flat[i + 1];
      return {
        id,
        at: new Date(Number(id.split('-')[0])).toISOString(),
        actor: f['actor'],
        role: f['role'],
        action: f['action'],
        target: f['target'],
        ...(f['before'] === undefined ? {} : { before: JSON.parse(f['before']) as unknown }),
        ...(f['after'] === undefined ? {} : { after: JSON.parse(f['after']) as unknown }),
      };
    });
    return rows.length > limit ? { entries, nextCursor: entries[entries.length - 1].id } : { entries };
  }
}
