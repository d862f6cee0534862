import { LocalService, startInfluxd } from '@vigie/local-services';
import {
  BrokerProcess,
  expectEventually,
  isolatedEnv,
  metricValue,
  startBrokerProcess,
  tempDir,
  vigieJson,
} from '@vigie/testing';
import mqtt, { MqttClient } from 'mqtt';
import { DeviceCredentials, influxFor, rows } from '../support';

/**
 * Back-pressure: with InfluxDB down, once more than SPOOL_MAX_LINES readings wait in the spool the broker
 * stops acknowledging (devices slow down instead of Redis filling up); when InfluxDB is back, the waiting
 * publishes are acknowledged and every reading is stored once.
 */
const SPOOL_MAX_LINES = 100;
const MESSAGES = 800;
const PER_S = 100;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('spool back-pressure while InfluxDB is down', () => {
  const data = tempDir('vigie-backpressure-');
  let influxd: LocalService;
  let env: Record<string, string>;
  let broker: BrokerProcess;
  let client: MqttClient;

  beforeAll(async () => {
    influxd = await startInfluxd({ dataDir: data.dir });
    env = isolatedEnv({
      INFLUX_URL: influxd.url,
      DEVICE_PUBLISH_RATE: '1000',
      SPOOL_MAX_LINES: String(SPOOL_MAX_LINES),
    });
    broker = await startBrokerProcess(env);
  });

  afterAll(async () => {
    client?.end(true);
    await broker.stop();
    await influxd.stop();
    data.remove();
  });

  it('stops acknowledging past the cap, resumes when InfluxDB is back, and loses nothing', async () => {
    await vigieJson(['tenants', 'add', 'town'], env);
    const creds = await vigieJson<DeviceCredentials>(
      ['devices', 'add', '--tenant', 'town', '--id', 'meter-1', '--kind', 'energy-meter'],
      env,
    );
    client = mqtt.connect({
      host: '127.0.0.1',
      port: broker.mqttPort,
      username: creds.username,
      password: creds.password,
      clientId: 'meter-1',
      reconnectPeriod: 250,
    });
    client.on('error', () => undefined);
    await new Promise((resolve) => client.once('connect', resolve));
    await influxd.stop();

    const acked = new Set<number>();
    const startTs = Date.now() - 60_000;
    const began = Date.now();
    for (let s = 0; s < MESSAGES; s++) {
      client.publish(
        creds.topic,
        JSON.stringify({ ts: startTs + s, values: { power_w: s } }),
        { qos: 1 },
        (err) => {
          if (!err) acked.add(s);
        },
      );
      await sleep(Math.max(0, began + (s + 1) * (1000 / PER_S) - Date.now()));
    }
    // Publishing took 8 s. The broker refreshes the spool depth once a second, so it may take up to a
    // second of traffic (100 readings) past the cap before acknowledgements wait.
    const whileDown = acked.size;
    expect(whileDown).toBeGreaterThanOrEqual(SPOOL_MAX_LINES);
    expect(whileDown).toBeLessThanOrEqual(SPOOL_MAX_LINES + 3 * PER_S);
    await sleep(3000);
    expect(acked.size).toBe(whileDown); // nothing more acknowledged while InfluxDB is down
    const depth = metricValue(await broker.metrics(), 'vigie_spool_lines');
    expect(depth).toBeGreaterThanOrEqual(SPOOL_MAX_LINES);
    expect(depth).toBeLessThanOrEqual(whileDown);
    expect(broker.isRunning()).toBe(true);

    await influxd.start();
    await expectEventually(() => expect(acked.size).toBe(MESSAGES), 60_000, 250);
    const influx = influxFor(env);
    await expectEventually(
      async () => {
        const stored = rows(
          await influx.query(`SELECT power_w FROM energy_meter WHERE device='meter-1'`),
        ).map((r) => Number(r['power_w']));
        expect(stored.length).toBe(MESSAGES);
        expect(new Set(stored).size).toBe(MESSAGES);
      },
      60_000,
      500,
    );
    await expectEventually(
      async () => expect(metricValue(await broker.metrics(), 'vigie_spool_lines')).toBe(0),
      10_000,
      250,
    );
  }, 120_000);
});
