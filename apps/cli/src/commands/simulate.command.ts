import { loadConfig } from '@vigie/config';
import { DAY_MS, dayStringToNumber, localWallToUtc } from '@vigie/domain';
import {
  createTownSimulation,
  findDeviceKind,
  GroundTruthFault,
  parseDurationMs,
  parseScenario,
  Scenario,
} from '@vigie/devices';
import {
  formatCount,
  formatDuration,
  formatProgress,
  MqttFleet,
  ProgressEvent,
  provisionTown,
  SimulationRunner,
  SimulationStats,
} from '@vigie/simulator';
import { Command, Option } from 'commander';
import { appendFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { withRegistry } from '../context';
import { CliError, printObject } from '../output';

interface SimulateOptions {
  scenario: string;
  seed: string;
  tenant?: string;
  backfill?: string;
  until?: string;
  live?: boolean;
  speed: string;
  from?: string;
  duration?: string;
  chunk: string;
  groundTruth?: string;
  mqttUrl?: string;
  maxInFlight: string;
  networkConnections: string;
  progress: boolean;
  json?: boolean;
}

function positiveNumber(name: string, text: string, integer = false): number {
  const n = Number(text);
  if (!Number.isFinite(n) || n <= 0 || (integer && !Number.isInteger(n)))
    throw new CliError(`${name} must be a positive ${integer ? 'whole ' : ''}number, got '${text}'`, 2);
  return n;
}

function duration(name: string, text: string): number {
  let ms: number;
  try {
    ms = parseDurationMs(text);
  } catch (err) {
    throw new CliError(`${name}: ${(err as Error).message}`, 2);
  }
  if (ms <= 0) throw new CliError(`${name}: the duration '${text}' is zero`, 2);
  return ms;
}

/**
 * The end of a backfill: `YYYY-MM-DD` is that day's local midnight in the town's zone (the history stops before
 * the day), an ISO date-time is taken as it is; it must not be in the future.
 */
export function backfillEnd(text: string, timeZone: string, now: number): number {
  const day = /^\d{4}-\d{2}-\d{2}$/.test(text);
  let end: number;
  if (day) {
    let dayNumber: number;
    try {
      dayNumber = dayStringToNumber(text);
    } catch {
      dayNumber = Number.NaN;
    }
    end = Number.isNaN(dayNumber) ? Number.NaN : localWallToUtc(dayNumber * DAY_MS, timeZone);
  } else {
    end = /^\d{4}-\d{2}-\d{2}T.*(Z|[+-]\d{2}:\d{2})$/.test(text) ? Date.parse(text) : Number.NaN;
  }
  if (Number.isNaN(end)) {
    throw new CliError(
      `--until: '${text.slice(0, 40)}' is neither a YYYY-MM-DD date nor an ISO date-time with a zone`,
      2,
    );
  }
  if (end > now) throw new CliError(`--until: ${text} is in the future; a backfill sends past history`, 2);
  return end;
}

function loadScenario(file: string, tenant: string | undefined): Scenario {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new CliError(`cannot read the scenario ${file}: ${(err as Error).message}`, 2);
  }
  try {
    const scenario = parseScenario(text, file);
    return tenant ? { ...scenario, tenant: { ...scenario.tenant, id: tenant } } : scenario;
  } catch (err) {
    throw new CliError(`${file}: ${(err as Error).message}`, 2);
  }
}

/** Where the broker listens, as a URL a client on this machine can reach. */
function defaultMqttUrl(): string {
  const { MQTT_HOST, MQTT_PORT } = loadConfig(['MQTT_HOST', 'MQTT_PORT']);
  const host = MQTT_HOST === '0.0.0.0' || MQTT_HOST === '::' ? '127.0.0.1' : MQTT_HOST;
  return `mqtt://${host}:${MQTT_PORT}`;
}

/** Progress on stderr: a bar redrawn in place on a terminal, a line every 5 s otherwise. */
function progressPrinter(enabled: boolean): (p: ProgressEvent) => void {
  if (!enabled) return () => undefined;
  const tty = process.stderr.isTTY === true;
  let last = 0;
  return (p) => {
    const now = Date.now();
    const done = p.to !== undefined && p.simulatedTo >= p.to;
    if (tty) process.stderr.write(`\r${formatProgress(p)}\x1b[K${done ? '\n' : ''}`);
    else if (done || now - last >= 5000) {
      process.stderr.write(`${formatProgress(p)}\n`);
      last = now;
    }
  };
}

export function simulateCommand(): Command {
  return new Command('simulate')
    .description(
      "Simulate a town (buildings, weather, water sectors, irrigation, bins, street lights, with injected faults) and publish its devices' readings through the broker: history at full speed (--backfill) or as it happens (--live)",
    )
    .requiredOption(
      '--scenario <file>',
      'scenario file (YAML or JSON), e.g. devices/scenarios/demo-town.yaml',
    )
    .option('--seed <n>', 'random seed: the same seed gives the same readings and faults', '1')
    .option('--tenant <id>', "tenant to provision and publish into (default: the scenario's)")
    .addOption(
      new Option(
        '--backfill <duration>',
        'send the history of the last <duration> (30d, 12h…) at full speed, with device timestamps',
      ).conflicts('live'),
    )
    .option(
      '--until <date>',
      "with --backfill: end the history at this date (YYYY-MM-DD: its local midnight in the town's zone) or ISO date-time instead of now",
    )
    .option('--live', 'publish as time goes by (Ctrl-C stops)')
    .option(
      '--speed <n>',
      'with --live: simulated seconds per real second (the simulated clock never passes the real one)',
      '1',
    )
    .option(
      '--from <duration>',
      'with --live: start the simulated clock <duration> ago (default: now, or 1 day ago when --speed > 1)',
    )
    .option('--duration <duration>', 'with --live: stop after this much simulated time')
    .option('--chunk <duration>', 'with --backfill: simulated time generated and sent per step', '6h')
    .option(
      '--ground-truth <file>',
      'where to write the injected faults, then the conditions the town got into by itself ("observed": true), as JSON Lines',
    )
    .option('--mqtt-url <url>', 'broker to publish to (default: from MQTT_HOST and MQTT_PORT)')
    .option('--max-in-flight <n>', 'publishes awaiting their acknowledgement at once', '2000')
    .option(
      '--network-connections <n>',
      'MQTT connections per network-server account (LoRaWAN uplinks of a device always take the same one)',
      '8',
    )
    .option('--no-progress', 'no progress output on stderr')
    .option('--json', 'print the summary as JSON')
    .addHelpText(
      'after',
      `
Devices are provisioned idempotently in the tenant (new credentials on every run); LoRaWAN devices publish
ChirpStack or The Things Stack uplinks through the integration accounts sim-chirpstack / sim-tts. The
summary counts the readings Vigie should store (every valid value once: duplicated and malformed messages
excluded). Examples:
  vigie simulate --scenario devices/scenarios/demo-town.yaml --backfill 30d
  vigie simulate --scenario devices/scenarios/demo-town.yaml --backfill 60d --until 2026-03-01
  vigie simulate --scenario devices/scenarios/demo-town.yaml --live --speed 60`,
    )
    .action(async (o: SimulateOptions) => {
      if (!o.backfill && !o.live) throw new CliError('say --backfill <duration> or --live', 2);
      if (o.until && !o.backfill) throw new CliError('--until goes with --backfill', 2);
      const seed = positiveNumber('--seed', o.seed, true);
      const speed = positiveNumber('--speed', o.speed);
      const maxInFlight = positiveNumber('--max-in-flight', o.maxInFlight, true);
      const networkConnections = positiveNumber('--network-connections', o.networkConnections, true);
      const scenario = loadScenario(o.scenario, o.tenant);
      const limits = loadConfig(['INGEST_MAX_READINGS', 'MQTT_MAX_PACKET_BYTES']);
      const mqttUrl = o.mqttUrl ?? defaultMqttUrl();
      const now = o.until ? backfillEnd(o.until, scenario.location.time_zone, Date.now()) : Date.now();
      const from = o.backfill
        ? now - duration('--backfill', o.backfill)
        : now - (o.from ? duration('--from', o.from) : speed > 1 ? 86_400_000 : 0);
      const until = o.live && o.duration ? from + duration('--duration', o.duration) : undefined;

      const sim = createTownSimulation(scenario, { seed, startMs: from });
      const tenant = sim.town.tenant.id;
      const groundTruthFile = resolve(
        o.groundTruth ?? join('.data', 'simulate', `${tenant}-ground-truth.jsonl`),
      );
      mkdirSync(dirname(groundTruthFile), { recursive: true });
      writeFileSync(
        groundTruthFile,
        sim
          .groundTruth()
          .map((f) => JSON.stringify(f) + '\n')
          .join(''),
      );

      const log = (line: string) => o.progress && process.stderr.write(`${line}\n`);
      const provisioned = await withRegistry(({ registry }) => provisionTown(registry, sim.town));
      log(
        `Provisioned tenant '${tenant}': ${sim.town.sites.length} sites, ${sim.town.devices.length} devices (${provisioned.created.devices} new)`,
      );

      const fleet = new MqttFleet(mqttUrl, `sim-${tenant}`, { maxInFlight, networkConnections });
      const stop = new AbortController();
      const onSignal = () => stop.abort();
      process.once('SIGINT', onSignal);
      process.once('SIGTERM', onSignal);
      let stats: SimulationStats;
      let observed: readonly GroundTruthFault[] = [];
      try {
        await fleet.connectDevices(provisioned.devices);
        for (const [network, creds] of provisioned.networks) await fleet.connectNetwork(network, creds);
        log(`Connected ${fleet.connections} MQTT clients to ${mqttUrl}`);
        const runner = new SimulationRunner(sim, fleet, findDeviceKind, {
          maxReadings: limits.INGEST_MAX_READINGS,
          maxBytes: Math.min(48 * 1024, Math.floor(limits.MQTT_MAX_PACKET_BYTES * 0.75)),
        });
        const onProgress = progressPrinter(o.progress);
        stats = o.backfill
          ? await runner.backfill({
              from,
              to: now,
              chunkMs: duration('--chunk', o.chunk),
              signal: stop.signal,
              onProgress,
            })
          : await runner.live({ from, speed, until, tickMs: 1000, signal: stop.signal, onProgress });
      } finally {
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
        await fleet.close();
        // What the town got into by itself (a bin outrunning its collections overflows), after the faults.
        observed = sim.observed();
        appendFileSync(groundTruthFile, observed.map((f) => JSON.stringify(f) + '\n').join(''));
      }
      const summary = {
        tenant,
        mode: o.backfill ? 'backfill' : 'live',
        from: new Date(stats.from).toISOString(),
        to: new Date(stats.simulatedTo).toISOString(),
        devices: sim.town.devices.length,
        reports: stats.reports,
        messages: stats.messages,
        readings: stats.readings,
        duplicates: stats.duplicates,
        malformed: stats.malformed,
        elapsedS: Math.round(stats.elapsedMs / 100) / 10,
        readingsPerS: Math.round((stats.readings * 1000) / Math.max(1, stats.elapsedMs)),
        groundTruth: groundTruthFile,
        faults: sim.groundTruth().length,
        observed: observed.length,
      };
      if (!o.json)
        log(
          `Sent ${formatCount(stats.readings)} readings in ${formatCount(stats.messages)} messages in ${formatDuration(stats.elapsedMs)}; faults injected: ${summary.faults}, conditions observed: ${summary.observed} (ground truth: ${groundTruthFile})`,
        );
      printObject(summary, !!o.json);
    });
}
