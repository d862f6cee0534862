import { InfluxSeries } from '@vigie/adapters';
import {
  columnsUsedBy,
  DashboardFile,
  panelsOf,
  readCommittedDashboards,
  selectAliases,
} from '@vigie/dashboards';
import { DEVICE_KINDS, parseScenario } from '@vigie/devices';
import {
  ApiProcess,
  BrokerProcess,
  createApiKey,
  expectEventually,
  isolatedEnv,
  startApiProcess,
  startBrokerProcess,
  vigieJson,
} from '@vigie/testing';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { influxFor } from '../support';
import { interpolate, relativeStart, TimeRange, variableText } from './grafana-influxql';

/**
 * Every committed dashboard against a real town: `vigie simulate --backfill` of a small town through the broker with
 * `vigie api` running (reading alerts as the readings arrive), a KPI run through the API (which then evaluates the
 * KPI alert rules), then every template variable query must list values, and every panel and annotation query of
 * every dashboard, with Grafana's macros expanded and the variables as Grafana selects them on load (All where a
 * variable has it, else its first value), must return at least one series with the columns the panel uses; with the
 * first value of every variable selected instead, every query must still run.
 */
const ROOT = join(__dirname, '..', '..');
const CLI = join(ROOT, 'dist', 'apps', 'cli', 'main.js');
const SCENARIO = join(__dirname, 'dashboard-town.yaml');
const scenario = parseScenario(readFileSync(SCENARIO, 'utf8'), SCENARIO);
const TENANT = scenario.tenant.id;
const DAY_MS = 86_400_000;
/** What Grafana gives `$__interval` for a month on a dashboard-wide panel (the data source's minimum is 15 min). */
const INTERVAL = '1h';

interface SimulateSummary {
  from: string;
  to: string;
  readings: number;
  malformed: number;
}

/** `vigie simulate … --json` (the built bundle), which runs longer than `runVigie`'s 30 s limit. */
function simulate(args: string[], env: Record<string, string>): Promise<SimulateSummary> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, 'simulate', ...args, '--json', '--no-progress'], {
      cwd: ROOT,
      env: { PATH: process.env['PATH'] ?? '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout?.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr?.on('data', (c: Buffer) => (err += c.toString()));
    child.once('exit', (code) =>
      code === 0
        ? resolve(JSON.parse(out) as SimulateSummary)
        : reject(new Error(`simulate exited ${code}: ${err}`)),
    );
  });
}

/** The local date (YYYY-MM-DD) of an instant in the town's zone. */
const localDate = (ms: number) =>
  new Intl.DateTimeFormat('en-CA', { timeZone: scenario.location.time_zone }).format(ms);

/** Column names of a result, tags included (Grafana shows GROUP BY tags as columns or in series names). */
const columnsOf = (series: InfluxSeries[]) =>
  new Set(series.flatMap((s) => [...s.columns, ...Object.keys(s.tags ?? {})]));

describe('dashboards: every variable, panel and annotation query returns data', () => {
  const env = isolatedEnv({ INGEST_MAX_PAST_DAYS: '3650', VIGIE_ROLE: 'all' });
  const influx = influxFor(env);
  const dashboards = readCommittedDashboards(join(ROOT, 'dashboards'));
  let broker: BrokerProcess;
  let api: ApiProcess;
  let summary: SimulateSummary;

  beforeAll(async () => {
    broker = await startBrokerProcess(env);
    api = await startApiProcess(env);
    const token = await createApiKey(env);
    const auth = { authorization: `Bearer ${token}` };
    summary = await simulate(
      [
        '--scenario',
        SCENARIO,
        '--backfill',
        '24d',
        '--seed',
        '7',
        '--mqtt-url',
        `mqtt://127.0.0.1:${broker.mqttPort}`,
      ],
      env,
    );
    const readingMeasurements = DEVICE_KINDS.map((k) => k.measurement).join('|');
    await expectEventually(
      async () => {
        const counts = await influx.query(
          `SELECT COUNT(*) FROM /^(${readingMeasurements})$/ WHERE "tenant" = '${TENANT}'`,
        );
        const total = counts
          .flatMap((s) => s.values.flatMap((v) => v.slice(1).map(Number)))
          .reduce((a, b) => a + b, 0);
        if (total !== summary.readings) throw new Error(`${total} of ${summary.readings} readings stored`);
      },
      60_000,
      500,
    );

    // B6: a fixed baseline of the backfill's first full days (the scenario's years of history do not exist here).
    const firstDay = Date.parse(summary.from) + DAY_MS;
    for (const b of scenario.buildings) {
      await vigieJson(
        [
          'sites',
          'set',
          '--tenant',
          TENANT,
          b.id,
          '--attr',
          `baseline=${localDate(firstDay)}/${localDate(firstDay + 10 * DAY_MS)}`,
          '--attr',
          'baseline_min_days=10',
        ],
        env,
      );
    }

    // KPIs through the API: its worker computes them, then evaluates the KPI alert rules on them.
    const res = await fetch(`${api.url}/api/v1/tenants/${TENANT}/kpis/compute`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({ from: localDate(Date.parse(summary.from)), to: localDate(Date.now()) }),
    });
    if (res.status !== 202) throw new Error(`POST kpi/compute: ${res.status} ${await res.text()}`);
    const { jobId } = (await res.json()) as { jobId: string };
    await expectEventually(
      async () => {
        const job = (await (
          await fetch(`${api.url}/api/v1/tenants/${TENANT}/kpis/jobs/${jobId}`, { headers: auth })
        ).json()) as { state: string };
        if (job.state === 'failed') throw new Error(`KPI job failed: ${JSON.stringify(job)}`);
        if (job.state !== 'completed') throw new Error(`KPI job ${jobId} is ${job.state}`);
      },
      60_000,
      250,
    );
    // Alerts of both paths: reading rules (offline, lamp failure) and KPI rules (the injected leak, and the
    // school's heating kept on after closing, the energy alert the buildings dashboard annotates), one per domain
    // whose dashboard shows alert annotations. KPI rules are evaluated after the KPI job, rule by rule: wait for each.
    await expectEventually(
      async () => {
        const rules = await influx.query(
          `SHOW TAG VALUES FROM "alert" WITH KEY = "rule" WHERE "tenant" = '${TENANT}'`,
        );
        const seen = new Set(rules.flatMap((s) => s.values.map((v) => String(v[1]))));
        for (const r of [
          'water.night_flow_leak',
          'energy.no_setback_at_closing',
          'devices.offline',
          'lighting.lamp_failure',
          'waste.fire_temperature',
        ])
          if (!seen.has(r)) throw new Error(`no ${r} alert yet`);
      },
      30_000,
      250,
    );
  }, 150_000);

  afterAll(async () => {
    await api?.stop();
    await broker?.stop();
  });

  it('the town raised alerts and refused payloads, as the dashboards need', async () => {
    expect(summary.malformed).toBeGreaterThan(0);
    const rejected = await influx.query(
      `SELECT sum("readings") FROM "rejected" WHERE "tenant" = '${TENANT}'`,
    );
    expect(Number(rejected[0]?.values[0]?.[1])).toBeGreaterThan(0);
  });

  /**
   * Runs every variable, annotation and panel query of `d` as Grafana would with the variables on their default (All
   * when they have it, else their first value: `all`) or on their first value; returns what went wrong. `strict`:
   * every query must return data with the columns the panel uses (else only: every query must run).
   */
  async function check(d: DashboardFile, all: boolean, strict: boolean): Promise<string[]> {
    const nowMs = Date.now();
    const dashboardRange: TimeRange = {
      fromMs: relativeStart(String((d.model['time'] as { from: string }).from), nowMs),
      toMs: nowMs,
    };
    const problems: string[] = [];
    const run = async (what: string, query: string, mustReturn = strict): Promise<InfluxSeries[]> => {
      try {
        const series = await influx.query(query);
        if (mustReturn && series.length === 0) problems.push(`${what}: no series from ${query}`);
        return series;
      } catch (err) {
        problems.push(`${what}: ${(err as Error).message} in ${query}`);
        return [];
      }
    };

    // Variables in order, each query seeing the variables before it; each must list at least one value.
    const variables = new Map<string, string>();
    for (const v of d.model.templating.list) {
      const query = interpolate(String(v.query), variables, dashboardRange, INTERVAL);
      const series = await run(`variable ${v.name}`, query, true);
      const listed = series.flatMap((s) => s.values.map((row) => String(row[s.columns.indexOf('value')])));
      if (listed.length === 0) return [...problems, `variable ${v.name}: no value`];
      variables.set(v.name, variableText(v, listed, all));
    }

    for (const a of d.model.annotations.list) {
      const query = interpolate(String(a.target?.query), variables, dashboardRange, INTERVAL);
      const series = await run(`annotation ${a.name}`, query);
      for (const c of ['title', 'text', 'rule'])
        if (strict && !columnsOf(series).has(c)) problems.push(`annotation ${a.name}: no column ${c}`);
    }

    for (const p of panelsOf(d.model)) {
      const range = p.timeFrom ? { fromMs: relativeStart(p.timeFrom, nowMs), toMs: nowMs } : dashboardRange;
      const columns = new Set<string>();
      // A map joins its targets on the device tag: the devices each target returns.
      const devicesOfTargets: Set<string>[] = [];
      for (const t of p.targets ?? []) {
        const what = `panel "${p.title}" target ${t.refId}`;
        const series = await run(what, interpolate(String(t.query), variables, range, INTERVAL));
        const got = columnsOf(series);
        for (const alias of selectAliases(String(t.query)))
          if (strict && !got.has(alias)) problems.push(`${what}: no column ${alias}`);
        got.forEach((c) => columns.add(c));
        devicesOfTargets.push(new Set(series.map((s) => s.tags?.['device'] ?? '').filter((d) => d !== '')));
      }
      if (p.type === 'geomap' && strict) {
        const [first, ...others] = devicesOfTargets;
        const joined = [...(first ?? [])].filter((d) => others.every((o) => o.has(d)));
        if (joined.length === 0)
          problems.push(`panel "${p.title}": no device has both a position and a value`);
      }
      for (const c of columnsUsedBy(p))
        if (strict && !columns.has(c)) problems.push(`panel "${p.title}": no column ${c}`);
    }
    return problems;
  }

  it.each(dashboards.map((d) => [d.model.uid, d] as const))(
    '%s: on load (variables on All or their first value), every query returns the columns its panel uses',
    async (_uid, d: DashboardFile) => {
      expect(panelsOf(d.model).length).toBeGreaterThan(3);
      expect(await check(d, true, true)).toEqual([]);
    },
  );

  it.each(dashboards.map((d) => [d.model.uid, d] as const))(
    '%s: with one site, device or sector selected, every query runs',
    async (_uid, d: DashboardFile) => {
      expect(await check(d, false, false)).toEqual([]);
    },
  );
});
