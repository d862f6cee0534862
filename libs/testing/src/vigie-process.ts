import { ChildProcess, execFile, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..', '..');
const CLI = join(ROOT, 'dist', 'apps', 'cli', 'main.js');

/**
 * The Node flags `npm run vigie` runs the CLI with (package.json's `vigie` script, the one place they are set;
 * the Docker image's entrypoint is checked against it): processes started here run as operators run them.
 */
export const VIGIE_NODE_FLAGS: readonly string[] = (
  JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }
).scripts['vigie']
  .split(/\s+/)
  .filter((arg) => arg.startsWith('--'));

/**
 * Runs `vigie <args>` (the built bundle) with exactly `env` plus PATH; resolves with its output. `timeoutMs`
 * (default 30 s) for long commands (a backfill, an export).
 */
export function runVigie(
  args: string[],
  env: Record<string, string>,
  opts: { timeoutMs?: number } = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [...VIGIE_NODE_FLAGS, CLI, ...args],
      {
        cwd: ROOT,
        env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '/tmp', ...env },
        timeout: opts.timeoutMs ?? 30_000,
        maxBuffer: 64 * 1024 * 1024,
      },
      (err, stdout, stderr) =>
        resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

/** `vigie … --json`, parsed; fails with the command's stderr when it exits non-zero. */
export async function vigieJson<T>(
  args: string[],
  env: Record<string, string>,
  opts: { timeoutMs?: number } = {},
): Promise<T> {
  const r = await runVigie([...args, '--json'], env, opts);
  if (r.code !== 0) throw new Error(`vigie ${args.join(' ')} exited ${r.code}: ${r.stderr}`);
  return JSON.parse(r.stdout) as T;
}

/** A `vigie broker` process started by a test. */
export interface BrokerProcess {
  readonly pid: number;
  readonly mqttPort: number;
  readonly metricsPort: number;
  readonly logs: string[];
  /** Resident memory of the process, in bytes (from /proc). */
  rssBytes(): number;
  isRunning(): boolean;
  metrics(): Promise<string>;
  /** SIGTERM and wait (graceful stop); resolves with the exit code (0 = stopped cleanly). */
  stop(): Promise<number | null>;
  /** SIGKILL and wait (crash). */
  kill(): Promise<number | null>;
}

export async function startBrokerProcess(env: Record<string, string>): Promise<BrokerProcess> {
  const child: ChildProcess = spawn(process.execPath, [...VIGIE_NODE_FLAGS, CLI, 'broker'], {
    cwd: ROOT,
    env: { PATH: process.env['PATH'] ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: string[] = [];
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const ports = await new Promise<{ mqttPort: number; metricsPort: number }>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`broker did not start within 20 s:\n${logs.join('')}`)),
      20_000,
    );
    const onData = (chunk: Buffer) => {
      for (const line of chunk.toString().split('\n')) {
        if (!line) continue;
        logs.push(line);
        if (line.includes('Vigie broker listening')) {
          const parsed = JSON.parse(line) as { mqttPort: number; metricsPort: number };
          clearTimeout(timer);
          resolve({ mqttPort: parsed.mqttPort, metricsPort: parsed.metricsPort });
        }
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (c: Buffer) => logs.push(c.toString()));
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`broker exited with ${code}:\n${logs.join('\n')}`));
    });
  });
  const pid = child.pid as number;
  const signal = async (sig: NodeJS.Signals) => {
    if (child.exitCode === null && child.signalCode === null) child.kill(sig);
    return exited;
  };
  return {
    pid,
    ...ports,
    logs,
    rssBytes() {
      const status = readFileSync(`/proc/${pid}/status`, 'utf8');
      const kb = /VmRSS:\s+(\d+) kB/.exec(status);
      return kb ? Number(kb[1]) * 1024 : 0;
    },
    isRunning: () => child.exitCode === null && child.signalCode === null,
    async metrics() {
      const res = await fetch(`http://127.0.0.1:${ports.metricsPort}/metrics`);
      return res.text();
    },
    stop: () => signal('SIGTERM'),
    kill: () => signal('SIGKILL'),
  };
}

/** The value of one Prometheus sample (`name{labels}`) in a /metrics text, 0 when absent. */
export function metricValue(text: string, sample: string): number {
  for (const line of text.split('\n')) {
    if (line.startsWith(sample + ' ')) return Number(line.slice(sample.length + 1));
  }
  return 0;
}

/** A `vigie api` process started by a test (role from VIGIE_ROLE: all, api or worker). */
export interface ApiProcess {
  readonly pid: number;
  /** Base URL, e.g. http://127.0.0.1:41234 (roles all and api; undefined for a worker). */
  readonly url?: string;
  readonly logs: string[];
  isRunning(): boolean;
  /** SIGTERM and wait (graceful stop); resolves with the exit code (0 = stopped cleanly). */
  stop(): Promise<number | null>;
  kill(): Promise<number | null>;
}

/**
 * Starts `vigie api` with exactly `env` (plus PATH). HTTP_PORT defaults to 0: the process binds a free port and
 * logs it, so tests never race for a port. Resolves once it listens (or, as a worker, has registered its schedules):
 * keep LOG_LEVEL at info or below, the start line is an info log.
 */
export async function startApiProcess(env: Record<string, string>): Promise<ApiProcess> {
  const child: ChildProcess = spawn(process.execPath, [...VIGIE_NODE_FLAGS, CLI, 'api'], {
    cwd: ROOT,
    env: { PATH: process.env['PATH'] ?? '', HTTP_PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: string[] = [];
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const httpPort = await new Promise<number | undefined>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`vigie api did not start within 30 s:\n${logs.join('\n')}`));
    }, 30_000);
    let buffered = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) {
        if (!line) continue;
        logs.push(line);
        if (line.includes('Vigie API listening') || line.includes('Vigie KPI worker started')) {
          clearTimeout(timer);
          const parsed = JSON.parse(line) as { httpPort?: number };
          resolve(parsed.httpPort);
        }
      }
    });
    child.stderr?.on('data', (c: Buffer) => logs.push(c.toString()));
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`vigie api exited with ${code}:\n${logs.join('\n')}`));
    });
  });
  const signal = async (sig: NodeJS.Signals) => {
    if (child.exitCode === null && child.signalCode === null) child.kill(sig);
    return exited;
  };
  return {
    pid: child.pid as number,
    url: httpPort === undefined ? undefined : `http://127.0.0.1:${httpPort}`,
    logs,
    isRunning: () => child.exitCode === null && child.signalCode === null,
    stop: () => signal('SIGTERM'),
    kill: () => signal('SIGKILL'),
  };
}

/** Creates an API key with `vigie apikeys add` (platform-operator without a tenant); resolves with its token. */
export async function createApiKey(
  env: Record<string, string>,
  opts: { readonly role?: string; readonly tenant?: string; readonly name?: string } = {},
): Promise<string> {
  const role = opts.role ?? (opts.tenant === undefined ? 'platform-operator' : 'admin');
  const args = ['apikeys', 'add', '--role', role, '--name', opts.name ?? `test ${role}`];
  if (opts.tenant !== undefined) args.push('--tenant', opts.tenant);
  return (await vigieJson<{ token: string }>(args, env)).token;
}
