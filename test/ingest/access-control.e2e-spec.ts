import {
  BrokerProcess,
  expectEventually,
  isolatedEnv,
  runVigie,
  startBrokerProcess,
  vigieJson,
} from '@vigie/testing';
import mqtt, { MqttClient } from 'mqtt';
import { DeviceCredentials, influxFor, mosquittoPub, rows } from '../support';

interface AccountCredentials {
  username: string;
  password: string;
}

describe('authentication and topic ACLs', () => {
  const env = isolatedEnv();
  const influx = influxFor(env);
  let broker: BrokerProcess;
  const dev: Record<string, DeviceCredentials> = {};
  let bridgeNorth: AccountCredentials;
  let operator: AccountCredentials;
  const clients: MqttClient[] = [];

  const connect = (creds: { username: string; password: string }, clientId: string) =>
    new Promise<MqttClient>((resolve, reject) => {
      const c = mqtt.connect({
        host: '127.0.0.1',
        port: broker.mqttPort,
        username: creds.username,
        password: creds.password,
        clientId,
        reconnectPeriod: 0,
        connectTimeout: 5000,
      });
      clients.push(c);
      c.once('connect', () => resolve(c));
      c.once('error', reject);
    });

  /** Publishes at QoS 1; resolves 'acked' or 'closed' (the broker closes on an ACL refusal). */
  const publishOutcome = (c: MqttClient, topic: string, payload: string) =>
    new Promise<'acked' | 'closed'>((resolve) => {
      c.once('close', () => resolve('closed'));
      c.publish(topic, payload, { qos: 1 }, (err) => (err ? resolve('closed') : resolve('acked')));
    });

  const subscribeGrant = (c: MqttClient, filter: string) =>
    new Promise<number>((resolve, reject) =>
      c.subscribe(filter, { qos: 1 }, (err, granted) => {
        const e = err as (Error & { code?: number; packet?: { granted?: number[] } }) | null;
        const code = e?.packet?.granted?.[0] ?? e?.code;
        if (err) return code === 128 ? resolve(128) : reject(err);
        resolve(granted?.[0]?.qos ?? -1);
      }),
    );

  const countFor = async (measurement: string, tenant: string, device: string) =>
    rows(
      await influx.query(
        `SELECT count(*) FROM ${measurement} WHERE tenant='${tenant}' AND device='${device}'`,
      ),
    )[0]?.['count_power_w'] ?? 0;

  beforeAll(async () => {
    broker = await startBrokerProcess(env);
    for (const t of ['north', 'south']) await vigieJson(['tenants', 'add', t], env);
    for (const [t, d] of [
      ['north', 'a'],
      ['north', 'b'],
      ['south', 'c'],
    ]) {
      dev[`${t}/${d}`] = await vigieJson<DeviceCredentials>(
        ['devices', 'add', '--tenant', t, '--id', d, '--kind', 'energy-meter'],
        env,
      );
    }
    bridgeNorth = await vigieJson<AccountCredentials>(
      ['accounts', 'add', '--tenant', 'north', '--id', 'bridge', '--acl', 'vigie/north/#'],
      env,
    );
    operator = await vigieJson<AccountCredentials>(['accounts', 'add', '--id', 'ops', '--acl', '#'], env);
  });

  afterAll(async () => {
    for (const c of clients) c.end(true);
    await broker.stop();
  });

  it('refuses a wrong password with CONNACK code 4, for mosquitto_pub and MQTT.js, devices and accounts', async () => {
    const r = await mosquittoPub({
      port: broker.mqttPort,
      username: 'north:a',
      password: 'wrong',
      topic: dev['north/a'].topic,
      message: '{"values":{"power_w":1}}',
    });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/bad user name or password/i);
    await expect(connect({ username: bridgeNorth.username, password: 'nope' }, 'x1')).rejects.toMatchObject({
      code: 4,
    });
    await expect(connect({ username: 'north:unknown', password: 'whatever' }, 'x2')).rejects.toMatchObject({
      code: 4,
    });
    await expect(
      connect({ username: dev['south/c'].username, password: dev['north/a'].password }, 'x3'),
    ).rejects.toMatchObject({ code: 4 });
    expect(await broker.metrics()).toMatch(
      /vigie_mqtt_connections_refused_total\{reason="bad_credentials"\} [4-9]/,
    );
  });

  it("closes a device that publishes to another device's topic, same tenant or another, and writes nothing", async () => {
    const a = await connect(dev['north/a'], 'north-a');
    expect(await publishOutcome(a, dev['north/b'].topic, '{"values":{"power_w":111}}')).toBe('closed');
    const a2 = await connect(dev['north/a'], 'north-a-2');
    expect(await publishOutcome(a2, dev['south/c'].topic, '{"values":{"power_w":222}}')).toBe('closed');
    // Barrier: a legitimate reading published after them is stored, so the refused ones would be too by now.
    const b = await connect(dev['north/b'], 'north-b');
    expect(await publishOutcome(b, dev['north/b'].topic, '{"values":{"power_w":5}}')).toBe('acked');
    await expectEventually(async () => expect(await countFor('energy_meter', 'north', 'b')).toBe(1));
    expect(await countFor('energy_meter', 'south', 'c')).toBe(0);
    const stored = rows(await influx.query(`SELECT power_w FROM energy_meter WHERE device='b'`));
    expect(stored.map((r) => r['power_w'])).toEqual([5]);
  });

  it("refuses a device's subscriptions outside its own tree", async () => {
    const a = await connect(dev['north/a'], 'north-a-sub');
    expect(await subscribeGrant(a, 'vigie/north/devices/a/#')).toBe(1);
    expect(await subscribeGrant(a, 'vigie/north/devices/b/readings')).toBe(128);
    expect(await subscribeGrant(a, 'vigie/south/#')).toBe(128);
    expect(await subscribeGrant(a, '#')).toBe(128);
    expect(await subscribeGrant(a, 'vigie/+/devices/a/#')).toBe(128);
  });

  it("lets a tenant's account publish for its devices but never across tenants", async () => {
    const bridge = await connect(bridgeNorth, 'bridge-north');
    expect(await publishOutcome(bridge, dev['north/a'].topic, '{"values":{"power_w":42}}')).toBe('acked');
    await expectEventually(async () => expect(await countFor('energy_meter', 'north', 'a')).toBe(1));
    expect(await publishOutcome(bridge, dev['south/c'].topic, '{"values":{"power_w":43}}')).toBe('closed');
    const again = await connect(bridgeNorth, 'bridge-north-2');
    expect(await subscribeGrant(again, 'vigie/north/#')).toBe(1);
    expect(await subscribeGrant(again, 'vigie/south/#')).toBe(128);
    expect(await subscribeGrant(again, 'vigie/+/devices/#')).toBe(128);
    expect(await subscribeGrant(again, '#')).toBe(128);
    const c = await connect(dev['south/c'], 'south-c');
    expect(await publishOutcome(c, dev['south/c'].topic, '{"values":{"power_w":7}}')).toBe('acked');
    await expectEventually(async () => expect(await countFor('energy_meter', 'south', 'c')).toBe(1));
    const stored = rows(await influx.query(`SELECT power_w FROM energy_meter WHERE tenant='south'`));
    expect(stored.map((r) => r['power_w'])).toEqual([7]);
  });

  it("delivers a tenant's readings to its account and the operator, never to another tenant's account", async () => {
    const south = await vigieJson<AccountCredentials>(
      ['accounts', 'add', '--tenant', 'south', '--id', 'dash', '--acl', 'vigie/south/#'],
      env,
    );
    const watcherSouth = await connect(south, 'watch-south');
    const watcherOps = await connect(operator, 'watch-ops');
    expect(await subscribeGrant(watcherSouth, 'vigie/south/#')).toBe(1);
    expect(await subscribeGrant(watcherOps, '#')).toBe(1);
    const seenSouth: string[] = [];
    const seenOps: string[] = [];
    watcherSouth.on('message', (topic) => seenSouth.push(topic));
    watcherOps.on('message', (topic) => seenOps.push(topic));
    const a = await connect(dev['north/a'], 'north-a-3');
    const c = await connect(dev['south/c'], 'south-c-2');
    expect(await publishOutcome(a, dev['north/a'].topic, '{"values":{"power_w":1}}')).toBe('acked');
    expect(await publishOutcome(c, dev['south/c'].topic, '{"values":{"power_w":2}}')).toBe('acked');
    await expectEventually(() =>
      expect(seenOps.sort()).toEqual([dev['north/a'].topic, dev['south/c'].topic].sort()),
    );
    // Each watcher has its own connection: the south one may get its message a moment after the operator.
    // North's reading was published first, so had it been forwarded to south it would come before south's own.
    await expectEventually(() => expect(seenSouth).toEqual([dev['south/c'].topic]));
  });

  it('refuses a client id held by another identity (no cross-tenant session takeover)', async () => {
    const holder = await connect(dev['north/a'], 'shared-id');
    await expect(connect(dev['south/c'], 'shared-id')).rejects.toMatchObject({ code: 2 });
    expect(holder.connected).toBe(true);
  });

  it('refuses account ACL patterns outside the tenant when the account is created', async () => {
    const r = await runVigie(
      ['accounts', 'add', '--tenant', 'north', '--id', 'sneaky', '--acl', 'vigie/south/#'],
      env,
    );
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("must lie inside the tenant's tree 'vigie/north/…'");
    const wide = await runVigie(['accounts', 'add', '--tenant', 'north', '--id', 'wide', '--acl', '#'], env);
    expect(wide.code).toBe(1);
  });
});

describe('repeated login failures from one address', () => {
  const env = isolatedEnv({ AUTH_FAIL_LIMIT: '3', AUTH_FAIL_WINDOW_S: '60' });
  let broker: BrokerProcess;

  beforeAll(async () => {
    broker = await startBrokerProcess(env);
  });
  afterAll(async () => broker.stop());

  it('are throttled: after the limit even the right password is refused (code 5) until the window ends', async () => {
    await vigieJson(['tenants', 'add', 'town'], env);
    const d = await vigieJson<DeviceCredentials>(
      ['devices', 'add', '--tenant', 'town', '--id', 'm', '--kind', 'energy-meter'],
      env,
    );
    const tryConnect = (password: string) =>
      new Promise<number>((resolve) => {
        const c = mqtt.connect({
          host: '127.0.0.1',
          port: broker.mqttPort,
          username: d.username,
          password,
          reconnectPeriod: 0,
        });
        c.once('connect', () => {
          c.end(true);
          resolve(0);
        });
        c.once('error', (err: Error & { code?: number }) => {
          c.end(true);
          resolve(err.code ?? -1);
        });
      });
    expect(await tryConnect(d.password)).toBe(0);
    for (let i = 0; i < 3; i++) expect(await tryConnect('wrong')).toBe(4);
    expect(await tryConnect(d.password)).toBe(5);
    expect(await broker.metrics()).toMatch(/vigie_mqtt_connections_refused_total\{reason="throttled"\} 1/);
  });
});
