import { AlertRepository, createRedis, Redis, RedisKeys, StoredAlert } from '@vigie/adapters';
import { ALERT_RULES, alertIdOf, findAlertRule } from '@vigie/domain';
import { ApiProcess, createApiKey, isolatedEnv, startApiProcess, vigieJson } from '@vigie/testing';

/**
 * The operators' alerts API end to end: a real `vigie api` (role api) on the harness's Redis. Alerts are seeded
 * through AlertRepository.fire (what the evaluators do), then listed, acted on, silenced and their rules
 * overridden over HTTP.
 */

const TENANT = 'alertville';
const T0 = Date.parse('2026-03-10T06:00:00Z');
const H = 3_600_000;

/** A firing alert of a catalogue rule, `hours` after T0. */
function anAlert(rule: string, subject: string, hours: number, site?: string): StoredAlert {
  const def = findAlertRule(rule);
  if (!def) throw new Error(`no rule ${rule}`);
  const since = T0 + hours * H;
  return {
    id: alertIdOf({ tenant: TENANT, rule, subject, since }),
    tenant: TENANT,
    rule,
    subject,
    severity: def.severity,
    state: 'firing',
    since,
    firedAt: since + 60_000,
    value: 101,
    threshold: 100,
    unit: def.unit,
    title: def.title,
    domain: def.domain,
    ...(site === undefined ? {} : { site }),
  };
}

type Json = Record<string, unknown>;

/** The platform-operator key of the test (set in beforeAll). */
let token = '';

async function http<T = Json>(
  base: string | undefined,
  method: 'GET' | 'POST' | 'PUT' | 'DELETE',
  path: string,
  body?: unknown,
): Promise<{ status: number; body: T }> {
  if (!base) throw new Error('this process serves no HTTP');
  const res = await fetch(`${base}/api/v1/tenants/${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : undefined) as T };
}

describe('alerts API', () => {
  const env = isolatedEnv();
  const keys = new RedisKeys(env['REDIS_PREFIX']);
  let redis: Redis;
  let api: ApiProcess;
  // Fired oldest first: D (later resolved), A, B, C.
  const D = anAlert('waste.overflow', 'bin-3', 0, 's1');
  const A = anAlert('waste.overflow', 'bin-1', 1, 's1');
  const B = anAlert('waste.fire_temperature', 'bin-2', 2, 's2');
  const C = anAlert('lighting.lamp_failure', 'lamp-1', 3);

  const ids = (r: { body: { alerts: { id: string }[] } }) => r.body.alerts.map((a) => a.id);

  beforeAll(async () => {
    await vigieJson(['tenants', 'add', TENANT], env);
    token = await createApiKey(env);
    redis = createRedis(env['REDIS_URL'], { name: 'alerts-api-test' });
    const repo = new AlertRepository(redis, keys);
    for (const a of [D, A, B, C]) {
      if (!(await repo.fire(a)).created) throw new Error(`alert ${a.id} was not created`);
    }
    await repo.act(TENANT, D.id, { type: 'resolve', by: 'seed', at: T0 + 30 * 60_000 });
    api = await startApiProcess({ ...env, VIGIE_ROLE: 'api' });
  });

  afterAll(async () => {
    await api?.stop();
    redis?.disconnect();
  });

  it('lists alerts newest first, filtered by state, severity, rule, subject, domain, site, time and limit', async () => {
    const all = await http<{ alerts: StoredAlert[] }>(api.url, 'GET', `${TENANT}/alerts`);
    expect(all.status).toBe(200);
    expect(ids(all)).toEqual([C.id, B.id, A.id, D.id]);
    // Instants are ISO strings.
    expect(all.body.alerts[0]).toMatchObject({
      rule: 'lighting.lamp_failure',
      subject: 'lamp-1',
      severity: 'minor',
      state: 'firing',
      since: '2026-03-10T09:00:00.000Z',
      firedAt: '2026-03-10T09:01:00.000Z',
    });
    const cases: [string, string[]][] = [
      ['state=open', [C.id, B.id, A.id]],
      ['state=firing', [C.id, B.id, A.id]],
      ['state=resolved', [D.id]],
      ['severity=critical', [B.id]],
      ['rule=waste.overflow', [A.id, D.id]],
      ['subject=bin-2', [B.id]],
      ['domain=waste', [B.id, A.id, D.id]],
      ['site=s1', [A.id, D.id]],
      // firedAt of A is 07:01, of B 08:01.
      ['from=2026-03-10T08:00:00Z', [C.id, B.id]],
      ['to=2026-03-10T08:00:00Z', [A.id, D.id]],
      ['from=2026-03-10T07:00:00Z&to=2026-03-10T08:30:00%2B00:00', [B.id, A.id]],
      ['limit=2', [C.id, B.id]],
      ['state=open&domain=waste&limit=1', [B.id]],
    ];
    for (const [query, expected] of cases) {
      const r = await http<{ alerts: StoredAlert[] }>(api.url, 'GET', `${TENANT}/alerts?${query}`);
      expect({ query, status: r.status, ids: ids(r) }).toEqual({ query, status: 200, ids: expected });
    }
  });

  it('refuses a bad query naming the parameter', async () => {
    const r = await http<Json>(api.url, 'GET', `${TENANT}/alerts?state=closed&from=yesterday&limit=0&x=1`);
    expect(r.status).toBe(400);
    expect(r.body['error']).toBe('validation_failed');
    expect((r.body['issues'] as { field: string }[]).map((i) => i.field)).toEqual([
      'query.state',
      'query.from',
      'query.limit',
      'query.x',
    ]);
  });

  it('acknowledges, assigns and resolves; each action is in the history and on the spool', async () => {
    const ack = await http<{ alert: Json }>(api.url, 'POST', `${TENANT}/alerts/${A.id}/acknowledge`, {
      by: 'j.martin',
    });
    expect(ack.status).toBe(200);
    expect(ack.body.alert).toMatchObject({ id: A.id, state: 'acknowledged', acknowledgedBy: 'j.martin' });
    expect(Date.parse(ack.body.alert['acknowledgedAt'] as string)).toBeGreaterThan(Date.now() - 60_000);

    const assign = await http<{ alert: Json }>(api.url, 'POST', `${TENANT}/alerts/${A.id}/assign`, {
      to: 'tech-2',
      by: 'j.martin',
    });
    expect(assign.status).toBe(200);
    expect(assign.body.alert).toMatchObject({ state: 'acknowledged', assignee: 'tech-2' });

    const shown = await http<{ alert: Json; history: Json[] }>(api.url, 'GET', `${TENANT}/alerts/${A.id}`);
    expect(shown.status).toBe(200);
    expect(shown.body.alert).toMatchObject({ id: A.id, state: 'acknowledged', assignee: 'tech-2' });
    expect(shown.body.history.map((e) => [e['type'], e['by'], e['state']])).toEqual([
      ['fired', undefined, 'firing'],
      ['acknowledged', 'j.martin', 'acknowledged'],
      ['assigned', 'tech-2', 'acknowledged'],
    ]);
    expect(shown.body.history[0]['at']).toBe('2026-03-10T07:01:00.000Z');

    const resolved = await http<{ alert: Json }>(api.url, 'POST', `${TENANT}/alerts/${B.id}/resolve`, {
      by: 'j.martin',
    });
    expect(resolved.status).toBe(200);
    expect(resolved.body.alert).toMatchObject({ id: B.id, state: 'resolved', resolvedBy: 'j.martin' });
    const open = await http<{ alerts: StoredAlert[] }>(api.url, 'GET', `${TENANT}/alerts?state=open`);
    expect(ids(open)).toEqual([C.id, A.id]);

    // Every action wrote its `alert` line to the spool (on its way to InfluxDB).
    const spooled = (await redis.xrange(keys.spool(), '-', '+')).map(([, fields]) => fields[1]);
    const events = spooled.filter((l) => l.startsWith('alert,')).map((l) => /event=(\w+)/.exec(l)?.[1]);
    expect(events).toEqual(['acknowledged', 'assigned', 'resolved']);
  });

  it('refuses to acknowledge a resolved alert with 409 and the reason', async () => {
    const r = await http<Json>(api.url, 'POST', `${TENANT}/alerts/${D.id}/acknowledge`, { by: 'j.martin' });
    expect(r.status).toBe(409);
    expect(r.body).toMatchObject({
      statusCode: 409,
      error: 'invalid_alert_transition',
      message:
        'the alert cannot make this transition: acknowledge on the resolved alert waste.overflow of bin-3',
    });
    // Nothing changed.
    const shown = await http<{ alert: Json; history: Json[] }>(api.url, 'GET', `${TENANT}/alerts/${D.id}`);
    expect(shown.body.alert['state']).toBe('resolved');
    expect(shown.body.history.map((e) => e['type'])).toEqual(['fired', 'resolved']);
  });

  it('answers 404 for an unknown tenant, alert and rule, and 400 naming a bad body field', async () => {
    const cases: [Promise<{ status: number; body: Json }>, number, string][] = [
      [http(api.url, 'GET', 'nowhere/alerts'), 404, 'tenant_not_found'],
      [http(api.url, 'GET', 'nowhere/alert-rules'), 404, 'tenant_not_found'],
      [http(api.url, 'GET', `${TENANT}/alerts/0000000000000000`), 404, 'alert_not_found'],
      [
        http(api.url, 'POST', `${TENANT}/alerts/0000000000000000/resolve`, { by: 'x' }),
        404,
        'alert_not_found',
      ],
      [
        http(api.url, 'PUT', `${TENANT}/alert-rules/waste.nope/overrides`, { enabled: false }),
        404,
        'alert_rule_not_found',
      ],
      [http(api.url, 'DELETE', `${TENANT}/silences/nope`), 404, 'silence_not_found'],
    ];
    for (const [pending, status, error] of cases) {
      const r = await pending;
      expect({ status: r.status, error: r.body['error'] }).toEqual({ status, error });
    }
    const rule = await http<Json>(api.url, 'PUT', `${TENANT}/alert-rules/waste.nope/overrides`, {
      enabled: false,
    });
    expect(rule.body['message']).toContain(
      "unknown rule 'waste.nope'; known rules: waste.fire_temperature, ",
    );

    const bad = await http<Json>(api.url, 'POST', `${TENANT}/alerts/${C.id}/acknowledge`, { who: 'x' });
    expect(bad.status).toBe(400);
    expect(bad.body['issues']).toEqual([
      { field: 'body.by', message: 'required' },
      { field: 'body.who', message: 'unknown field' },
    ]);
  });

  it('creates, lists and removes silences and maintenance windows', async () => {
    const from = new Date(Date.now() - 60_000).toISOString();
    const to = new Date(Date.now() + 2 * H).toISOString();
    const created = await http<{ silence: Json }>(api.url, 'POST', `${TENANT}/silences`, {
      kind: 'maintenance',
      rule: 'waste.overflow',
      site: 's1',
      from,
      to,
      reason: 'bins replaced',
      createdBy: 'j.martin',
    });
    expect(created.status).toBe(201);
    const id = created.body.silence['id'] as string;
    expect(id).toMatch(/^[0-9a-f]{12}$/);
    expect(created.body.silence).toEqual({
      id,
      tenant: TENANT,
      kind: 'maintenance',
      rule: 'waste.overflow',
      site: 's1',
      from,
      to,
      reason: 'bins replaced',
      createdBy: 'j.martin',
    });
    const listed = await http<{ silences: Json[] }>(api.url, 'GET', `${TENANT}/silences`);
    expect(listed.body.silences).toEqual([created.body.silence]);

    const badCases: [Json, string][] = [
      [{ kind: 'silence', from: to, to: from, reason: 'x' }, 'body.to'],
      [{ kind: 'silence', from, to: 'tomorrow', reason: 'x' }, 'body.to'],
      [{ kind: 'mute', from, to, reason: 'x' }, 'body.kind'],
      [{ kind: 'silence', from, to, reason: '  ' }, 'body.reason'],
    ];
    for (const [b, field] of badCases) {
      const r = await http<Json>(api.url, 'POST', `${TENANT}/silences`, b);
      expect({
        status: r.status,
        fields: (r.body['issues'] as { field: string }[]).map((i) => i.field),
      }).toEqual({
        status: 400,
        fields: [field],
      });
    }
    const unknownRule = await http<Json>(api.url, 'POST', `${TENANT}/silences`, {
      kind: 'silence',
      rule: 'waste.nope',
      from,
      to,
      reason: 'x',
    });
    expect(unknownRule.status).toBe(404);

    expect((await http(api.url, 'DELETE', `${TENANT}/silences/${id}`)).status).toBe(204);
    expect((await http<{ silences: Json[] }>(api.url, 'GET', `${TENANT}/silences`)).body.silences).toEqual(
      [],
    );
    expect((await http(api.url, 'DELETE', `${TENANT}/silences/${id}`)).status).toBe(404);
  });

  it('lists every rule with its defaults and stores, applies and removes overrides', async () => {
    type RulesBody = {
      rules: {
        id: string;
        defaults: { severity: string; params: Json };
        tenant: { enabled: boolean; severity: string; params: Json };
        overrides: Json[];
      }[];
    };
    const before = await http<RulesBody>(api.url, 'GET', `${TENANT}/alert-rules`);
    expect(before.status).toBe(200);
    // Every rule of the catalogue, once, in its order.
    expect(before.body.rules.map((r) => r.id)).toEqual(ALERT_RULES.map((r) => r.id));
    expect(before.body.rules.map((r) => r.id)).toContain('energy.no_setback_at_closing');
    const overflow = () => before.body.rules.find((r) => r.id === 'waste.overflow');
    expect(overflow()).toMatchObject({
      defaults: {
        severity: 'major',
        params: { direction: 'above', raise: 100, clear: 90, minDurationMin: 0 },
      },
      tenant: { enabled: true, severity: 'major' },
      overrides: [],
    });

    const site = await http<Json>(api.url, 'PUT', `${TENANT}/alert-rules/waste.overflow/overrides`, {
      site: 's1',
      severity: 'critical',
      params: { raise: 95, clear: 85 },
    });
    expect(site.status).toBe(200);
    expect(site.body).toEqual({
      override: {
        rule: 'waste.overflow',
        site: 's1',
        severity: 'critical',
        params: { raise: 95, clear: 85 },
      },
    });
    const tenantWide = await http<Json>(api.url, 'PUT', `${TENANT}/alert-rules/waste.overflow/overrides`, {
      enabled: false,
    });
    expect(tenantWide.status).toBe(200);

    const after = await http<RulesBody>(api.url, 'GET', `${TENANT}/alert-rules`);
    const rule = after.body.rules.find((r) => r.id === 'waste.overflow');
    expect(rule?.tenant).toEqual({
      enabled: false,
      severity: 'major',
      params: { direction: 'above', raise: 100, clear: 90, minDurationMin: 0 },
    });
    const bySite = (o: Json) => String(o['site'] ?? '');
    expect([...(rule?.overrides ?? [])].sort((x, y) => bySite(x).localeCompare(bySite(y)))).toEqual([
      { rule: 'waste.overflow', enabled: false },
      { rule: 'waste.overflow', site: 's1', severity: 'critical', params: { raise: 95, clear: 85 } },
    ]);

    // A parameter the rule does not read, a level on the wrong side, an empty override: 400 naming the field.
    const badCases: [Json, string][] = [
      [{ params: { rise: 3 } }, 'body.params.rise'],
      [{ params: { raise: 50, clear: 60 } }, 'body.params'],
      [{ site: 's2' }, ''],
      [{ severity: 'urgent' }, 'body.severity'],
    ];
    for (const [b, field] of badCases) {
      const r = await http<Json>(api.url, 'PUT', `${TENANT}/alert-rules/waste.overflow/overrides`, b);
      expect(r.status).toBe(400);
      expect(((r.body['issues'] as { field: string }[] | undefined) ?? []).map((i) => i.field)).toEqual(
        field ? [field] : [],
      );
    }

    expect(
      (await http(api.url, 'DELETE', `${TENANT}/alert-rules/waste.overflow/overrides?site=s1`)).status,
    ).toBe(204);
    expect(
      (await http(api.url, 'DELETE', `${TENANT}/alert-rules/waste.overflow/overrides?site=s1`)).status,
    ).toBe(404);
    const last = await http<RulesBody>(api.url, 'GET', `${TENANT}/alert-rules`);
    expect(last.body.rules.find((r) => r.id === 'waste.overflow')?.overrides).toEqual([
      { rule: 'waste.overflow', enabled: false },
    ]);
  });
});
