import {
  Alert,
  AlertAction,
  AlertEvent,
  AlertEventType,
  AlertRuleOverride,
  AlertSeverity,
  AlertState,
  applyAlertAction,
  AlertSilence,
} from '@vigie/domain';
import { Redis } from 'ioredis';
import { RedisKeys } from '../redis/redis-connection';

/** A stored alert always has its id. */
export type StoredAlert = Alert & { readonly id: string };

/** Filter of `list`; every field optional (newest first). */
export interface AlertFilter {
  readonly state?: AlertState | 'open';
  readonly severity?: AlertSeverity;
  readonly rule?: string;
  readonly subject?: string;
  readonly domain?: string;
  readonly site?: string;
  /** Fired at or after / before (epoch ms). */
  readonly from?: number;
  readonly to?: number;
  readonly limit?: number;
}

/**
 * Opens an alert unless one is open for the same rule and subject (or the same id exists): KEYS open hash, alert
 * key, history zset, events list; ARGV open field, id, alert JSON, firedAt, event JSON. Returns the id of the
 * alert that holds the slot and 1 when it is the new one.
 */
const FIRE_SCRIPT = `
local held = redis.call('HGET', KEYS[1], ARGV[1])
if held then return {held, 0} end
if redis.call('EXISTS', KEYS[2]) == 1 then return {ARGV[2], 0} end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
redis.call('SET', KEYS[2], ARGV[3])
redis.call('ZADD', KEYS[3], ARGV[4], ARGV[2])
redis.call('RPUSH', KEYS[4], ARGV[5])
return {ARGV[2], 1}`;

/**
 * Replaces an alert after a transition, if it is still the version read: KEYS alert key, open hash, events list;
 * ARGV expected JSON, new JSON, event JSON, open field, '1' when the alert is now resolved.
 */
const TRANSITION_SCRIPT = `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[1], ARGV[2])
redis.call('RPUSH', KEYS[3], ARGV[3])
if ARGV[5] == '1' then redis.call('HDEL', KEYS[2], ARGV[4]) end
return 1`;

function openField(rule: string, subject: string): string {
  return `${rule}\n${subject}`;
}

/** The event of an action on an alert. */
function eventOf(action: AlertAction): { type: AlertEventType; by?: string } {
  switch (action.type) {
    case 'acknowledge':
      return { type: 'acknowledged', by: action.by };
    case 'assign':
      return { type: 'assigned', by: action.to };
    case 'resolve':
      return { type: 'resolved', by: action.by };
    case 'condition_cleared':
      return { type: 'resolved' };
  }
}

/**
 * Alerts, their history, the evaluators' state, rule overrides and silences of each tenant, in Redis. At most one
 * open alert per tenant, rule and subject (checked atomically); every change appends an event to the alert's
 * history; transitions are compare-and-set, so two processes acting on one alert never lose an event.
 */
export class AlertRepository {
  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
  ) {}

  /**
   * Opens `alert` (state firing) unless an alert is open for its rule and subject, or an alert with its id exists
   * already (a re-evaluation of the same breach). Returns the alert holding the slot, its `fired` event and whether
   * it is new.
   */
  async fire(alert: StoredAlert): Promise<{ alert: StoredAlert; event: AlertEvent; created: boolean }> {
    const k = this.keys;
    const event: AlertEvent = { id: `${alert.id}:fired`, type: 'fired', at: alert.firedAt, alert };
    const [id, created] = (await this.redis.eval(
      FIRE_SCRIPT,
      4,
      k.alertsOpen(alert.tenant),
      k.alert(alert.tenant, alert.id),
      k.alertsByTime(alert.tenant),
      k.alertEvents(alert.tenant, alert.id),
      openField(alert.rule, alert.subject),
      alert.id,
      JSON.stringify(alert),
      String(alert.firedAt),
      JSON.stringify(event),
    )) as [string, number];
    if (created === 1) return { alert, event, created: true };
    const held = (await this.get(alert.tenant, id)) ?? alert;
    return { alert: held, event: { ...event, id: `${held.id}:fired`, alert: held }, created: false };
  }

  /**
   * Writes an alert and its history as they are (an import from another platform): the alert, its place in the time
   * index, its events and, unless resolved, its open slot. Refuses (false, nothing written) when the id exists.
   */
  async restore(alert: StoredAlert, history: readonly AlertEvent[]): Promise<boolean> {
    const k = this.keys;
    const created = await this.redis.set(k.alert(alert.tenant, alert.id), JSON.stringify(alert), 'NX');
    if (created !== 'OK') return false;
    const tx = this.redis.multi().zadd(k.alertsByTime(alert.tenant), String(alert.firedAt), alert.id);
    if (history.length > 0) {
      tx.rpush(k.alertEvents(alert.tenant, alert.id), ...history.map((e) => JSON.stringify(e)));
    }
    if (alert.state !== 'resolved') {
      tx.hset(k.alertsOpen(alert.tenant), openField(alert.rule, alert.subject), alert.id);
    }
    await tx.exec();
    return true;
  }

  /** Applies an action (acknowledge, assign, resolve, condition cleared); undefined when no such alert. */
  async act(
    tenant: string,
    id: string,
    action: AlertAction,
  ): Promise<{ alert: StoredAlert; event?: AlertEvent } | undefined> {
    for (;;) {
      const raw = await this.redis.get(this.keys.alert(tenant, id));
      if (raw === null) return undefined;
      const before = JSON.parse(raw) as StoredAlert;
      const after = applyAlertAction(before, action) as StoredAlert;
      // Acknowledging an acknowledged alert changes nothing: no event.
      if (after === before) return { alert: before };
      const e = eventOf(action);
      const event: AlertEvent = {
        id: `${id}:${e.type}${e.type === 'assigned' ? `:${action.at}` : ''}`,
        type: e.type,
        at: action.at,
        ...(e.by === undefined ? {} : { by: e.by }),
        alert: after,
      };
      const ok = await this.redis.eval(
        TRANSITION_SCRIPT,
        3,
        this.keys.alert(tenant, id),
        this.keys.alertsOpen(tenant),
        this.keys.alertEvents(tenant, id),
        raw,
        JSON.stringify(after),
        JSON.stringify(event),
        openField(before.rule, before.subject),
        after.state === 'resolved' ? '1' : '0',
      );
      if (ok === 1) return { alert: after, event };
      // Someone changed it meanwhile: read again and re-apply.
    }
  }

  async get(tenant: string, id: string): Promise<StoredAlert | undefined> {
    const raw = await this.redis.get(this.keys.alert(tenant, id));
    return raw === null ? undefined : (JSON.parse(raw) as StoredAlert);
  }

  /** The open alert of a rule and subject, if any. */
  async findOpen(tenant: string, rule: string, subject: string): Promise<StoredAlert | undefined> {
    const id = await this.redis.hget(this.keys.alertsOpen(tenant), openField(rule, subject));
    return id === null ? undefined : this.get(tenant, id);
  }

  /** Every open alert of a tenant. */
  async listOpen(tenant: string): Promise<StoredAlert[]> {
    const ids = await this.redis.hvals(this.keys.alertsOpen(tenant));
    return this.getMany(tenant, ids);
  }

  /** Alerts fired in [from, to) (epoch ms), oldest first. */
  async listBetween(tenant: string, from: number, to: number): Promise<StoredAlert[]> {
    const ids = await this.redis.zrangebyscore(this.keys.alertsByTime(tenant), from, `(${to}`);
    return this.getMany(tenant, ids);
  }

  /** Alerts of a tenant matching the filter, newest first. */
  async list(tenant: string, f: AlertFilter = {}): Promise<StoredAlert[]> {
    const ids =
      f.state === 'open'
        ? await this.redis.hvals(this.keys.alertsOpen(tenant))
        : await this.redis.zrevrangebyscore(
            this.keys.alertsByTime(tenant),
            f.to === undefined ? '+inf' : `(${f.to}`,
            f.from === undefined ? '-inf' : f.from,
          );
    const out = (await this.getMany(tenant, ids))
      .filter(
        (a) =>
          (f.state === undefined || (f.state === 'open' ? a.state !== 'resolved' : a.state === f.state)) &&
          (f.severity === undefined || a.severity === f.severity) &&
          (f.rule === undefined || a.rule === f.rule) &&
          (f.subject === undefined || a.subject === f.subject) &&
          (f.domain === undefined || a.domain === f.domain) &&
          (f.site === undefined || a.site === f.site) &&
          (f.from === undefined || a.firedAt >= f.from) &&
          (f.to === undefined || a.firedAt < f.to),
      )
      .sort((a, b) => b.firedAt - a.firedAt || a.id.localeCompare(b.id));
    return f.limit === undefined ? out : out.slice(0, f.limit);
  }

  /** The events of an alert, oldest first. */
  async history(tenant: string, id: string): Promise<AlertEvent[]> {
    const raw = await this.redis.lrange(this.keys.alertEvents(tenant, id), 0, -1);
    return raw.map((r) => JSON.parse(r) as AlertEvent);
  }

  private async getMany(tenant: string, ids: readonly string[]): Promise<StoredAlert[]> {
    if (ids.length === 0) return [];
    const out: StoredAlert[] = [];
    for (let i = 0; i < ids.length; i += 500) {
      const raws = await this.redis.mget(ids.slice(i, i + 500).map((id) => this.keys.alert(tenant, id)));
      for (const r of raws) if (r !== null) out.push(JSON.parse(r) as StoredAlert);
    }
    return out;
  }

  // Evaluator state: one JSON value per rule and subject.

  async getStates(tenant: string, fields: readonly string[]): Promise<Map<string, unknown>> {
    const out = new Map<string, unknown>();
    if (fields.length === 0) return out;
    const raws = await this.redis.hmget(this.keys.alertStates(tenant), ...fields);
    raws.forEach((r, i) => {
      if (r !== null) out.set(fields[i], JSON.parse(r));
    });
    return out;
  }

  async setStates(tenant: string, states: ReadonlyMap<string, unknown>): Promise<void> {
    if (states.size === 0) return;
    const flat: string[] = [];
    for (const [f, v] of states) flat.push(f, JSON.stringify(v));
    await this.redis.hset(this.keys.alertStates(tenant), ...flat);
  }

  // Real-time silence: when each device becomes offline if it sends nothing more (epoch ms, data time).

  async setOfflineDue(tenant: string, due: readonly (readonly [number, string])[]): Promise<void> {
    if (due.length === 0) return;
    await this.redis.zadd(this.keys.alertsOfflineDue(tenant), ...due.flatMap(([at, d]) => [String(at), d]));
  }

  /** Devices due offline at or before `now`, with the instant they became so. */
  async offlineDueBefore(
    tenant: string,
    now: number,
    limit = 10_000,
  ): Promise<{ device: string; since: number }[]> {
    const flat = await this.redis.zrangebyscore(
      this.keys.alertsOfflineDue(tenant),
      '-inf',
      now,
      'WITHSCORES',
      'LIMIT',
      0,
      limit,
    );
    const out: { device: string; since: number }[] = [];
    for (let i = 0; i < flat.length; i += 2) out.push({ device: flat[i], since: Number(flat[i + 1]) });
    return out;
  }

  // Rule overrides: one per rule and scope (tenant, site or device).

  private overrideField(o: Pick<AlertRuleOverride, 'rule' | 'site' | 'device'>): string {
    return `${o.rule}\n${o.site ?? ''}\n${o.device ?? ''}`;
  }

  async putOverride(tenant: string, o: AlertRuleOverride): Promise<void> {
    await this.redis.hset(this.keys.alertOverrides(tenant), this.overrideField(o), JSON.stringify(o));
  }

  async removeOverride(
    tenant: string,
    o: Pick<AlertRuleOverride, 'rule' | 'site' | 'device'>,
  ): Promise<boolean> {
    return (await this.redis.hdel(this.keys.alertOverrides(tenant), this.overrideField(o))) === 1;
  }

  async listOverrides(tenant: string): Promise<AlertRuleOverride[]> {
    const all = await this.redis.hvals(this.keys.alertOverrides(tenant));
    return all.map((r) => JSON.parse(r) as AlertRuleOverride).sort((a, b) => a.rule.localeCompare(b.rule));
  }

  // Silences and maintenance windows.

  async putSilence(tenant: string, s: AlertSilence): Promise<void> {
    await this.redis.hset(this.keys.alertSilences(tenant), s.id, JSON.stringify(s));
  }

  async removeSilence(tenant: string, id: string): Promise<boolean> {
    return (await this.redis.hdel(this.keys.alertSilences(tenant), id)) === 1;
  }

  async listSilences(tenant: string): Promise<AlertSilence[]> {
    const all = await this.redis.hvals(this.keys.alertSilences(tenant));
    return all.map((r) => JSON.parse(r) as AlertSilence).sort((a, b) => a.from - b.from);
  }
}
