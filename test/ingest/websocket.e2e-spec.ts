import { freePort } from '@vigie/local-services';
import { BrokerProcess, expectEventually, isolatedEnv, startBrokerProcess, vigieJson } from '@vigie/testing';
import mqtt from 'mqtt';
import { DeviceCredentials, influxFor, rows } from '../support';

describe('MQTT over WebSocket (MQTT_WS_PORT)', () => {
  let env: Record<string, string>;
  let broker: BrokerProcess;
  let wsPort: number;

  beforeAll(async () => {
    wsPort = await freePort();
    env = isolatedEnv({ MQTT_WS_PORT: String(wsPort) });
    broker = await startBrokerProcess(env);
  });
  afterAll(async () => broker.stop());

  it('authenticates, applies the same policy and stores readings', async () => {
    await vigieJson(['tenants', 'add', 'town'], env);
    const d = await vigieJson<DeviceCredentials>(
      ['devices', 'add', '--tenant', 'town', '--id', 'lamp-1', '--kind', 'light-controller'],
      env,
    );
    await expect(
      new Promise((resolve, reject) => {
        const bad = mqtt.connect(`ws://127.0.0.1:${wsPort}`, {
          username: d.username,
          password: 'wrong',
          reconnectPeriod: 0,
        });
        bad.once('connect', resolve).once('error', (err) => {
          bad.end(true);
          reject(err);
        });
      }),
    ).rejects.toMatchObject({ code: 4 });
    const client = mqtt.connect(`ws://127.0.0.1:${wsPort}`, {
      username: d.username,
      password: d.password,
      reconnectPeriod: 0,
    });
    await new Promise((resolve, reject) => client.once('connect', resolve).once('error', reject));
    const ts = Date.now() - 1000;
    await client.publishAsync(
      d.topic,
      JSON.stringify({ ts, values: { lamp_on: true, power_w: 48.5, dim_pct: 70 } }),
      { qos: 1 },
    );
    client.end(true);
    // The complete point, eventually (InfluxDB 1.x can answer between the fields of one point being written).
    await expectEventually(async () => {
      const r = rows(await influxFor(env).query('SELECT * FROM light_controller'));
      expect(r).toEqual([
        { time: ts, tenant: 'town', device: 'lamp-1', lamp_on: true, power_w: 48.5, dim_pct: 70 },
      ]);
    });
  });

  it('stops cleanly (exit 0, no forced exit) with TCP and WebSocket clients still connected', async () => {
    const d = await vigieJson<DeviceCredentials>(
      ['devices', 'add', '--tenant', 'town', '--id', 'm-stop', '--kind', 'energy-meter'],
      env,
    );
    const connect = (url: string, clientId: string) =>
      new Promise<mqtt.MqttClient>((resolve, reject) => {
        const c = mqtt.connect(url, {
          username: d.username,
          password: d.password,
          clientId,
          reconnectPeriod: 0,
        });
        c.once('connect', () => resolve(c)).once('error', reject);
      });
    const tcp = await connect(`mqtt://127.0.0.1:${broker.mqttPort}`, 'tcp-1');
    const ws = await connect(`ws://127.0.0.1:${wsPort}`, 'ws-1');
    const closed = Promise.all([tcp, ws].map((c) => new Promise<void>((r) => c.once('close', () => r()))));
    expect(await broker.stop()).toBe(0);
    await closed;
    expect(broker.logs.join('\n')).not.toContain('graceful stop took more than');
  });
});
