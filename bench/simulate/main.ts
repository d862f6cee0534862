/**
 * Town-simulator benchmark: `vigie simulate --backfill` of the demo town through the real broker, end to end.
 *
 *   npm run bench:simulate                          30 days of devices/scenarios/demo-town.yaml (issue #3)
 *   npm run bench:simulate -- --backfill=3d         a shorter smoke run
 *
 * Flags: --scenario=FILE, --backfill=DURATION, --seed=N, --skip-baseline.
 *
 * One invocation starts its own influxd (Debian's 1.6.7) and redis-server (AOF everysec) on free ports, then:
 *   1. the baseline: the same simulation generated in-process and its readings written straight to InfluxDB's
 *      /write as line protocol (batches of 5,000 lines, 2 writers) — no MQTT, no validation, no durable spool;
 *   2. Vigie: `vigie broker` and `vigie simulate --backfill` as separate processes; the simulator's readings
 *      go through authentication, decoding (Vigie JSON, SenML, ChirpStack and TTS uplinks), validation, the
 *      Redis spool and the writer.
 * It counts every reading back in InfluxDB (nothing lost means stored = sent), and prints readings/s end to end
 * (first publish → last reading queryable), CPU and memory of each process, and the ratio to the baseline.
 */
import { createTownSimulation, parseScenario, Scenario } from '@vigie/devices';
import { LocalService, startInfluxd, startRedis } from '@vigie/local-services';
import { startBrokerProcess } from '@vigie/testing';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import {
  CLOCK_TICKS,
  CpuMeter,
  cpuTicks,
  fmtInt,
  fmtK,
  fmtMB,
  fmtPct,
  Influx,
  rssBytes,
  sleep,
} from '../ingest/common';
import { benchEnv, runSimulate } from './run-simulate';
import { countReadings, writeTownReadings } from './town-writer';

const ROOT = resolve(__dirname, '..', '..', '..');
const TARGET_READINGS_PER_S = 30_000;

interface Options {
  readonly scenario: string;
  readonly backfill: string;
  readonly seed: number;
  readonly skipBaseline: boolean;
}

function options(argv: readonly string[]): Options {
  const get = (name: string) => argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
  return {
    scenario: resolve(ROOT, get('scenario') ?? 'devices/scenarios/demo-town.yaml'),
    backfill: get('backfill') ?? '30d',
    seed: Number(get('seed') ?? '1'),
    skipBaseline: argv.includes('--skip-baseline'),
  };
}

const DAY = 86_400_000;
const parseDays = (text: string): number => {
  const m = /^(\d+)([dh])$/.exec(text);
  if (!m) throw new Error(`--backfill takes Nd or Nh, got ${text}`);
  return Number(m[1]) * (m[2] === 'd' ? DAY : DAY / 24);
};

/** The same readings, generated in-process and written straight to InfluxDB. */
async function baseline(
  scenario: Scenario,
  opts: Options,
  from: number,
  to: number,
  influxUrl: string,
): Promise<{ readings: number; stored: number; seconds: number; generateSeconds: number }> {
  const db = 'baseline';
  const influx = new Influx(influxUrl, db);
  await influx.createDatabase();
  const sim = createTownSimulation(scenario, { seed: opts.seed, startMs: from });
  const { readings, seconds, generateSeconds } = await writeTownReadings(sim, { from, to, influxUrl, db });
  return {
    readings,
    stored: await countReadings(influx, sim.town.tenant.id),
    seconds,
    generateSeconds,
  };
}

async function main(): Promise<void> {
  const opts = options(process.argv.slice(2));
  const scenario = parseScenario(readFileSync(opts.scenario, 'utf8'), opts.scenario);
  const span = parseDays(opts.backfill);
  const dir = mkdtempSync(join(tmpdir(), 'vigie-bench-simulate-'));
  const services: LocalService[] = [];
  const t0 = performance.now();
  console.log(
    `=== Town simulator benchmark: ${opts.scenario.replace(ROOT + '/', '')}, --backfill ${opts.backfill}, seed ${opts.seed}`,
  );
  console.log(`  machine: ${cpus().length} cores (${cpus()[0]?.model ?? '?'}); everything below runs on it`);
  try {
    const redis = await startRedis({ dataDir: join(dir, 'redis') });
    services.push(redis);
    const influxd = await startInfluxd({ dataDir: join(dir, 'influx') });
    services.push(influxd);
    const now = Date.now();
    const from = now - span;

    let base: Awaited<ReturnType<typeof baseline>> | undefined;
    if (!opts.skipBaseline) {
      console.log(
        '\n--- Baseline: generated in-process, written straight to InfluxDB (no MQTT, no validation, no spool)',
      );
      base = await baseline(scenario, opts, from, now, influxd.url);
      console.log(
        `  ${fmtInt(base.readings)} readings, ${fmtInt(base.stored)} stored, in ${base.seconds.toFixed(1)} s → ${fmtK(base.readings / base.seconds)} readings/s (of which generating ${base.generateSeconds.toFixed(1)} s)`,
      );
    }

    console.log('\n--- Vigie: vigie broker + vigie simulate --backfill, separate processes');
    const name = `bench_${randomBytes(3).toString('hex')}`;
    const env = benchEnv(name, { influxUrl: influxd.url, redisUrl: redis.url });
    const broker = await startBrokerProcess(env);
    const influx = new Influx(influxd.url, name);
    try {
      const started = performance.now();
      const sim = await runSimulate(
        [
          '--scenario',
          opts.scenario,
          '--backfill',
          opts.backfill,
          '--seed',
          String(opts.seed),
          '--tenant',
          'benchtown',
          '--mqtt-url',
          `mqtt://127.0.0.1:${broker.mqttPort}`,
          '--ground-truth',
          join(dir, 'ground-truth.jsonl'),
        ],
        env,
      );
      const cpu = new CpuMeter(() => ({
        broker: broker.pid,
        influxd: influxd.pid(),
        redis: redis.pid(),
      }));
      cpu.begin();
      let peakBroker = 0;
      let peakSim = 0;
      // The simulator exits before the end of the window: keep its last CPU reading while it runs.
      let simTicks = 0;
      const sampler = setInterval(() => {
        peakBroker = Math.max(peakBroker, rssBytes(broker.pid));
        peakSim = Math.max(peakSim, rssBytes(sim.pid));
        simTicks = cpuTicks(sim.pid) ?? simTicks;
      }, 500);
      const summary = await sim.done;
      const acked = (performance.now() - started) / 1000;
      const simCpu = (simTicks / CLOCK_TICKS / acked) * 100;
      let stored = await countReadings(influx, summary.tenant);
      const deadline = performance.now() + 600_000;
      while (stored < summary.readings && performance.now() < deadline) {
        await sleep(1000);
        stored = await countReadings(influx, summary.tenant);
      }
      const queryable = (performance.now() - started) / 1000;
      clearInterval(sampler);
      const c = cpu.end();
      await sleep(3000);
      const finalCount = await countReadings(influx, summary.tenant);
      const rate = summary.readings / queryable;
      console.log(
        `  town: ${fmtInt(summary.devices)} devices; ${fmtInt(summary.reports)} reports in ${fmtInt(summary.messages)} MQTT messages (${fmtInt(summary.duplicates)} duplicate copies, ${fmtInt(summary.malformed)} malformed), ${summary.faults} faults injected`,
      );
      console.log(
        `  readings sent (to be stored): ${fmtInt(summary.readings)}; stored in InfluxDB: ${fmtInt(finalCount)}; lost: ${fmtInt(summary.readings - finalCount)}`,
      );
      console.log(
        `  all acknowledged after ${acked.toFixed(1)} s; all queryable after ${queryable.toFixed(1)} s`,
      );
      console.log(
        `  end to end: ${fmtK(rate)} readings/s (${fmtK(summary.messages / queryable)} messages/s)`,
      );
      console.log(
        `  CPU (% of one core): broker ${fmtPct(c['broker'])}, simulator ${fmtPct(simCpu)} (while it ran), influxd ${fmtPct(c['influxd'])}, redis ${fmtPct(c['redis'])}, machine ${fmtPct(c['machine'])} of ${Math.round((c['cores'] ?? 0) * 100)} %`,
      );
      console.log(`  resident memory peak: broker ${fmtMB(peakBroker)}, simulator ${fmtMB(peakSim)}`);

      console.log('\n=== Summary');
      const lost = summary.readings - finalCount;
      const pass = rate >= TARGET_READINGS_PER_S && lost === 0;
      console.log(
        `  backfill ${opts.backfill}, ≥ 30 k readings/s end to end, nothing lost   ${pass ? 'PASS' : 'MISS'}   ${fmtK(rate)} readings/s, lost ${fmtInt(lost)}` +
          (base
            ? `; baseline ${fmtK(base.readings / base.seconds)} readings/s (ratio ${(rate / (base.readings / base.seconds)).toFixed(2)})`
            : ''),
      );
    } finally {
      await broker.stop();
    }
  } finally {
    for (const s of services.reverse()) await s.stop().catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
    console.log(`\ntotal time ${((performance.now() - t0) / 1000).toFixed(0)} s`);
  }
}

main().catch((err: Error) => {
  console.error(err.stack ?? err.message);
  process.exit(1);
});
