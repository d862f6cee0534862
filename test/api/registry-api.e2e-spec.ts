import { ApiProcess, createApiKey, isolatedEnv, startApiProcess, vigieJson } from '@vigie/testing';
import { influxFor } from '../support';
import { ApiErrorBody, call } from './api-client';

/**
 * What `/api/v1` does beyond access control, on a real `vigie api`, Redis and InfluxDB: the registry (devices with
 * positions, CSV import, pages), readings raw and aggregated, KPIs as open data, and the OpenAPI document and
 * Swagger UI.
 */

const T = 'ville';
const T0 = Date.parse('2026-03-10T00:00:00Z');
const MIN = 60_000;

describe('API v1: registry, readings, open data, documentation', () => {
  const env = isolatedEnv();
  let api: ApiProcess;
  let base: string;
  let token: string;
  const v1 = (path: string) => `/api/v1/tenants/${T}${path}`;
  const req = <B = Record<string, unknown>>(method: string, path: string, body?: unknown, auth = true) =>
    call<B & ApiErrorBody>(base, method, path, { token: auth ? token : undefined, body });

  beforeAll(async () => {
    await vigieJson(['tenants', 'add', T], env);
    token = await createApiKey(env, { tenant: T, role: 'admin' });
    api = await startApiProcess({ ...env, VIGIE_ROLE: 'api' });
    base = api.url as string;
    // Two energy meters' readings, one per minute for an hour, written as ingestion writes them.
    const influx = influxFor(env);
    await influx.ensureDatabase();
    const lines: string[] = [];
    for (let i = 0; i < 60; i++) {
      lines.push(
        `energy_meter,device=m1,site=school,tenant=${T} energy_kwh=${100 + i},power_w=${1000 + i} ${T0 + i * MIN}`,
      );
      lines.push(
        `energy_meter,device=m2,site=gym,tenant=${T} energy_kwh=${500 + 2 * i},power_w=${2000} ${T0 + i * MIN}`,
      );
    }
    lines.push(`energy_meter,device=m9,site=school,tenant=other energy_kwh=1,power_w=1 ${T0}`);
    lines.push(
      `kpi,kpi=B1.consumption_kwh,subject=school,tenant=${T},window=day value=42.5,completeness=1 ${T0}`,
    );
    lines.push(`kpi,kpi=K1.fill_pct,subject=bin-1,tenant=${T},window=day value=80,completeness=1 ${T0}`);
    await influx.write(lines.join('\n'));
  }, 60_000);

  afterAll(async () => {
    await api?.stop();
  });

  it('registers devices with positions, moves them and forgets positions', async () => {
    expect((await req('POST', v1('/sites'), { id: 'school' })).status).toBe(201);
    expect((await req('POST', v1('/sites'), { id: 'gym' })).status).toBe(201);
    const created = await req<{ device: Record<string, unknown>; credentials: { username: string } }>(
      'POST',
      v1('/devices'),
      { id: 'm1', kind: 'energy-meter', site: 'school', location: { lat: 45.92, lon: 6.87 } },
    );
    expect(created.status).toBe(201);
    expect(created.body.device).toMatchObject({
      id: 'm1',
      location: { lat: 45.92, lon: 6.87 },
      status: 'never',
    });
    expect(created.body.credentials.username).toBe(`${T}:m1`);
    const bad = await req('POST', v1('/devices'), {
      id: 'm3',
      kind: 'energy-meter',
      location: { lat: 95, lon: 0 },
    });
    expect([bad.status, bad.body.issues]).toEqual([
      400,
      [{ field: 'body.location.lat', message: 'must be ≤ 90' }],
    ]);
    const moved = await req<{ device: Record<string, unknown> }>('PATCH', v1('/devices/m1'), {
      site: 'gym',
      location: null,
    });
    expect(moved.status).toBe(200);
    expect(moved.body.device).toMatchObject({ id: 'm1', site: 'gym' });
    expect(moved.body.device['location']).toBeUndefined();
    expect((await req('PATCH', v1('/devices/m1'), { site: 'school' })).status).toBe(200);
  });

  it('imports a CSV all or nothing, with a report naming each bad line', async () => {
    const refused = await req('POST', v1('/devices/import'), {
      csv: `tenant,id,kind,site,lat,lon\n${T},m2,energy-meter,gym,45.9,6.8\n${T},m1,energy-meter,,,\n${T},x,nope,,1,\n`,
    });
    expect(refused.status).toBe(400);
    expect(refused.body.issues?.map((i) => i.message)).toEqual([
      'line 4: give both lat and lon',
      `line 3: device 'm1' already exists in tenant '${T}'`,
    ]);
    expect((await req<{ items: unknown[] }>('GET', v1('/devices'))).body.items).toHaveLength(1);
    const ok = await req<{ imported: { device: { id: string; location?: unknown } }[] }>(
      'POST',
      v1('/devices/import'),
      {
        csv: `tenant,id,kind,site,lat,lon\n${T},m2,energy-meter,gym,45.9,6.8\n${T},b1,bin-sensor,,45.91,6.81\n`,
      },
    );
    expect(ok.status).toBe(201);
    expect(ok.body.imported.map((i) => [i.device.id, i.device.location])).toEqual([
      ['m2', { lat: 45.9, lon: 6.8 }],
      ['b1', { lat: 45.91, lon: 6.81 }],
    ]);
  });

  it('pages through devices with limit and nextCursor', async () => {
    const first = await req<{ items: { id: string }[]; nextCursor?: string }>('GET', v1('/devices?limit=2'));
    expect(first.body.items.map((d) => d.id)).toEqual(['b1', 'm1']);
    const second = await req<{ items: { id: string }[]; nextCursor?: string }>(
      'GET',
      v1(`/devices?limit=2&cursor=${first.body.nextCursor}`),
    );
    expect([second.body.items.map((d) => d.id), second.body.nextCursor]).toEqual([['m2'], undefined]);
    const bins = await req<{ items: { id: string }[] }>('GET', v1('/devices?kind=bin-sensor'));
    expect(bins.body.items.map((d) => d.id)).toEqual(['b1']);
  });

  it('reads raw readings of a device, in pages, and aggregates a site per interval', async () => {
    const from = new Date(T0).toISOString();
    const to = new Date(T0 + 60 * MIN).toISOString();
    const raw = await req<{
      rows: { time: string; device: string; values: Record<string, number> }[];
      nextCursor?: string;
    }>('GET', v1(`/readings?device=m1&from=${from}&to=${to}&limit=50`));
    expect(raw.status).toBe(200);
    expect(raw.body.rows).toHaveLength(50);
    expect(raw.body.rows[0]).toEqual({
      time: from,
      device: 'm1',
      site: 'school',
      values: { energy_kwh: 100, power_w: 1000 },
    });
    const rest = await req<{ rows: { values: Record<string, number> }[]; nextCursor?: string }>(
      'GET',
      v1(`/readings?device=m1&from=${from}&to=${to}&limit=50&cursor=${raw.body.nextCursor}`),
    );
    expect([rest.body.rows.length, rest.body.rows[9].values['energy_kwh'], rest.body.nextCursor]).toEqual([
      10,
      159,
      undefined,
    ]);
    const agg = await req<{ rows: { time: string; device: string; values: Record<string, number> }[] }>(
      'GET',
      v1(`/readings?kind=energy-meter&metric=power_w&interval=30m&aggregate=max&from=${from}&to=${to}`),
    );
    expect(agg.body.rows.map((r) => [r.device, r.time, r.values['power_w']])).toEqual([
      ['m1', from, 1029],
      ['m1', new Date(T0 + 30 * MIN).toISOString(), 1059],
      ['m2', from, 2000],
      ['m2', new Date(T0 + 30 * MIN).toISOString(), 2000],
    ]);
    const school = await req<{ rows: { device: string }[] }>(
      'GET',
      v1(
        `/readings?kind=energy-meter&site=school&metric=energy_kwh&interval=1h&aggregate=count&from=${from}&to=${to}`,
      ),
    );
    expect(school.body.rows).toEqual([{ time: from, device: 'm1', values: { energy_kwh: 60 } }]);
    const noKind = await req('GET', v1(`/readings?site=school&from=${from}&to=${to}`));
    expect([noKind.status, noKind.body.issues]).toEqual([
      400,
      [{ field: 'query.kind', message: 'required unless device is given' }],
    ]);
    const badMetric = await req('GET', v1(`/readings?device=m1&metric=fill_pct&from=${from}&to=${to}`));
    expect(badMetric.body.issues?.[0].field).toBe('query.metric');
  });

  it('publishes aggregated KPIs as open data only once the tenant turns it on, with its licence', async () => {
    const path = `/api/v1/open-data/${T}/kpis?kpi=B1.consumption_kwh&from=2026-03-10&to=2026-03-10`;
    const before = await req('GET', path, undefined, false);
    expect([before.status, before.body.error]).toEqual([404, 'open_data_not_published']);
    const on = await req('PUT', v1('/open-data'), { licence: 'Licence Ouverte 2.0 (Etalab)' });
    expect(on.status).toBe(200);
    const published = await req<{ licence: string; points: { subject: string; value: number }[] }>(
      'GET',
      path,
      undefined,
      false,
    );
    expect(published.status).toBe(200);
    expect(published.body.licence).toBe('Licence Ouverte 2.0 (Etalab)');
    expect(published.body.points.map((p) => [p.subject, p.value])).toEqual([['school', 42.5]]);
    const perDevice = await req(
      'GET',
      `/api/v1/open-data/${T}/kpis?kpi=K1.fill_pct&from=2026-03-10&to=2026-03-10`,
      undefined,
      false,
    );
    expect([perDevice.status, perDevice.body.issues?.[0].field]).toEqual([400, 'query.kpi']);
    const catalogue = await req<{ kpis: { id: string; subject: string }[] }>(
      'GET',
      `/api/v1/open-data/${T}`,
      undefined,
      false,
    );
    expect(catalogue.body.kpis.map((k) => k.id)).toContain('B1.consumption_kwh');
    expect(catalogue.body.kpis.some((k) => /device/.test(k.subject))).toBe(false);
    expect((await req('DELETE', v1('/open-data'))).status).toBe(200);
    expect((await req('GET', path, undefined, false)).status).toBe(404);
  });

  it('refuses an inconsistent alert route with a 400 naming the body, and stores nothing', async () => {
    const r = await req('PUT', v1('/alert-routes/ops'), {
      recipients: [{ id: 'ops', email: 'ops@ville.example' }],
      escalateAfterMin: 30,
    });
    expect([r.status, r.body.error, r.body.issues]).toEqual([
      400,
      'validation_failed',
      [{ field: 'body', message: 'route ops: escalateAfterMin needs someone to escalate to (escalateTo)' }],
    ]);
    expect((await req<{ routes: unknown[] }>('GET', v1('/alert-routes'))).body.routes).toEqual([]);
  });

  it('serves the OpenAPI document and the Swagger UI', async () => {
    const doc = await fetch(`${base}/api/docs-json`);
    const json = (await doc.json()) as { openapi: string; paths: Record<string, unknown> };
    expect(json.openapi).toMatch(/^3\./);
    expect(Object.keys(json.paths)).toContain('/api/v1/tenants/{tenant}/devices');
    const ui = await fetch(`${base}/api/docs`);
    expect(ui.status).toBe(200);
    expect(await ui.text()).toContain('swagger-ui');
  });
});
