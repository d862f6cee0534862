import { isolatedEnv, runVigie, tempDir, vigieJson } from '@vigie/testing';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

describe('the vigie command', () => {
  const env = isolatedEnv();
  const files = tempDir('vigie-cli-');
  afterAll(() => files.remove());

  it('explains itself with --help, for every command', async () => {
    const top = await runVigie(['--help'], env);
    expect(top.code).toBe(0);
    for (const cmd of [
      'stack',
      'broker',
      'api',
      'tenants',
      'sites',
      'devices',
      'accounts',
      'kinds',
      'deadletters',
    ])
      expect(top.stdout).toContain(cmd);
    const add = await runVigie(['devices', 'add', '--help'], env);
    expect(add.stdout).toContain('--kind <kind>');
    for (const kind of [
      'energy-meter',
      'weather-station',
      'water-meter',
      'irrigation-controller',
      'bin-sensor',
      'light-controller',
      'cabinet-meter',
      'rain-gauge',
    ]) {
      expect(add.stdout).toContain(kind);
    }
    expect(add.stdout).toContain('--dev-eui <eui>');
    const accounts = await runVigie(['accounts', 'add', '--help'], env);
    expect(accounts.stdout).toContain('--lorawan <network>');
  });

  it('stops with the list of configuration problems, never printing a secret', async () => {
    const r = await runVigie(['tenants', 'list'], {
      ...env,
      CREDENTIAL_KEY: 'short-secret',
      REDIS_URL: 'http://nope',
    });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('REDIS_URL: must be a URL starting with redis:// or rediss://');
    expect(r.stderr).toContain('CREDENTIAL_KEY: must be at least 32 characters');
    expect(r.stderr).not.toContain('short-secret');
  });

  it('adds and lists tenants and sites, as text and JSON', async () => {
    await vigieJson(['tenants', 'add', 'nantes', '--name', 'Nantes'], env);
    const dup = await runVigie(['tenants', 'add', 'nantes'], env);
    expect(dup).toMatchObject({ code: 1, stderr: "vigie: tenant 'nantes' already exists\n" });
    expect(await vigieJson(['tenants', 'list'], env)).toEqual([
      expect.objectContaining({ id: 'nantes', name: 'Nantes' }),
    ]);
    await vigieJson(
      ['sites', 'add', '--tenant', 'nantes', 'pool', '--attr', 'use=sports', '--attr', 'surface_m2=2400'],
      env,
    );
    expect(await vigieJson(['sites', 'list', '--tenant', 'nantes'], env)).toEqual([
      expect.objectContaining({ id: 'pool', attributes: { use: 'sports', surface_m2: '2400' } }),
    ]);
    const text = await runVigie(['tenants', 'list'], env);
    expect(text.stdout.split('\n')[0]).toMatch(/^ID\s+NAME\s+TIMEZONE\s+CREATEDAT$/);
  });

  it('stores a tenant time zone, and changes site attributes with sites set, checked as in sites add', async () => {
    expect(
      await vigieJson(
        ['tenants', 'add', 'pap', '--name', 'Pointe-à-Pitre', '--time-zone', 'America/Guadeloupe'],
        env,
      ),
    ).toMatchObject({ id: 'pap', timeZone: 'America/Guadeloupe' });
    expect(await vigieJson(['tenants', 'add', 'brest'], env)).toMatchObject({ timeZone: 'Europe/Paris' });
    const zone = await runVigie(['tenants', 'add', 'atlantis', '--time-zone', 'Europe/Atlantis'], env);
    expect(zone.code).toBe(1);
    expect(zone.stderr).toContain("time zone 'Europe/Atlantis' is not an IANA time zone");

    const help = await runVigie(['sites', 'set', '--help'], env);
    expect(help.stdout).toContain('--unset <key>');
    expect(help.stdout).toContain('--attr <key=value>');
    await vigieJson(['sites', 'add', '--tenant', 'pap', 'sector-1', '--attr', 'type=water-sector'], env);
    await vigieJson(
      ['sites', 'add', '--tenant', 'pap', 'school', '--attr', 'use=school', '--attr', 'surface_m2=900'],
      env,
    );
    const updated = await vigieJson<{ attributes: Record<string, string> }>(
      [
        'sites',
        'set',
        '--tenant',
        'pap',
        'school',
        '--attr',
        'surface_m2=950',
        '--attr',
        'sector=sector-1',
        '--unset',
        'use',
      ],
      env,
    );
    expect(updated.attributes).toEqual({ surface_m2: '950', sector: 'sector-1' });
    expect(await vigieJson(['sites', 'list', '--tenant', 'pap'], env)).toEqual([
      expect.objectContaining({ id: 'school', attributes: { surface_m2: '950', sector: 'sector-1' } }),
      expect.objectContaining({ id: 'sector-1' }),
    ]);
    // The same checks as `sites add`: the sector must be a site of the tenant, the role a known one.
    const sector = await runVigie(
      ['sites', 'set', '--tenant', 'pap', 'school', '--attr', 'sector=moon'],
      env,
    );
    expect(sector.code).toBe(2);
    expect(sector.stderr).toContain("no site 'moon' in tenant 'pap'");
    const role = await runVigie(['sites', 'set', '--tenant', 'pap', 'school', '--attr', 'role=toaster'], env);
    expect(role.code).toBe(2);
    const closed = await runVigie(
      [
        'sites',
        'set',
        '--tenant',
        'pap',
        'school',
        '--attr',
        'closed_days=2026-01-01,2026-03-08..2026-02-21',
      ],
      env,
    );
    expect(closed).toMatchObject({ code: 2 });
    expect(closed.stderr).toContain("closed_days: '2026-03-08..2026-02-21' ends before it starts");
    const missing = await runVigie(['sites', 'set', '--tenant', 'pap', 'gym', '--attr', 'a=1'], env);
    expect(missing).toMatchObject({ code: 1, stderr: "vigie: site 'gym' does not exist in tenant 'pap'\n" });
    const nothing = await runVigie(['sites', 'set', '--tenant', 'pap', 'school'], env);
    expect(nothing.code).toBe(2);
    expect(nothing.stderr).toContain('nothing to change');
    // Refused changes left the site as it was.
    expect(
      (
        await vigieJson<{ id: string; attributes: Record<string, string> }[]>(
          ['sites', 'list', '--tenant', 'pap'],
          env,
        )
      )[0].attributes,
    ).toEqual({ surface_m2: '950', sector: 'sector-1' });
  });

  it('imports devices from CSV all or nothing, with a report per line', async () => {
    const bad = join(files.dir, 'bad.csv');
    writeFileSync(
      bad,
      'tenant,id,kind,site\nnantes,b1,bin-sensor,\nnantes,b2,toaster,\nnantes,b1,bin-sensor,\nnantes,b3,bin-sensor,moon\nnantes,b4\n',
    );
    const r = await runVigie(['devices', 'import', bad], env);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('nothing imported: 4 problem(s)');
    expect(r.stderr).toContain('line 6: expected 4 fields, found 2');
    expect(r.stderr).toContain("line 3: unknown kind 'toaster'");
    expect(r.stderr).toContain("line 4: device 'b1' already appears on line 2");
    expect(r.stderr).toContain("line 5: site 'moon' does not exist in tenant 'nantes'");
    expect(await vigieJson(['devices', 'list', '--tenant', 'nantes'], env)).toEqual([]);

    const good = join(files.dir, 'good.csv');
    writeFileSync(
      good,
      'tenant,id,kind,site,interval_s\nnantes,b1,bin-sensor,pool,\n# a comment\nnantes,w1,water-meter,,300\n',
    );
    const imported = await vigieJson<{ id: string; username: string; password: string; topic: string }[]>(
      ['devices', 'import', good],
      env,
    );
    expect(imported.map((d) => [d.id, d.username, d.topic])).toEqual([
      ['b1', 'nantes:b1', 'vigie/nantes/devices/b1/readings'],
      ['w1', 'nantes:w1', 'vigie/nantes/devices/w1/readings'],
    ]);
    expect(new Set(imported.map((d) => d.password)).size).toBe(2);
    const listed = await vigieJson<{ id: string; intervalS: number; site?: string }[]>(
      ['devices', 'list', '--tenant', 'nantes'],
      env,
    );
    expect(listed.map((d) => [d.id, d.intervalS, d.site])).toEqual([
      ['b1', 3600, 'pool'],
      ['w1', 300, undefined],
    ]);
  });

  it('prints a large import completely when stdout is a pipe', async () => {
    await vigieJson(['tenants', 'add', 'bulk'], env);
    const csv = join(files.dir, 'bulk.csv');
    const n = 3000;
    writeFileSync(
      csv,
      'tenant,id,kind\n' + Array.from({ length: n }, (_, i) => `bulk,bin-${i},bin-sensor`).join('\n') + '\n',
    );
    const imported = await vigieJson<{ id: string }[]>(['devices', 'import', csv], env);
    expect(imported).toHaveLength(n);
    expect(imported[n - 1].id).toBe(`bin-${n - 1}`);
  });

  it('lists the device-kind catalogue', async () => {
    const kinds = await vigieJson<{ id: string; metrics: Record<string, { unit: string }> }[]>(
      ['kinds', 'list'],
      env,
    );
    expect(Object.fromEntries(kinds.map((k) => [k.id, Object.keys(k.metrics)]))).toEqual({
      'energy-meter': ['energy_kwh', 'power_w'],
      'weather-station': [
        'temperature_c',
        'rain_mm',
        'humidity_pct',
        'wind_speed_ms',
        'solar_radiation_wm2',
        'rssi_dbm',
        'snr_db',
      ],
      'water-meter': ['volume_m3', 'flow_m3h', 'pressure_bar', 'rssi_dbm', 'snr_db'],
      'irrigation-controller': ['volume_m3', 'valve_open', 'rssi_dbm', 'snr_db'],
      'bin-sensor': ['fill_pct', 'temperature_c', 'battery_pct', 'rssi_dbm', 'snr_db'],
      'light-controller': ['power_w', 'energy_kwh', 'lamp_on', 'dim_pct', 'lamp_failure'],
      'cabinet-meter': ['energy_kwh', 'power_w'],
      'rain-gauge': ['rain_mm', 'battery_pct', 'rssi_dbm', 'snr_db'],
    });
  });
});
