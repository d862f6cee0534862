import { KpiRunStatus } from '@vigie/kpi';
import { BrokerProcess, expectEventually, isolatedEnv, startBrokerProcess, vigieJson } from '@vigie/testing';
import { DeviceCredentials, influxFor, mosquittoPub, rows } from '../support';

/** One point of the `kpi` measurement as InfluxQL returns it. */
export interface KpiRow {
  time: number;
  tenant: string;
  kpi: string;
  subject: string;
  window: string;
  method: string | null;
  value: number;
  completeness: number;
}

/** A reading as published by a test device: epoch-ms time and metric values. */
export interface TestReading {
  readonly ts: number;
  readonly values: Record<string, number | boolean>;
}

/**
 * The set-up every `vigie kpi compute` end-to-end test shares: an isolated environment (its own InfluxDB database
 * and Redis prefix) with a real broker process started before the suite's tests and stopped after them; helpers
 * to provision sites and devices through the CLI, publish readings with `mosquitto_pub`, wait until they are
 * stored, run `vigie kpi compute` and read the `kpi` measurement back. Call it at the top of a `describe`.
 */
export function kpiHarness(tenant: string, envOverrides: Record<string, string> = {}) {
  const env = isolatedEnv({ INGEST_MAX_PAST_DAYS: '3650', ...envOverrides });
  const influx = influxFor(env);
  const creds = new Map<string, DeviceCredentials>();
  let broker: BrokerProcess | undefined;

  beforeAll(async () => {
    broker = await startBrokerProcess(env);
    await vigieJson(['tenants', 'add', tenant], env);
  });
  afterAll(async () => {
    await broker?.stop();
  });

  const addSite = (id: string, ...attrs: string[]) =>
    vigieJson(['sites', 'add', '--tenant', tenant, id, ...attrs.flatMap((a) => ['--attr', a])], env);

  const addDevice = async (id: string, kind: string, site: string, intervalS: number) => {
    const c = await vigieJson<DeviceCredentials>(
      [
        'devices',
        'add',
        '--tenant',
        tenant,
        '--id',
        id,
        '--kind',
        kind,
        '--site',
        site,
        '--interval',
        String(intervalS),
      ],
      env,
    );
    creds.set(id, c);
    return c;
  };

  const publish = async (device: string, readings: readonly TestReading[]) => {
    const c = creds.get(device);
    if (!c || !broker) throw new Error(`no device ${device}, or no broker`);
    const r = await mosquittoPub({
      port: broker.mqttPort,
      username: c.username,
      password: c.password,
      topic: c.topic,
      message: JSON.stringify(readings),
    });
    if (r.code !== 0) throw new Error(`mosquitto_pub for ${device} exited ${r.code}: ${r.stderr}`);
  };

  /** Waits until `expected` readings of `measurement` are stored for the tenant. */
  const stored = async (measurement: string, expected: number) =>
    expectEventually(async () => {
      const got = rows(
        await influx.query(`SELECT count(*) FROM ${measurement} WHERE tenant = '${tenant}'`),
      )[0] as Record<string, number> | undefined;
      const counts = Object.entries(got ?? {}).filter(([k]) => k.startsWith('count_'));
      const n = Math.max(0, ...counts.map(([, v]) => v));
      if (n !== expected) throw new Error(`${n} ${measurement} readings stored, waiting for ${expected}`);
    });

  /** The tenant's KPI points (optionally filtered by an InfluxQL condition), sorted by kpi, subject, time. */
  const kpiRows = async (where = ''): Promise<KpiRow[]> =>
    (
      rows(
        await influx.query(`SELECT * FROM kpi WHERE tenant = '${tenant}'${where ? ` AND ${where}` : ''}`),
      ) as unknown as KpiRow[]
    ).sort(
      (a, b) =>
        a.kpi.localeCompare(b.kpi) ||
        a.subject.localeCompare(b.subject) ||
        a.time - b.time ||
        String(a.method).localeCompare(String(b.method)),
    );

  /** The one stored point of `kpi` for `subject` at `time` (and `method`); fails unless exactly one exists. */
  const one = async (kpi: string, subject: string, time: number, method?: string): Promise<KpiRow> => {
    const found = (await kpiRows()).filter(
      (r) =>
        r.kpi === kpi &&
        r.subject === subject &&
        r.time === time &&
        (method === undefined || r.method === method),
    );
    expect(found).toHaveLength(1);
    return found[0];
  };

  /** Runs `vigie kpi compute --json` for the tenant. */
  const compute = (from: string, to: string, extra: string[] = []) =>
    vigieJson<KpiRunStatus>(
      ['kpi', 'compute', '--tenant', tenant, '--from', from, '--to', to, ...extra],
      env,
    );

  return {
    env,
    influx,
    broker: () => {
      if (!broker) throw new Error('broker not started (use the harness inside a describe)');
      return broker;
    },
    addSite,
    addDevice,
    publish,
    stored,
    kpiRows,
    one,
    compute,
  };
}
