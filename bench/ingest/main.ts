/**
 * Ingest benchmark: Vigie's broker against a naive aedes → InfluxDB baseline, on one machine.
 *
 *   npm run bench:ingest                 full run (~10–15 min)
 *   npm run bench:ingest -- --quick      smoke run (~2 min): short steps, few rates, 500-device fleet
 *
 * Other flags: --skip-baseline (use the documented baseline figures), --only=a,b,c,d, --fleet=N,
 * --no-fleet-baseline (full run: skip the device fleet against the baseline and bare aedes; --quick skips
 * it unless --fleet-baseline), --step-s=N, --profile=DIR (V8 CPU profiles of the brokers; see profile-summary.ts),
 * --max1=N / --max10=N (overload at 1.5 × N readings/s without stepping first, e.g. --only=c --max10=65000).
 *
 * One invocation starts its own redis-server and influxd (temporary directories), a load generator process
 * (load.ts) and, one after the other, the baseline (baseline.ts) and Vigie's broker (startBrokerProcess), each
 * writing to its own InfluxDB database (and a fresh influxd for each, so one's compactions do not run during
 * the other's measurements). Everything it started is stopped in `finally`, also on failure or Ctrl-C.
 */
import { createRedis, Redis, RedisKeys, RegistryRepository } from '@vigie/adapters';
import { LISTEN_BACKLOG } from '@vigie/broker';
import { freePort, LocalService, startInfluxd, startRedis } from '@vigie/local-services';
import { findDeviceKind } from '@vigie/devices';
import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { BrokerProcess, metricValue, startBrokerProcess, VIGIE_NODE_FLAGS } from '@vigie/testing';
import {
  ClientSpec,
  CpuMeter,
  fmtInt,
  fmtK,
  fmtMB,
  fmtMs,
  fmtPct,
  Influx,
  LatencySample,
  LoadCommand,
  LoadEvent,
  MEASUREMENT,
  percentile,
  rssBytes,
  sleep,
  StepReport,
  tcpListenCounters,
} from './common';

// ---------------------------------------------------------------------------------------------------------------
// Options

type Scenario = 'a' | 'b' | 'c' | 'd';

interface Options {
  readonly quick: boolean;
  readonly stepMs: number;
  readonly connections: number;
  readonly devicesPerConnection: number;
  readonly windowPerClient: number;
  readonly fleetSize: number;
  readonly fleetRate: number;
  readonly skipBaseline: boolean;
  readonly fleetBaseline: boolean;
  /** Write V8 CPU profiles of the brokers (baseline and Vigie) into this directory. */
  readonly profileDir?: string;
  /** --max1=N / --max10=N: run the overload (c) against this "max" (readings/s) instead of the stepping's. */
  readonly overloadMax: Partial<Record<1 | 10, number>>;
  readonly scenarios: ReadonlySet<Scenario>;
  /** Stepping plans per payload shape: first offered rate (readings/s), growth factor, number of steps. */
  readonly plan: Record<1 | 10, { start: number; factor: number; maxSteps: number; refine: boolean }>;
  readonly overloadMs: number;
  readonly fleetSteadyMs: number;
  readonly restartTimeoutMs: number;
  /** Retries of a failed step that other processes disturbed (after waiting for quiet). */
  readonly retries: number;
}

function parseOptions(argv: readonly string[]): Options {
  const flag = (name: string) => argv.includes(`--${name}`);
  const value = (name: string) => argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
  const quick = flag('quick');
  const only = value('only');
  const scenarios = new Set<Scenario>(
    (only ?? 'a,b,c,d').split(',').filter((s): s is Scenario => ['a', 'b', 'c', 'd'].includes(s)),
  );
  const stepS = value('step-s');
  return {
    quick,
    stepMs: stepS ? Number(stepS) * 1000 : quick ? 4000 : 8000,
    connections: 40,
    devicesPerConnection: 50,
    windowPerClient: 100,
    fleetSize: Number(value('fleet') ?? (quick ? 500 : 5000)),
    fleetRate: 2,
    skipBaseline: flag('skip-baseline'),
    fleetBaseline: quick ? flag('fleet-baseline') : !flag('no-fleet-baseline'),
    profileDir: value('profile'),
    overloadMax: {
      ...(value('max1') ? { 1: Number(value('max1')) } : {}),
      ...(value('max10') ? { 10: Number(value('max10')) } : {}),
    },
    scenarios,
    plan: quick
      ? {
          1: { start: 8000, factor: 2.5, maxSteps: 3, refine: false },
          10: { start: 16000, factor: 2.5, maxSteps: 3, refine: false },
        }
      : {
          1: { start: 10000, factor: 1.4, maxSteps: 10, refine: true },
          10: { start: 20000, factor: 1.4, maxSteps: 10, refine: true },
        },
    overloadMs: quick ? 8000 : 24000,
    fleetSteadyMs: quick ? 5000 : 20000,
    restartTimeoutMs: quick ? 40000 : 60000,
    retries: quick ? 0 : 2,
  };
}

/** docs/toolchain.md, "Measured on these machines": used only with --skip-baseline. */
const DOCUMENTED_BASELINE: Record<1 | 10, number> = { 1: 80000, 10: 175000 };

const P99_LIMIT_MS = 500;
const ACHIEVED_MIN = 0.95;
const PROBE_POLL_MS = 100;
const TENANT = 'bench';

// ---------------------------------------------------------------------------------------------------------------
// Output

function say(line = ''): void {
  process.stdout.write(line + '\n');
}

function pad(s: string, n: number): string {
  return s.length >= n ? s : s + ' '.repeat(n - s.length);
}

function lpad(s: string, n: number): string {
  return s.length >= n ? s : ' '.repeat(n - s.length) + s;
}

// ---------------------------------------------------------------------------------------------------------------
// Everything started, for cleanup

const cleanups: { name: string; run: () => Promise<void> }[] = [];
function onCleanup(name: string, run: () => Promise<void>): () => void {
  const entry = { name, run };
  cleanups.push(entry);
  return () => {
    const i = cleanups.indexOf(entry);
    if (i >= 0) cleanups.splice(i, 1);
  };
}

async function cleanupAll(): Promise<void> {
  while (cleanups.length > 0) {
    const entry = cleanups.pop();
    if (!entry) break;
    await Promise.race([entry.run().catch(() => undefined), sleep(15000)]);
  }
}

function killChild(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
    setTimeout(() => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }, 5000).unref();
  });
}

// ---------------------------------------------------------------------------------------------------------------
// The load generator process

type EventOf<K extends LoadEvent['type']> = Extract<LoadEvent, { type: K }>;

class Loader {
  private waiters: {
    type: LoadEvent['type'];
    resolve: (ev: LoadEvent) => void;
    reject: (e: Error) => void;
    timer: NodeJS.Timeout;
  }[] = [];
  private sampleListener?: (ev: EventOf<'samples'>) => void;
  pid = 0;
  nofile = '';

  private constructor(private readonly child: ChildProcess) {
    child.on('message', (raw: unknown) => this.onEvent(raw as LoadEvent));
    child.on('exit', (code, signal) => this.failAll(new Error(`load generator exited (${code ?? signal})`)));
  }

  static async start(nofile: number): Promise<Loader> {
    const script = join(__dirname, 'load.js');
    // A child cannot raise its own hard limit, but bash can raise the soft one up to it before exec'ing node.
    const child = spawn(
      'bash',
      [
        '-c',
        `ulimit -n ${nofile} 2>/dev/null || ulimit -n "$(ulimit -Hn)"; exec "$0" "$1"`,
        process.execPath,
        script,
      ],
      {
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      },
    );
    const loader = new Loader(child);
    const remove = onCleanup('load generator', () => killChild(child));
    child.once('exit', remove);
    const ready = await loader.expect('ready', 20000);
    loader.pid = ready.pid;
    loader.nofile = ready.nofile;
    return loader;
  }

  onSamples(listener?: (ev: EventOf<'samples'>) => void): void {
    this.sampleListener = listener;
  }

  expect<K extends LoadEvent['type']>(type: K, timeoutMs: number): Promise<EventOf<K>> {
    return new Promise<EventOf<K>>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w.timer !== timer);
        reject(new Error(`load generator: no '${type}' within ${timeoutMs / 1000} s`));
      }, timeoutMs);
      this.waiters.push({ type, resolve: (ev) => resolve(ev as EventOf<K>), reject, timer });
    });
  }

  send(cmd: LoadCommand): void {
    this.child.send(cmd);
  }

  call<K extends LoadEvent['type']>(cmd: LoadCommand, type: K, timeoutMs: number): Promise<EventOf<K>> {
    const p = this.expect(type, timeoutMs);
    this.send(cmd);
    return p;
  }

  private onEvent(ev: LoadEvent): void {
    if (ev.type === 'samples') {
      this.sampleListener?.(ev);
      return;
    }
    if (ev.type === 'error') {
      this.failAll(new Error(`load generator: ${ev.message}`));
      return;
    }
    const i = this.waiters.findIndex((w) => w.type === ev.type);
    if (i < 0) return;
    const [w] = this.waiters.splice(i, 1);
    clearTimeout(w.timer);
    w.resolve(ev);
  }

  private failAll(err: Error): void {
    const all = this.waiters;
    this.waiters = [];
    for (const w of all) {
      clearTimeout(w.timer);
      w.reject(err);
    }
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Systems under test

interface Sut {
  readonly name: 'baseline' | 'bare aedes' | 'Vigie';
  readonly port: number;
  readonly influx: Influx;
  pid(): number;
  stop(): Promise<void>;
  /** Vigie only: its /metrics text. */
  metrics(): Promise<string | undefined>;
  /** The log lines the process printed. */
  logs(): readonly string[];
}

/** NODE_OPTIONS for a broker process: a CPU profile written at exit with --profile=DIR. */
let profileDir: string | undefined;
function profileEnv(): Record<string, string> {
  return profileDir
    ? {
        NODE_OPTIONS: `--require ${join(__dirname, 'cpu-profile-preload.js')}`,
        BENCH_PROFILE_DIR: profileDir,
      }
    : {};
}

async function startBaseline(influxUrl: string, db: string, ingest = true, port = 0): Promise<Sut> {
  // The baseline runs with the Node flags Vigie runs with, so the ratio compares designs, not runtime settings.
  const child = spawn(process.execPath, [...VIGIE_NODE_FLAGS, join(__dirname, 'baseline.js')], {
    env: {
      ...profileEnv(),
      PATH: process.env['PATH'] ?? '',
      INFLUX_URL: influxUrl,
      INFLUX_DB: db,
      MQTT_PORT: String(port),
      BATCH_LINES: '5000',
      BASELINE_INGEST: ingest ? 'on' : 'off',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const remove = onCleanup('baseline', () => killChild(child));
  child.once('exit', remove);
  const mqttPort = await new Promise<number>((resolve, reject) => {
    let buf = '';
    const timer = setTimeout(() => reject(new Error('baseline did not start within 20 s')), 20000);
    child.stdout?.on('data', (chunk: Buffer) => {
      buf += chunk.toString();
      let nl: number;
      while ((nl = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        if (line.includes('baseline listening')) {
          clearTimeout(timer);
          resolve((JSON.parse(line) as { mqttPort: number }).mqttPort);
        } else if (line.trim()) say(`  [baseline] ${line}`);
      }
    });
    child.once('exit', (code) => reject(new Error(`baseline exited with ${code}`)));
  });
  return {
    name: ingest ? 'baseline' : 'bare aedes',
    port: mqttPort,
    influx: new Influx(influxUrl, db),
    pid: () => child.pid ?? 0,
    stop: () => killChild(child),
    metrics: async () => undefined,
    logs: () => [],
  };
}

function vigieEnv(
  influxUrl: string,
  redisUrl: string,
  credentialKey: string,
  mqttPort: number,
): Record<string, string> {
  // Every broker variable is set: the CLI also reads .env and .data/stack.env from the repository, which must
  // not leak into the benchmark.
  return {
    HOME: tmpdir(),
    INFLUX_URL: influxUrl,
    INFLUX_DB: 'bench_vigie',
    INFLUX_RP: '',
    INFLUX_TOKEN: '',
    INFLUX_ORG: '',
    REDIS_URL: redisUrl,
    REDIS_PREFIX: 'bench:',
    CREDENTIAL_KEY: credentialKey,
    MQTT_HOST: '127.0.0.1',
    MQTT_PORT: String(mqttPort),
    MQTT_WS_PORT: '0',
    MQTT_MAX_PACKET_BYTES: '65536',
    MQTT_CONNECT_TIMEOUT_MS: '30000',
    DEVICE_PUBLISH_RATE: '20',
    DEVICE_PUBLISH_BURST: '100',
    ACCOUNT_PUBLISH_RATE: '0',
    AUTH_FAIL_LIMIT: '10',
    AUTH_FAIL_WINDOW_S: '60',
    METRICS_HOST: '127.0.0.1',
    METRICS_PORT: '0',
    INGEST_MAX_READINGS: '1000',
    INGEST_MAX_PAST_DAYS: '400',
    INGEST_MAX_FUTURE_S: '600',
    SPOOL_MAX_LINES: '1000000',
    WRITE_BATCH_LINES: '5000',
    WRITE_CONCURRENCY: '2',
    WRITE_LINGER_MS: '50',
    WRITER_ENABLED: 'true',
    DEADLETTER_MAX_PER_TENANT: '10000',
    INSTANCE_ID: 'bench-1',
    LOG_LEVEL: 'info',
    LOG_FORMAT: 'json',
    ...profileEnv(),
  };
}

const CLI_BUNDLE = join(__dirname, '..', '..', '..', 'dist', 'apps', 'cli', 'main.js');
let cliHash = '';
function bundleHash(): string {
  try {
    return createHash('sha256').update(readFileSync(CLI_BUNDLE)).digest('hex').slice(0, 12);
  } catch {
    return 'missing';
  }
}

/** The commit measured, and whether the working tree differs from it outside bench/ (read-only git calls). */
function codeVersion(): string {
  const git = (...args: string[]) =>
    execFileSync('git', args, { cwd: join(__dirname, '..', '..', '..'), encoding: 'utf8' }).trim();
  try {
    const head = git('log', '-1', '--format=%h %s');
    const dirty = git('status', '--porcelain')
      .split('\n')
      .filter((l) => l.trim() && !l.slice(3).startsWith('bench/'));
    return `commit ${head}${dirty.length ? ` + ${dirty.length} uncommitted change(s) outside bench/` : ''}`;
  } catch {
    return 'unknown (no git)';
  }
}

async function startVigie(env: Record<string, string>): Promise<Sut & { process: BrokerProcess }> {
  // Other people rebuild dist/ on this machine: say so if the broker we start is not the one we began with.
  const hash = bundleHash();
  if (cliHash && hash !== cliHash)
    say(`  WARNING: dist/apps/cli/main.js changed during the run (${cliHash} → ${hash})`);
  const broker = await startBrokerProcess(env);
  const remove = onCleanup('Vigie broker', () => broker.kill().then(() => undefined));
  return {
    name: 'Vigie',
    process: broker,
    port: broker.mqttPort,
    influx: new Influx(env['INFLUX_URL'], env['INFLUX_DB']),
    pid: () => broker.pid,
    stop: async () => {
      const code = await broker.stop();
      remove();
      if (code !== 0) say(`    (the Vigie broker exited with code ${String(code)} after SIGTERM, not 0)`);
    },
    metrics: () => broker.metrics().catch(() => undefined),
    logs: () => broker.logs,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Latency probes: the load generator reports (device, ts, publish time) of probe messages while publishing; we
// poll InfluxDB every PROBE_POLL_MS for the probe devices' points from the oldest probe not yet seen, and note
// the time each (device, ts) is first returned.

class ProbeWatcher {
  /** (device|ts) → [last poll that could not have returned it, first poll that did]. */
  private readonly seen = new Map<string, [number, number]>();
  private readonly samples: LatencySample[] = [];
  private readonly pendingTs = new Map<string, number>();
  private lowerBound: number;
  private running = true;
  private readonly loop: Promise<void>;
  queries = 0;

  constructor(
    private readonly influx: Influx,
    fromTs: number,
  ) {
    this.lowerBound = fromTs;
    this.loop = this.run();
  }

  add(samples: readonly LatencySample[], sentAt: number): void {
    for (const s of samples) {
      this.samples.push(s);
      const key = `${s.device}|${s.ts}`;
      if (!this.seen.has(key)) this.pendingTs.set(key, s.ts);
    }
    // Probes not reported yet were published after `sentAt`, so their ts >= sentAt.
    this.lowerBound = Math.max(this.lowerBound, Math.min(sentAt, ...this.pendingTs.values()));
  }

  get pending(): number {
    return this.pendingTs.size;
  }

  private async run(): Promise<void> {
    let prevIssued = Date.now();
    while (this.running) {
      const issued = Date.now();
      try {
        const from = this.pendingTs.size
          ? Math.min(this.lowerBound, ...this.pendingTs.values())
          : this.lowerBound;
        const series = await this.influx.query(
          `SELECT power_w, device FROM ${MEASUREMENT} WHERE time >= ${from}ms AND device =~ /^probe-/`,
        );
        this.queries++;
        for (const s of series) {
          const ti = s.columns.indexOf('time');
          const di = s.columns.indexOf('device');
          for (const row of s.values) {
            const key = `${String(row[di])}|${String(row[ti])}`;
            // Visible between the previous poll (which did not return it) and this one: take the midpoint.
            if (!this.seen.has(key)) this.seen.set(key, [prevIssued, issued]);
            this.pendingTs.delete(key);
          }
        }
        prevIssued = issued;
      } catch {
        // InfluxDB busy: try again
      }
      await sleep(Math.max(5, PROBE_POLL_MS - (Date.now() - issued)));
    }
  }

  async stop(): Promise<{ latencies: number[]; unseen: number }> {
    this.running = false;
    await this.loop;
    const latencies: number[] = [];
    let unseen = 0;
    for (const s of this.samples) {
      const polls = this.seen.get(`${s.device}|${s.ts}`);
      // Queryable after the publish and after the last poll that did not return it: the midpoint of that window.
      const at = polls ? (Math.max(polls[0], s.pubAt) + polls[1]) / 2 : undefined;
      if (at === undefined) unseen++;
      else latencies.push(Math.max(0, at - s.pubAt));
    }
    latencies.sort((a, b) => a - b);
    return { latencies, unseen };
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Shared state of a run

interface Ctx {
  readonly opts: Options;
  readonly loader: Loader;
  readonly redisService: LocalService;
  influxService: LocalService;
  readonly redis: Redis;
  readonly throughputClients: ClientSpec[];
  readonly deviceLists: string[][];
  readonly probes: string[];
  readonly fleetClients: ClientSpec[];
  stepId: number;
  /** Largest reading timestamp used so far by throughput steps (per system, they share the loader's clock). */
  lastTsMax: number;
}

interface StepResult {
  readonly system: string;
  readonly label: string;
  readonly readingsPerMsg: number;
  readonly offered: number;
  readonly achieved: number;
  readonly sent: number;
  readonly acked: number;
  readonly stored: number;
  readonly lost: number;
  readonly p50: number;
  readonly p99: number;
  readonly probes: number;
  readonly unseen: number;
  readonly drainMs: number;
  readonly cpu: Record<string, number>;
  readonly rssPeak: number;
  readonly rssEnd: number;
  readonly windowFullPct: number;
  readonly pass: boolean;
  readonly why: string;
}

function cpuMeter(ctx: Ctx, sut: Sut): CpuMeter {
  return new CpuMeter(() => ({
    broker: sut.pid(),
    loader: ctx.loader.pid,
    redis: ctx.redisService.pid(),
    influxd: ctx.influxService.pid(),
    bench: process.pid,
  }));
}

/** Polls the count of points in [fromTs, toTs] until it reaches `expected`, stops growing for `stallMs`, or `maxMs`. */
async function waitForCount(
  influx: Influx,
  where: string,
  expected: number,
  maxMs: number,
  stallMs: number,
): Promise<{ count: number; ms: number }> {
  const started = Date.now();
  let count = -1;
  let lastChange = Date.now();
  while (Date.now() - started < maxMs) {
    const c = await influx.count(where).catch(() => count);
    if (c !== count) {
      count = c;
      lastChange = Date.now();
    }
    if (count >= expected) break;
    if (Date.now() - lastChange > stallMs) break;
    await sleep(200);
  }
  return { count, ms: Date.now() - started };
}

const STEP_HEADER =
  '  ' +
  [
    pad('step', 22),
    lpad('offered/s', 10),
    lpad('achieved/s', 11),
    lpad('sent', 10),
    lpad('stored', 10),
    lpad('lost', 7),
    lpad('p50', 8),
    lpad('p99', 8),
    lpad('broker', 7),
    lpad('µs/msg', 7),
    lpad('loader', 7),
    lpad('redis', 6),
    lpad('influx', 7),
    lpad('other', 6),
    lpad('RSS', 7),
    '  verdict',
  ].join(' ');

/** Broker CPU time per MQTT message, in microseconds. */
function usPerMsg(r: StepResult): string {
  const msgs = r.achieved / r.readingsPerMsg;
  const cpu = r.cpu['broker'];
  return cpu === undefined || msgs <= 0 ? 'n/a' : (((cpu / 100) * 1e6) / msgs).toFixed(0);
}

function stepLine(r: StepResult): string {
  return (
    '  ' +
    [
      pad(r.label, 22),
      lpad(fmtK(r.offered), 10),
      lpad(fmtK(r.achieved), 11),
      lpad(fmtInt(r.sent), 10),
      lpad(fmtInt(r.stored), 10),
      lpad(fmtInt(r.lost), 7),
      lpad(fmtMs(r.p50), 8),
      lpad(fmtMs(r.p99), 8),
      lpad(fmtPct(r.cpu['broker']), 7),
      lpad(usPerMsg(r), 7),
      lpad(fmtPct(r.cpu['loader']), 7),
      lpad(fmtPct(r.cpu['redis']), 6),
      lpad(fmtPct(r.cpu['influxd']), 7),
      lpad(fmtPct(r.cpu['other']), 6),
      lpad(fmtMB(r.rssPeak), 7),
      `  ${r.pass ? 'ok' : 'FAIL'}${r.why ? ` (${r.why})` : ''}`,
    ].join(' ')
  );
}

/** One throughput step at `readingsPerS`; verifies every reading is stored and measures latency, CPU and RSS. */
async function runStep(
  ctx: Ctx,
  sut: Sut,
  readingsPerMsg: number,
  readingsPerS: number,
  durationMs: number,
  label: string,
): Promise<StepResult> {
  const id = ++ctx.stepId;
  const fromTs = ctx.lastTsMax + 1;
  const watcher = new ProbeWatcher(sut.influx, Math.max(fromTs, Date.now() - 1000));
  ctx.loader.onSamples((ev) => {
    if (ev.id === id) watcher.add(ev.samples, ev.sentAt);
  });
  const meter = cpuMeter(ctx, sut);
  let rssPeak = 0;
  const rssTimer = setInterval(() => (rssPeak = Math.max(rssPeak, rssBytes(sut.pid()))), 250);
  const rateMsgs = readingsPerS / readingsPerMsg;
  const probeIntervalMs = ctx.opts.connections * 10; // ~100 probes/s in all
  const m0 = await sut.metrics();
  let m1: string | undefined;
  meter.begin();
  const published = ctx.loader.expect('published', durationMs + 30000);
  const done = ctx.loader.expect('stepDone', durationMs + 60000);
  done.catch(() => undefined); // awaited below; only keeps an early failure from being "unhandled"
  ctx.loader.send({
    type: 'throughput',
    step: {
      id,
      tenant: TENANT,
      rateMsgs,
      readingsPerMsg,
      durationMs,
      devices: ctx.deviceLists,
      probes: ctx.probes,
      probeIntervalMs,
      windowPerClient: ctx.opts.windowPerClient,
      ackWaitMs: 15000,
    },
  });
  let cpu: Record<string, number> = {};
  let report: StepReport;
  try {
    await published;
    cpu = meter.end();
    m1 = await sut.metrics();
    report = (await done).report;
  } finally {
    clearInterval(rssTimer);
  }
  rssPeak = Math.max(rssPeak, rssBytes(sut.pid()));
  ctx.lastTsMax = Math.max(ctx.lastTsMax, report.tsMax);
  const where = `time >= ${fromTs}ms AND time <= ${report.tsMax}ms`;
  const drain = await waitForCount(
    sut.influx,
    where,
    report.sentReadings,
    ctx.opts.quick ? 15000 : 25000,
    6000,
  );
  // Give the probe watcher a moment to see the last probes once everything is stored.
  const probeDeadline = Date.now() + 2000;
  while (watcher.pending > 0 && Date.now() < probeDeadline) await sleep(50);
  ctx.loader.onSamples(undefined);
  const { latencies, unseen } = await watcher.stop();
  const seconds = report.publishMs / 1000;
  const achieved = report.sentReadings / seconds;
  const lost = report.sentReadings - drain.count;
  const p99 = unseen > latencies.length / 100 ? Number.POSITIVE_INFINITY : percentile(latencies, 99);
  const reasons: string[] = [];
  // The loader publishes when a connection has fewer than windowPerClient publishes unacknowledged: "window full"
  // in most ticks means the broker acknowledges too late for the rate (latency-bound), not the loader's own CPU.
  const windowFull = report.ticks ? (report.windowFullTicks / report.ticks) * 100 : 0;
  if (achieved < ACHIEVED_MIN * readingsPerS)
    reasons.push(
      `offered rate not achieved: ${((achieved / readingsPerS) * 100).toFixed(0)} %, window full in ${windowFull.toFixed(0)} % of ticks`,
    );
  if (lost !== 0)
    reasons.push(
      lost > 0
        ? `${fmtInt(lost)} readings missing after ${(drain.ms / 1000).toFixed(0)} s`
        : `${-lost} more points than sent`,
    );
  if (!(p99 <= P99_LIMIT_MS)) reasons.push(`p99 > ${P99_LIMIT_MS} ms`);
  if (report.errors > 0) reasons.push(`${report.errors} publish errors (${report.firstError ?? ''})`);
  const result: StepResult = {
    system: sut.name,
    label,
    readingsPerMsg,
    offered: readingsPerS,
    achieved,
    sent: report.sentReadings,
    acked: report.ackedMsgs * readingsPerMsg,
    stored: drain.count,
    lost,
    p50: percentile(latencies, 50),
    p99,
    probes: latencies.length + unseen,
    unseen,
    drainMs: drain.ms,
    cpu,
    rssPeak,
    rssEnd: rssBytes(sut.pid()),
    windowFullPct: windowFull,
    pass: reasons.length === 0,
    why: reasons.join('; '),
  };
  say(stepLine(result));
  if (m0 && m1) say(`    ${batchingLine(m0, m1, report.publishMs / 1000)}`);
  if (!result.pass) {
    // Let the backlog drain so that it does not weigh on the next measurement.
    const rest = await waitForCount(sut.influx, where, report.sentReadings, 90000, 20000);
    if (rest.count < report.sentReadings)
      say(
        `    (backlog: ${fmtInt(report.sentReadings - rest.count)} readings still missing after ${(rest.ms / 1000).toFixed(0)} more s)`,
      );
    else say(`    (backlog drained in ${(rest.ms / 1000).toFixed(1)} more s)`);
  }
  await sleep(1000);
  return result;
}

interface Stepping {
  readonly steps: StepResult[];
  readonly best?: StepResult;
  readonly firstFail?: StepResult;
}

/** Waits (up to `maxMs`) until processes other than ours use less than 25 % of a core; returns their last share. */
async function waitForQuiet(ctx: Ctx, sut: Sut | undefined, maxMs: number): Promise<number> {
  const started = Date.now();
  let other = Number.POSITIVE_INFINITY;
  let announced = false;
  while (Date.now() - started < maxMs) {
    const meter = new CpuMeter(() => ({
      broker: sut?.pid(),
      loader: ctx.loader.pid,
      redis: ctx.redisService.pid(),
      influxd: ctx.influxService.pid(),
      bench: process.pid,
    }));
    meter.begin();
    await sleep(2000);
    other = meter.end()['other'] ?? 0;
    if (other < 25) break;
    if (!announced) {
      announced = true;
      say(
        `    (other processes on this machine use ${fmtPct(other)} of a core; waiting up to ${maxMs / 1000} s for it to quieten)`,
      );
    }
  }
  if (announced)
    say(
      `    (waited ${((Date.now() - started) / 1000).toFixed(0)} s; other processes now at ${fmtPct(other)})`,
    );
  return other;
}

/** A step; if it failed while other processes took more than 20 % of a core, again after waiting for quiet. */
async function runStepChecked(
  ctx: Ctx,
  sut: Sut,
  readingsPerMsg: number,
  readingsPerS: number,
  label: string,
): Promise<StepResult> {
  let r = await runStep(ctx, sut, readingsPerMsg, readingsPerS, ctx.opts.stepMs, label);
  for (let retry = 1; retry <= ctx.opts.retries && !r.pass && (r.cpu['other'] ?? 0) > 20; retry++) {
    say(`    (step disturbed by other processes (${fmtPct(r.cpu['other'])} of a core): retrying it)`);
    await waitForQuiet(ctx, sut, 90000);
    r = await runStep(ctx, sut, readingsPerMsg, readingsPerS, ctx.opts.stepMs, `${label} retry ${retry}`);
  }
  return r;
}

async function findSustainable(ctx: Ctx, sut: Sut, readingsPerMsg: 1 | 10): Promise<Stepping> {
  const plan = ctx.opts.plan[readingsPerMsg];
  const steps: StepResult[] = [];
  let best: StepResult | undefined;
  let firstFail: StepResult | undefined;
  let rate = plan.start;
  for (let i = 0; i < plan.maxSteps; i++) {
    const r = await runStepChecked(
      ctx,
      sut,
      readingsPerMsg,
      Math.round(rate),
      `${sut.name} ${readingsPerMsg}/msg #${i + 1}`,
    );
    steps.push(r);
    if (r.pass) best = r;
    else {
      firstFail = r;
      break;
    }
    rate *= plan.factor;
  }
  if (plan.refine && best && firstFail) {
    const mid = Math.round(Math.sqrt(best.offered * firstFail.offered));
    const r = await runStepChecked(ctx, sut, readingsPerMsg, mid, `${sut.name} ${readingsPerMsg}/msg refine`);
    steps.push(r);
    if (r.pass) best = r;
  }
  return { steps, best, firstFail };
}

// ---------------------------------------------------------------------------------------------------------------
// (c) overload

interface OverloadResult {
  readonly readingsPerMsg: number;
  readonly max: number;
  readonly offered: number;
  readonly ackedPerS: number;
  readonly storedPerS: number;
  readonly achieved: number;
  readonly rss: {
    start: number;
    mid: number;
    end: number;
    peak: number;
    peakMiddleThird: number;
    peakLastThird: number;
  };
  readonly bounded: boolean;
  readonly spoolEnd: number;
  readonly redisUsedEnd: number;
  readonly lost: number;
  readonly drainMs: number;
  readonly cpu: Record<string, number>;
  readonly pass: boolean;
}

async function redisUsedMemory(redis: Redis): Promise<number> {
  const info = await redis.info('memory');
  const m = /used_memory:(\d+)/.exec(info);
  return m ? Number(m[1]) : 0;
}

async function runOverload(ctx: Ctx, sut: Sut, readingsPerMsg: 1 | 10, max: number): Promise<OverloadResult> {
  const id = ++ctx.stepId;
  const offered = Math.round(max * 1.5);
  const durationMs = ctx.opts.overloadMs;
  const fromTs = ctx.lastTsMax + 1;
  const where = `time >= ${fromTs}ms`;
  const meter = cpuMeter(ctx, sut);
  const rss: { at: number; bytes: number }[] = [];
  const t0 = Date.now();
  const rssTimer = setInterval(() => rss.push({ at: Date.now() - t0, bytes: rssBytes(sut.pid()) }), 500);
  meter.begin();
  const published = ctx.loader.expect('published', durationMs + 30000);
  const done = ctx.loader.expect('stepDone', durationMs + 60000);
  done.catch(() => undefined); // awaited below; only keeps an early failure from being "unhandled"
  ctx.loader.send({
    type: 'throughput',
    step: {
      id,
      tenant: TENANT,
      rateMsgs: offered / readingsPerMsg,
      readingsPerMsg,
      durationMs,
      devices: ctx.deviceLists,
      probes: ctx.probes,
      probeIntervalMs: 1_000_000_000,
      windowPerClient: ctx.opts.windowPerClient,
      ackWaitMs: 60000,
    },
  });
  // Queryable throughput: growth of the stored count between 1/3 of the run (after warm-up) and its end.
  const countAt = async (): Promise<{ at: number; n: number }> => {
    const before = Date.now();
    const n = await sut.influx.count(where);
    return { at: (before + Date.now()) / 2, n };
  };
  await sleep(durationMs / 3);
  const c1 = await countAt();
  let cpu: Record<string, number> = {};
  let report: StepReport;
  let c2: { at: number; n: number };
  let spoolEnd = 0;
  let redisUsedEnd = 0;
  try {
    await published;
    c2 = await countAt();
    cpu = meter.end();
    spoolEnd = metricValue((await sut.metrics()) ?? '', 'vigie_spool_lines');
    redisUsedEnd = await redisUsedMemory(ctx.redis);
    report = (await done).report;
  } finally {
    clearInterval(rssTimer);
  }
  ctx.lastTsMax = Math.max(ctx.lastTsMax, report.tsMax);
  const storedPerS = ((c2.n - c1.n) / (c2.at - c1.at)) * 1000;
  const ackedPerS = (report.ackedMsgs * readingsPerMsg) / (report.publishMs / 1000);
  const achieved = report.sentReadings / (report.publishMs / 1000);
  const third = durationMs / 3;
  const peakIn = (a: number, b: number) =>
    Math.max(0, ...rss.filter((s) => s.at >= a && s.at < b).map((s) => s.bytes));
  const rssInfo = {
    start: rss[0]?.bytes ?? 0,
    mid: rss[Math.floor(rss.length / 2)]?.bytes ?? 0,
    end: rss[rss.length - 1]?.bytes ?? 0,
    peak: Math.max(0, ...rss.map((s) => s.bytes)),
    peakMiddleThird: peakIn(third, 2 * third),
    peakLastThird: peakIn(2 * third, durationMs + 1),
  };
  const bounded =
    rssInfo.peakLastThird <= rssInfo.peakMiddleThird * 1.1 + 32 * 1024 * 1024 &&
    rssInfo.peak < 1024 * 1024 * 1024;
  const drain = await waitForCount(
    sut.influx,
    `${where} AND time <= ${report.tsMax}ms`,
    report.sentReadings,
    120000,
    20000,
  );
  const lost = report.sentReadings - drain.count;
  const pass = storedPerS >= 0.9 * max && bounded && lost === 0;
  const r: OverloadResult = {
    readingsPerMsg,
    max,
    offered,
    ackedPerS,
    storedPerS,
    achieved,
    rss: rssInfo,
    bounded,
    spoolEnd,
    redisUsedEnd,
    lost,
    drainMs: drain.ms,
    cpu,
    pass,
  };
  say(
    `  ${readingsPerMsg}/msg: offered ${fmtK(offered)}/s (1.5 × ${fmtK(max)}), loader achieved ${fmtK(achieved)}/s; acknowledged ${fmtK(ackedPerS)}/s; ` +
      `queryable ${fmtK(storedPerS)}/s = ${((storedPerS / max) * 100).toFixed(0)} % of max`,
  );
  say(
    `      broker RSS start ${fmtMB(rssInfo.start)}, middle ${fmtMB(rssInfo.mid)}, end ${fmtMB(rssInfo.end)}, peak ${fmtMB(rssInfo.peak)} ` +
      `(peak of middle third ${fmtMB(rssInfo.peakMiddleThird)}, of last third ${fmtMB(rssInfo.peakLastThird)}: ${bounded ? 'bounded' : 'GROWING'}); ` +
      `spool at end ${fmtInt(spoolEnd)} entries, Redis used_memory ${fmtMB(redisUsedEnd)}`,
  );
  say(
    `      CPU: broker ${fmtPct(cpu['broker'])}, loader ${fmtPct(cpu['loader'])}, redis ${fmtPct(cpu['redis'])}, influxd ${fmtPct(cpu['influxd'])}, other ${fmtPct(cpu['other'])}; ` +
      `after the run: ${lost === 0 ? `all ${fmtInt(report.sentReadings)} readings stored` : `${fmtInt(lost)} of ${fmtInt(report.sentReadings)} MISSING`} (drain ${(drain.ms / 1000).toFixed(1)} s) → ${pass ? 'PASS' : 'MISS'}`,
  );
  await sleep(1000);
  return r;
}

// ---------------------------------------------------------------------------------------------------------------
// (d) device fleet

interface FleetResult {
  readonly system: string;
  readonly devices: number;
  readonly connectMs: number;
  readonly connectFailed: number;
  readonly msgsPerS: number;
  readonly ackedPerS: number;
  readonly cpu: Record<string, number>;
  readonly rssEnd: number;
  readonly rssPeak: number;
  readonly loaderRss: number;
  readonly restart?: {
    readonly stopMs: number;
    readonly startMs: number;
    readonly allBackFromSigtermMs: number;
    readonly allBackFromListeningMs: number;
    readonly back: number;
    readonly p50FromSigtermMs: number;
    readonly p90FromSigtermMs: number;
  };
  readonly sent: number;
  readonly stored: number;
  /** Published but never acknowledged by the end (still queued in the clients). */
  readonly unacked: number;
  /** Lower bound of acknowledged readings missing from InfluxDB. */
  readonly lost: number;
}

async function runFleet(
  ctx: Ctx,
  startSut: (port: number) => Promise<Sut>,
  withRestart: boolean,
  verify = true,
): Promise<FleetResult> {
  const port = await freePort(0);
  let sut = await startSut(port);
  const fleetWhere = `device =~ /^fleet-/`;
  const before = await sut.influx.count(fleetWhere).catch(() => 0);
  try {
    const connected = await ctx.loader.call(
      {
        type: 'connect',
        port: sut.port,
        clients: ctx.fleetClients,
        concurrency: 100,
        reconnectPeriodMs: 1000,
      },
      'connected',
      300000,
    );
    say(
      `  ${sut.name}: ${fmtInt(connected.ok)} device connections in ${(connected.ms / 1000).toFixed(1)} s${connected.failed ? `, ${connected.failed} FAILED (${connected.firstError ?? ''})` : ''}`,
    );
    await ctx.loader.call(
      { type: 'fleetStart', plan: { tenant: TENANT, msgsPerSecondPerDevice: ctx.opts.fleetRate } },
      'fleetStarted',
      30000,
    );
    await sleep(ctx.opts.quick ? 2000 : 5000);
    const meter = cpuMeter(ctx, sut);
    const m0 = await sut.metrics();
    const m0At = Date.now();
    const s0 = (await ctx.loader.call({ type: 'fleetStats' }, 'fleetStats', 10000)).stats;
    meter.begin();
    const t0 = Date.now();
    let rssPeak = 0;
    while (Date.now() - t0 < ctx.opts.fleetSteadyMs) {
      rssPeak = Math.max(rssPeak, rssBytes(sut.pid()));
      await sleep(500);
    }
    const cpu = meter.end();
    const s1 = (await ctx.loader.call({ type: 'fleetStats' }, 'fleetStats', 10000)).stats;
    // Rates over the loader's own snapshot times (the replies may come back late from a busy loader).
    const seconds = (s1.at - s0.at) / 1000;
    const rssEnd = rssBytes(sut.pid());
    rssPeak = Math.max(rssPeak, rssEnd);
    const loaderRss = rssBytes(ctx.loader.pid);
    const msgsPerS = (s1.sentMsgs - s0.sentMsgs) / seconds;
    const ackedPerS = (s1.ackedMsgs - s0.ackedMsgs) / seconds;
    const m1 = await sut.metrics();
    const m1At = Date.now();
    say(
      `  ${sut.name}: ${fmtInt(s1.connected)} connected, ${fmtInt(msgsPerS)} msg/s offered, ${fmtInt(ackedPerS)} msg/s acknowledged over ${seconds.toFixed(0)} s; ` +
        `broker CPU ${fmtPct(cpu['broker'])} of a core, RSS ${fmtMB(rssEnd)} (peak ${fmtMB(rssPeak)}); ` +
        `loader CPU ${fmtPct(cpu['loader'])}, RSS ${fmtMB(loaderRss)}; redis ${fmtPct(cpu['redis'])}, influxd ${fmtPct(cpu['influxd'])}, other ${fmtPct(cpu['other'])}`,
    );
    if (m0 && m1) say(`    ${batchingLine(m0, m1, (m1At - m0At) / 1000)}`);
    let restart: FleetResult['restart'];
    if (withRestart) {
      const marked = await ctx.loader.call({ type: 'markRestart' }, 'marked', 10000);
      const tcp0 = tcpListenCounters();
      const sigtermAt = Date.now();
      const logsBefore = sut.logs().length;
      await sut.stop();
      const stoppedAt = Date.now();
      for (const line of sut.logs().slice(logsBefore)) say(`    [broker log during stop] ${line.trim()}`);
      sut = await startSut(port);
      const listeningAt = Date.now();
      say(
        `  restart: SIGTERM → exit ${((stoppedAt - sigtermAt) / 1000).toFixed(1)} s, start → listening on the same port ${port} ${((listeningAt - stoppedAt) / 1000).toFixed(1)} s`,
      );
      let progress = (await ctx.loader.call({ type: 'restartProgress' }, 'restartProgress', 10000)).progress;
      let lastPrint = 0;
      while (progress.back < progress.total && Date.now() - sigtermAt < ctx.opts.restartTimeoutMs) {
        await sleep(250);
        progress = (await ctx.loader.call({ type: 'restartProgress' }, 'restartProgress', 10000)).progress;
        if (Date.now() - lastPrint > 5000) {
          lastPrint = Date.now();
          say(
            `    t+${((Date.now() - sigtermAt) / 1000).toFixed(0)} s: ${fmtInt(progress.reconnected)} reconnected, ${fmtInt(progress.back)} publishing again of ${fmtInt(progress.total)}`,
          );
        }
      }
      const tcp1 = tcpListenCounters();
      say(
        `    kernel: ${fmtInt(tcp1.ListenOverflows - tcp0.ListenOverflows)} listen-queue overflows, ${fmtInt(tcp1.SyncookiesSent - tcp0.SyncookiesSent)} SYN cookies sent during the reconnection ` +
          `(accept backlog asked: ${sut.name === 'Vigie' ? `${fmtInt(LISTEN_BACKLOG)} (LISTEN_BACKLOG)` : "Node's default 511"}, ` +
          `capped by net.core.somaxconn ${readFileSync('/proc/sys/net/core/somaxconn', 'utf8').trim()})`,
      );
      const backTimes = progress.backAt.map((t) => t - Math.max(marked.at, sigtermAt)).sort((a, b) => a - b);
      const last = backTimes.length ? backTimes[backTimes.length - 1] : Number.POSITIVE_INFINITY;
      const allBack = progress.back === progress.total;
      restart = {
        stopMs: stoppedAt - sigtermAt,
        startMs: listeningAt - stoppedAt,
        allBackFromSigtermMs: allBack ? last : Number.POSITIVE_INFINITY,
        allBackFromListeningMs: allBack ? last - (listeningAt - sigtermAt) : Number.POSITIVE_INFINITY,
        back: progress.back,
        p50FromSigtermMs: percentile(backTimes, 50),
        p90FromSigtermMs: percentile(backTimes, 90),
      };
      say(
        `  restart: ${fmtInt(progress.back)} of ${fmtInt(progress.total)} devices publishing again (PUBACK on a new connection); ` +
          `all back ${allBack ? `${(last / 1000).toFixed(1)} s after SIGTERM (${((last - (listeningAt - sigtermAt)) / 1000).toFixed(1)} s after the new broker listened)` : 'NOT within the timeout'}; ` +
          `p50 ${(restart.p50FromSigtermMs / 1000).toFixed(1)} s, p90 ${(restart.p90FromSigtermMs / 1000).toFixed(1)} s after SIGTERM`,
      );
      await sleep(2000);
    }
    // Publishing stops; the clients keep their connections until every publish is acknowledged (or 90 s).
    const stopped = (await ctx.loader.call({ type: 'fleetStop', ackWaitMs: 90000 }, 'fleetStopped', 120000))
      .stats;
    const expected = stopped.sentReadings;
    const drain = verify
      ? await waitForCount(sut.influx, fleetWhere, before + expected, 60000, 15000)
      : { count: before + stopped.ackedMsgs, ms: 0 };
    const stored = drain.count - before;
    const unacked = expected - stopped.ackedMsgs;
    // A reading stored without its PUBACK reaching the client (connection cut) is normal; an acknowledged one
    // missing is a loss. By counts alone: lost ≥ acknowledged − stored.
    const lostAcked = Math.max(0, stopped.ackedMsgs - stored);
    if (verify)
      say(
        `  ${sut.name} fleet: ${fmtInt(expected)} readings published, ${fmtInt(stopped.ackedMsgs)} acknowledged` +
          `${unacked > 0 ? ` (${fmtInt(unacked)} still unacknowledged in the clients' queues after 90 s)` : ''}, ${stopped.errors} errors; ` +
          `${fmtInt(stored)} stored${stored >= expected ? ' — nothing lost' : lostAcked > 0 ? ` — at least ${fmtInt(lostAcked)} ACKNOWLEDGED readings MISSING` : ` — every acknowledged reading can be accounted for`}${withRestart ? ' (across the restart)' : ''}`,
      );
    await ctx.loader.call({ type: 'disconnect' }, 'disconnected', 60000);
    return {
      system: sut.name,
      devices: connected.ok,
      connectMs: connected.ms,
      connectFailed: connected.failed,
      msgsPerS,
      ackedPerS,
      cpu,
      rssEnd,
      rssPeak,
      loaderRss,
      restart,
      sent: expected,
      stored,
      unacked,
      lost: lostAcked,
    };
  } finally {
    await sut.stop();
  }
}

/** Vigie's batching between two /metrics snapshots: spool group commits and InfluxDB writes per second. */
function batchingLine(m0: string, m1: string, seconds: number): string {
  const d = (sample: string) => metricValue(m1, sample) - metricValue(m0, sample);
  const messages = d('vigie_ingest_messages_total{format="vigie-json"}');
  const commits = d('vigie_spool_appends_total');
  const writes = d('vigie_influx_write_batches_total{outcome="ok"}');
  const lines = d('vigie_influx_written_lines_total');
  return (
    `Vigie batching: ${fmtInt(commits / seconds)} spool group commits/s (${(messages / Math.max(1, commits)).toFixed(1)} messages each), ` +
    `${fmtInt(writes / seconds)} InfluxDB writes/s (${(lines / Math.max(1, writes)).toFixed(0)} lines each)`
  );
}

// ---------------------------------------------------------------------------------------------------------------
// Setup

function nofileLimits(): { soft: number; hard: number } {
  const m = /Max open files\s+(\S+)\s+(\S+)/.exec(readFileSync('/proc/self/limits', 'utf8'));
  const num = (s: string | undefined) =>
    s === undefined ? 0 : s === 'unlimited' ? Number.MAX_SAFE_INTEGER : Number(s);
  return { soft: num(m?.[1]), hard: num(m?.[2]) };
}

async function provision(
  redis: Redis,
  credentialKey: string,
  opts: Options,
): Promise<Pick<Ctx, 'throughputClients' | 'deviceLists' | 'probes' | 'fleetClients'>> {
  const registry = new RegistryRepository(redis, new RedisKeys('bench:'), credentialKey, findDeviceKind);
  await registry.addTenant(TENANT, 'Benchmark');
  const deviceLists: string[][] = [];
  const probes: string[] = [];
  const ids: string[] = [];
  for (let c = 0; c < opts.connections; c++) {
    const list: string[] = [];
    for (let d = 0; d < opts.devicesPerConnection; d++)
      list.push(`dev-${String(c).padStart(3, '0')}-${String(d).padStart(3, '0')}`);
    deviceLists.push(list);
    probes.push(`probe-${String(c).padStart(3, '0')}`);
    ids.push(...list);
  }
  ids.push(...probes);
  const fleetIds = Array.from({ length: opts.fleetSize }, (_, i) => `fleet-${String(i).padStart(5, '0')}`);
  const fleetClients: ClientSpec[] = [];
  const all = [...ids, ...fleetIds];
  for (let i = 0; i < all.length; i += 500) {
    const created = await registry.addDevices(
      all.slice(i, i + 500).map((id) => ({ tenant: TENANT, id, kind: 'energy-meter' })),
    );
    for (const { device, credentials } of created) {
      if (device.id.startsWith('fleet-')) {
        fleetClients.push({
          clientId: device.id,
          username: credentials.username,
          password: credentials.password,
          topic: `vigie/${TENANT}/devices/${device.id}/readings`,
        });
      }
    }
  }
  const { credentials } = await registry.addAccount({
    tenant: TENANT,
    id: 'loadgen',
    acl: [`vigie/${TENANT}/#`],
  });
  const throughputClients = Array.from({ length: opts.connections }, (_, c) => ({
    clientId: `loadgen-${String(c).padStart(3, '0')}`,
    username: credentials.username,
    password: credentials.password,
  }));
  return { throughputClients, deviceLists, probes, fleetClients };
}

// ---------------------------------------------------------------------------------------------------------------
// Main

interface SystemResults {
  a?: Stepping;
  b?: Stepping;
  targetA?: StepResult;
  targetB?: StepResult;
  c: OverloadResult[];
  d?: FleetResult;
  dBare?: FleetResult;
}

async function throughputPhase(
  ctx: Ctx,
  sut: Sut,
  results: SystemResults,
  baselineMax: Record<1 | 10, number | undefined>,
): Promise<void> {
  const connected = await ctx.loader.call(
    {
      type: 'connect',
      port: sut.port,
      clients: ctx.throughputClients,
      concurrency: 10,
      reconnectPeriodMs: 1000,
    },
    'connected',
    60000,
  );
  if (connected.failed > 0)
    throw new Error(`${connected.failed} load connections failed: ${connected.firstError ?? ''}`);
  say(
    `  ${connected.ok} load connections up in ${connected.ms} ms (${sut.name === 'Vigie' ? `integration account, ${ctx.opts.devicesPerConnection} devices + 1 probe device each` : 'no authentication'})`,
  );
  say(STEP_HEADER);
  try {
    // Warm-up (JIT, InfluxDB shard creation, device cache): measured but not used.
    await runStep(ctx, sut, 1, 5000, ctx.opts.quick ? 2000 : 3000, `${sut.name} warm-up (ignored)`);
    await waitForQuiet(ctx, sut, ctx.opts.quick ? 4000 : 120000);
    for (const n of [1, 10] as const) {
      const key = n === 1 ? 'a' : 'b';
      if (!ctx.opts.scenarios.has(key)) continue;
      const stepping = await findSustainable(ctx, sut, n);
      results[key] = stepping;
      const target = baselineMax[n];
      if (sut.name === 'Vigie' && target !== undefined) {
        const factor = n === 1 ? 0.75 : 1.0;
        const r = await runStepChecked(
          ctx,
          sut,
          n,
          Math.round(target * factor),
          `Vigie ${n}/msg @${factor}×base`,
        );
        if (n === 1) results.targetA = r;
        else results.targetB = r;
      }
    }
    if (sut.name === 'Vigie' && ctx.opts.scenarios.has('c')) {
      say('');
      say(
        `(c) Overload: 1.5 × Vigie's sustainable rate for ${fmtInt(ctx.opts.overloadMs / 1000)} s per payload shape`,
      );
      for (const n of [1, 10] as const) {
        const given = ctx.opts.overloadMax[n];
        if (ctx.opts.quick && n === 1 && given === undefined) continue;
        const max = given ?? (n === 1 ? results.a : results.b)?.best?.achieved;
        if (max === undefined) {
          say(`  ${n}/msg: no sustainable rate was found, skipped`);
          continue;
        }
        results.c.push(await runOverload(ctx, sut, n, max));
      }
    }
  } finally {
    await ctx.loader.call({ type: 'disconnect' }, 'disconnected', 60000).catch(() => undefined);
  }
}

function verdict(ok: boolean | undefined): string {
  return ok === undefined ? 'n/a ' : ok ? 'PASS' : 'MISS';
}

async function main(): Promise<void> {
  const opts = parseOptions(process.argv.slice(2));
  profileDir = opts.profileDir;
  const startedAt = Date.now();
  const hardTimeout = setTimeout(
    () => {
      say(`\nbench: hard time limit reached; stopping everything`);
      void cleanupAll().finally(() => process.exit(3));
    },
    (opts.quick ? 6 : 25) * 60000,
  );
  hardTimeout.unref();
  process.on('unhandledRejection', (err) => {
    say(`\nbench: unhandled rejection: ${String(err)}; stopping everything`);
    void cleanupAll().finally(() => process.exit(1));
  });
  for (const sig of ['SIGINT', 'SIGTERM'] as const) {
    process.once(sig, () => {
      say(`\nbench: ${sig}; stopping everything`);
      void cleanupAll().finally(() => process.exit(130));
    });
  }

  say(
    `Vigie ingest benchmark — ${new Date().toISOString()}${opts.quick ? ' — QUICK smoke run (short steps; figures are indicative only)' : ''}`,
  );
  say(
    `machine: ${cpus().length} × ${cpus()[0]?.model ?? '?'}, load average ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}; node ${process.version}`,
  );
  cliHash = bundleHash();
  say(`Vigie code: ${codeVersion()}; CLI bundle sha256 ${cliHash}`);
  const limits = nofileLimits();
  const needed = opts.fleetSize + 200;
  say(
    `open files (ulimit -n): soft ${limits.soft}, hard ${limits.hard === Number.MAX_SAFE_INTEGER ? 'unlimited' : limits.hard}; the fleet needs about ${needed} in the load generator and in the broker` +
      (limits.soft < needed
        ? limits.hard >= needed
          ? " — the load generator raises its soft limit itself; the broker inherits this process's soft limit: run `ulimit -n " +
            needed +
            '` first'
          : ` — TOO LOW: raise the hard limit (e.g. /etc/security/limits.conf) to at least ${needed}`
        : ' — enough'),
  );
  say('');
  say('Method');
  say(
    `  - Both brokers run as \`node ${VIGIE_NODE_FLAGS.join(' ')}\` (the flags of \`npm run vigie\`); each on its own fresh influxd.`,
  );
  say(
    '  - Load: a separate load-generator process (MQTT.js, QoS 1), 40 connections; throughput steps publish round-robin to 2,000',
  );
  say(
    '    registered energy meters through an integration account (Vigie) or unauthenticated (baseline), each connection with at most',
  );
  say(
    `    ${opts.windowPerClient} unacknowledged publishes. Timestamps are unique per device, so each reading is one InfluxDB point.`,
  );
  say(
    `  - A step lasts ${opts.stepMs / 1000} s. "Sustained" = the offered rate was achieved (≥ ${ACHIEVED_MIN * 100} %), every reading was found in InfluxDB`,
  );
  say(
    `    (SELECT count(power_w) over the step's timestamp range = readings sent), and publish→queryable p99 ≤ ${P99_LIMIT_MS} ms. Rates grow ×${opts.plan[1].factor}`,
  );
  say(
    '    per step until a step fails' +
      (opts.plan[1].refine
        ? ', then one step at the geometric mean of the last pass and the first failure.'
        : '.'),
  );
  say(
    '  - Latency: every connection sends one message in ~400 ms to its own probe device (~100 probes/s in all); the loader records the',
  );
  say(
    `    publish time of each probe and the bench polls InfluxDB every ${PROBE_POLL_MS} ms for the probe devices' points. A point became`,
  );
  say(
    `    queryable between the last poll that did not return it and the first that did: latency = midpoint of the two polls − publish`,
  );
  say(
    `    time (±${PROBE_POLL_MS / 2} ms; a probe never seen counts as ∞); p50/p99 over all probes of the step (~${Math.round(opts.stepMs / 10)}).`,
  );
  say(
    '  - CPU: utime+stime deltas from /proc/<pid>/stat over the publishing phase, in % of ONE core (the machine has 2 = 200 %);',
  );
  say(
    '    "other" = machine-wide busy time not used by the processes listed (other users of this shared machine). RSS = VmRSS peak.',
  );
  say('');

  const dir = mkdtempSync(join(tmpdir(), 'vigie-bench-'));
  onCleanup('temporary directory', async () => rmSync(dir, { recursive: true, force: true }));
  const credentialKey = randomBytes(32).toString('hex');

  try {
    const redisService = await startRedis({ dataDir: join(dir, 'redis') });
    onCleanup('redis-server', () => redisService.stop());
    let influxService = await startInfluxd({ dataDir: join(dir, 'influx-1') });
    let stopInflux = onCleanup('influxd', () => influxService.stop());
    say(
      `services: redis-server ${redisService.url} (AOF everysec, pid ${redisService.pid()}), influxd 1.x ${influxService.url} (pid ${influxService.pid()})`,
    );
    const redis = createRedis(redisService.url, { name: 'bench' });
    onCleanup('redis connection', async () => void (await redis.quit().catch(() => undefined)));
    const provStart = Date.now();
    const prov = await provision(redis, credentialKey, opts);
    say(
      `registry: tenant '${TENANT}', ${opts.connections * (opts.devicesPerConnection + 1)} throughput devices, ${opts.fleetSize} fleet devices, 1 integration account (${((Date.now() - provStart) / 1000).toFixed(1)} s)`,
    );

    const loader = await Loader.start(Math.max(65536, needed));
    say(`load generator: pid ${loader.pid}, open files limit ${loader.nofile}`);
    const ctx: Ctx = { opts, loader, redisService, influxService, redis, ...prov, stepId: 0, lastTsMax: 0 };

    const baseline: SystemResults = { c: [] };
    const vigie: SystemResults = { c: [] };
    const baselineMax: Record<1 | 10, number | undefined> = { 1: undefined, 10: undefined };
    const quietBefore = await waitForQuiet(ctx, undefined, opts.quick ? 4000 : 180000);
    say(`other processes before starting: ${fmtPct(quietBefore)} of a core`);

    // ---- baseline
    const baselineThroughput = opts.scenarios.has('a') || opts.scenarios.has('b');
    const baselineFleet = opts.fleetBaseline && opts.scenarios.has('d');
    if (!opts.skipBaseline && (baselineThroughput || baselineFleet)) {
      say('');
      say(
        '=== Baseline: aedes + in-process subscriber → line protocol → InfluxDB /write, one write in flight, no durability',
      );
      if (baselineThroughput) {
        const sut = await startBaseline(influxService.url, 'bench_baseline');
        try {
          await throughputPhase(ctx, sut, baseline, baselineMax);
        } finally {
          await sut.stop();
        }
        baselineMax[1] = baseline.a?.best?.achieved;
        baselineMax[10] = baseline.b?.best?.achieved;
      }
      if (baselineFleet) {
        say('');
        say(
          `(d) baseline with ${fmtInt(opts.fleetSize)} device connections at ${opts.fleetRate} msg/s each, restarted the same way (for comparison)`,
        );
        baseline.d = await runFleet(
          ctx,
          (port) => startBaseline(ctx.influxService.url, 'bench_baseline', true, port),
          true,
        );
        say(
          `(d) bare aedes (no subscriber, no InfluxDB) with the same fleet: the cost of the MQTT layer alone`,
        );
        baseline.dBare = await runFleet(
          ctx,
          () => startBaseline(ctx.influxService.url, 'bench_bare', false),
          false,
          false,
        );
      }
      // A fresh influxd for Vigie: the baseline's shards must not be compacting during Vigie's measurements.
      stopInflux();
      await influxService.stop();
      influxService = await startInfluxd({ dataDir: join(dir, 'influx-2') });
      ctx.influxService = influxService;
      stopInflux = onCleanup('influxd', () => influxService.stop());
      say(`  (fresh influxd for Vigie: ${influxService.url}, pid ${influxService.pid()})`);
    }
    if (opts.skipBaseline || !baselineThroughput) {
      baselineMax[1] = DOCUMENTED_BASELINE[1];
      baselineMax[10] = DOCUMENTED_BASELINE[10];
      say(
        `baseline skipped: using the figures of docs/toolchain.md (${fmtK(DOCUMENTED_BASELINE[1])}/s and ${fmtK(DOCUMENTED_BASELINE[10])}/s)`,
      );
    }
    const baseEnv = (port: number) => vigieEnv(influxService.url, redisService.url, credentialKey, port);

    // ---- Vigie
    if (opts.scenarios.has('a') || opts.scenarios.has('b') || opts.scenarios.has('c')) {
      say('');
      say(
        '=== Vigie: broker process (authenticated, validated, acknowledged once durable in the Redis spool; spool writer → InfluxDB)',
      );
      const sut = await startVigie(baseEnv(0));
      try {
        await throughputPhase(ctx, sut, vigie, baselineMax);
        const text = (await sut.metrics()) ?? '';
        const accepted = metricValue(text, 'vigie_readings_accepted_total') / 2; // 2 metric values per reading
        const written = metricValue(text, 'vigie_influx_written_lines_total');
        const spoolAppends = metricValue(text, 'vigie_spool_appends_total');
        const messages = metricValue(text, 'vigie_ingest_messages_total{format="vigie-json"}');
        say('');
        say(
          `  Vigie counters after the throughput runs: ${fmtInt(accepted)} readings accepted, ${fmtInt(written)} lines written to InfluxDB ` +
            `(${accepted > 0 ? (written / accepted).toFixed(2) : 'n/a'} writes per reading), ${fmtInt(spoolAppends)} spool group commits` +
            (messages > 0
              ? ` (${(messages / Math.max(1, spoolAppends)).toFixed(1)} messages per commit)`
              : ''),
        );
      } finally {
        await sut.stop();
      }
    }
    if (opts.scenarios.has('d')) {
      say('');
      say(
        `=== (d) Vigie with ${fmtInt(opts.fleetSize)} devices, each its own MQTT connection and credentials, ${opts.fleetRate} msg/s each (1 reading per message)`,
      );
      vigie.d = await runFleet(ctx, (port) => startVigie(baseEnv(port)), true);
    }

    // ---- summary
    summary(opts, baseline, vigie, baselineMax, Date.now() - startedAt);
  } finally {
    await cleanupAll();
    clearTimeout(hardTimeout);
  }
}

function summary(
  opts: Options,
  baseline: SystemResults,
  vigie: SystemResults,
  baselineMax: Record<1 | 10, number | undefined>,
  elapsedMs: number,
): void {
  say('');
  say('=== Results');
  const row = (
    label: string,
    b: StepResult | undefined,
    v: StepResult | undefined,
    baseFigure: number | undefined,
  ) => {
    const ratio = v && baseFigure ? v.achieved / baseFigure : NaN;
    say(
      `  ${pad(label, 16)} baseline ${lpad(baseFigure !== undefined ? fmtK(baseFigure) : 'n/a', 7)}/s ${b ? `(p50 ${fmtMs(b.p50)}, p99 ${fmtMs(b.p99)}, broker ${fmtPct(b.cpu['broker'])}, RSS ${fmtMB(b.rssPeak)})` : ''}`,
    );
    say(
      `  ${pad('', 16)} Vigie    ${lpad(v ? fmtK(v.achieved) : 'n/a', 7)}/s ${v ? `(p50 ${fmtMs(v.p50)}, p99 ${fmtMs(v.p99)}, broker ${fmtPct(v.cpu['broker'])}, RSS ${fmtMB(v.rssPeak)}, loader ${fmtPct(v.cpu['loader'])}, redis ${fmtPct(v.cpu['redis'])}, influxd ${fmtPct(v.cpu['influxd'])})` : ''}`,
    );
    say(`  ${pad('', 16)} ratio Vigie/baseline ${Number.isFinite(ratio) ? ratio.toFixed(2) : 'n/a'}`);
  };
  say(
    '  Sustainable rate (readings/s, highest step that passed), latency publish→queryable, CPU in % of one core:',
  );
  row('1 reading/msg', baseline.a?.best, vigie.a?.best, baselineMax[1]);
  row('10 readings/msg', baseline.b?.best, vigie.b?.best, baselineMax[10]);
  const firstFail = (s: Stepping | undefined) =>
    s?.firstFail ? `${fmtK(s.firstFail.offered)}/s (${s.firstFail.why})` : 'none (step limit reached)';
  say(`  first failing step: baseline 1/msg ${firstFail(baseline.a)}; 10/msg ${firstFail(baseline.b)}`);
  say(`                      Vigie    1/msg ${firstFail(vigie.a)}; 10/msg ${firstFail(vigie.b)}`);
  for (const [label, t] of [
    ['0.75 × baseline, 1 reading/msg', vigie.targetA],
    ['1.0 × baseline, 10 readings/msg', vigie.targetB],
  ] as const) {
    if (t)
      say(
        `  Vigie at ${label}: ${fmtK(t.offered)}/s offered, ${fmtK(t.achieved)}/s achieved, lost ${fmtInt(t.lost)}, p50 ${fmtMs(t.p50)}, p99 ${fmtMs(t.p99)} → ${t.pass ? 'sustained' : `not sustained (${t.why})`}`,
      );
  }

  const targets: [string, boolean | undefined, string][] = [];
  const tA = vigie.targetA;
  const tB = vigie.targetB;
  const ratioA = vigie.a?.best && baselineMax[1] ? vigie.a.best.achieved / baselineMax[1] : undefined;
  const ratioB = vigie.b?.best && baselineMax[10] ? vigie.b.best.achieved / baselineMax[10] : undefined;
  // Targets 1 and 2 compare sustainable rates (offered rate achieved, nothing lost, p99 ≤ 500 ms).
  const atTarget = (t: StepResult | undefined, factor: string) =>
    t
      ? `at ${factor}× (${fmtK(t.offered)}/s): ${fmtK(t.achieved)}/s achieved (${((t.achieved / t.offered) * 100).toFixed(0)} %), lost ${fmtInt(t.lost)}, p99 ${fmtMs(t.p99)} → ${t.pass ? 'sustained' : 'not sustained'}`
      : `at ${factor}×: not run`;
  // The extra step at exactly factor × baseline decides; without it (e.g. --skip-baseline) the stepping ratio.
  const targetPass = (t: StepResult | undefined, ratio: number | undefined, factor: number) =>
    t ? t.pass : ratio !== undefined ? ratio >= factor : undefined;
  targets.push([
    '1 reading/msg: Vigie ≥ 0.75 × baseline',
    targetPass(tA, ratioA, 0.75),
    `baseline ${fmtK(baselineMax[1] ?? NaN)}/s, Vigie ${fmtK(vigie.a?.best?.achieved ?? NaN)}/s sustained (ratio ${ratioA?.toFixed(2) ?? 'n/a'}); ${atTarget(tA, '0.75')}`,
  ]);
  targets.push([
    '10 readings/msg: Vigie ≥ 1.0 × baseline',
    targetPass(tB, ratioB, 1),
    `baseline ${fmtK(baselineMax[10] ?? NaN)}/s, Vigie ${fmtK(vigie.b?.best?.achieved ?? NaN)}/s sustained (ratio ${ratioB?.toFixed(2) ?? 'n/a'}); ${atTarget(tB, '1.0')}`,
  ]);
  const p99s = [tA, tB].filter((t): t is StepResult => t !== undefined);
  targets.push([
    'p99 ≤ 500 ms at those rates',
    p99s.length ? p99s.every((t) => t.p99 <= P99_LIMIT_MS) : undefined,
    p99s
      .map(
        (t) =>
          `${t.readingsPerMsg}/msg @${fmtK(t.offered)}/s: p99 ${fmtMs(t.p99)} (p50 ${fmtMs(t.p50)}, ${t.probes} probes)`,
      )
      .join('; ') || 'not run',
  ]);
  targets.push([
    '1.5× overload ≥ 90 % of max, bounded memory',
    vigie.c.length ? vigie.c.every((c) => c.pass) : undefined,
    vigie.c
      .map(
        (c) =>
          `${c.readingsPerMsg}/msg: ${fmtK(c.storedPerS)}/s = ${((c.storedPerS / c.max) * 100).toFixed(0)} % of ${fmtK(c.max)}, RSS peak ${fmtMB(c.rss.peak)} ${c.bounded ? 'bounded' : 'growing'}${c.lost ? `, ${fmtInt(c.lost)} lost` : ''}`,
      )
      .join('; ') || 'not run',
  ]);
  const d = vigie.d;
  targets.push([
    `${fmtInt(opts.fleetSize)} devices at ${opts.fleetRate} msg/s: broker < 35 % CPU, < 300 MB`,
    d
      ? d.devices === opts.fleetSize &&
        (d.cpu['broker'] ?? Infinity) < 35 &&
        d.rssPeak < 300 * 1024 * 1024 &&
        d.ackedPerS >= 0.95 * d.msgsPerS
      : undefined,
    d
      ? `${fmtInt(d.devices)} connected, ${fmtInt(d.ackedPerS)} msg/s acknowledged, broker ${fmtPct(d.cpu['broker'])} of a core, RSS ${fmtMB(d.rssEnd)} (peak ${fmtMB(d.rssPeak)}); loader ${fmtPct(d.cpu['loader'])}, redis ${fmtPct(d.cpu['redis'])}, influxd ${fmtPct(d.cpu['influxd'])}` +
        (baseline.d
          ? `; for comparison, baseline broker ${fmtPct(baseline.d.cpu['broker'])}, ${fmtMB(baseline.d.rssEnd)}` +
            (baseline.dBare
              ? `, bare aedes ${fmtPct(baseline.dBare.cpu['broker'])}, ${fmtMB(baseline.dBare.rssEnd)}`
              : '')
          : '')
      : 'not run',
  ]);
  const rs = d?.restart;
  const backText = (r: NonNullable<FleetResult['restart']>) =>
    `${fmtInt(r.back)} back; ${Number.isFinite(r.allBackFromSigtermMs) ? `all ${(r.allBackFromSigtermMs / 1000).toFixed(1)} s after SIGTERM (${(r.allBackFromListeningMs / 1000).toFixed(1)} s after listening)` : `NOT all back after ${opts.restartTimeoutMs / 1000} s`}, p50 ${(r.p50FromSigtermMs / 1000).toFixed(1)} s; stop ${(r.stopMs / 1000).toFixed(1)} s, start ${(r.startMs / 1000).toFixed(1)} s`;
  targets.push([
    `all ${fmtInt(opts.fleetSize)} back within 30 s after a restart`,
    rs ? rs.allBackFromSigtermMs <= 30000 : undefined,
    rs && d
      ? `${backText(rs)}; ${d.lost === 0 ? 'no acknowledged reading lost' : `${fmtInt(d.lost)} acknowledged readings lost`}` +
        (d.unacked > 0 ? `, ${fmtInt(d.unacked)} still unacknowledged at the end` : '') +
        (baseline.d?.restart ? `; baseline restarted the same way: ${backText(baseline.d.restart)}` : '')
      : 'not run',
  ]);

  say('');
  say(`=== Summary${opts.quick ? ' (QUICK run: short steps, small fleet — not a valid measurement)' : ''}`);
  say(`  ${pad('target', 52)} result  figures`);
  for (const [label, ok, figures] of targets) say(`  ${pad(label, 52)} ${verdict(ok)}    ${figures}`);
  say('');
  say(`total time ${(elapsedMs / 1000).toFixed(0)} s`);
}

main().then(
  () => process.exit(0),
  async (err: Error) => {
    say(`\nbench failed: ${err.stack ?? err.message}`);
    await cleanupAll();
    process.exit(1);
  },
);
