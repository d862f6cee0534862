import {
  AlertRepository,
  AlertRoutesRepository,
  createRedis,
  InfluxClient,
  RedisKeys,
  RegistryRepository,
} from '@vigie/adapters';
import { DEVICE_KINDS, findDeviceKind } from '@vigie/devices';
import { serviceUrls, tempDir, TEST_CREDENTIAL_KEY, uniqueName } from '@vigie/testing';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ArchiveStores, exportTenant } from './tenant.exporter';
import { importArchive } from './tenant.importer';
import { influxRows } from './influx-rows.reader';
import { ExportError, ExportErrorCode } from './export.errors';

const T = 'ville';
const T0 = Date.parse('2026-03-02T06:00:00Z');

describe('exportTenant / importArchive against real InfluxDB and Redis', () => {
  const { influxUrl, redisUrl } = serviceUrls();
  const redis = createRedis(redisUrl, { name: 'export-spec' });
  const files = tempDir('vigie-archive-');
  const platform = (): ArchiveStores => {
    const keys = new RedisKeys(`${uniqueName('exp')}:`);
    return {
      registry: new RegistryRepository(redis, keys, TEST_CREDENTIAL_KEY, findDeviceKind),
      alerts: new AlertRepository(redis, keys),
      routes: new AlertRoutesRepository(redis, keys),
      influx: new InfluxClient({ url: influxUrl, db: uniqueName('exp'), rp: '', token: '', org: '' }),
      kinds: DEVICE_KINDS,
    };
  };
  const source = platform();
  const target = platform();

  beforeAll(async () => {
    await source.influx.ensureDatabase();
    const r = source.registry;
    await r.addTenant(T, 'Ville, "la belle"', 'Europe/Paris');
    await r.addSite(T, 'mairie', 'Mairie, aile\nnord', { tariff: 'base 0.2', role: 'customer' });
    await r.addDevices([
      { tenant: T, id: 'v-1', kind: 'irrigation-controller', site: 'mairie', intervalS: 600 },
      {
        tenant: T,
        id: 'b-1',
        kind: 'bin-sensor',
        devEui: '70B3D57ED0001234',
        location: { lat: 45.899247, lon: -6.129384 },
      },
    ]);
    await r.addAccount({ tenant: T, id: 'ns', acl: [], lorawan: 'chirpstack' });
    // Two series of one device at the same instants (it moved site): pages must split inside an instant.
    const lines: string[] = [];
    for (let i = 0; i < 7; i++) {
      lines.push(
        `irrigation_controller,device=v-1,site=mairie,tenant=${T} valve_open=${i % 2 === 0},volume_m3=${i + 0.5} ${T0 + i * 600_000}`,
      );
      lines.push(`irrigation_controller,device=v-1,tenant=${T} volume_m3=${i * 10} ${T0 + i * 600_000}`);
    }
    lines.push(`bin_sensor,device=b-1,tenant=${T} fill_pct=42.5 ${T0}`);
    lines.push(`rejected,device=b-1,reason=out_of_range,tenant=${T} readings=2 ${T0}`);
    lines.push(
      `kpi,kpi=B1.consumption_kwh,subject=mairie,tenant=${T},window=day value=12.25,completeness=0.75 ${T0}`,
    );
    lines.push(
      `alert,event=fired,rule=waste.overflow,severity=warning,subject=b-1,tenant=${T} alert_id="a1",title="Débordement, \\"bac\\"",state="firing",value=97 ${T0}`,
    );
    lines.push(`irrigation_controller,device=x-1,tenant=other volume_m3=1 ${T0}`);
    await source.influx.write(lines.join('\n'));
  });

  afterAll(() => {
    redis.disconnect();
    files.remove();
  });

  it('pages through a partition without losing or repeating the points of an instant', async () => {
    const all: unknown[] = [];
    for await (const page of influxRows(source.influx, {
      measurement: 'irrigation_controller',
      tenant: T,
      partition: { tag: 'device', value: 'v-1' },
      pageSize: 3,
    })) {
      expect(page.length).toBeLessThanOrEqual(3);
      all.push(...page.map((r) => `${r.time}:${String(r['site'])}`));
    }
    expect(all).toHaveLength(14);
    expect(new Set(all).size).toBe(14);
  });

  it('restores what it exported, with types, quoting and secret hashes intact', async () => {
    const out = join(files.dir, 'a1');
    const progress: string[] = [];
    const summary = await exportTenant(source, {
      tenant: T,
      out,
      pageSize: 4,
      onProgress: (l) => progress.push(l),
    });
    expect(summary.counts).toMatchObject({
      sites: 1,
      devices: 2,
      accounts: 1,
      readings: 15,
      rejected: 1,
      kpiPoints: 1,
      alertEvents: 1,
    });
    expect(progress.some((l) => l.startsWith('readings/irrigation_controller.csv: 14 rows'))).toBe(true);
    const csv = readFileSync(join(out, 'readings', 'irrigation_controller.csv'), 'utf8').split('\r\n');
    expect(csv[0]).toBe('time,tenant,site,device,rssi_dbm,snr_db,valve_open,volume_m3');
    expect(csv).toContain('2026-03-02T06:00:00.000Z,ville,mairie,v-1,,,true,0.5');
    expect(readFileSync(join(out, 'registry', 'sites.csv'), 'utf8')).toContain('"Mairie, aile\nnord"');

    const imported = await importArchive(target, { archive: out, batchLines: 3 });
    expect(imported.counts.points).toEqual({
      alert: 1,
      kpi: 1,
      bin_sensor: 1,
      irrigation_controller: 14,
      rejected: 1,
    });
    expect(await target.registry.getTenant(T)).toMatchObject({
      name: 'Ville, "la belle"',
      timeZone: 'Europe/Paris',
    });
    expect((await target.registry.listSites(T)).map(({ createdAt: _c, ...s }) => s)).toEqual(
      (await source.registry.listSites(T)).map(({ createdAt: _c, ...s }) => s),
    );
    expect(await target.registry.credentialHashes(T)).toEqual(await source.registry.credentialHashes(T));
    // Positions travel: lat/lon columns of registry/devices.csv, described in datapackage.json.
    expect(readFileSync(join(out, 'registry', 'devices.csv'), 'utf8')).toMatch(
      /^id,kind,site,interval_s,dev_eui,created_at,last_seen,lat,lon\r\n/,
    );
    expect((await target.registry.listDevices(T)).map((d) => [d.id, d.location])).toEqual([
      ['b-1', { lat: 45.899247, lon: -6.129384 }],
      ['v-1', undefined],
    ]);
    const both = async (q: string) => [await source.influx.query(q), await target.influx.query(q)];
    const [a, b] = await both(
      `SELECT * FROM irrigation_controller, alert, kpi, rejected, bin_sensor WHERE tenant = '${T}'`,
    );
    expect(b).toEqual(a);
    const [fields] = await both('SHOW FIELD KEYS FROM irrigation_controller');
    expect(fields[0].values).toEqual(expect.arrayContaining([['valve_open', 'boolean']]));
    expect(
      (await target.influx.query(`SELECT * FROM irrigation_controller WHERE tenant = 'other'`)).length,
    ).toBe(0);
  });

  it('restores alerts with their history and open slot, silences, and routes without their webhook secret', async () => {
    const alert = {
      id: 'a-open',
      tenant: T,
      rule: 'waste.overflow',
      subject: 'b-1',
      severity: 'major' as const,
      state: 'firing' as const,
      since: T0,
      firedAt: T0 + 60_000,
      value: 97,
      threshold: 90,
      site: 'mairie',
    };
    await source.alerts.fire(alert);
    await source.alerts.act(T, 'a-open', { type: 'acknowledge', by: 'agent', at: T0 + 120_000 });
    await source.alerts.fire({ ...alert, id: 'a-done', subject: 'v-1', since: T0 - 5000 });
    await source.alerts.act(T, 'a-done', { type: 'condition_cleared', at: T0 + 180_000 });
    await source.alerts.putSilence(T, {
      id: 's1',
      tenant: T,
      kind: 'maintenance',
      site: 'mairie',
      from: T0,
      to: T0 + 3_600_000,
      reason: 'travaux, "aile nord"',
    });
    await source.routes.put({
      id: 'hook',
      tenant: T,
      recipients: [{ id: 'r1', webhook: 'https://example.org/hook' }],
      webhookSecret: 'a-long-signing-secret',
    });
    const out = join(files.dir, 'alerts');
    await exportTenant(source, { tenant: T, out });
    const other = platform();
    const summary = await importArchive(other, { archive: out });
    expect(summary.counts).toMatchObject({ alerts: 2, silences: 1, routes: 1 });
    expect(summary.warnings.some((w) => w.includes("route 'hook'"))).toBe(true);
    expect(await other.alerts.list(T)).toEqual(await source.alerts.list(T));
    for (const id of ['a-open', 'a-done']) {
      expect(await other.alerts.history(T, id)).toEqual(await source.alerts.history(T, id));
    }
    expect((await other.alerts.findOpen(T, 'waste.overflow', 'b-1'))?.state).toBe('acknowledged');
    expect(await other.alerts.findOpen(T, 'waste.overflow', 'v-1')).toBeUndefined();
    expect(await other.alerts.listSilences(T)).toEqual(await source.alerts.listSilences(T));
    const stored = await source.routes.get(T, 'hook');
    expect(stored?.webhookSecret).toBe('a-long-signing-secret');
    expect(await other.routes.get(T, 'hook')).toEqual({ ...stored, webhookSecret: undefined });
    expect(readFileSync(join(out, 'alerts', 'routes.json'), 'utf8')).not.toContain('a-long-signing-secret');
  });

  it('refuses an archive with a bad cell, naming file and line, and writes nothing', async () => {
    const out = join(files.dir, 'a2');
    await exportTenant(source, { tenant: T, out });
    const path = join(out, 'readings', 'bin_sensor.csv');
    writeFileSync(path, readFileSync(path, 'utf8').replace('42.5', 'forty'));
    const empty = platform();
    const err = await importArchive(empty, { archive: out }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ExportError);
    expect((err as ExportError).code).toBe(ExportErrorCode.InvalidArchive);
    expect((err as ExportError).problems).toEqual([
      "readings/bin_sensor.csv:2: fill_pct 'forty' is not a number",
    ]);
    expect(await empty.registry.listTenants()).toEqual([]);
  });

  it('reads the devices file of an earlier archive (no lat, lon columns) and refuses a position off the globe', async () => {
    const out = join(files.dir, 'a3');
    await exportTenant(source, { tenant: T, out });
    const csvPath = join(out, 'registry', 'devices.csv');
    const csv = readFileSync(csvPath, 'utf8');
    const descriptorPath = join(out, 'datapackage.json');
    const descriptor = JSON.parse(readFileSync(descriptorPath, 'utf8')) as {
      resources: { path: string; schema: { fields: { name: string }[] } }[];
    };
    const devices = descriptor.resources.find((r) => r.path === 'registry/devices.csv');
    expect(devices?.schema.fields.slice(-2).map((f) => f.name)).toEqual(['lat', 'lon']);

    // Off the globe: refused, naming the line.
    writeFileSync(csvPath, csv.replace(',45.899247,-6.129384', ',95,-6.129384'));
    const err = await importArchive(platform(), { archive: out }).catch((e: unknown) => e);
    expect((err as ExportError).problems).toEqual([
      'registry/devices.csv:2: latitude (lat) must be a number of degrees in [-90, 90], got 95',
    ]);

    // As an earlier Vigie wrote it: without the last two columns, in the file and in the descriptor.
    writeFileSync(
      csvPath,
      csv
        .split('\r\n')
        .map((line) => line.split(',').slice(0, -2).join(','))
        .join('\r\n'),
    );
    devices?.schema.fields.splice(-2);
    writeFileSync(descriptorPath, JSON.stringify(descriptor));
    const earlier = platform();
    await importArchive(earlier, { archive: out });
    expect((await earlier.registry.listDevices(T)).map((d) => [d.id, d.location])).toEqual([
      ['b-1', undefined],
      ['v-1', undefined],
    ]);
  });

  it('refuses to export into a directory that is not empty', async () => {
    const out = join(files.dir, 'a1');
    await expect(exportTenant(source, { tenant: T, out })).rejects.toMatchObject({
      code: ExportErrorCode.OutputExists,
    });
  });
});
