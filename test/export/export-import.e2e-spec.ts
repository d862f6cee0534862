import {
  AlertRepository,
  AlertRoutesRepository,
  createRedis,
  Redis,
  RedisKeys,
  RegistryRepository,
} from '@vigie/adapters';
import { findDeviceKind } from '@vigie/devices';
import { DataPackage, parseCsv } from '@vigie/export';
import { localDay } from '@vigie/domain';
import {
  BrokerProcess,
  expectEventually,
  isolatedEnv,
  runVigie,
  startBrokerProcess,
  tempDir,
  TEST_CREDENTIAL_KEY,
  vigieJson as testingVigieJson,
} from '@vigie/testing';
import { cpSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { influxFor, rows } from '../support';

/**
 * Issue #7's round trip: the demo town backfilled through the real broker, its KPIs computed, a route and a rule
 * override added; `vigie export` of the tenant, `vigie import` of the archive into an empty platform (another
 * InfluxDB database and Redis prefix on the same servers) gives back the same registry, the same number of
 * readings per device and measurement, the same KPI points and the same alerting configuration.
 */
const ROOT = join(__dirname, '..', '..');
const SCENARIO = join(ROOT, 'devices', 'scenarios', 'demo-town.yaml');
const TENANT = 'demo-town';
/** KPIs computed before the export: one or more of each domain (the quick ones; all 35 take ~40 s here). */
const BACKFILL = '12h';
const KPIS = ['B1', 'B3', 'W1', 'W3', 'K2', 'L5', 'L7', 'X3'];

/** Long enough for a backfill, an export and an import. */
const LONG = { timeoutMs: 120_000 };
const vigie = (args: string[], env: Record<string, string>) => runVigie(args, env, LONG);
const vigieJson = <T>(args: string[], env: Record<string, string>) => testingVigieJson<T>(args, env, LONG);

/** Every file under `dir`, relative, with / separators. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath, e.name)).split('\\').join('/'))
    .sort();
}

type Row = Record<string, unknown>;
/** The registry and alerting stores of one platform (its Redis prefix), read in-process. */
function storesOf(env: Record<string, string>, redis: Redis) {
  const keys = new RedisKeys(env['REDIS_PREFIX']);
  return {
    registry: new RegistryRepository(redis, keys, TEST_CREDENTIAL_KEY, findDeviceKind),
    alerts: new AlertRepository(redis, keys),
    routes: new AlertRoutesRepository(redis, keys),
  };
}

describe('vigie export / vigie import: the demo town round trip', () => {
  const source = isolatedEnv({ INGEST_MAX_PAST_DAYS: '3650' });
  const target = isolatedEnv();
  const sourceInflux = influxFor(source);
  const targetInflux = influxFor(target);
  const files = tempDir('vigie-export-');
  const archive = join(files.dir, 'archive');
  let broker: BrokerProcess;
  let redis: Redis;
  let sim: { from: string; to: string; readings: number; devices: number };
  let exported: {
    path: string;
    counts: { devices: number; readings: number; kpiPoints: number; sites: number; accounts: number };
    files: { path: string; rows: number }[];
    durationMs: number;
  };
  let imported: {
    counts: { devices: number; points: Record<string, number> };
    warnings: string[];
    durationMs: number;
  };
  const timings: Record<string, number> = {};

  beforeAll(async () => {
    let t = Date.now();
    broker = await startBrokerProcess(source);
    sim = await vigieJson<typeof sim>(
      [
        'simulate',
        '--scenario',
        SCENARIO,
        '--backfill',
        BACKFILL,
        '--seed',
        '3',
        '--mqtt-url',
        `mqtt://127.0.0.1:${broker.mqttPort}`,
        '--no-progress',
      ],
      source,
    );
    await expectEventually(
      async () => {
        const counts = await sourceInflux.query(`SELECT COUNT(*) FROM /.*/ WHERE tenant = '${TENANT}'`);
        const total = counts
          .flatMap((s) => s.values.flatMap((v) => v.slice(1).map(Number)))
          .reduce((a, b) => a + b, 0);
        if (total < sim.readings) throw new Error(`${total} of ${sim.readings} readings stored`);
      },
      60_000,
      500,
    );
    await broker.stop();
    timings['backfill'] = Date.now() - t;
    t = Date.now();
    const from = localDay(Date.parse(sim.from), 'Europe/Paris');
    const to = localDay(Date.parse(sim.to) - 1, 'Europe/Paris');
    await vigieJson(
      [
        'kpi',
        'compute',
        '--tenant',
        TENANT,
        '--from',
        from,
        '--to',
        to,
        ...KPIS.flatMap((k) => ['--kpi', k]),
      ],
      source,
    );
    timings['kpi'] = Date.now() - t;
    await vigieJson(
      [
        'alerts',
        'routes',
        'add',
        '--tenant',
        TENANT,
        '--id',
        'astreinte',
        '--severity',
        'critical',
        '--email',
        'astreinte@demo.example',
      ],
      source,
    );
    await vigieJson(
      ['alerts', 'rules', 'set', 'waste.overflow', '--tenant', TENANT, '--param', 'raise=90'],
      source,
    );
    await vigieJson(
      ['accounts', 'add', '--tenant', TENANT, '--id', 'grafana', '--acl', `vigie/${TENANT}/#`],
      source,
    );

    t = Date.now();
    exported = await vigieJson(['export', '--tenant', TENANT, '--out', archive, '--no-progress'], source);
    timings['export'] = Date.now() - t;
    t = Date.now();
    imported = await vigieJson(['import', archive, '--no-progress'], target);
    timings['import'] = Date.now() - t;
    process.stdout.write(
      `round trip: ${exported.counts.devices} devices, ${exported.counts.readings} readings, ${exported.counts.kpiPoints} KPI points; ` +
        `ms ${JSON.stringify(timings)}\n`,
    );
    redis = createRedis(source['REDIS_URL'], { name: 'export-e2e' });
  }, 240_000);

  afterAll(async () => {
    if (broker?.isRunning()) await broker.stop();
    redis?.disconnect();
    files.remove();
  });

  it('exports the whole town', () => {
    expect(exported.path).toBe(archive);
    expect(exported.counts.devices).toBe(sim.devices);
    expect(exported.counts.devices).toBeGreaterThan(1300);
    // Points (one per device and instant, each holding several readings): 12 h of 15-minute reports and more.
    expect(exported.counts.readings).toBeGreaterThan(sim.devices * 40);
    expect(exported.counts.kpiPoints).toBeGreaterThan(100);
    expect(imported.counts.devices).toBe(sim.devices);
  });

  it('gives back the same registry', async () => {
    const [a, b] = [storesOf(source, redis).registry, storesOf(target, redis).registry];
    const noCreated = <T extends { createdAt: string }>(xs: T[]) => xs.map(({ createdAt: _c, ...x }) => x);
    expect(await b.getTenant(TENANT)).toEqual({
      ...(await a.getTenant(TENANT)),
      createdAt: expect.any(String),
    });
    const sites = await a.listSites(TENANT);
    expect(sites.length).toBeGreaterThan(50);
    expect(sites.filter((s) => Object.keys(s.attributes).length > 0).length).toBeGreaterThan(10);
    expect(noCreated(await b.listSites(TENANT))).toEqual(noCreated(sites));
    const devices = await a.listDevices(TENANT);
    expect(devices).toHaveLength(sim.devices);
    expect(devices.filter((d) => d.devEui).length).toBeGreaterThan(0);
    // Positions (the simulator gives every device one) travel with the devices.
    expect(devices.filter((d) => d.location === undefined).map((d) => d.id)).toEqual([]);
    expect(noCreated(await b.listDevices(TENANT))).toEqual(noCreated(devices));
    const accounts = await a.listAccounts(TENANT);
    expect(accounts.map((x) => x.id)).toContain('grafana');
    expect(noCreated(await b.listAccounts(TENANT))).toEqual(noCreated(accounts));
    // The secret hashes travelled: every device keeps its password (same CREDENTIAL_KEY here).
    expect(await b.credentialHashes(TENANT)).toEqual(await a.credentialHashes(TENANT));
  });

  it('gives back the same rule overrides, routes and silences', async () => {
    const [a, b] = [storesOf(source, redis), storesOf(target, redis)];
    const overrides = await a.alerts.listOverrides(TENANT);
    expect(overrides).toHaveLength(1);
    expect(overrides[0]).toMatchObject({ rule: 'waste.overflow', params: { raise: 90 } });
    expect(await b.alerts.listOverrides(TENANT)).toEqual(overrides);
    const routes = await a.routes.list(TENANT);
    expect(routes.map((r) => r.id)).toEqual(['astreinte']);
    expect(await b.routes.list(TENANT)).toEqual(routes);
    expect(await b.alerts.listSilences(TENANT)).toEqual(await a.alerts.listSilences(TENANT));
    expect(await b.alerts.list(TENANT)).toEqual(await a.alerts.list(TENANT));
  });

  it('gives back the same number of readings per device and measurement', async () => {
    const measurements = exported.files
      .filter((f) => f.path.startsWith('readings/'))
      .map((f) => f.path.replace(/^readings\/|\.csv$/g, ''));
    expect(measurements).toEqual(
      expect.arrayContaining(['energy_meter', 'bin_sensor', 'light_controller', 'rejected']),
    );
    const counts = async (influx: typeof sourceInflux, m: string) => {
      // Per device, the count of each of its fields (COUNT(*) gives one column per field).
      const out: Record<string, Record<string, number>> = {};
      for (const s of await influx.query(
        `SELECT COUNT(*) FROM "${m}" WHERE tenant = '${TENANT}' GROUP BY device`,
      )) {
        out[s.tags?.['device'] ?? ''] = Object.fromEntries(
          s.columns.map((c, i) => [c, s.values[0][i] as number]).filter(([c]) => c !== 'time'),
        );
      }
      return out;
    };
    let total = 0;
    for (const m of measurements) {
      const [c1, c2] = [await counts(sourceInflux, m), await counts(targetInflux, m)];
      expect({ m, counts: c2 }).toEqual({ m, counts: c1 });
      if (m !== 'rejected') total += Object.values(c1).length;
    }
    expect(total).toBe(sim.devices);
  });

  it('gives back the same KPI values, point for point', async () => {
    const kpi = async (influx: typeof sourceInflux) =>
      rows(await influx.query(`SELECT * FROM kpi WHERE tenant = '${TENANT}'`))
        .map((r) => [
          r['kpi'],
          r['subject'],
          r['window'],
          r['method'],
          r['time'],
          r['value'],
          r['completeness'],
        ])
        .sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
    const [k1, k2] = [await kpi(sourceInflux), await kpi(targetInflux)];
    expect(k1.length).toBe(exported.counts.kpiPoints);
    expect(k2).toEqual(k1);
  });

  it('describes every file of the archive in datapackage.json, with a schema matching its header', () => {
    const pkg = JSON.parse(readFileSync(join(archive, 'datapackage.json'), 'utf8')) as DataPackage;
    expect(pkg.profile).toBe('tabular-data-package');
    expect(pkg.licenses[0]).toMatchObject({ name: 'etalab-2.0', title: 'Licence Ouverte 2.0' });
    expect(pkg.vigie.tenant).toBe(TENANT);
    expect(Number.isFinite(Date.parse(pkg.created))).toBe(true);
    expect(pkg.resources.map((r) => r.path).sort()).toEqual(
      filesUnder(archive).filter((f) => f !== 'datapackage.json'),
    );
    // What each file holds, next to what its descriptor says.
    const seen = pkg.resources.map((r) => {
      const text = readFileSync(join(archive, r.path), 'utf8');
      const fields = r.schema.fields.map((f) => f.name);
      const csv = r.format === 'csv' ? parseCsv(text) : [];
      const json = r.format === 'json' ? (JSON.parse(text) as Row[]) : [];
      return {
        described: {
          path: r.path,
          profile: r.profile,
          encoding: r.encoding,
          mediatype: r.mediatype,
          fields,
          rows: r.rows,
        },
        found: {
          path: r.path,
          profile: 'tabular-data-resource',
          encoding: 'utf-8',
          mediatype: r.path.endsWith('.csv') ? 'text/csv' : 'application/json',
          // CSV: the header; JSON: every key the rows use, in schema order.
          fields:
            r.format === 'csv'
              ? csv[0].fields
              : fields
                  .filter((f) => json.some((row) => f in row))
                  .concat(
                    [...new Set(json.flatMap((row) => Object.keys(row)))].filter((k) => !fields.includes(k)),
                  ),
          rows: r.format === 'csv' ? csv.length - 1 : json.length,
        },
      };
    });
    for (const s of seen.filter((x) => x.described.mediatype === 'application/json')) {
      // A JSON row may leave out optional fields: compare the keys used with the schema's.
      s.described.fields = s.described.fields.filter((f) => s.found.fields.includes(f));
    }
    expect(seen.map((x) => x.found)).toEqual(seen.map((x) => x.described));
    expect(seen.filter((x) => x.found.rows > 0).length).toBeGreaterThan(8);
  });

  it('refuses to import into a platform that has the tenant, writing nothing', async () => {
    const r = await vigie(['import', archive, '--no-progress'], target);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`tenant '${TENANT}' already exists`);
  });

  it('refuses a damaged archive with the file and line of the problem, writing nothing', async () => {
    const damaged = join(files.dir, 'damaged');
    cpSync(archive, damaged, { recursive: true });
    const devices = join(damaged, 'registry', 'devices.csv');
    const lines = readFileSync(devices, 'utf8').split('\r\n');
    lines[2] = lines[2].replace(/,(\d+),/, ',every-hour,');
    writeFileSync(devices, lines.join('\r\n'));
    const empty = isolatedEnv();
    const r = await vigie(['import', damaged, '--no-progress'], empty);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("registry/devices.csv:3: interval_s 'every-hour' is not an integer");
    expect(await storesOf(empty, redis).registry.listTenants()).toEqual([]);
  });
});
