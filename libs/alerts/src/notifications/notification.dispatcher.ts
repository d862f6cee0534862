import { AlertRoutesRepository, Notifier, NotifyError, Redis, RedisKeys } from '@vigie/adapters';
import { NOTIFY_CHANNELS, NOTIFY_JOBS, NotifyDeliverJobData } from '@vigie/contracts';
import {
  AlertEvent,
  AlertRoute,
  dayNumberToString,
  deliveriesFor,
  deliveryKey,
  dueFollowUps,
  localDayBounds,
  localDayNumber,
  reminderNumber,
  renderDigest,
  routeMatches,
} from '@vigie/domain';
import { JobsOptions, Queue, UnrecoverableError } from 'bullmq';
import { z } from 'zod';
import { AlertSource, StoredAlert } from './alert-source.port';
import {
  NOTIFY_DELIVER_JOB_OPTIONS,
  NOTIFY_FAILED_KEEP,
  NOTIFY_SENT_TTL_S,
  notifyJobId,
} from './notification-job.options';

export interface NotificationLogger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

export interface NotificationDispatcherDeps {
  /** The NOTIFY_QUEUE queue. */
  readonly queue: Queue;
  readonly routes: AlertRoutesRepository;
  /** Needed by `deliverJob` only: a process that only enqueues (the CLI) has none. */
  readonly notifier?: Notifier;
  readonly redis: Redis;
  readonly keys: RedisKeys;
  /** Needed by the digest only (the alert store). */
  readonly alerts?: AlertSource;
  readonly logger?: NotificationLogger;
  /** Overrides of NOTIFY_DELIVER_JOB_OPTIONS (tests shorten the backoff). */
  readonly jobOptions?: Partial<JobsOptions>;
}

/** What one `notify.deliver` job did. */
export type DeliveryStatus =
  | { readonly status: 'sent'; readonly idempotencyKey: string }
  | { readonly status: 'already_sent'; readonly idempotencyKey: string };

/** A delivery that failed for good (kept for operators, newest first). */
export interface FailedDelivery {
  readonly idempotencyKey: string;
  readonly channel: string;
  readonly to: string;
  readonly code: string;
  readonly reason: string;
  readonly attempts: number;
  readonly at: string;
}

const deliverSchema = z.object({
  idempotencyKey: z.string().min(1).max(500),
  tenant: z.string().min(1),
  channel: z.enum(NOTIFY_CHANNELS),
  to: z.string().min(1),
  route: z.string().optional(),
  subject: z.string(),
  text: z.string(),
  body: z.unknown(),
});

/**
 * The notification side of alerting: an alert event becomes one BullMQ job per route × recipient × channel
 * (`dispatch`), each job sends once (`deliverJob`), follow-ups (reminders, escalations) come from a sweep and the
 * daily digest from `digest`.
 *
 * Exactly-once, as far as it goes: the job id is the delivery's idempotency key (re-dispatching an event adds
 * nothing), and `notify:sent:<key>` is set right after the receiver accepted the message, so a retried or stalled
 * job that already got through sends nothing more. A worker dying between the receiver's acceptance and that SET
 * makes the job run again and send a second copy — with the same `Idempotency-Key` / Message-ID, by which the
 * receiver drops it. That window is the only source of duplicates.
 */
export class NotificationDispatcher {
  private readonly jobOptions: JobsOptions;

  constructor(private readonly deps: NotificationDispatcherDeps) {
    this.jobOptions = { ...NOTIFY_DELIVER_JOB_OPTIONS, ...(deps.jobOptions ?? {}) };
  }

  /** Enqueues the deliveries of an event; resolves with their idempotency keys. */
  async dispatch(event: AlertEvent): Promise<string[]> {
    const routes = await this.deps.routes.routesOf(event.alert.tenant);
    return this.enqueue(deliveriesFor(event, routes));
  }

  private async enqueue(deliveries: readonly NotifyDeliverJobData[]): Promise<string[]> {
    if (deliveries.length === 0) return [];
    await this.deps.queue.addBulk(
      deliveries.map((d) => ({
        name: NOTIFY_JOBS.deliver,
        data: d,
        opts: { ...this.jobOptions, jobId: notifyJobId(d.idempotencyKey) },
      })),
    );
    return deliveries.map((d) => d.idempotencyKey);
  }

  /**
   * Runs one `notify.deliver` job. `attempt` (BullMQ's attemptsMade and attempts) tells whether a transient
   * failure is the last one, to record it. Throws UnrecoverableError for bad data and permanent refusals, the
   * NotifyError itself for transient failures (BullMQ retries with backoff).
   */
  async deliverJob(
    data: unknown,
    attempt: { made: number; max: number } = { made: 0, max: 1 },
  ): Promise<DeliveryStatus> {
    const parsed = deliverSchema.safeParse(data);
    if (!parsed.success) {
      throw new UnrecoverableError(
        `invalid ${NOTIFY_JOBS.deliver} data: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(data)'}: ${i.message}`).join('; ')}`,
      );
    }
    const d = parsed.data as NotifyDeliverJobData;
    const sentKey = this.deps.keys.notifySent(d.idempotencyKey);
    if (await this.deps.redis.exists(sentKey))
      return { status: 'already_sent', idempotencyKey: d.idempotencyKey };
    const secret =
      d.channel === 'webhook' && d.route
        ? (await this.deps.routes.get(d.tenant, d.route))?.webhookSecret
        : undefined;
    try {
      if (!this.deps.notifier) throw new Error('NotificationDispatcher: no notifier to deliver with');
      await this.deps.notifier.send({ ...d, ...(secret ? { secret } : {}) });
    } catch (err) {
      if (!(err instanceof NotifyError)) throw err;
      const last = attempt.made + 1 >= attempt.max;
      if (err.permanent || last) await this.recordFailure(d, err, attempt.made + 1);
      this.deps.logger?.warn(
        {
          tenant: d.tenant,
          channel: d.channel,
          idempotencyKey: d.idempotencyKey,
          code: err.code,
          permanent: err.permanent,
        },
        'delivery failed',
      );
      if (err.permanent) throw new UnrecoverableError(err.message);
      throw err;
    }
    await this.deps.redis.set(sentKey, new Date().toISOString(), 'EX', NOTIFY_SENT_TTL_S);
    return { status: 'sent', idempotencyKey: d.idempotencyKey };
  }

  private async recordFailure(d: NotifyDeliverJobData, err: NotifyError, attempts: number): Promise<void> {
    const record: FailedDelivery = {
      idempotencyKey: d.idempotencyKey,
      channel: d.channel,
      to: d.to,
      code: err.code,
      reason: err.message,
      attempts,
      at: new Date().toISOString(),
    };
    const key = this.deps.keys.notifyFailed(d.tenant);
    await this.deps.redis
      .multi()
      .lpush(key, JSON.stringify(record))
      .ltrim(key, 0, NOTIFY_FAILED_KEEP - 1)
      .exec();
  }

  /** The tenant's deliveries that failed for good, newest first. */
  async failedDeliveries(tenant: string, limit = 100): Promise<FailedDelivery[]> {
    const raw = await this.deps.redis.lrange(this.deps.keys.notifyFailed(tenant), 0, limit - 1);
    return raw.map((r) => JSON.parse(r) as FailedDelivery);
  }

  /**
   * Reminders and escalations due at `now` for the tenant's open alerts (dueFollowUps per alert and route, with
   * what was already sent kept in Redis). Enqueues their deliveries and resolves with the events. Run by the
   * minute sweep; running it twice for the same minute sends nothing twice (same event ids, same job ids).
   */
  async sweepFollowUps(
    tenant: string,
    openAlerts: readonly StoredAlert[],
    now: number,
  ): Promise<AlertEvent[]> {
    const routes = (await this.deps.routes.routesOf(tenant)).filter(
      (r) => !r.digest && (r.remindAfterMin !== undefined || r.escalateAfterMin !== undefined),
    );
    const out: AlertEvent[] = [];
    for (const alert of openAlerts) {
      if (alert.tenant !== tenant) continue;
      for (const route of routes) {
        if (!routeMatches(route, alert)) continue;
        const key = this.deps.keys.notifyFollowUps(tenant, alert.id, route.id);
        const h = await this.deps.redis.hgetall(key);
        const already = { reminders: Number(h['reminders'] ?? 0), escalated: h['escalated'] === '1' };
        const events = dueFollowUps(alert, route, now, already);
        if (events.length === 0) continue;
        // Deliveries first, then the counts: a crash in between re-enqueues the same job ids (a no-op).
        for (const e of events) await this.enqueue(deliveriesFor(e, [route]));
        const update: Record<string, string> = {};
        for (const e of events) {
          if (e.type === 'reminder')
            update['reminders'] = String(reminderNumber(e.id) ?? already.reminders + 1);
          if (e.type === 'escalated') update['escalated'] = '1';
        }
        await this.deps.redis.multi().hset(key, update).expire(key, NOTIFY_SENT_TTL_S).exec();
        out.push(...events);
      }
    }
    return out;
  }

  /** `sweepFollowUps` over the tenant's open alerts as the alert store has them. */
  async sweepTenant(tenant: string, now: number): Promise<AlertEvent[]> {
    return this.sweepFollowUps(tenant, await this.source().listOpen(tenant), now);
  }

  /**
   * The digest of one local day of a tenant: for each digest route, one e-mail per recipient with an address
   * listing the day's alerts the route matches (none when there were none). Idempotent per day.
   */
  async digest(tenant: { id: string; timeZone: string }, day: string): Promise<string[]> {
    const { start, end } = localDayBounds(day, tenant.timeZone);
    const alerts = await this.source().listBetween(tenant.id, start, end);
    const deliveries: NotifyDeliverJobData[] = [];
    for (const route of (await this.deps.routes.routesOf(tenant.id)).filter((r: AlertRoute) => r.digest)) {
      const matching = alerts.filter((a) => routeMatches(route, a));
      if (matching.length === 0) continue;
      for (const recipient of route.recipients) {
        if (!recipient.email) continue;
        const rendered = renderDigest(recipient, matching, day);
        deliveries.push({
          idempotencyKey: deliveryKey(`digest:${tenant.id}:${day}`, route.id, recipient.id, 'email'),
          tenant: tenant.id,
          channel: 'email',
          to: recipient.email,
          route: route.id,
          ...rendered,
        });
      }
    }
    return this.enqueue(deliveries);
  }

  /** An `alert.digest` job: `day`, or yesterday in each tenant's time zone. */
  async digestJob(
    data: { readonly day?: string },
    tenants: readonly { id: string; timeZone: string }[],
    now = Date.now(),
  ): Promise<{ day: string; tenant: string; deliveries: number }[]> {
    const out: { day: string; tenant: string; deliveries: number }[] = [];
    for (const t of tenants) {
      const day = data.day ?? dayNumberToString(localDayNumber(now, t.timeZone) - 1);
      out.push({ day, tenant: t.id, deliveries: (await this.digest(t, day)).length });
    }
    return out;
  }

  private source(): AlertSource {
    if (!this.deps.alerts) throw new Error('NotificationDispatcher: no AlertSource given (the alert store)');
    return this.deps.alerts;
  }
}
