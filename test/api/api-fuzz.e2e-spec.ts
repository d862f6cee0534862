import {
  ApiProcess,
  createApiKey,
  isolatedEnv,
  seededRandom,
  startApiProcess,
  vigieJson,
} from '@vigie/testing';
import { ApiErrorBody, call, Operation, operationsOf, pathOf } from './api-client';

/**
 * Malformed requests across every operation of the OpenAPI document, sent with a platform-operator key (so the
 * guard lets them through and validation answers): bad path parameters, bad, unknown and repeated query
 * parameters, bodies that are not JSON, not objects, missing fields, with unknown fields or fields of the wrong
 * type. None may yield a 5xx; each must be a 4xx whose body names the problem; none may change the registry.
 */

const TENANT = 'fuzzville';
const KNOWN_ERRORS = [
  'validation_failed',
  'malformed_body',
  'payload_too_large',
  'tenant_not_found',
  'site_not_found',
  'device_not_found',
  'account_not_found',
  'api_key_not_found',
  'alert_not_found',
  'alert_rule_not_found',
  'alert_override_not_found',
  'alert_route_not_found',
  'silence_not_found',
  'job_not_found',
  'open_data_not_published',
  'invalid_kpi_request',
  'route_not_found',
];

interface FuzzCase {
  readonly label: string;
  readonly method: string;
  readonly path: string;
  readonly rawBody?: string;
  readonly contentType?: string;
}

// (`..` is not among them: fetch resolves it before sending, as every HTTP client does.)
const BAD_IDS = ['UPPER', '-dash-first', 'a'.repeat(80), 'sp ace', 'é', '.hidden', '~', 'a;b', '%00', '%FF'];
/** Invalid for every query parameter: empty, or far too long. */
const BAD_QUERY_VALUES = ['', 'x'.repeat(3000)];
/** Invalid too for a parameter with a grammar (an enum, a pattern, a number, a date). */
const BAD_TYPED_QUERY_VALUES = ['-1 !', '[object Object]', '%FF', '1e309%20!', '2026-13-45T99:99:99Z!'];
const WRONG_TYPES: Record<string, unknown[]> = {
  string: [42, true, null, [], {}],
  number: ['12', true, null, [], {}],
  integer: ['12', 1.5, null, []],
  boolean: ['true', 1, null],
  array: ['a', 1, {}, null],
  object: ['a', 1, [], null],
};

/** Valid values of an operation's path parameters (the tenant exists; the rest need not). */
const PARAMS: Record<string, string> = {
  tenant: TENANT,
  site: 'no-site',
  device: 'no-device',
  account: 'no-account',
  key: 'nokey',
  id: 'no-id',
  route: 'no-route',
  job: 'no-job',
  rule: 'no-rule',
};

function casesOf(op: Operation, random: () => number): FuzzCase[] {
  const out: FuzzCase[] = [];
  const path = pathOf(op, PARAMS);
  const at = (label: string, extra: Partial<FuzzCase> = {}): FuzzCase => ({
    label: `${op.key} ${label}`,
    method: op.method,
    path,
    ...extra,
  });
  // A valid-looking body, so that other faults are what the server answers.
  const body = op.hasBody ? '{}' : undefined;
  for (const name of op.pathParams) {
    for (const bad of BAD_IDS) {
      const p = op.path.replace(/\{(\w+)\}/g, (_, n: string) =>
        n === name ? bad : encodeURIComponent(PARAMS[n]),
      );
      out.push({
        label: `${op.key} params.${name}=${bad.slice(0, 12)}`,
        method: op.method,
        path: p,
        rawBody: body,
      });
    }
  }
  out.push(at('unknown query parameter', { path: `${path}?zz_unknown=1`, rawBody: body }));
  out.push(at('repeated query parameter', { path: `${path}?limit=1&limit=2`, rawBody: body }));
  for (const q of op.queryParams) {
    const typed = q.schema.enum !== undefined || q.schema.pattern !== undefined || q.schema.type !== 'string';
    for (const v of [...BAD_QUERY_VALUES, ...(typed ? BAD_TYPED_QUERY_VALUES : [])]) {
      out.push(at(`query.${q.name}=${v.slice(0, 10)}`, { path: `${path}?${q.name}=${v}`, rawBody: body }));
    }
  }
  if (!op.hasBody) {
    // (fetch sends no body with a GET.)
    if (op.method !== 'GET') out.push(at('a body on a route that takes none', { rawBody: '{"x":1}' }));
    return out;
  }
  const bodies: [string, string, string?][] = [
    ['not JSON', '{"id": '],
    ['JSON array', '[1,2]'],
    ['JSON null', 'null'],
    ['JSON string', '"text"'],
    ['empty object', '{}'],
    ['unknown field', '{"zz_unknown": 1}'],
    ['deep nesting', '['.repeat(5000) + ']'.repeat(5000)],
    ['JSON as text/plain', '{"id":"x"}', 'text/plain'],
    ['form encoding', 'id=x&name=y', 'application/x-www-form-urlencoded'],
    ['invalid UTF-8 escape', '{"id":"\\uZZZZ"}'],
  ];
  for (const [label, raw, contentType] of bodies)
    out.push(at(`body: ${label}`, { rawBody: raw, contentType }));
  // Each property of the schema with a value of another type, the others absent.
  for (const [name, prop] of Object.entries(op.bodySchema?.properties ?? {})) {
    const wrong = WRONG_TYPES[prop.type ?? 'object'] ?? WRONG_TYPES['object'];
    for (const v of wrong)
      out.push(at(`body.${name}=${JSON.stringify(v)}`, { rawBody: JSON.stringify({ [name]: v }) }));
  }
  // Random bytes.
  const bytes = Array.from({ length: 64 }, () => String.fromCharCode(Math.floor(random() * 256))).join('');
  out.push(at('body: random bytes', { rawBody: bytes }));
  return out;
}

describe('API fuzz: malformed requests across every route', () => {
  const env = isolatedEnv();
  let api: ApiProcess;
  let base: string;
  let token: string;

  beforeAll(async () => {
    await vigieJson(['tenants', 'add', TENANT], env);
    await vigieJson(['sites', 'add', '--tenant', TENANT, 'school'], env);
    await vigieJson(['devices', 'add', '--tenant', TENANT, '--id', 'm1', '--kind', 'energy-meter'], env);
    token = await createApiKey(env);
    api = await startApiProcess({ ...env, VIGIE_ROLE: 'api' });
    base = api.url as string;
  }, 60_000);

  afterAll(async () => {
    await api?.stop();
  });

  it('answers at least 500 malformed requests with a 4xx that names the problem, never a 5xx', async () => {
    const random = seededRandom(20261202);
    const ops = await operationsOf(base);
    const cases = ops.flatMap((op) => casesOf(op, random));
    expect(cases.length).toBeGreaterThanOrEqual(500);
    const before = await call<{ items: unknown[] }>(base, 'GET', `/api/v1/tenants/${TENANT}/devices`, {
      token,
    });
    const failures: string[] = [];
    const byStatus = new Map<number, number>();
    for (const c of cases) {
      const r = await call<ApiErrorBody>(base, c.method, c.path, {
        token,
        rawBody: c.rawBody,
        contentType: c.contentType,
      });
      byStatus.set(r.status, (byStatus.get(r.status) ?? 0) + 1);
      const b = r.body;
      const named =
        typeof b === 'object' &&
        b !== null &&
        b.statusCode === r.status &&
        KNOWN_ERRORS.includes(b.error) &&
        typeof b.message === 'string' &&
        b.message.length >= 10 &&
        (b.error !== 'validation_failed' ||
          (b.issues ?? []).every((i) => /^(body|query|params|path)\b/.test(i.field)));
      if (r.status < 400 || r.status >= 500 || !named) {
        failures.push(`${c.label}: ${r.status} ${JSON.stringify(b).slice(0, 200)}`);
      }
    }
    expect(failures).toEqual([]);
    // The refusals are validation (400) and lookups of what does not exist (404), not the guard.
    expect([...byStatus.keys()].sort()).toEqual(expect.arrayContaining([400, 404]));
    expect(byStatus.get(401) ?? 0).toBe(0);
    const after = await call<{ items: unknown[] }>(base, 'GET', `/api/v1/tenants/${TENANT}/devices`, {
      token,
    });
    expect(after.body).toEqual(before.body);
    expect(api.isRunning()).toBe(true);
  }, 180_000);
});
