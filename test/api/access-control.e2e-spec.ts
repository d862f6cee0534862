import { AlertRepository, createRedis, Redis, RedisKeys } from '@vigie/adapters';
import { alertIdOf, findAlertRule } from '@vigie/domain';
import { ApiProcess, createApiKey, isolatedEnv, startApiProcess, vigieJson } from '@vigie/testing';
import { ApiErrorBody, call, Operation, operationsOf, pathOf } from './api-client';

/**
 * Access control of `/api/v1` end to end, on a real `vigie api` (role api), Redis and InfluxDB: every operation of
 * the served OpenAPI document is checked against a key of another tenant, against each role, and without a key.
 * The expectations are this file's own table (not the server's metadata): a route the table does not list fails
 * the test, so a new route cannot ship without saying who may call it.
 */

type TenantRole = 'admin' | 'energy-manager' | 'technician' | 'viewer';
const A: TenantRole = 'admin';
const E: TenantRole = 'energy-manager';
const T: TenantRole = 'technician';
const V: TenantRole = 'viewer';
const ALL = [A, E, T, V];
const ROLES: TenantRole[] = [A, E, T, V];
const PUBLIC = 'public' as const;

/** Which tenant roles may call each operation (the platform operator may call every one). */
const MAY: Record<string, readonly TenantRole[] | typeof PUBLIC> = {
  'GET /api/v1/tenants': ALL,
  'POST /api/v1/tenants': [],
  'GET /api/v1/tenants/{tenant}': ALL,
  'PUT /api/v1/tenants/{tenant}/open-data': [A],
  'DELETE /api/v1/tenants/{tenant}/open-data': [A],
  'GET /api/v1/tenants/{tenant}/sites': ALL,
  'POST /api/v1/tenants/{tenant}/sites': [A, E],
  'GET /api/v1/tenants/{tenant}/sites/{site}': ALL,
  'PATCH /api/v1/tenants/{tenant}/sites/{site}': [A, E],
  'GET /api/v1/tenants/{tenant}/devices': ALL,
  'POST /api/v1/tenants/{tenant}/devices': [A, T],
  'POST /api/v1/tenants/{tenant}/devices/import': [A, T],
  'GET /api/v1/tenants/{tenant}/devices/{device}': ALL,
  'PATCH /api/v1/tenants/{tenant}/devices/{device}': [A, T],
  'DELETE /api/v1/tenants/{tenant}/devices/{device}': [A, T],
  'POST /api/v1/tenants/{tenant}/devices/{device}/rotate-secret': [A, T],
  'GET /api/v1/tenants/{tenant}/accounts': [A],
  'POST /api/v1/tenants/{tenant}/accounts': [A],
  'DELETE /api/v1/tenants/{tenant}/accounts/{account}': [A],
  'POST /api/v1/tenants/{tenant}/accounts/{account}/rotate-secret': [A],
  'GET /api/v1/tenants/{tenant}/api-keys': [A],
  'POST /api/v1/tenants/{tenant}/api-keys': [A],
  'DELETE /api/v1/tenants/{tenant}/api-keys/{key}': [A],
  'GET /api/v1/tenants/{tenant}/audit': [A],
  'GET /api/v1/platform/api-keys': [],
  'POST /api/v1/platform/api-keys': [],
  'DELETE /api/v1/platform/api-keys/{key}': [],
  'GET /api/v1/platform/audit': [],
  'GET /api/v1/tenants/{tenant}/readings': ALL,
  'GET /api/v1/open-data/{tenant}': PUBLIC,
  'GET /api/v1/open-data/{tenant}/kpis': PUBLIC,
  'POST /api/v1/tenants/{tenant}/kpis/compute': [A, E],
  'GET /api/v1/tenants/{tenant}/kpis/jobs/{job}': ALL,
  'GET /api/v1/platform/kpi-jobs/{job}': [],
  'GET /api/v1/tenants/{tenant}/kpis': ALL,
  'GET /api/v1/tenants/{tenant}/alerts': ALL,
  'GET /api/v1/tenants/{tenant}/alerts/{id}': ALL,
  'POST /api/v1/tenants/{tenant}/alerts/{id}/acknowledge': [A, E, T],
  'POST /api/v1/tenants/{tenant}/alerts/{id}/assign': [A, E, T],
  'POST /api/v1/tenants/{tenant}/alerts/{id}/resolve': [A, E, T],
  'GET /api/v1/tenants/{tenant}/alert-rules': ALL,
  'PUT /api/v1/tenants/{tenant}/alert-rules/{rule}/overrides': [A, E],
  'DELETE /api/v1/tenants/{tenant}/alert-rules/{rule}/overrides': [A, E],
  'GET /api/v1/tenants/{tenant}/silences': ALL,
  'POST /api/v1/tenants/{tenant}/silences': [A, E, T],
  'DELETE /api/v1/tenants/{tenant}/silences/{id}': [A, E, T],
  'GET /api/v1/tenants/{tenant}/alert-routes': ALL,
  'PUT /api/v1/tenants/{tenant}/alert-routes/{route}': [A, E],
  'DELETE /api/v1/tenants/{tenant}/alert-routes/{route}': [A, E],
};

const ALPHA = 'alpha';
const BETA = 'beta';
const NOW = Date.now();

describe('API access control (every route of the OpenAPI document)', () => {
  const env = isolatedEnv();
  let redis: Redis;
  let api: ApiProcess;
  let base: string;
  let ops: Operation[];
  let platform: string;
  const alphaKeys = {} as Record<TenantRole, string>;
  /** Tenant B's resources, one of each kind an operation addresses by id. */
  const beta: Record<string, string> = { tenant: BETA };

  const as = (token: string | undefined, op: Operation, params: Record<string, string>, body?: unknown) =>
    call<ApiErrorBody>(base, op.method, pathOf(op, params), { token, body });

  beforeAll(async () => {
    await vigieJson(['tenants', 'add', ALPHA], env);
    await vigieJson(['tenants', 'add', BETA], env);
    platform = await createApiKey(env);
    api = await startApiProcess({ ...env, VIGIE_ROLE: 'api' });
    base = api.url as string;
    ops = await operationsOf(base);
    const ok = async (method: string, path: string, body?: unknown) => {
      const r = await call<Record<string, unknown>>(base, method, path, { token: platform, body });
      if (r.status >= 300) throw new Error(`${method} ${path}: ${r.status} ${JSON.stringify(r.body)}`);
      return r.body;
    };
    for (const role of ROLES) {
      const r = await ok('POST', `/api/v1/tenants/${ALPHA}/api-keys`, { name: `alpha ${role}`, role });
      alphaKeys[role] = r['token'] as string;
    }
    const b = `/api/v1/tenants/${BETA}`;
    await ok('POST', `${b}/sites`, { id: 'beta-site', name: 'Beta school' });
    await ok('POST', `${b}/devices`, { id: 'beta-dev', kind: 'energy-meter', site: 'beta-site' });
    await ok('POST', `${b}/accounts`, { id: 'beta-acc', lorawan: 'chirpstack' });
    const key = await ok('POST', `${b}/api-keys`, { name: 'beta viewer', role: 'viewer' });
    const silence = await ok('POST', `${b}/silences`, {
      kind: 'silence',
      from: new Date(NOW).toISOString(),
      to: new Date(NOW + 86_400_000).toISOString(),
      reason: 'beta works',
    });
    await ok('PUT', `${b}/alert-routes/beta-route`, {
      recipients: [{ id: 'ops', email: 'ops@beta.example' }],
    });
    const job = await ok('POST', `${b}/kpis/compute`, { from: '2026-03-01', to: '2026-03-02', kpis: ['B1'] });
    // An alert of B, as the evaluators raise them.
    redis = createRedis(env['REDIS_URL'], { name: 'access-e2e' });
    const def = findAlertRule('waste.overflow');
    if (!def) throw new Error('no rule waste.overflow');
    const alert = {
      id: alertIdOf({ tenant: BETA, rule: def.id, subject: 'beta-bin', since: NOW }),
      tenant: BETA,
      rule: def.id,
      subject: 'beta-bin',
      severity: def.severity,
      state: 'firing' as const,
      since: NOW,
      firedAt: NOW,
      value: 101,
      threshold: 100,
      unit: def.unit,
      title: def.title,
      domain: def.domain,
    };
    await new AlertRepository(redis, new RedisKeys(env['REDIS_PREFIX'])).fire(alert);
    Object.assign(beta, {
      site: 'beta-site',
      device: 'beta-dev',
      account: 'beta-acc',
      key: (key['key'] as { id: string }).id,
      id: alert.id,
      silence: (silence['silence'] as { id: string }).id,
      route: 'beta-route',
      job: job['jobId'] as string,
      rule: def.id,
    });
  }, 120_000);

  afterAll(async () => {
    await api?.stop();
    redis?.disconnect();
  });

  /** B's id for each parameter of an operation (silences and alerts share the `{id}` parameter). */
  const betaParams = (op: Operation): Record<string, string> => ({
    ...beta,
    ...(op.path.includes('/silences/') ? { id: beta['silence'] } : {}),
  });

  it('serves a document whose every operation says who may call it, and this test knows them all', () => {
    expect(ops.length).toBeGreaterThanOrEqual(45);
    for (const op of ops) {
      expect({ op: op.key, guarded: op.public !== (op.permission !== undefined) }).toEqual({
        op: op.key,
        guarded: true,
      });
    }
    expect(ops.map((o) => o.key).sort()).toEqual(Object.keys(MAY).sort());
    for (const op of ops)
      expect({ op: op.key, public: op.public }).toEqual({ op: op.key, public: MAY[op.key] === PUBLIC });
  });

  it('refuses every non-public operation without a key, or with a malformed or unknown one (401)', async () => {
    const bogus = ['not-a-key', 'vk_0123456789abcdef.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'];
    for (const op of ops.filter((o) => !o.public)) {
      for (const token of [undefined, ...bogus]) {
        const r = await as(token, op, betaParams(op));
        expect({ op: op.key, token, status: r.status, error: r.body.error }).toEqual({
          op: op.key,
          token,
          status: 401,
          error: 'unauthenticated',
        });
        expect(r.body.message).toMatch(token === undefined ? /Authorization: Bearer/ : /malformed|not known/);
      }
    }
  });

  it("gives a key of tenant A a 403 on every path of tenant B, whatever A's role", async () => {
    const onTenantB = ops.filter((o) => !o.public && o.pathParams.includes('tenant'));
    expect(onTenantB.length).toBeGreaterThanOrEqual(40);
    for (const op of onTenantB) {
      for (const role of [A, V]) {
        const r = await as(alphaKeys[role], op, betaParams(op), op.hasBody ? {} : undefined);
        expect({ op: op.key, role, status: r.status, error: r.body.error }).toEqual({
          op: op.key,
          role,
          status: 403,
          error: 'forbidden',
        });
      }
    }
  });

  it("does not find tenant B's resources through tenant A's own paths (404), and changes none of them", async () => {
    const byId = ops.filter(
      (o) =>
        !o.public &&
        o.pathParams.includes('tenant') &&
        o.pathParams.some((p) => p !== 'tenant' && p !== 'rule'),
    );
    expect(byId.length).toBeGreaterThanOrEqual(17);
    // Valid bodies for the actions, so that the lookup is what answers.
    const bodies: Record<string, unknown> = {
      acknowledge: { by: 'x' },
      assign: { to: 'x' },
      resolve: { by: 'x' },
    };
    for (const op of byId) {
      const action = op.path.split('/').pop() ?? '';
      const r = await as(alphaKeys[A], op, { ...betaParams(op), tenant: ALPHA }, bodies[action]);
      // A PUT or PATCH without a body is refused before any lookup; everything else does not find B's resource.
      const expected = ['PUT', 'PATCH'].includes(op.method) ? 400 : 404;
      expect({ op: op.key, status: r.status }).toEqual({ op: op.key, status: expected });
    }
    const b = `/api/v1/tenants/${BETA}`;
    const get = async (path: string) =>
      (await call<Record<string, unknown>>(base, 'GET', path, { token: platform })).body;
    expect(await get(`${b}/devices/beta-dev`)).toMatchObject({
      device: { id: 'beta-dev', site: 'beta-site' },
    });
    expect(((await get(`${b}/accounts`)) as { items: { id: string }[] }).items.map((a) => a.id)).toEqual([
      'beta-acc',
    ]);
    expect(
      ((await get(`${b}/silences`)) as { silences: { id: string }[] }).silences.map((s) => s.id),
    ).toEqual([beta['silence']]);
    expect(
      ((await get(`${b}/alert-routes`)) as { routes: { id: string }[] }).routes.map((r) => r.id),
    ).toEqual(['beta-route']);
    expect(((await get(`${b}/alerts/${beta['id']}`)) as { alert: { state: string } }).alert.state).toBe(
      'firing',
    );
    const keys = (await get(`${b}/api-keys`)) as { keys: { id: string; revokedAt?: string }[] };
    expect(keys.keys.map((k) => [k.id, k.revokedAt])).toEqual([[beta['key'], undefined]]);
  });

  it("lists none of tenant B's data to tenant A", async () => {
    const lists = ops.filter((o) => o.method === 'GET' && !o.public && o.pathParams.join() === 'tenant');
    expect(lists.length).toBeGreaterThanOrEqual(10);
    for (const op of lists) {
      const query = op.queryParams.some((q) => q.required)
        ? op.path.endsWith('/readings')
          ? '?kind=energy-meter&from=2026-01-01T00:00:00Z&to=2026-12-31T00:00:00Z'
          : '?kpi=B1.consumption_kwh&from=2026-03-01&to=2026-03-02'
        : '';
      const r = await call(base, 'GET', pathOf(op, { tenant: ALPHA }) + query, { token: alphaKeys[A] });
      expect({ op: op.key, status: r.status }).toEqual({ op: op.key, status: 200 });
      expect({ op: op.key, leaks: JSON.stringify(r.body).includes('beta') }).toEqual({
        op: op.key,
        leaks: false,
      });
    }
    const tenants = await call<{ tenants: { id: string }[] }>(base, 'GET', '/api/v1/tenants', {
      token: alphaKeys[V],
    });
    expect(tenants.body.tenants.map((t) => t.id)).toEqual([ALPHA]);
  });

  it('lets each role do exactly what the table says, and refuses the rest with 403 naming the role', async () => {
    const dummy = {
      tenant: ALPHA,
      site: 'no-site',
      device: 'no-device',
      account: 'no-account',
      key: 'nokey',
    };
    const more = { id: 'no-id', route: 'no-route', job: 'no-job', rule: 'no-rule' };
    const expected: string[] = [];
    const actual: string[] = [];
    for (const op of ops.filter((o) => !o.public)) {
      const may = MAY[op.key];
      if (may === PUBLIC || may === undefined) throw new Error(`${op.key} is not in the table`);
      for (const role of ROLES) {
        // No body: an allowed call is refused by validation (400) or finds nothing (404), and changes nothing.
        const r = await as(alphaKeys[role], op, { ...dummy, ...more }, op.hasBody ? {} : undefined);
        const refusedForRole =
          r.status === 403 &&
          r.body.error === 'forbidden' &&
          r.body.message.includes(`a '${role}' key may not do this`);
        const outcome = refusedForRole
          ? 'refused'
          : r.status !== 401 && r.status !== 403 && r.status < 500
            ? 'allowed'
            : `answered ${r.status} ${r.body.error}`;
        actual.push(`${op.key} as ${role}: ${outcome}`);
        expected.push(`${op.key} as ${role}: ${may.includes(role) ? 'allowed' : 'refused'}`);
      }
    }
    expect(actual).toEqual(expected);
    expect(expected.filter((e) => e.endsWith('allowed')).length).toBeGreaterThan(80);
    expect(expected.filter((e) => e.endsWith('refused')).length).toBeGreaterThan(50);
  });

  it('stops a revoked key at once, and lets an admin give only tenant roles', async () => {
    const created = await call<{ key: { id: string }; token: string }>(
      base,
      'POST',
      `/api/v1/tenants/${ALPHA}/api-keys`,
      {
        token: alphaKeys[A],
        body: { name: 'temp', role: 'technician' },
      },
    );
    expect(created.status).toBe(201);
    const sites = `/api/v1/tenants/${ALPHA}/sites`;
    expect((await call(base, 'GET', sites, { token: created.body.token })).status).toBe(200);
    const revoked = await call<{ key: { revokedAt?: string } }>(
      base,
      'DELETE',
      `/api/v1/tenants/${ALPHA}/api-keys/${created.body.key.id}`,
      { token: alphaKeys[A] },
    );
    expect(revoked.status).toBe(200);
    expect(revoked.body.key.revokedAt).toEqual(expect.any(String));
    const after = await call<ApiErrorBody>(base, 'GET', sites, { token: created.body.token });
    expect([after.status, after.body.message]).toEqual([401, 'the API key was revoked']);
    const platformRole = await call<ApiErrorBody>(base, 'POST', `/api/v1/tenants/${ALPHA}/api-keys`, {
      token: alphaKeys[A],
      body: { name: 'escalate', role: 'platform-operator' },
    });
    expect(platformRole.status).toBe(400);
    expect(platformRole.body.issues).toEqual([
      { field: 'body.role', message: 'must be one of admin, energy-manager, technician, viewer' },
    ]);
  });

  it('records every change with who, what, when, before and after, queryable per tenant', async () => {
    const b = `/api/v1/tenants/${BETA}`;
    const patched = await call(base, 'PATCH', `${b}/devices/beta-dev`, {
      token: platform,
      body: { intervalS: 600 },
    });
    expect(patched.status).toBe(200);
    const log = await call<{
      entries: {
        actor: string;
        action: string;
        target: string;
        before?: unknown;
        after?: unknown;
        at: string;
      }[];
    }>(base, 'GET', `${b}/audit?limit=50`, { token: platform });
    expect(log.status).toBe(200);
    const update = log.body.entries.find((e) => e.action === 'device.update');
    expect(update).toMatchObject({
      actor: expect.stringMatching(/^key:[0-9a-f]{16}$/),
      target: 'device:beta-dev',
      before: { intervalS: 900 },
      after: { intervalS: 600 },
    });
    expect(Date.parse(update?.at ?? '')).toBeGreaterThan(NOW - 60_000);
    const actions = log.body.entries.map((e) => e.action);
    for (const a of [
      'site.create',
      'device.create',
      'account.create',
      'api-key.create',
      'silence.create',
      'alert-route.put',
    ]) {
      expect(actions).toContain(a);
    }
    // No secret is ever in the log.
    expect(JSON.stringify(log.body)).not.toMatch(/password|secretHash|"hash"/);
    // Changes made at the command line are audited too, as the operator who ran it.
    const platformLog = await call<{ entries: { actor: string; action: string; target: string }[] }>(
      base,
      'GET',
      '/api/v1/platform/audit',
      { token: platform },
    );
    expect(
      platformLog.body.entries
        .filter((e) => e.action === 'tenant.create')
        .map((e) => e.target)
        .sort(),
    ).toEqual(['tenant:alpha', 'tenant:beta']);
    expect(
      platformLog.body.entries.every((e) => e.actor.startsWith('cli:') || e.actor.startsWith('key:')),
    ).toBe(true);
    // A tenant admin reads its own log, not B's.
    const alphaLog = await call<{ entries: { target: string }[] }>(
      base,
      'GET',
      `/api/v1/tenants/${ALPHA}/audit`,
      {
        token: alphaKeys[A],
      },
    );
    expect(alphaLog.status).toBe(200);
    expect(alphaLog.body.entries.length).toBeGreaterThanOrEqual(ROLES.length);
    expect(
      alphaLog.body.entries.filter((e) => e.target.startsWith('api-key:')).length,
    ).toBeGreaterThanOrEqual(ROLES.length + 1);
    expect(JSON.stringify(alphaLog.body)).not.toContain('beta');
  });
});
