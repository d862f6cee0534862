/**
 * Alerting benchmarks (issue #5).
 *
 *   npm run bench:alerts                         both cases below
 *   npm run bench:alerts -- --case=score         30-day demo-town backfill with injected faults: the confusion table
 *   npm run bench:alerts -- --case=latency       threshold crossing → webhook, p50/p99, under 1,000 readings/s
 *
 * Flags: --case=score|latency|both, --days=N (score: backfill length, default 30), --until=YYYY-MM-DD (score: end of
 * the backfill, default 2026-03-01), --extra-faults=N (score: faults added per alertable kind, default 4), --seed=N,
 * --probes=N (latency: threshold crossings measured, default 400), --rate=N (latency: background readings/s,
 * default 1000).
 *
 * One invocation starts its own influxd (Debian's 1.6.7) and redis-server (AOF) on free ports, then `vigie broker`
 * and `vigie api` (role all: HTTP, KPI and alert workers, notification deliveries) as separate processes.
 *   score:   `vigie simulate --backfill 30d` of the demo town plus `--extra-faults` more faults of each alertable
 *            kind (random subjects and times, seeded) through the broker; readings are evaluated as they arrive;
 *            then every KPI of the period through `POST /api/v1/tenants/:t/kpis/compute`, which enqueues the KPI alert
 *            evaluation when it completes. The alerts are then scored against the simulator's ground truth.
 *   latency: devices publish 1,000 readings/s (bins: fill and temperature); probe bins publish a temperature
 *            above the fire threshold; each probe is timed from its publish to the webhook receiver getting the
 *            `fired` event. Baseline, same run: publish → PUBACK of the same probes (ingestion alone).
 */
import { AlertRepository, AlertRoutesRepository, RedisKeys, RegistryRepository } from '@vigie/adapters';
import { ALERT_QUEUE, topics } from '@vigie/contracts';
import { createTownSimulation, findDeviceKind, parseScenario } from '@vigie/devices';
import { dayNumberToString, localDayNumber } from '@vigie/domain';
import { LocalService, startInfluxd, startRedis } from '@vigie/local-services';
import { createApiKey, startApiProcess, startBrokerProcess } from '@vigie/testing';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { connectAsync, MqttClient } from 'mqtt';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { AddressInfo } from 'node:net';
import { cpus, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fmtInt, Influx, percentile, sleep } from '../ingest/common';
import { benchEnv, runSimulate } from '../simulate/run-simulate';
import { countReadings } from '../simulate/town-writer';
import { formatScore, GroundTruthFault, relatedSubjects, score, scoringScenarioYaml } from './scoring';

const ROOT = resolve(__dirname, '..', '..', '..');
const TZ = 'Europe/Paris';

function options(argv: readonly string[]) {
  const get = (k: string) => argv.find((a) => a.startsWith(`--${k}=`))?.split('=')[1];
  const num = (k: string, def: number) => {
    const v = get(k);
    if (v === undefined) return def;
    const n = Number(v);
    if (!Number.isFinite(n) || n < 0) throw new Error(`--${k} takes a number, got ${v}`);
    return n;
  };
  const which = get('case') ?? 'both';
  if (!['score', 'latency', 'both'].includes(which))
    throw new Error(`--case takes score, latency or both, got ${which}`);
  return {
    score: which !== 'latency',
    latency: which !== 'score',
    days: num('days', 30),
    until: get('until') ?? '2026-03-01',
    extraFaults: num('extra-faults', 4),
    seed: num('seed', 1),
    probes: num('probes', 400),
    rate: num('rate', 1000),
  };
}

/** A run's environment: `vigie api` with every role (HTTP, KPI and alert workers, deliveries) on a free port. */
const envFor = (name: string, services: { influxUrl: string; redisUrl: string }) =>
  benchEnv(name, services, { HTTP_PORT: '0', VIGIE_ROLE: 'all' });

async function untilTrue(what: string, timeoutMs: number, check: () => Promise<boolean>): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!(await check())) {
    if (performance.now() > deadline) throw new Error(`${what}: not done after ${timeoutMs / 1000} s`);
    await sleep(1000);
  }
}

/**
 * Whether the alert-samples stream is drained and the alert queue has nothing to run now (its schedulers always
 * hold the next sweep as a delayed job: not counted).
 */
async function alertsSettled(redis: Redis, keys: RedisKeys, queue: Queue): Promise<boolean> {
  const pending = await redis.xlen(keys.alertSamples()).catch(() => 0);
  const c = await queue.getJobCounts('waiting', 'active', 'prioritized', 'waiting-children');
  return pending === 0 && Object.values(c).every((n) => n === 0);
}

async function runScore(
  opts: ReturnType<typeof options>,
  services: { influxUrl: string; redisUrl: string },
  dir: string,
): Promise<string[]> {
  const name = `benchalerts_${randomBytes(3).toString('hex')}`;
  const tenant = 'benchalerts';
  const env = envFor(name, services);
  const base = join(ROOT, 'devices/scenarios/demo-town.yaml');
  const yamlText = readFileSync(base, 'utf8');
  const scenario = parseScenario(yamlText, base);
  const devices = createTownSimulation(scenario, {
    seed: opts.seed,
    startMs: Date.parse('2026-01-01T00:00:00Z'),
  }).town.devices;
  const scenarioFile = join(dir, 'scoring-town.yaml');
  writeFileSync(
    scenarioFile,
    scoringScenarioYaml(yamlText, scenario, devices, {
      perKind: opts.extraFaults,
      days: opts.days,
      seed: opts.seed,
    }),
  );
  const groundTruth = join(dir, 'ground-truth.jsonl');
  const endDay = localDayNumber(Date.parse(`${opts.until}T12:00:00Z`), TZ);
  const from = dayNumberToString(endDay - opts.days);
  const to = dayNumberToString(endDay - 1);
  console.log(
    `\n--- Scoring: demo town + ${opts.extraFaults} faults of each alertable kind, --backfill ${opts.days}d --until ${opts.until}, seed ${opts.seed}`,
  );
  const broker = await startBrokerProcess(env);
  const api = await startApiProcess(env);
  const redis = new Redis(services.redisUrl, { maxRetriesPerRequest: null });
  const keys = new RedisKeys(env['REDIS_PREFIX']);
  const queue = new Queue(ALERT_QUEUE, {
    connection: { url: services.redisUrl },
    prefix: `${env['REDIS_PREFIX']}bull`,
  });
  try {
    const t0 = performance.now();
    const summary = await (
      await runSimulate(
        [
          '--scenario',
          scenarioFile,
          '--backfill',
          `${opts.days}d`,
          '--until',
          opts.until,
          '--seed',
          String(opts.seed),
          '--tenant',
          tenant,
          '--mqtt-url',
          `mqtt://127.0.0.1:${broker.mqttPort}`,
          '--ground-truth',
          groundTruth,
        ],
        env,
      )
    ).done;
    const influx = new Influx(services.influxUrl, name);
    await untilTrue(
      'readings stored',
      900_000,
      async () => (await countReadings(influx, tenant)) >= summary.readings,
    );
    await untilTrue('readings evaluated', 900_000, () => alertsSettled(redis, keys, queue));
    console.log(
      `  ${fmtInt(summary.devices)} devices, ${summary.faults} faults: ${fmtInt(summary.readings)} readings sent and stored, evaluated as they arrived, in ${((performance.now() - t0) / 1000).toFixed(0)} s`,
    );
    const t1 = performance.now();
    const auth = { authorization: `Bearer ${await createApiKey(env)}` };
    const res = await fetch(`${api.url}/api/v1/tenants/${tenant}/kpis/compute`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({ from, to }),
    });
    if (res.status !== 202) throw new Error(`kpi compute: HTTP ${res.status} ${await res.text()}`);
    const { jobId } = (await res.json()) as { jobId: string };
    await untilTrue('KPI run', 3_600_000, async () => {
      const job = (await (
        await fetch(`${api.url}/api/v1/tenants/${tenant}/kpis/jobs/${jobId}`, { headers: auth })
      ).json()) as {
        state: string;
        failedReason?: string;
      };
      if (job.state === 'failed') throw new Error(`KPI run failed: ${job.failedReason}`);
      return job.state === 'completed';
    });
    await sleep(2000);
    await untilTrue('KPI alerts evaluated', 600_000, () => alertsSettled(redis, keys, queue));
    console.log(
      `  every KPI of ${from} … ${to}, then the KPI alert rules (worker jobs): ${((performance.now() - t1) / 1000).toFixed(0)} s`,
    );
    const repo = new AlertRepository(redis, keys);
    const registry = new RegistryRepository(redis, keys, env['CREDENTIAL_KEY'], findDeviceKind);
    const alerts = await repo.list(tenant);
    const faults = readFileSync(groundTruth, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as GroundTruthFault);
    const related = relatedSubjects(await registry.listSites(tenant), await registry.listDevices(tenant));
    const s = score(faults, alerts, related);
    const observed = faults.filter((f) => f.observed).length;
    console.log(
      `  ${alerts.length} alerts raised; ${faults.length - observed} faults injected, ${observed} conditions the town got into by itself (ground truth)\n`,
    );
    const table = formatScore(s);
    console.log(table);
    return table.split('\n').filter((l) => l.includes('PASS') || l.includes('MISS'));
  } finally {
    await queue.close();
    await redis.quit();
    await api.stop();
    await broker.stop();
  }
}

async function runLatency(
  opts: ReturnType<typeof options>,
  services: { influxUrl: string; redisUrl: string },
): Promise<string[]> {
  const name = `benchalertlat_${randomBytes(3).toString('hex')}`;
  const tenant = 'benchlat';
  const env = envFor(name, services);
  const redis = new Redis(services.redisUrl, { maxRetriesPerRequest: null });
  const keys = new RedisKeys(env['REDIS_PREFIX']);
  const registry = new RegistryRepository(redis, keys, env['CREDENTIAL_KEY'], findDeviceKind);
  const probes = 20;
  const background = Math.ceil(opts.rate / 4); // each publishes 2 readings every 0.5 s
  console.log(
    `\n--- Latency: a reading above the fire threshold → webhook, ${fmtInt(opts.rate)} readings/s of background (${fmtInt(background)} bins, 2 readings every 0.5 s), ${probes} probe bins`,
  );
  await registry.addTenant(tenant);
  await registry.addSite(tenant, 'centre', 'Centre', { lat: '48.85', lon: '2.35' });
  const added = await registry.addDevices(
    [
      ...Array.from({ length: background }, (_, i) => ({
        tenant,
        id: `bg-${i}`,
        kind: 'bin-sensor',
        site: 'centre',
      })),
      ...Array.from({ length: probes }, (_, i) => ({
        tenant,
        id: `probe-${i}`,
        kind: 'bin-sensor',
        site: 'centre',
      })),
    ].map((d) => ({ ...d, intervalS: 3600 })),
  );
  // The webhook receiver: the time each probe's `fired` event arrives.
  const received = new Map<string, number>();
  let webhooks = 0;
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      const at = performance.now();
      webhooks++;
      try {
        const e = JSON.parse(body) as {
          type?: string;
          alert?: { rule: string; subject: string; since: number };
        };
        if (e.type === 'fired' && e.alert?.rule === 'waste.fire_temperature')
          received.set(`${e.alert.subject} ${e.alert.since}`, at);
      } catch {
        // not ours
      }
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as AddressInfo).port;
  await new AlertRoutesRepository(redis, keys).put({
    id: 'oncall',
    tenant,
    severities: ['critical'],
    recipients: [{ id: 'receiver', webhook: `http://127.0.0.1:${port}/hook` }],
    webhookSecret: 'bench-secret',
  });
  const broker = await startBrokerProcess(env);
  const api = await startApiProcess(env);
  const clients: MqttClient[] = [];
  let stopBackground = false;
  try {
    const connect = async (i: number) => {
      const { device, credentials } = added[i];
      const c = await connectAsync(`mqtt://127.0.0.1:${broker.mqttPort}`, {
        username: credentials.username,
        password: credentials.password,
        clientId: `${tenant}-${device.id}`,
        reconnectPeriod: 0,
      });
      clients.push(c);
      return { c, topic: topics.readings(tenant, device.id) };
    };
    const bg = [];
    for (let i = 0; i < background; i++) bg.push(await connect(i));
    const pr = [];
    for (let i = 0; i < probes; i++) pr.push(await connect(background + i));
    const payload = (ts: number, fill: number, temp: number) =>
      `{"ts":${ts},"values":{"fill_pct":${fill},"temperature_c":${temp}}}`;
    let sent = 0;
    const t0 = performance.now();
    const loop = (async () => {
      // 2 readings per bin every 500 ms, spread over the period.
      for (let tick = 0; !stopBackground; tick++) {
        const start = performance.now();
        for (let i = 0; i < bg.length; i++) {
          void bg[i].c.publishAsync(bg[i].topic, payload(Date.now(), 30 + (i % 40), 18 + (i % 5)), {
            qos: 1,
          });
          sent += 2;
          if (i % 25 === 24) await sleep(Math.max(0, (500 / bg.length) * 25 - 1));
        }
        await sleep(Math.max(0, 500 - (performance.now() - start)));
      }
    })();
    await sleep(5000);
    const latencies: number[] = [];
    const pubacks: number[] = [];
    let lost = 0;
    for (let n = 0; n < opts.probes; n++) {
      const p = pr[n % probes];
      const ts = Date.now();
      const t = performance.now();
      await p.c.publishAsync(p.topic, payload(ts, 40, 75), { qos: 1 });
      pubacks.push(performance.now() - t);
      const key = `probe-${n % probes} ${ts}`;
      const deadline = performance.now() + 10_000;
      while (!received.has(key) && performance.now() < deadline) await sleep(2);
      const at = received.get(key);
      if (at === undefined) lost++;
      else latencies.push(at - t);
      // Back to normal, so that the next probe on this bin is a new crossing.
      await p.c.publishAsync(p.topic, payload(Date.now() + 1, 40, 20), { qos: 1 });
      await sleep(200);
    }
    const elapsed = (performance.now() - t0) / 1000;
    stopBackground = true;
    await loop;
    const sorted = [...latencies].sort((a, b) => a - b);
    const acks = [...pubacks].sort((a, b) => a - b);
    const p99 = percentile(sorted, 99);
    console.log(
      `  background: ${fmtInt(sent)} readings in ${elapsed.toFixed(0)} s = ${fmtInt(sent / elapsed)} readings/s; ${fmtInt(webhooks)} webhooks received`,
    );
    console.log(
      `  reading → webhook (fired): ${latencies.length} probes, ${lost} not received within 10 s; p50 ${percentile(sorted, 50).toFixed(0)} ms, p99 ${p99.toFixed(0)} ms, max ${(sorted[sorted.length - 1] ?? NaN).toFixed(0)} ms`,
    );
    console.log(
      `  baseline, same probes: publish → PUBACK p50 ${percentile(acks, 50).toFixed(0)} ms, p99 ${percentile(acks, 99).toFixed(0)} ms`,
    );
    const pass = lost === 0 && p99 <= 1000 && sent / elapsed >= opts.rate * 0.95;
    return [
      `  threshold crossing → webhook p99 ≤ 1 s at ${fmtInt(opts.rate)} readings/s   ${pass ? 'PASS' : 'MISS'}   p99 ${p99.toFixed(0)} ms, ${lost} lost, ${fmtInt(sent / elapsed)} readings/s of background`,
    ];
  } finally {
    stopBackground = true;
    await Promise.all(clients.map((c) => c.endAsync().catch(() => undefined)));
    await api.stop();
    await broker.stop();
    await redis.quit();
    server.close();
  }
}

async function main(): Promise<void> {
  const opts = options(process.argv.slice(2));
  const dir = mkdtempSync(join(tmpdir(), 'vigie-bench-alerts-'));
  const services: LocalService[] = [];
  const started = performance.now();
  console.log(`=== Alerting benchmark, seed ${opts.seed}`);
  console.log(`  machine: ${cpus().length} cores (${cpus()[0]?.model ?? '?'}); everything below runs on it`);
  try {
    const redis = await startRedis({ dataDir: join(dir, 'redis'), appendOnly: true });
    services.push(redis);
    const influx = await startInfluxd({ dataDir: join(dir, 'influx') });
    services.push(influx);
    const urls = { influxUrl: influx.url, redisUrl: redis.url };
    const summary: string[] = [];
    if (opts.score) summary.push(...(await runScore(opts, urls, dir)));
    if (opts.latency) summary.push(...(await runLatency(opts, urls)));
    console.log('\n=== Targets of issue #5');
    for (const l of summary) console.log(l);
    console.log(`\ntotal time ${((performance.now() - started) / 1000).toFixed(0)} s`);
  } finally {
    for (const s of services.reverse()) await s.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
