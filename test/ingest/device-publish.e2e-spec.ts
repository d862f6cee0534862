import { BrokerProcess, expectEventually, isolatedEnv, startBrokerProcess, vigieJson } from '@vigie/testing';
import { DeviceCredentials, influxFor, mosquittoPub, rows } from '../support';

/** Midnight UTC, `days` ago: device timestamps inside the accepted window whatever today's date. */
const daysAgo = (days: number) => (Math.floor(Date.now() / 86_400_000) - days) * 86_400_000;

describe('a device publishes with mosquitto_pub -q 1', () => {
  const env = isolatedEnv();
  const influx = influxFor(env);
  let broker: BrokerProcess;
  let meter: DeviceCredentials;

  beforeAll(async () => {
    broker = await startBrokerProcess(env);
    await vigieJson(['tenants', 'add', 'lyon', '--name', 'Ville de Lyon'], env);
    await vigieJson(['sites', 'add', '--tenant', 'lyon', 'school-1', '--attr', 'surface_m2=1200'], env);
    meter = await vigieJson<DeviceCredentials>(
      [
        'devices',
        'add',
        '--tenant',
        'lyon',
        '--id',
        'meter-1',
        '--kind',
        'energy-meter',
        '--site',
        'school-1',
      ],
      env,
    );
  });

  afterAll(async () => {
    await broker.stop();
  });

  const pub = (message: string) =>
    mosquittoPub({
      port: broker.mqttPort,
      clientId: 'meter-1',
      username: meter.username,
      password: meter.password,
      topic: meter.topic,
      message,
    });

  it('prints credentials and the topic once, as JSON', () => {
    expect(meter.username).toBe('lyon:meter-1');
    expect(meter.topic).toBe('vigie/lyon/devices/meter-1/readings');
    expect(Buffer.from(meter.password, 'base64url').length).toBeGreaterThanOrEqual(16);
  });

  it('stores a single reading with the right measurement, tags, fields and timestamp', async () => {
    const ts = daysAgo(3) + 6 * 3_600_000 + 250;
    const r = await pub(
      `{"ts":"${new Date(ts).toISOString()}","values":{"energy_kwh":1234.5,"power_w":830}}`,
    );
    expect(r).toEqual({ code: 0, stderr: '' });
    // The complete point, eventually (InfluxDB 1.x can answer between the fields of one point being written).
    await expectEventually(async () => {
      const got = rows(await influx.query(`SELECT * FROM energy_meter WHERE time = ${ts}ms`));
      expect(got).toEqual([
        { time: ts, tenant: 'lyon', site: 'school-1', device: 'meter-1', energy_kwh: 1234.5, power_w: 830 },
      ]);
    });
  });

  it('stores every reading of a batch', async () => {
    const t0 = daysAgo(2);
    const batch = Array.from({ length: 20 }, (_, i) => ({
      ts: t0 + i * 900_000,
      values: { energy_kwh: 2000 + i, power_w: 100 * i },
    }));
    expect((await pub(JSON.stringify(batch))).code).toBe(0);
    const got = await expectEventually(async () => {
      const r = rows(
        await influx.query(
          `SELECT energy_kwh, power_w FROM energy_meter WHERE time >= ${t0}ms AND time < ${t0 + 86_400_000}ms`,
        ),
      );
      expect(r).toHaveLength(20);
      return r;
    });
    expect(got.map((r) => [r['time'], r['energy_kwh'], r['power_w']])).toEqual(
      batch.map((b) => [b.ts, b.values.energy_kwh, b.values.power_w]),
    );
  });

  it('stores a SenML pack, resolving base name, base time, relative times and units', async () => {
    const bt = daysAgo(1) / 1000 + 12 * 3600;
    const pack = [
      { bn: 'urn:dev:eui64:70b3d57ed0001234:', bt, n: 'power_w', u: 'kW', v: 1.8305 },
      { n: 'energy_kwh', u: 'Wh', s: 4521600 },
      { n: 'power_w', t: 900, v: 1795 },
    ];
    expect((await pub(JSON.stringify(pack))).code).toBe(0);
    const got = await expectEventually(async () => {
      const r = rows(
        await influx.query(
          `SELECT energy_kwh, power_w FROM energy_meter WHERE time >= ${bt * 1000}ms AND time <= ${bt * 1000 + 900_000}ms`,
        ),
      );
      expect(r).toHaveLength(2);
      return r;
    });
    expect(got[0]).toMatchObject({ time: bt * 1000, energy_kwh: 4521.6 });
    expect(got[0]['power_w']).toBeCloseTo(1830.5, 9);
    expect(got[1]).toEqual({ time: bt * 1000 + 900_000, energy_kwh: null, power_w: 1795 });
  });

  it('records when the device was last seen', async () => {
    const devices = await expectEventually(
      async () => {
        const list = await vigieJson<{ id: string; lastSeen?: string }[]>(
          ['devices', 'list', '--tenant', 'lyon'],
          env,
        );
        expect(list[0].lastSeen).toBeDefined();
        return list;
      },
      15_000,
      500,
    );
    expect(Date.now() - Date.parse(devices[0].lastSeen as string)).toBeLessThan(60_000);
  });

  it('dead-letters a refused payload with its reason and keeps the connection for valid ones', async () => {
    expect((await pub('{"values":{"power_w":"NaN"}}')).code).toBe(0);
    const letters = await expectEventually(async () => {
      const list = await vigieJson<{ reasons: string; device: string; payload: string }[]>(
        ['deadletters', 'list', '--tenant', 'lyon'],
        env,
      );
      expect(list).toHaveLength(1);
      return list;
    });
    expect(letters[0]).toMatchObject({
      reasons: 'wrong_type',
      device: 'meter-1',
      payload: '{"values":{"power_w":"NaN"}}',
    });
    const metrics = await broker.metrics();
    expect(metrics).toMatch(/vigie_readings_rejected_total\{reason="wrong_type"\} 1/);
  });
});
