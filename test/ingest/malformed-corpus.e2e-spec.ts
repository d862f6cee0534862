import { findDeviceKind } from '@vigie/devices';
import { dryRunIngestor } from '@vigie/ingest';
import {
  BrokerProcess,
  expectEventually,
  isolatedEnv,
  loadGoldenCases,
  metricValue,
  startBrokerProcess,
  vigieJson,
} from '@vigie/testing';
import mqtt, { MqttClient } from 'mqtt';
import { DeviceCredentials, influxFor, rows } from '../support';

/**
 * Replays every refused payload of the golden corpus through the real broker, each between two valid
 * readings: each is dead-lettered with its reasons and counted in /metrics, every valid reading is stored,
 * and the broker process is the same one at the end.
 */
const corpus = loadGoldenCases().filter((c) => c.expectedErrors.length > 0);

/** What the pure pipeline refuses for this payload when received now (the corpus fixes its own clock). */
const pure = dryRunIngestor();

describe('a corpus of malformed payloads sent between valid readings', () => {
  const env = isolatedEnv({ DEVICE_PUBLISH_RATE: '1000' });
  const influx = influxFor(env);
  let broker: BrokerProcess;
  const clients = new Map<string, MqttClient>();
  const creds = new Map<string, DeviceCredentials>();

  beforeAll(async () => {
    broker = await startBrokerProcess(env);
    await vigieJson(['tenants', 'add', 'town'], env);
    const kinds = [...new Set(['energy-meter', ...corpus.map((c) => c.kind)])];
    for (const kind of kinds) {
      const d = await vigieJson<DeviceCredentials>(
        ['devices', 'add', '--tenant', 'town', '--id', kind, '--kind', kind],
        env,
      );
      creds.set(kind, d);
      const client = mqtt.connect({
        host: '127.0.0.1',
        port: broker.mqttPort,
        username: d.username,
        password: d.password,
        clientId: kind,
        reconnectPeriod: 0,
      });
      await new Promise((resolve, reject) => client.once('connect', resolve).once('error', reject));
      clients.set(kind, client);
    }
  });

  afterAll(async () => {
    for (const c of clients.values()) c.end(true);
    await broker.stop();
  });

  const publish = (kind: string, payload: Buffer | string) =>
    new Promise<void>((resolve, reject) =>
      (clients.get(kind) as MqttClient).publish(
        (creds.get(kind) as DeviceCredentials).topic,
        payload,
        { qos: 1 },
        (err) => (err ? reject(err) : resolve()),
      ),
    );

  it(`dead-letters each of the ${corpus.length} refused payloads with its reason and stores every valid reading`, async () => {
    expect(corpus.length).toBeGreaterThanOrEqual(50);
    const pid = broker.pid;
    const t0 = Date.now() - 60_000;
    const expected: { name: string; reasons: string[]; accepted: number }[] = [];
    let valid = 0;
    for (const [i, c] of corpus.entries()) {
      await publish('energy-meter', JSON.stringify({ ts: t0 + i, values: { power_w: i } }));
      valid++;
      const kind = findDeviceKind(c.kind);
      const { outcome } = pure.prepare(
        { tenant: 'town', device: c.kind, kind },
        'topic',
        c.input,
        Date.now(),
      );
      expected.push({
        name: c.name,
        reasons: [...new Set(outcome.rejections.map((r) => r.reason))],
        accepted: outcome.accepted,
      });
      await publish(c.kind, c.input);
    }
    await publish(
      'energy-meter',
      JSON.stringify({ ts: t0 + corpus.length, values: { power_w: corpus.length } }),
    );
    valid++;

    const letters = await expectEventually(async () => {
      const list = await vigieJson<{ device: string; reasons: string; accepted: number }[]>(
        ['deadletters', 'list', '--tenant', 'town', '--limit', '1000'],
        env,
      );
      expect(list).toHaveLength(corpus.length);
      return list.reverse();
    });
    expect(
      letters.map((l, i) => ({ name: corpus[i].name, reasons: l.reasons.split(','), accepted: l.accepted })),
    ).toEqual(expected);
    for (const e of expected) expect(e.reasons.length).toBeGreaterThan(0);

    const stored = await expectEventually(async () => {
      const r = rows(
        await influx.query(
          `SELECT power_w FROM energy_meter WHERE device='energy-meter' AND time >= ${t0}ms AND time <= ${t0 + corpus.length}ms`,
        ),
      );
      expect(r).toHaveLength(valid);
      return r;
    });
    expect(stored.map((r) => r['power_w'])).toEqual(Array.from({ length: valid }, (_, i) => i));

    const metrics = await broker.metrics();
    const totalRejected = expected.reduce((n, e) => n + e.reasons.length, 0);
    let counted = 0;
    for (const reason of new Set(expected.flatMap((e) => e.reasons))) {
      const v = metricValue(metrics, `vigie_readings_rejected_total{reason="${reason}"}`);
      expect(v).toBeGreaterThan(0);
      counted += v;
    }
    expect(counted).toBeGreaterThanOrEqual(totalRejected);
    // The `rejected` measurement counts the same refusals per reason, for Grafana (one point per payload and
    // reason; payloads here are at least one acknowledged publish apart, so no two share a millisecond).
    const perReason = await expectEventually(async () => {
      const series = await influx.query(
        `SELECT sum("readings") FROM "rejected" WHERE "tenant" = 'town' AND time >= ${t0}ms GROUP BY "reason"`,
      );
      const sums: Record<string, number> = Object.fromEntries(
        series.map((s) => [s.tags?.['reason'] ?? '', Number(s.values[0][1])]),
      );
      expect(Object.values(sums).reduce((a, b) => a + b, 0)).toBe(counted);
      return sums;
    });
    for (const [reason, n] of Object.entries(perReason))
      expect([reason, n]).toEqual([
        reason,
        metricValue(metrics, `vigie_readings_rejected_total{reason="${reason}"}`),
      ]);
    expect(Object.keys(perReason).sort()).toEqual([...new Set(expected.flatMap((e) => e.reasons))].sort());
    expect(metricValue(metrics, 'vigie_dead_letters_total')).toBe(corpus.length);
    expect(broker.isRunning()).toBe(true);
    expect(broker.pid).toBe(pid);
    for (const c of clients.values()) expect(c.connected).toBe(true);
  });
});
