import { ChildProcess, spawn } from 'node:child_process';
import { accessSync, constants, createWriteStream, mkdirSync, writeFileSync } from 'node:fs';
import { createServer, Socket } from 'node:net';
import { delimiter, join } from 'node:path';

/** A server process Vigie started itself (local stack, test harness). */
export interface LocalService {
  readonly name: string;
  readonly url: string;
  readonly port: number;
  readonly dataDir: string;
  pid(): number | undefined;
  /** Stops the process (SIGTERM, then SIGKILL after 10 s). */
  stop(): Promise<void>;
  /** Starts it again on the same port and data directory. */
  start(): Promise<void>;
}

/** A free TCP port on 127.0.0.1, or `preferred` when it is free. */
export async function freePort(preferred = 0): Promise<number> {
  const tryPort = (port: number) =>
    new Promise<number>((resolve, reject) => {
      const srv = createServer();
      srv.once('error', reject);
      srv.listen(port, '127.0.0.1', () => {
        const p = (srv.address() as { port: number }).port;
        srv.close(() => resolve(p));
      });
    });
  if (preferred > 0) {
    try {
      return await tryPort(preferred);
    } catch {
      // taken: any free port will do
    }
  }
  return tryPort(0);
}

/** Full path of a program on PATH (or in the usual sbin folders), if installed. */
export function findExecutable(name: string): string | undefined {
  const dirs = [
    ...(process.env['PATH'] ?? '').split(delimiter),
    '/usr/sbin',
    '/usr/bin',
    '/usr/local/bin',
    '/sbin',
  ];
  for (const dir of dirs) {
    if (!dir) continue;
    const file = join(dir, name);
    try {
      accessSync(file, constants.X_OK);
      return file;
    } catch {
      // not here
    }
  }
  return undefined;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Services started by this process: never left running when it exits, whatever the way. */
const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const proc of running) proc.kill('SIGTERM');
});

async function waitFor(
  check: () => Promise<boolean>,
  what: string,
  timeoutMs: number,
  proc: () => ChildProcess | undefined,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const p = proc();
    if (p && p.exitCode !== null) throw new Error(`${what} exited with code ${p.exitCode} while starting`);
    if (await check().catch(() => false)) return;
    await sleep(100);
  }
  throw new Error(`${what} did not become ready within ${timeoutMs / 1000} s`);
}

class ProcessService implements LocalService {
  private proc?: ChildProcess;

  constructor(
    readonly name: string,
    readonly url: string,
    readonly port: number,
    readonly dataDir: string,
    private readonly command: string,
    private readonly args: string[],
    private readonly ready: () => Promise<boolean>,
    private readonly logFile: string,
  ) {}

  pid(): number | undefined {
    return this.proc?.pid;
  }

  async start(): Promise<void> {
    const log = createWriteStream(this.logFile, { flags: 'a' });
    // Its own process group: a Ctrl-C in the terminal reaches only Vigie, which stops the broker first (so it
    // can finish its writes) and then the services, in order.
    const proc = spawn(this.command, this.args, { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    running.add(proc);
    proc.once('exit', () => running.delete(proc));
    proc.stdout?.pipe(log);
    proc.stderr?.pipe(log);
    this.proc = proc;
    await waitFor(
      this.ready,
      `${this.name} (${this.command}, log: ${this.logFile})`,
      30_000,
      () => this.proc,
    );
  }

  async stop(): Promise<void> {
    const proc = this.proc;
    if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
    proc.kill('SIGTERM');
    const timer = setTimeout(() => proc.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  }
}

/** Starts Debian's `influxd` (1.x) on `port` (0 = free) with its data under `dataDir`. */
export async function startInfluxd(opts: {
  dataDir: string;
  port?: number;
  /** `[http] auth-enabled`: every request needs credentials once an admin user exists. */
  authEnabled?: boolean;
}): Promise<LocalService> {
  const bin = findExecutable('influxd');
  if (!bin) throw new Error("influxd is not installed: run 'sudo apt-get install -y influxdb'");
  mkdirSync(opts.dataDir, { recursive: true });
  const port = await freePort(opts.port ?? 0);
  const rpcPort = await freePort(0);
  const conf = join(opts.dataDir, 'influxdb.conf');
  writeFileSync(
    conf,
    [
      'reporting-disabled = true',
      `bind-address = "127.0.0.1:${rpcPort}"`,
      '[meta]',
      `  dir = "${join(opts.dataDir, 'meta')}"`,
      '[data]',
      `  dir = "${join(opts.dataDir, 'data')}"`,
      `  wal-dir = "${join(opts.dataDir, 'wal')}"`,
      '  query-log-enabled = false',
      '[http]',
      `  bind-address = "127.0.0.1:${port}"`,
      '  log-enabled = false',
      '  max-body-size = 0',
      `  auth-enabled = ${opts.authEnabled === true}`,
      '[monitor]',
      '  store-enabled = false',
      '[subscriber]',
      '  enabled = false',
      '[logging]',
      '  level = "warn"',
      '',
    ].join('\n'),
  );
  const url = `http://127.0.0.1:${port}`;
  const service = new ProcessService(
    'InfluxDB',
    url,
    port,
    opts.dataDir,
    bin,
    ['-config', conf],
    async () => (await fetch(`${url}/ping`)).status === 204,
    join(opts.dataDir, 'influxd.log'),
  );
  await service.start();
  return service;
}

function redisPing(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = new Socket();
    s.setTimeout(500);
    s.once('error', () => resolve(false));
    s.once('timeout', () => {
      s.destroy();
      resolve(false);
    });
    s.connect(port, '127.0.0.1', () => s.write('PING\r\n'));
    s.once('data', (d) => {
      s.destroy();
      resolve(d.toString().startsWith('+PONG'));
    });
  });
}

/** Starts Debian's `redis-server` on `port` (0 = free), AOF on, `noeviction` (what BullMQ and the spool need). */
export async function startRedis(opts: {
  dataDir: string;
  port?: number;
  appendOnly?: boolean;
  /** AOF fsync policy: `everysec` (default) or `always` (every write on disk before Redis answers). */
  appendFsync?: 'everysec' | 'always';
}): Promise<LocalService> {
  const bin = findExecutable('redis-server');
  if (!bin) throw new Error("redis-server is not installed: run 'sudo apt-get install -y redis-server'");
  mkdirSync(opts.dataDir, { recursive: true });
  const port = await freePort(opts.port ?? 0);
  const args = [
    '--port',
    String(port),
    '--bind',
    '127.0.0.1',
    '--dir',
    opts.dataDir,
    '--save',
    '',
    '--appendonly',
    opts.appendOnly === false ? 'no' : 'yes',
    '--appendfsync',
    opts.appendFsync ?? 'everysec',
    '--maxmemory-policy',
    'noeviction',
    '--daemonize',
    'no',
    '--logfile',
    '',
  ];
  const service = new ProcessService(
    'Redis',
    `redis://127.0.0.1:${port}`,
    port,
    opts.dataDir,
    bin,
    args,
    () => redisPing(port),
    join(opts.dataDir, 'redis.log'),
  );
  await service.start();
  return service;
}
