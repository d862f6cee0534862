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
 * The durability contract: InfluxDB stopped for 60 s while 10 devices publish 1,000 readings/s at QoS 1,
 * and the broker killed (SIGKILL) and restarted once during the outage. Once InfluxDB is back, every reading
 * whose PUBACK the device received is in InfluxDB exactly once.
 */
const DEVICES = 10;
const PER_DEVICE_PER_S = 100;
const OUTAGE_MS = 60_000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('InfluxDB outage with a broker crash in the middle', () => {
  const data = tempDir('vigie-outage-');
  let influxd: LocalService;
  let env: Record<string, string>;
  let broker: BrokerProcess;
  const clients: MqttClient[] = [];

  beforeAll(async () => {
    influxd = await startInfluxd({ dataDir: data.dir });
    env = isolatedEnv({ INFLUX_URL: influxd.url, DEVICE_PUBLISH_RATE: '1000', WRITE_BATCH_LINES: '5000' });
    broker = await startBrokerProcess(env);
  });

  afterAll(async () => {
    for (const c of clients) c.end(true);
    await broker.stop();
    await influxd.stop();
    data.remove();
  });

  it('loses no acknowledged reading and stores none twice', async () => {
    await vigieJson(['tenants', 'add', 'town'], env);
    const acked = new Map<string, Set<number>>();
    const published = new Map<string, number>();
    let stopPublishing = false;
    const loops: Promise<void>[] = [];
    const startTs = Date.now() - 1000;

    for (let d = 0; d < DEVICES; d++) {
      const id = `meter-${d}`;
      const creds = await vigieJson<DeviceCredentials>(
        ['devices', 'add', '--tenant', 'town', '--id', id, '--kind', 'energy-meter'],
        env,
      );
      const client = mqtt.connect({
        host: '127.0.0.1',
        port: broker.mqttPort,
        username: creds.username,
        password: creds.password,
        clientId: id,
        clean: false,
        reconnectPeriod: 250,
        connectTimeout: 2000,
      });
      client.on('error', () => undefined);
      clients.push(client);
      acked.set(id, new Set());
      published.set(id, 0);
      await new Promise((resolve) => client.once('connect', resolve));
      // Each device: one reading per message every 10 ms, timestamp = start + seq ms (unique per device).
      loops.push(
        (async () => {
          let seq = 0;
          const began = Date.now();
          while (!stopPublishing) {
            const s = seq++;
            published.set(id, seq);
            client.publish(
              creds.topic,
              JSON.stringify({ ts: startTs + s, values: { power_w: s } }),
              { qos: 1 },
              (err) => {
                if (!err) acked.get(id)?.add(s);
              },
            );
            const due = began + seq * (1000 / PER_DEVICE_PER_S);
            await sleep(Math.max(0, due - Date.now()));
          }
        })(),
      );
    }

    await sleep(5000);
    await influxd.stop();
    await sleep(OUTAGE_MS / 2);
    const port = broker.mqttPort;
    await broker.kill();
    broker = await startBrokerProcess({ ...env, MQTT_PORT: String(port) });
    // The restarted broker is ready without InfluxDB (its spool rides out the outage) and says InfluxDB is down.
    const readyz = await fetch(`http://127.0.0.1:${broker.metricsPort}/readyz`);
    const probe = (await readyz.json()) as { status: string; checks: Record<string, string> };
    expect([readyz.status, probe.status, probe.checks['redis']]).toEqual([200, 'ready', 'up']);
    expect(probe.checks['influxdb']).not.toBe('up');
    await sleep(OUTAGE_MS / 2);
    await influxd.start();
    await sleep(5000);
    stopPublishing = true;
    await Promise.all(loops);
    // Let in-flight publishes get their PUBACK.
    await expectEventually(
      () => expect(clients.every((c) => Object.keys(c.outgoing ?? {}).length === 0)).toBe(true),
      30_000,
      200,
    );

    const totalAcked = [...acked.values()].reduce((n, s) => n + s.size, 0);
    const totalPublished = [...published.values()].reduce((n, v) => n + v, 0);
    expect(totalPublished).toBeGreaterThan(DEVICES * PER_DEVICE_PER_S * 60);
    expect(totalAcked).toBeGreaterThan(totalPublished * 0.9);

    const influx = influxFor(env);
    await expectEventually(
      async () => {
        const counts = rows(await influx.query('SELECT count(power_w) FROM energy_meter'));
        expect(Number(counts[0]?.['count'] ?? 0)).toBeGreaterThanOrEqual(totalAcked);
      },
      120_000,
      1000,
    );
    for (const [id, seqs] of acked) {
      const stored = rows(await influx.query(`SELECT power_w FROM energy_meter WHERE device='${id}'`)).map(
        (r) => Number(r['power_w']),
      );
      const storedSet = new Set(stored);
      expect(storedSet.size).toBe(stored.length); // exactly once
      const missing = [...seqs].filter((s) => !storedSet.has(s));
      expect({ device: id, missing: missing.length }).toEqual({ device: id, missing: 0 });
      expect(stored.every((s) => s < (published.get(id) ?? 0))).toBe(true);
    }
    await expectEventually(
      async () => expect(metricValue(await broker.metrics(), 'vigie_spool_lines')).toBe(0),
      10_000,
      250,
    );
  }, 240_000);
});
