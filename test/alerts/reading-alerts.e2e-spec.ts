import { AlertRoutesRepository, createRedis, Redis, RedisKeys, webhookSignature } from '@vigie/adapters';
import {
  ApiProcess,
  BrokerProcess,
  expectEventually,
  isolatedEnv,
  startApiProcess,
  createApiKey,
  startBrokerProcess,
  startSmtpServer,
  startWebhookReceiver,
  TestSmtpServer,
  TestWebhookReceiver,
  vigieJson,
} from '@vigie/testing';
import { DeviceCredentials, influxFor, mosquittoPub, rows } from '../support';

const SECRET = 'e2e-webhook-secret';

/**
 * The whole path: a bin publishes with mosquitto_pub through `vigie broker`; `vigie api` (role all) evaluates the
 * readings as they arrive, stores the alerts, writes their events to InfluxDB (`alert`) and notifies the routes by
 * a real SMTP server and a real HTTP receiver.
 */
describe('alerts on readings, from a publish to the right people', () => {
  let smtp: TestSmtpServer;
  let hook: TestWebhookReceiver;
  let env: Record<string, string>;
  let broker: BrokerProcess;
  let api: ApiProcess;
  let token: string;
  let bin: DeviceCredentials;
  let redis: Redis;

  beforeAll(async () => {
    smtp = await startSmtpServer();
    hook = await startWebhookReceiver();
    env = isolatedEnv({ SMTP_URL: smtp.url, SMTP_FROM: 'vigie@ville.test', VIGIE_ROLE: 'all' });
    broker = await startBrokerProcess(env);
    api = await startApiProcess(env);
    token = await createApiKey(env);
    await vigieJson(['tenants', 'add', 'lille'], env);
    await vigieJson(
      ['sites', 'add', '--tenant', 'lille', 'gare', '--attr', 'lat=50.63', '--attr', 'lon=3.07'],
      env,
    );
    bin = await vigieJson<DeviceCredentials>(
      [
        'devices',
        'add',
        '--tenant',
        'lille',
        '--id',
        'bin-gare-021',
        '--kind',
        'bin-sensor',
        '--site',
        'gare',
      ],
      env,
    );
    redis = createRedis(env['REDIS_URL'], { name: 'e2e-alerts' });
    const routes = new AlertRoutesRepository(redis, new RedisKeys(env['REDIS_PREFIX']));
    // On-call: critical alerts of every domain, by e-mail and signed webhook. The lighting team: lighting only.
    await routes.put({
      id: 'oncall',
      tenant: 'lille',
      severities: ['critical'],
      recipients: [{ id: 'astreinte', email: 'astreinte@ville.test', webhook: hook.url }],
      webhookSecret: SECRET,
    });
    await routes.put({
      id: 'lighting',
      tenant: 'lille',
      domains: ['lighting'],
      recipients: [{ id: 'eclairage', email: 'eclairage@ville.test' }],
    });
  });

  afterAll(async () => {
    await api?.stop();
    await broker?.stop();
    redis?.disconnect();
    await hook?.close();
    await smtp?.close();
  });

  const publish = (ts: number, temperature: number) =>
    mosquittoPub({
      port: broker.mqttPort,
      clientId: 'bin-gare-021',
      username: bin.username,
      password: bin.password,
      topic: bin.topic,
      message: JSON.stringify({ ts, values: { fill_pct: 40, temperature_c: temperature } }),
    });

  it('a bin burning: on-call told once by e-mail and webhook, the lighting team not at all; resolved when it cools', async () => {
    const t0 = Date.now() - 20 * 60_000;
    expect((await publish(t0, 21)).code).toBe(0);
    expect((await publish(t0 + 5 * 60_000, 78)).code).toBe(0);
    // Two critical alerts: 78 °C ≥ 60 °C, and +57 °C within 10 min.
    await expectEventually(() => expect(hook.accepted()).toHaveLength(2), 20_000);
    const fired = hook
      .accepted()
      .map((r) => JSON.parse(r.body) as { type: string; alert: Record<string, unknown> });
    expect(fired.map((e) => [e.type, e.alert['rule'], e.alert['subject'], e.alert['value']]).sort()).toEqual([
      ['fired', 'waste.fire_temperature', 'bin-gare-021', 78],
      ['fired', 'waste.temperature_rise', 'bin-gare-021', 78],
    ]);
    const fire = fired.find((e) => e.alert['rule'] === 'waste.fire_temperature');
    expect(fire?.alert).toMatchObject({
      since: t0 + 5 * 60_000,
      threshold: 60,
      severity: 'critical',
      site: 'gare',
    });
    for (const r of hook.accepted()) {
      expect(r.headers['x-vigie-signature']).toBe(
        webhookSignature(SECRET, String(r.headers['x-vigie-timestamp']), r.body),
      );
    }
    await expectEventually(() => expect(smtp.messages).toHaveLength(2), 20_000);
    expect(smtp.messages.every((m) => m.to.join() === 'astreinte@ville.test')).toBe(true);
    expect(smtp.messages.map((m) => m.subject).sort()).toEqual([
      '[CRITICAL] Bin temperature at fire level — bin-gare-021',
      '[CRITICAL] Bin temperature rising fast — bin-gare-021',
    ]);

    // A replayed reading (same time, same value) raises nothing more.
    expect((await publish(t0 + 5 * 60_000, 78)).code).toBe(0);
    // Cooling down to 30 °C clears both (≤ 50 °C; the rise over 10 min is below 2 °C… of the lowest: 30 − 30).
    expect((await publish(t0 + 16 * 60_000, 30)).code).toBe(0);
    await expectEventually(() => expect(hook.accepted()).toHaveLength(4), 20_000);
    const resolved = hook
      .accepted()
      .slice(2)
      .map((r) => JSON.parse(r.body) as { type: string; alert: Record<string, unknown> });
    expect(resolved.map((e) => [e.type, e.alert['state']])).toEqual([
      ['resolved', 'resolved'],
      ['resolved', 'resolved'],
    ]);

    // The alerts as the API lists them, and their events in InfluxDB for Grafana's annotations.
    const res = await fetch(`${api.url}/api/v1/tenants/lille/alerts?subject=bin-gare-021`, {
      headers: { authorization: `Bearer ${token}` },
    });
    const listed = ((await res.json()) as { alerts: { rule: string; state: string }[] }).alerts;
    expect(listed.map((a) => [a.rule, a.state]).sort()).toEqual([
      ['waste.fire_temperature', 'resolved'],
      ['waste.temperature_rise', 'resolved'],
    ]);
    const influx = influxFor(env);
    await expectEventually(async () => {
      const events = rows(await influx.query(`SELECT * FROM "alert" WHERE "tenant" = 'lille'`));
      expect(events.map((e) => [e['rule'], e['event']]).sort()).toEqual([
        ['waste.fire_temperature', 'fired'],
        ['waste.fire_temperature', 'resolved'],
        ['waste.temperature_rise', 'fired'],
        ['waste.temperature_rise', 'resolved'],
      ]);
    }, 20_000);

    // Once: nothing more arrives.
    await new Promise((r) => setTimeout(r, 1500));
    expect(hook.requests).toHaveLength(4);
    expect(new Set(hook.requests.map((r) => r.headers['idempotency-key'])).size).toBe(4);
    expect(smtp.messages).toHaveLength(4);
    expect(smtp.messages.some((m) => m.to.includes('eclairage@ville.test'))).toBe(false);
  });
});
