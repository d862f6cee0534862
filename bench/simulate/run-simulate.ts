import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '..', '..', '..');
const CLI = join(ROOT, 'dist', 'apps', 'cli', 'main.js');

/** What `vigie simulate --json` prints at the end. */
export interface SimulateSummary {
  readonly tenant: string;
  readonly devices: number;
  readonly reports: number;
  readonly messages: number;
  readonly readings: number;
  readonly duplicates: number;
  readonly malformed: number;
  readonly faults: number;
}

/**
 * Runs `vigie simulate <args> --json` (the built bundle) as a separate process with exactly `env` plus PATH, its
 * progress on this process's stderr; `done` resolves with its summary. Every benchmark that backfills a town
 * through the broker starts it here.
 */
export function runSimulate(
  args: string[],
  env: Record<string, string>,
): Promise<{ pid: number; done: Promise<SimulateSummary> }> {
  const child = spawn(process.execPath, [CLI, 'simulate', ...args, '--json'], {
    cwd: ROOT,
    env: { PATH: process.env['PATH'] ?? '', ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout?.on('data', (c: Buffer) => (out += c.toString()));
  const done = new Promise<SimulateSummary>((resolvePromise, reject) =>
    child.once('exit', (code) =>
      code === 0
        ? resolvePromise(JSON.parse(out) as SimulateSummary)
        : reject(new Error(`vigie simulate exited ${code}`)),
    ),
  );
  return Promise.resolve({ pid: child.pid as number, done });
}

/**
 * The environment of the Vigie processes (broker, api, simulate) of one benchmark run: its own InfluxDB database
 * and Redis prefix named `name`, free ports, history of any age accepted, info logs (the processes log their ports
 * at info), plus `extra`.
 */
export function benchEnv(
  name: string,
  services: { influxUrl: string; redisUrl: string },
  extra: Record<string, string> = {},
): Record<string, string> {
  return {
    INFLUX_URL: services.influxUrl,
    INFLUX_DB: name,
    REDIS_URL: services.redisUrl,
    REDIS_PREFIX: `${name}:`,
    CREDENTIAL_KEY: randomBytes(32).toString('hex'),
    MQTT_HOST: '127.0.0.1',
    MQTT_PORT: '0',
    METRICS_PORT: '0',
    INSTANCE_ID: name,
    INGEST_MAX_PAST_DAYS: '3650',
    LOG_LEVEL: 'info',
    ...extra,
  };
}
