import {
  AlertRoutesRepository,
  ChannelNotifier,
  createRedis,
  Redis,
  RedisKeys,
  SmtpNotifier,
  webhookSignature,
  WebhookNotifier,
} from '@vigie/adapters';
import { NOTIFY_QUEUE } from '@vigie/contracts';
import { AlertEvent, AlertRoute } from '@vigie/domain';
import {
  expectEventually,
  serviceUrls,
  startSmtpServer,
  startWebhookReceiver,
  TestSmtpServer,
  TestWebhookReceiver,
  uniqueName,
} from '@vigie/testing';
import { Job, Queue, Worker } from 'bullmq';
import { AlertSource, StoredAlert } from './alert-source.port';
import { NotificationDispatcher } from './notification.dispatcher';
import { notifyJobId } from './notification-job.options';

const MIN = 60_000;
const SECRET = 'oncall-webhook-secret';

const fire: StoredAlert = {
  id: 'a1',
  tenant: 'demo',
  rule: 'waste.fire_temperature',
  subject: 'bin-gare-021',
  severity: 'critical',
  state: 'firing',
  since: Date.UTC(2026, 5, 1, 7, 58),
  firedAt: Date.UTC(2026, 5, 1, 8, 0),
  value: 63,
  threshold: 60,
  unit: '°C',
  title: 'Bin temperature at fire level',
  domain: 'waste',
  site: 'gare',
};
const lamp: StoredAlert = {
  ...fire,
  id: 'a2',
  rule: 'lighting.lamp_failure',
  subject: 'lamp-7',
  severity: 'minor',
  title: 'Lamp failure',
  domain: 'lighting',
  value: 1,
  threshold: 1,
  unit: '',
};
const fired = (a: StoredAlert): AlertEvent => ({
  id: `${a.id}:fired`,
  type: 'fired',
  at: a.firedAt,
  alert: a,
});

interface Harness {
  redis: Redis;
  keys: RedisKeys;
  routes: AlertRoutesRepository;
  queue: Queue;
  worker: Worker;
  dispatcher: NotificationDispatcher;
  smtp: TestSmtpServer;
  hook: TestWebhookReceiver;
  /** Every job the worker finished, failed ones included. */
  settled: { id: string; state: 'completed' | 'failed'; attemptsMade: number; reason?: string }[];
}

async function harness(opts: { smtp?: boolean; alerts?: AlertSource } = {}): Promise<Harness> {
  const { redisUrl } = serviceUrls();
  const prefix = `${uniqueName('notify')}:`;
  const redis = createRedis(redisUrl, { name: 'notify-test' });
  const keys = new RedisKeys(prefix);
  const routes = new AlertRoutesRepository(redis, keys);
  const smtp = await startSmtpServer();
  const hook = await startWebhookReceiver();
  const connection = { url: redisUrl, maxRetriesPerRequest: null };
  const bull = { connection, prefix: `${prefix}bull` };
  const queue = new Queue(NOTIFY_QUEUE, bull);
  const notifier = new ChannelNotifier({
    email: new SmtpNotifier({ url: opts.smtp === false ? undefined : smtp.url, from: 'vigie@ville.fr' }),
    webhook: new WebhookNotifier({ timeoutMs: 2000 }),
  });
  const dispatcher = new NotificationDispatcher({
    queue,
    routes,
    notifier,
    redis,
    keys,
    ...(opts.alerts ? { alerts: opts.alerts } : {}),
    jobOptions: { backoff: { type: 'exponential', delay: 200 } },
  });
  const settled: Harness['settled'] = [];
  const worker = new Worker(
    NOTIFY_QUEUE,
    (job: Job) => dispatcher.deliverJob(job.data, { made: job.attemptsMade, max: job.opts.attempts ?? 1 }),
    { ...bull, concurrency: 4 },
  );
  worker.on('completed', (job) =>
    settled.push({ id: String(job.id), state: 'completed', attemptsMade: job.attemptsMade }),
  );
  worker.on('failed', (job, err) => {
    if (job && (job.attemptsMade >= (job.opts.attempts ?? 1) || err.name === 'UnrecoverableError')) {
      settled.push({
        id: String(job.id),
        state: 'failed',
        attemptsMade: job.attemptsMade,
        reason: err.message,
      });
    }
  });
  await routes.put({
    id: 'oncall',
    tenant: 'demo',
    severities: ['critical'],
    recipients: [
      { id: 'astreinte', email: 'astreinte@ville.fr' },
      { id: 'supervision', webhook: hook.url },
    ],
    remindAfterMin: 15,
    escalateAfterMin: 30,
    escalateTo: [{ id: 'dgs', email: 'dgs@ville.fr' }],
    webhookSecret: SECRET,
  });
  await routes.put({
    id: 'eclairage',
    tenant: 'demo',
    domains: ['lighting'],
    recipients: [{ id: 'regie', email: 'regie@ville.fr' }],
  });
  return { redis, keys, routes, queue, worker, dispatcher, smtp, hook, settled };
}

async function close(h: Harness): Promise<void> {
  await h.worker.close();
  await h.queue.obliterate({ force: true }).catch(() => undefined);
  await h.queue.close();
  await h.smtp.close();
  await h.hook.close();
  h.redis.disconnect();
}

/** Waits until every job of the queue has settled (none waiting, delayed or active), then returns the counts. */
async function drained(h: Harness, expected: number): Promise<Record<string, number>> {
  return expectEventually(async () => {
    const c = await h.queue.getJobCounts(
      'waiting',
      'delayed',
      'active',
      'completed',
      'failed',
      'prioritized',
    );
    expect(c['waiting'] + c['delayed'] + c['active'] + c['prioritized']).toBe(0);
    expect(c['completed'] + c['failed']).toBe(expected);
    return c;
  }, 20_000);
}

describe('NotificationDispatcher (real Redis, SMTP server and HTTP receiver)', () => {
  let h: Harness;
  afterEach(async () => close(h));

  it('sends a critical alert to on-call by e-mail and signed webhook, and a minor lighting one to the lighting team only', async () => {
    h = await harness();
    expect(await h.dispatcher.dispatch(fired(fire))).toEqual([
      'a1:fired:oncall:astreinte:email',
      'a1:fired:oncall:supervision:webhook',
    ]);
    expect(await h.dispatcher.dispatch(fired(lamp))).toEqual(['a2:fired:eclairage:regie:email']);
    await drained(h, 3);

    const mails = h.smtp.messages.map((m) => [m.to.join(','), m.subject, m.messageId]);
    expect(mails.sort()).toEqual([
      [
        'astreinte@ville.fr',
        '[CRITICAL] Bin temperature at fire level — bin-gare-021',
        '<a1:fired:oncall:astreinte:email@vigie>',
      ],
      ['regie@ville.fr', '[MINOR] Lamp failure — lamp-7', '<a2:fired:eclairage:regie:email@vigie>'],
    ]);
    const fireMail = h.smtp.messages.find((m) => m.to.includes('astreinte@ville.fr'));
    expect(fireMail?.text).toContain('Value: 63 °C (threshold 60 °C)');
    expect(fireMail?.headers['from']).toBe('vigie@ville.fr');

    expect(h.hook.requests).toHaveLength(1);
    const req = h.hook.requests[0];
    expect(req.headers['content-type']).toBe('application/json');
    expect(req.headers['idempotency-key']).toBe('a1:fired:oncall:supervision:webhook');
    const ts = String(req.headers['x-vigie-timestamp']);
    expect(Math.abs(Number(ts) - Date.now() / 1000)).toBeLessThan(60);
    expect(req.headers['x-vigie-signature']).toBe(webhookSignature(SECRET, ts, req.body));
    expect(req.headers['x-vigie-signature']).not.toBe(webhookSignature('another-secret', ts, req.body));
    expect(JSON.parse(req.body)).toMatchObject({
      id: 'a1:fired',
      type: 'fired',
      alert: { id: 'a1', value: 63 },
    });
  });

  it('delivers nothing more when the same event is dispatched again, or a finished job replayed', async () => {
    h = await harness();
    await h.dispatcher.dispatch(fired(fire));
    await drained(h, 2);
    await h.dispatcher.dispatch(fired(fire));
    await h.dispatcher.dispatch(fired(fire));
    // Same job ids: BullMQ added nothing.
    await drained(h, 2);
    const job = await h.queue.getJob(notifyJobId('a1:fired:oncall:astreinte:email'));
    expect(job?.data).toMatchObject({ to: 'astreinte@ville.fr' });
    // A replay of the job's data (a worker that died after sending) is skipped by the sent marker.
    expect(await h.dispatcher.deliverJob(job?.data)).toEqual({
      status: 'already_sent',
      idempotencyKey: 'a1:fired:oncall:astreinte:email',
    });
    expect(h.smtp.messages).toHaveLength(1);
    expect(h.hook.requests).toHaveLength(1);
  });

  it('retries a webhook answering 500 twice with a growing backoff and delivers it exactly once', async () => {
    h = await harness();
    h.hook.failNext(2, 500);
    await h.dispatcher.dispatch(fired(fire));
    await drained(h, 2);
    expect(h.hook.requests.map((r) => r.status)).toEqual([500, 500, 200]);
    expect([...h.hook.countsByKey()]).toEqual([['a1:fired:oncall:supervision:webhook', 1]]);
    const [t1, t2, t3] = h.hook.requests.map((r) => r.at);
    // Exponential backoff of 200 ms: about 200 ms, then about 400 ms.
    expect(t2 - t1).toBeGreaterThanOrEqual(180);
    expect(t3 - t2).toBeGreaterThanOrEqual(380);
    expect(h.settled.find((s) => s.id === notifyJobId('a1:fired:oncall:supervision:webhook'))).toMatchObject({
      state: 'completed',
      attemptsMade: 3,
    });
  });

  it('does not retry a webhook answering 400, and records the failed delivery', async () => {
    h = await harness();
    h.hook.failNext(1, 400);
    await h.dispatcher.dispatch(fired(fire));
    const counts = await drained(h, 2);
    expect(counts).toMatchObject({ completed: 1, failed: 1 });
    expect(h.hook.requests.map((r) => r.status)).toEqual([400]);
    const failed = await h.dispatcher.failedDeliveries('demo');
    expect(failed).toEqual([
      expect.objectContaining({
        idempotencyKey: 'a1:fired:oncall:supervision:webhook',
        code: 'webhook_rejected',
        attempts: 1,
      }),
    ]);
    expect(failed[0].reason).toContain('answered 400');
  });

  it('retries an SMTP 451 and gives up at once on a 550', async () => {
    h = await harness();
    h.smtp.rejectNext(1, 451);
    await h.dispatcher.dispatch(fired(lamp));
    await drained(h, 1);
    expect(h.smtp.messages.map((m) => m.to)).toEqual([['regie@ville.fr']]);
    h.smtp.rejectNext(1, 550);
    await h.dispatcher.dispatch({ ...fired(lamp), id: 'a2:resolved', type: 'resolved' });
    await drained(h, 2);
    expect(h.smtp.messages).toHaveLength(1);
    expect(await h.dispatcher.failedDeliveries('demo')).toEqual([
      expect.objectContaining({ idempotencyKey: 'a2:resolved:eclairage:regie:email', code: 'smtp_rejected' }),
    ]);
  });

  it('fails e-mail deliveries for good with a clear reason when no SMTP server is configured', async () => {
    h = await harness({ smtp: false });
    await h.dispatcher.dispatch(fired(lamp));
    await drained(h, 1);
    const [failed] = await h.dispatcher.failedDeliveries('demo');
    expect(failed).toMatchObject({ code: 'smtp_not_configured', attempts: 1 });
    expect(failed.reason).toBe(
      'e-mail is not configured (set SMTP_URL): no SMTP server to send a2:fired:eclairage:regie:email to regie@ville.fr',
    );
  });

  it('reminds on-call of an unacknowledged critical alert, escalates once, and never twice for the same step', async () => {
    h = await harness();
    const sweep = (after: number, alert: StoredAlert = fire) =>
      h.dispatcher.sweepFollowUps('demo', [alert, lamp], fire.firedAt + after);
    expect(await sweep(10 * MIN)).toEqual([]);
    expect((await sweep(16 * MIN)).map((e) => e.id)).toEqual(['a1:reminder:1']);
    expect(await sweep(17 * MIN)).toEqual([]);
    expect((await sweep(31 * MIN)).map((e) => e.id)).toEqual(['a1:reminder:2', 'a1:escalated']);
    expect(await sweep(32 * MIN)).toEqual([]);
    // Acknowledged: no more reminders.
    expect(await sweep(50 * MIN, { ...fire, state: 'acknowledged' })).toEqual([]);
    await drained(h, 5);
    const subjects = h.smtp.messages.map((m) => `${m.to.join(',')} ${m.subject}`).sort();
    expect(subjects).toEqual([
      'astreinte@ville.fr [CRITICAL] Reminder: Bin temperature at fire level — bin-gare-021',
      'astreinte@ville.fr [CRITICAL] Reminder: Bin temperature at fire level — bin-gare-021',
      'dgs@ville.fr [CRITICAL] Escalated: Bin temperature at fire level — bin-gare-021',
    ]);
    expect(h.hook.requests.map((r) => r.headers['idempotency-key']).sort()).toEqual([
      'a1:reminder:1:oncall:supervision:webhook',
      'a1:reminder:2:oncall:supervision:webhook',
    ]);
  });

  it("sends each digest recipient one e-mail of the day's matching alerts, once", async () => {
    const source: AlertSource = {
      listOpen: async () => [],
      listBetween: async (tenant, from, to) =>
        [fire, lamp, { ...lamp, id: 'a3', subject: 'lamp-9', firedAt: Date.UTC(2026, 5, 2, 9) }].filter(
          (a) => a.tenant === tenant && a.firedAt >= from && a.firedAt < to,
        ),
    };
    h = await harness({ alerts: source });
    await h.routes.put({
      id: 'daily',
      tenant: 'demo',
      domains: ['lighting'],
      digest: true,
      recipients: [
        { id: 'chef', name: 'Chef de régie', email: 'chef@ville.fr' },
        { id: 'hook', webhook: h.hook.url },
      ],
    } satisfies AlertRoute);
    // The digest route sends nothing per event.
    expect(await h.dispatcher.dispatch(fired(lamp))).toEqual(['a2:fired:eclairage:regie:email']);
    const tenant = { id: 'demo', timeZone: 'Europe/Paris' };
    expect(await h.dispatcher.digestJob({}, [tenant], Date.UTC(2026, 5, 2, 6))).toEqual([
      { day: '2026-06-01', tenant: 'demo', deliveries: 1 },
    ]);
    await h.dispatcher.digest(tenant, '2026-06-01');
    await drained(h, 2);
    const digest = h.smtp.messages.filter((m) => m.to.includes('chef@ville.fr'));
    expect(digest).toHaveLength(1);
    expect(digest[0].subject).toBe('[Vigie] Digest of 2026-06-01: 1 alert');
    expect(digest[0].text).toContain('[MINOR] Lamp failure — lamp-7');
    expect(digest[0].text).not.toContain('lamp-9');
    expect(h.hook.requests).toHaveLength(0);
  });

  it('lists routes without their webhook secret', async () => {
    h = await harness();
    const listed = await h.routes.list('demo');
    expect(listed.map((r) => [r.id, r.hasSecret])).toEqual([
      ['eclairage', false],
      ['oncall', true],
    ]);
    expect(JSON.stringify(listed)).not.toContain(SECRET);
    expect((await h.routes.get('demo', 'oncall'))?.webhookSecret).toBe(SECRET);
    await expect(h.routes.put({ id: 'bad', tenant: 'demo', recipients: [] })).rejects.toThrow(
      'route bad: no recipient',
    );
    expect(await h.routes.remove('demo', 'eclairage')).toBe(true);
    expect(await h.routes.remove('demo', 'eclairage')).toBe(false);
  });
});
