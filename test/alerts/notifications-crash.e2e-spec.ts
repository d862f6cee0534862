import {
  AlertRoutesRepository,
  createRedis,
  Redis,
  RedisKeys,
  webhookSignature,
  WebhookNotifier,
} from '@vigie/adapters';
import { NotificationDispatcher, StoredAlert } from '@vigie/alerts';
import { NOTIFY_QUEUE } from '@vigie/contracts';
import { AlertEvent } from '@vigie/domain';
import { LocalService, startRedis } from '@vigie/local-services';
import {
  ApiProcess,
  expectEventually,
  isolatedEnv,
  startApiProcess,
  startWebhookReceiver,
  tempDir,
  TestWebhookReceiver,
} from '@vigie/testing';
import { Queue } from 'bullmq';

const SECRET = 'crash-test-webhook-secret';
const CONCURRENCY = 8;

function event(i: number): AlertEvent {
  const alert: StoredAlert = {
    id: `crash-${String(i).padStart(4, '0')}`,
    tenant: 'crash',
    rule: 'waste.fire_temperature',
    subject: `bin-${i}`,
    severity: 'critical',
    state: 'firing',
    since: 1_780_000_000_000 + i,
    firedAt: 1_780_000_000_000 + i,
    value: 61,
    threshold: 60,
    unit: '°C',
    domain: 'waste',
  };
  return { id: `${alert.id}:fired`, type: 'fired', at: alert.firedAt, alert };
}
const keyOf = (i: number) => `${event(i).id}:hook:ops:webhook`;

/** The producer side, in the test process: routes, the NOTIFY_QUEUE and a dispatcher that only enqueues. */
function producer(env: Record<string, string>) {
  const redis: Redis = createRedis(env['REDIS_URL'], { name: 'crash-test' });
  redis.on('error', () => undefined);
  const keys = new RedisKeys(env['REDIS_PREFIX']);
  const routes = new AlertRoutesRepository(redis, keys);
  // Same BullMQ prefix as `vigie api` (bullPrefix: `<REDIS_PREFIX>bull`).
  const queue = new Queue(NOTIFY_QUEUE, {
    connection: { url: env['REDIS_URL'], maxRetriesPerRequest: null },
    prefix: `${env['REDIS_PREFIX']}bull`,
  });
  queue.on('error', () => undefined);
  const dispatcher = new NotificationDispatcher({
    queue,
    routes,
    redis,
    keys,
    notifier: new WebhookNotifier({ timeoutMs: 5000 }),
    jobOptions: { backoff: { type: 'exponential', delay: 200 } },
  });
  return {
    redis,
    routes,
    queue,
    dispatcher,
    async close() {
      await queue.obliterate({ force: true }).catch(() => undefined);
      await queue.close();
      redis.disconnect();
    },
  };
}

/** Every body a key was received with is the same, and its signature verifies with the route's secret. */
function expectSignedAndIdentical(hook: TestWebhookReceiver, key: string): void {
  const reqs = hook.accepted().filter((r) => r.headers['idempotency-key'] === key);
  expect(new Set(reqs.map((r) => r.body)).size).toBe(1);
  for (const r of reqs) {
    expect(r.headers['x-vigie-signature']).toBe(
      webhookSignature(SECRET, String(r.headers['x-vigie-timestamp']), r.body),
    );
  }
}

describe('notification deliveries survive crashes', () => {
  let hook: TestWebhookReceiver;
  let workers: ApiProcess[] = [];
  beforeEach(async () => {
    hook = await startWebhookReceiver();
    workers = [];
  });
  afterEach(async () => {
    for (const w of workers) await w.kill();
    await hook.close();
  });

  it('a worker SIGKILLed in the middle of 240 deliveries to a slow receiver: a new worker delivers every one', async () => {
    const N = 240;
    const env = isolatedEnv({
      VIGIE_ROLE: 'worker',
      NOTIFY_CONCURRENCY: String(CONCURRENCY),
      WEBHOOK_TIMEOUT_MS: '5000',
    });
    const p = producer(env);
    try {
      await p.routes.put({
        id: 'hook',
        tenant: 'crash',
        recipients: [{ id: 'ops', webhook: hook.url }],
        webhookSecret: SECRET,
      });
      hook.setDelay(40);
      workers.push(await startApiProcess(env));
      for (let i = 0; i < N; i++) await p.dispatcher.dispatch(event(i));
      await expectEventually(() => expect(hook.requests.length).toBeGreaterThanOrEqual(60), 30_000);
      await workers[0].kill();
      const receivedAtKill = hook.requests.length;
      expect(receivedAtKill).toBeLessThan(N);

      workers.push(await startApiProcess(env));
      // The dead worker's active jobs come back once their 15 s lock has expired (stalled checks every 15 s).
      await expectEventually(
        async () => {
          const c = await p.queue.getJobCounts('completed', 'failed', 'waiting', 'active', 'delayed');
          expect(c).toMatchObject({ completed: N, failed: 0, waiting: 0, active: 0, delayed: 0 });
        },
        90_000,
        200,
      );
      const counts = hook.countsByKey();
      // Nothing lost: every delivery arrived.
      expect([...counts.keys()].sort()).toEqual(Array.from({ length: N }, (_, i) => keyOf(i)).sort());
      // Duplicates only for the deliveries in flight when the worker died (the receiver had answered or was about
      // to, the worker died before recording it): at most one per concurrent slot, each with the same key, body
      // and valid signature, so a receiver keeping the Idempotency-Keys it has seen drops them.
      const duplicated = [...counts].filter(([, n]) => n > 1);
      expect(duplicated.length).toBeLessThanOrEqual(CONCURRENCY);
      for (const [, n] of duplicated) expect(n).toBe(2);
      for (const [key] of duplicated) expectSignedAndIdentical(hook, key);
      process.stdout.write(
        `worker crash: ${N} deliveries, ${receivedAtKill} received before the SIGKILL, ` +
          `${duplicated.length} delivered twice (in flight at the kill), ${hook.requests.length} requests in all\n`,
      );
    } finally {
      await p.close();
    }
  });

  it('Redis (AOF, fsync always) shut down and restarted in the middle of deliveries: nothing lost, nothing duplicated', async () => {
    const N = 200;
    const dir = tempDir('vigie-notify-redis-');
    let redisServer: LocalService | undefined;
    try {
      redisServer = await startRedis({ dataDir: dir.dir, appendFsync: 'always' });
      const env = isolatedEnv({
        REDIS_URL: redisServer.url,
        VIGIE_ROLE: 'worker',
        NOTIFY_CONCURRENCY: String(CONCURRENCY),
        WEBHOOK_TIMEOUT_MS: '5000',
      });
      const p = producer(env);
      try {
        await p.routes.put({
          id: 'hook',
          tenant: 'crash',
          recipients: [{ id: 'ops', webhook: hook.url }],
          webhookSecret: SECRET,
        });
        hook.setDelay(20);
        workers.push(await startApiProcess(env));
        for (let i = 0; i < N; i++) await p.dispatcher.dispatch(event(i));
        await expectEventually(() => expect(hook.requests.length).toBeGreaterThanOrEqual(40), 30_000);
        await redisServer.stop();
        const receivedWhileUp = hook.requests.length;
        // Let the deliveries in flight finish against the receiver while Redis is down: their "sent" marker and the
        // job's completion wait in the clients' offline queues (none in flight: nothing to wait for).
        const downSince = Date.now();
        while (hook.requests.length === receivedWhileUp && Date.now() - downSince < 2_000) {
          await new Promise((r) => setTimeout(r, 20));
        }
        const receivedWhileDown = hook.requests.length - receivedWhileUp;
        await redisServer.start();
        // The producer re-dispatches everything (as an evaluator replaying after the outage would) and 20 new ones.
        for (let i = 0; i < N + 20; i++) await p.dispatcher.dispatch(event(i));
        await expectEventually(
          async () => {
            const c = await p.queue.getJobCounts('completed', 'failed', 'waiting', 'active', 'delayed');
            expect(c).toMatchObject({ completed: N + 20, failed: 0, waiting: 0, active: 0, delayed: 0 });
          },
          90_000,
          200,
        );
        const counts = hook.countsByKey();
        expect([...counts.keys()].sort()).toEqual(Array.from({ length: N + 20 }, (_, i) => keyOf(i)).sort());
        expect([...counts].filter(([, n]) => n !== 1)).toEqual([]);
        expect(workers[0].isRunning()).toBe(true);
        process.stdout.write(
          `redis restart: ${N + 20} deliveries, ${receivedWhileUp} received before SHUTDOWN, ` +
            `${receivedWhileDown} while Redis was down, ` +
            `${hook.requests.length} requests in all\n`,
        );
      } finally {
        await p.close();
      }
    } finally {
      for (const w of workers) await w.kill();
      workers = [];
      await redisServer?.stop();
      dir.remove();
    }
  });
});
