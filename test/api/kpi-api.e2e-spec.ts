import { KPI_JOBS, KPI_QUEUE, kpiSchedulerId } from '@vigie/contracts';
import { cadencePeriod } from '@vigie/domain';
import { KpiRunStatus } from '@vigie/kpi';
import { freePort } from '@vigie/local-services';
import {
  ApiProcess,
  createApiKey,
  expectEventually,
  isolatedEnv,
  startApiProcess,
  vigieJson,
} from '@vigie/testing';
import { Queue } from 'bullmq';
import { influxFor } from '../support';

/**
 * `vigie api` end to end: real processes (roles all, api, worker) on the harness's real Redis and InfluxDB. A tenant
 * in America/Guadeloupe (UTC−4 all year, no DST) has one energy meter whose hourly index readings are written to
 * InfluxDB; a KPI run is requested over HTTP, computed by a BullMQ worker, and its points are read back over HTTP.
 */

const H = 3_600_000;
const TENANT = 'antilles';
const ZONE = 'America/Guadeloupe';
/** Local midnight starting 2026-03-10 in Guadeloupe (−04:00). */
const MAR10 = Date.parse('2026-03-10T04:00:00Z');

interface JobView {
  id: string;
  name: string;
  state: string;
  attemptsMade: number;
  result?: unknown;
  failedReason?: string;
}

/** The platform-operator key of the test (set in beforeAll). */
let token = '';

async function http<T>(
  base: string | undefined,
  method: 'GET' | 'POST',
  path: string,
  body?: unknown,
): Promise<{ status: number; body: T }> {
  if (!base) throw new Error('this process serves no HTTP');
  const res = await fetch(`${base}${path}`, {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as T };
}

/** Polls a job until it is completed or failed. */
const settled = (base: string | undefined, id: string, timeoutMs = 30_000) =>
  expectEventually(async () => {
    // The platform's view of the queue: jobs of any tenant, and the schedulers' fan-outs.
    const r = await http<JobView>(base, 'GET', `/api/v1/platform/kpi-jobs/${id}`);
    expect(r.status).toBe(200);
    if (r.body.state !== 'completed' && r.body.state !== 'failed')
      throw new Error(`job ${id} is ${r.body.state}`);
    return r.body;
  }, timeoutMs);

describe('vigie api', () => {
  // Its own Redis prefix (so its own BullMQ prefix `<prefix>bull`) and InfluxDB database.
  const env = isolatedEnv();
  const influx = influxFor(env);
  const queue = new Queue(KPI_QUEUE, {
    connection: { url: env['REDIS_URL'] },
    prefix: `${env['REDIS_PREFIX']}bull`,
  });
  const processes: ApiProcess[] = [];
  let all: ApiProcess;

  beforeAll(async () => {
    await vigieJson(['tenants', 'add', TENANT, '--time-zone', ZONE], env);
    token = await createApiKey(env);
    await vigieJson(['sites', 'add', '--tenant', TENANT, 'school', '--attr', 'type=building'], env);
    await vigieJson(
      [
        'devices',
        'add',
        '--tenant',
        TENANT,
        '--id',
        'meter-1',
        '--kind',
        'energy-meter',
        '--site',
        'school',
        '--interval',
        '3600',
      ],
      env,
    );
    // Index 1000 + 10 k kWh at MAR10 + k h, k = 0..24 (the last at midnight closes the 10th).
    await influx.ensureDatabase();
    await influx.writePoints(
      Array.from({ length: 25 }, (_, k) => ({
        measurement: 'energy_meter',
        tags: { tenant: TENANT, device: 'meter-1', site: 'school' },
        fields: { energy_kwh: 1000 + 10 * k },
        ts: MAR10 + k * H,
      })),
    );
    all = await startApiProcess({ ...env, VIGIE_ROLE: 'all' });
    processes.push(all);
  });

  afterAll(async () => {
    for (const p of processes) await p.stop();
    await queue.close();
  });

  it('computes a run as a job and serves the points it wrote, in the tenant’s time zone', async () => {
    expect(await http(all.url, 'GET', '/api/health')).toEqual({
      status: 200,
      body: { status: 'ok', role: 'all', redis: 'up' },
    });
    const posted = await http<{ jobId: string }>(all.url, 'POST', `/api/v1/tenants/${TENANT}/kpis/compute`, {
      from: '2026-03-10',
      to: '2026-03-10',
      kpis: ['B1'],
    });
    expect(posted.status).toBe(202);
    expect(posted.body.jobId).toMatch(/^\d+$/);
    const job = await settled(all.url, posted.body.jobId);
    expect(job).toMatchObject({ name: KPI_JOBS.compute, state: 'completed', attemptsMade: 1 });
    const status = job.result as KpiRunStatus;
    expect(status).toMatchObject({
      tenant: TENANT,
      from: '2026-03-10',
      to: '2026-03-10',
      timeZone: ZONE,
      pointsWritten: 1,
    });
    expect(status.kpis).toEqual([
      expect.objectContaining({
        kpi: 'B1',
        status: 'computed',
        points: { 'B1.consumption_kwh': 1 },
        skipped: [],
      }),
    ]);

    // B1 of the 10th, local day [04:00Z, 04:00Z next day): intervals closing at k = 1..24, 24 × 10 = 240 kWh;
    // 24 intervals / (24 h / 1 h) = completeness 1. In Europe/Paris the day would start at 23:00Z on the 9th.
    const read = await http<{ timeZone: string; unit: string; points: unknown[] }>(
      all.url,
      'GET',
      `/api/v1/tenants/${TENANT}/kpis?kpi=B1.consumption_kwh&from=2026-03-10&to=2026-03-10`,
    );
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({ timeZone: ZONE, unit: 'kWh' });
    expect(read.body.points).toEqual([
      { subject: 'school', window: 'day', time: '2026-03-10T04:00:00.000Z', value: 240, completeness: 1 },
    ]);
    const other = await http<{ points: unknown[] }>(
      all.url,
      'GET',
      `/api/v1/tenants/${TENANT}/kpis?kpi=B1.consumption_kwh&from=2026-03-10&to=2026-03-10&subject=gym`,
    );
    expect(other.body.points).toEqual([]);
    // The day before holds nothing.
    const before = await http<{ points: unknown[] }>(
      all.url,
      'GET',
      `/api/v1/tenants/${TENANT}/kpis?kpi=B1.consumption_kwh&from=2026-03-09&to=2026-03-09`,
    );
    expect(before.body.points).toEqual([]);
  });

  it('refuses bad requests with 400 naming the fields, and unknown tenants and jobs with 404', async () => {
    const bad = await http<{ error: string; message: string; issues: { field: string; message: string }[] }>(
      all.url,
      'POST',
      `/api/v1/tenants/${TENANT}/kpis/compute`,
      { from: '10/03/2026', kpi: ['B1'] },
    );
    expect(bad.status).toBe(400);
    expect(bad.body.error).toBe('validation_failed');
    expect(bad.body.issues).toEqual([
      { field: 'body.from', message: 'must be a local date YYYY-MM-DD' },
      { field: 'body.to', message: 'required' },
      { field: 'body.kpi', message: 'unknown field' },
    ]);
    expect(bad.body.message).toContain('body.kpi: unknown field');

    const period = await http<{ error: string; message: string }>(
      all.url,
      'POST',
      `/api/v1/tenants/${TENANT}/kpis/compute`,
      {
        from: '2026-03-10',
        to: '2026-03-01',
      },
    );
    expect(period).toEqual({
      status: 400,
      body: expect.objectContaining({
        error: 'invalid_kpi_request',
        message: expect.stringContaining('is before'),
      }),
    });
    const kpi = await http<{ message: string }>(all.url, 'POST', `/api/v1/tenants/${TENANT}/kpis/compute`, {
      from: '2026-03-10',
      to: '2026-03-10',
      kpis: ['Z9'],
    });
    expect(kpi.status).toBe(400);
    expect(kpi.body.message).toContain("'Z9' is not a KPI id");

    expect(
      await http(all.url, 'POST', '/api/v1/tenants/nowhere/kpis/compute', {
        from: '2026-03-10',
        to: '2026-03-10',
      }),
    ).toEqual({ status: 404, body: expect.objectContaining({ error: 'tenant_not_found' }) });
    expect(await http(all.url, 'GET', `/api/v1/tenants/${TENANT}/kpis/jobs/999999`)).toEqual({
      status: 404,
      body: expect.objectContaining({ error: 'job_not_found' }),
    });
    const query = await http<{ issues: { field: string }[] }>(
      all.url,
      'GET',
      `/api/v1/tenants/${TENANT}/kpis?kpi=B1&from=2026-03-10`,
    );
    expect(query.status).toBe(400);
    expect(query.body.issues.map((i) => i.field)).toEqual(['query.kpi', 'query.to']);
  });

  it('fails a bad job at once (no retry) with a clear reason', async () => {
    // Enqueued behind the API's back: the worker must still refuse it for good.
    // With retries allowed, as the API enqueues it: a transient error would be retried, a bad job must not be.
    const retries = { attempts: 5, backoff: { type: 'fixed', delay: 200 } };
    const job = await queue.add(
      KPI_JOBS.compute,
      { tenant: 'ghost', from: '2026-03-10', to: '2026-03-10' },
      retries,
    );
    const failed = await settled(all.url, String(job.id));
    expect(failed).toMatchObject({ state: 'failed', attemptsMade: 1 });
    expect(failed.failedReason).toBe(
      "unknown tenant: tenant 'ghost' does not exist (see 'vigie tenants list')",
    );
    const malformed = await queue.add(KPI_JOBS.compute, { tenant: TENANT, from: 'yesterday' }, retries);
    expect(await settled(all.url, String(malformed.id))).toMatchObject({
      state: 'failed',
      attemptsMade: 1,
      failedReason: expect.stringMatching(
        /^invalid kpi\.compute data: from: must be a local date YYYY-MM-DD; to: required/,
      ),
    });
  });

  it('fans a scheduler job out to one run per tenant, over the cadence’s period in the tenant’s zone', async () => {
    const job = await queue.add(KPI_JOBS.schedule, { cadence: 'daily' });
    const done = await settled(all.url, String(job.id));
    expect(done.state).toBe('completed');
    const result = done.result as {
      cadence: string;
      jobs: { tenant: string; from: string; to: string; jobId: string }[];
    };
    const period = cadencePeriod('daily', (await queue.getJob(String(job.id)))?.timestamp ?? NaN, ZONE);
    expect(result.cadence).toBe('daily');
    expect(result.jobs).toEqual([
      { tenant: TENANT, ...period, jobId: expect.stringMatching(/^sched\.daily\./) },
    ]);
    const run = await settled(all.url, result.jobs[0].jobId, 60_000);
    expect(run.state).toBe('completed');
    expect((run.result as KpiRunStatus).kpis.map((k) => k.kpi)).toContain('B1');
  });

  it('registers the four schedules once at boot, and a second worker does not double them', async () => {
    const schedulers = async () =>
      (await queue.getJobSchedulers())
        .map((s) => ({ id: s.key, pattern: s.pattern, tz: s.tz, name: s.name }))
        .sort((a, b) => a.id.localeCompare(b.id));
    const expected = [
      { id: kpiSchedulerId('daily'), pattern: '15 0 * * *', tz: 'Europe/Paris', name: KPI_JOBS.schedule },
      { id: kpiSchedulerId('hourly'), pattern: '5 * * * *', tz: 'Europe/Paris', name: KPI_JOBS.schedule },
      { id: kpiSchedulerId('monthly'), pattern: '30 1 1 * *', tz: 'Europe/Paris', name: KPI_JOBS.schedule },
      { id: kpiSchedulerId('yearly'), pattern: '0 3 1 1 *', tz: 'Europe/Paris', name: KPI_JOBS.schedule },
    ];
    expect(await schedulers()).toEqual(expected);
    // One delayed job per scheduler: its next occurrence.
    expect(await queue.getDelayedCount()).toBe(4);
    const worker = await startApiProcess({ ...env, VIGIE_ROLE: 'worker' });
    processes.push(worker);
    // A worker serves only the operations endpoints on its HTTP port.
    expect((await http(worker.url, 'GET', '/api/health/ready')).body).toEqual({
      status: 'ready',
      role: 'worker',
      checks: { redis: 'up', influxdb: 'up' },
    });
    expect((await http(worker.url, 'GET', '/api/health/live')).body).toEqual({
      status: 'ok',
      role: 'worker',
    });
    expect(
      (await http(worker.url, 'GET', `/api/v1/tenants/${TENANT}/kpis?kpi=B1.consumption_kwh`)).status,
    ).toBe(404);
    await expectEventually(async () => expect(await queue.getWorkersCount()).toBe(2));
    expect(await schedulers()).toEqual(expected);
    expect(await queue.getDelayedCount()).toBe(4);
    expect(await worker.stop()).toBe(0);
  });

  it('splits roles: an api process only enqueues, a separate worker process computes', async () => {
    expect(await all.stop()).toBe(0);
    const api = await startApiProcess({ ...env, VIGIE_ROLE: 'api' });
    processes.push(api);
    expect((await http(api.url, 'GET', '/api/health')).body).toMatchObject({ role: 'api' });
    expect(await queue.getWorkersCount()).toBe(0);
    const posted = await http<{ jobId: string }>(api.url, 'POST', `/api/v1/tenants/${TENANT}/kpis/compute`, {
      from: '2026-03-10',
      to: '2026-03-10',
      kpis: ['B1.consumption_kwh'],
    });
    expect(posted.status).toBe(202);
    expect(
      (await http<JobView>(api.url, 'GET', `/api/v1/tenants/${TENANT}/kpis/jobs/${posted.body.jobId}`)).body
        .state,
    ).toBe('waiting');

    const worker = await startApiProcess({ ...env, VIGIE_ROLE: 'worker' });
    processes.push(worker);
    const job = await settled(api.url, posted.body.jobId);
    expect(job.state).toBe('completed');
    expect(job.result).toMatchObject({ tenant: TENANT, timeZone: ZONE, pointsWritten: 1 });
    const read = await http<{ points: { value: number }[] }>(
      api.url,
      'GET',
      `/api/v1/tenants/${TENANT}/kpis?kpi=B1.consumption_kwh&from=2026-03-10&to=2026-03-10`,
    );
    // Recomputed: the same single point, replaced (not duplicated).
    expect(read.body.points.map((p) => p.value)).toEqual([240]);
    // Prometheus: the worker counted the job it ran; the api counted the requests it served, by route pattern.
    const scrape = async (base: string | undefined) => (await fetch(`${base}/api/metrics`)).text();
    const workerMetrics = await scrape(worker.url);
    expect(workerMetrics).toMatch(
      /^vigie_jobs_total\{queue="vigie-kpi",name="kpi.compute",outcome="completed"\} 1$/m,
    );
    expect(workerMetrics).toMatch(/^vigie_queue_jobs\{queue="vigie-kpi",state="completed"\} [1-9]\d*$/m);
    expect(await scrape(api.url)).toMatch(
      /^vigie_http_request_duration_seconds_count\{method="GET",route="\/api\/v1\/platform\/kpi-jobs\/:job",status="200"\} [1-9]\d*$/m,
    );
  });
});

describe('vigie api with InfluxDB unreachable', () => {
  let env: Record<string, string>;
  let api: ApiProcess | undefined;
  let queue: Queue | undefined;

  beforeAll(async () => {
    // A port nothing listens on: every InfluxDB call fails to connect.
    env = isolatedEnv({ INFLUX_URL: `http://127.0.0.1:${await freePort()}` });
    queue = new Queue(KPI_QUEUE, {
      connection: { url: env['REDIS_URL'] },
      prefix: `${env['REDIS_PREFIX']}bull`,
    });
    await vigieJson(['tenants', 'add', TENANT], env);
    token = await createApiKey(env);
    api = await startApiProcess({ ...env, VIGIE_ROLE: 'all' });
  });
  afterAll(async () => {
    await api?.stop();
    await queue?.close();
  });

  it('keeps the job and retries it with backoff instead of failing it', async () => {
    const posted = await http<{ jobId: string }>(api?.url, 'POST', `/api/v1/tenants/${TENANT}/kpis/compute`, {
      from: '2026-03-10',
      to: '2026-03-10',
    });
    expect(posted.status).toBe(202);
    const retrying = await expectEventually(async () => {
      const r = await http<JobView>(
        api?.url,
        'GET',
        `/api/v1/tenants/${TENANT}/kpis/jobs/${posted.body.jobId}`,
      );
      if (r.body.attemptsMade < 1) throw new Error(`job is ${r.body.state}, attempts ${r.body.attemptsMade}`);
      return r.body;
    }, 20_000);
    // First attempt failed; the next waits its backoff (5 s): delayed, not failed.
    expect(retrying).toMatchObject({ state: 'delayed', attemptsMade: 1 });
    expect(retrying.failedReason).toMatch(/InfluxDB|ECONNREFUSED|connect/i);
  });

  it('is live but not ready, and says InfluxDB is why', async () => {
    expect(await http(api?.url, 'GET', '/api/health/live')).toEqual({
      status: 200,
      body: { status: 'ok', role: 'all' },
    });
    const ready = await http<{ message: string }>(api?.url, 'GET', '/api/health/ready');
    expect(ready.status).toBe(503);
    expect(ready.body.message).toMatch(/^not ready: influxdb: .+/);
    expect(ready.body.message).not.toMatch(/redis/);
  });
});
