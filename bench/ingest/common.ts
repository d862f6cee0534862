/**
 * Shared pieces of the ingest benchmark: the messages between the orchestrator (main.ts) and the load
 * generator (load.ts), /proc sampling, a tiny InfluxDB 1.x query client and statistics helpers.
 */
import { readFileSync } from 'node:fs';

// ---------------------------------------------------------------------------------------------------------------
// Orchestrator <-> load generator (Node IPC channel)

export interface ClientSpec {
  readonly clientId: string;
  readonly username: string;
  readonly password: string;
  /** Fleet mode: the readings topic of the device this connection is. */
  readonly topic?: string;
}

export interface ThroughputStep {
  readonly id: number;
  readonly tenant: string;
  /** Offered rate in MQTT messages per second (all connections together). */
  readonly rateMsgs: number;
  readonly readingsPerMsg: number;
  readonly durationMs: number;
  /** devices[i] = the devices connection i publishes for (round robin). */
  readonly devices: readonly (readonly string[])[];
  /** probes[i] = the latency-probe device of connection i. */
  readonly probes: readonly string[];
  readonly probeIntervalMs: number;
  /** Largest number of unacknowledged QoS 1 publishes per connection. */
  readonly windowPerClient: number;
  /** How long to wait for the last PUBACKs after the publishing phase. */
  readonly ackWaitMs: number;
}

export interface FleetPlan {
  readonly tenant: string;
  readonly msgsPerSecondPerDevice: number;
}

export type LoadCommand =
  | {
      type: 'connect';
      port: number;
      clients: readonly ClientSpec[];
      concurrency: number;
      reconnectPeriodMs: number;
    }
  | { type: 'throughput'; step: ThroughputStep }
  | { type: 'fleetStart'; plan: FleetPlan }
  | { type: 'fleetStats' }
  | { type: 'markRestart' }
  | { type: 'restartProgress' }
  | { type: 'fleetStop'; ackWaitMs: number }
  | { type: 'disconnect' }
  | { type: 'exit' };

export interface LatencySample {
  readonly device: string;
  readonly ts: number;
  readonly pubAt: number;
}

export interface StepReport {
  readonly id: number;
  readonly sentMsgs: number;
  readonly sentReadings: number;
  readonly ackedMsgs: number;
  readonly publishMs: number;
  /** Ticks in which every connection had its window full (the broker was not keeping up). */
  readonly windowFullTicks: number;
  readonly ticks: number;
  readonly tsMin: number;
  readonly tsMax: number;
  readonly samples: readonly LatencySample[];
  readonly errors: number;
  readonly firstError?: string;
}

export interface FleetStats {
  /** Epoch ms of this snapshot. */
  readonly at: number;
  readonly connected: number;
  readonly sentMsgs: number;
  readonly ackedMsgs: number;
  readonly sentReadings: number;
  readonly errors: number;
}

export interface RestartProgress {
  readonly total: number;
  readonly disconnected: number;
  readonly reconnected: number;
  /** Connections that got a PUBACK on their new connection. */
  readonly back: number;
  /** Epoch ms at which each connection came back (PUBACK on its new connection), for the ones that did. */
  readonly backAt: readonly number[];
}

export type LoadEvent =
  | { type: 'ready'; pid: number; nofile: string }
  | { type: 'connected'; ok: number; failed: number; ms: number; firstError?: string }
  | { type: 'published'; id: number }
  /** Latency probes published since the last report; every later probe has ts >= `sentAt`. */
  | { type: 'samples'; id: number; samples: readonly LatencySample[]; sentAt: number }
  | { type: 'stepDone'; report: StepReport }
  | { type: 'fleetStarted' }
  | { type: 'fleetStats'; stats: FleetStats }
  | { type: 'marked'; at: number }
  | { type: 'restartProgress'; progress: RestartProgress }
  | { type: 'fleetStopped'; stats: FleetStats }
  | { type: 'disconnected' }
  | { type: 'error'; message: string };

// ---------------------------------------------------------------------------------------------------------------
// Payloads: Vigie JSON, the measurement and metrics of the energy-meter kind

export const MEASUREMENT = 'energy_meter';

/** One message of `n` readings with timestamps ts0, ts0+1, … (unique per device because ts0 > previous ts). */
export function readingsPayload(ts0: number, n: number): string {
  if (n === 1) return `{"ts":${ts0},"values":{"power_w":${(ts0 % 10000) / 4},"energy_kwh":${ts0 % 1000000}}}`;
  let s = '[';
  for (let i = 0; i < n; i++) {
    const ts = ts0 + i;
    if (i > 0) s += ',';
    s += `{"ts":${ts},"values":{"power_w":${(ts % 10000) / 4},"energy_kwh":${ts % 1000000}}}`;
  }
  return s + ']';
}

// ---------------------------------------------------------------------------------------------------------------
// /proc sampling

export const CLOCK_TICKS = 100; // getconf CLK_TCK on Linux x86-64

/** utime+stime of a process, in clock ticks, or undefined when it is gone. */
export function cpuTicks(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // rest[0] is field 3 (state); utime is field 14, stime field 15.
    return Number(rest[11]) + Number(rest[12]);
  } catch {
    return undefined;
  }
}

/** VmRSS of a process in bytes (0 when gone). */
export function rssBytes(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

/** Busy and total jiffies of the whole machine (all cores), from /proc/stat. */
export function machineTicks(): { busy: number; total: number } {
  const line = readFileSync('/proc/stat', 'utf8').split('\n')[0];
  const v = line.trim().split(/\s+/).slice(1).map(Number);
  const total = v.slice(0, 8).reduce((a, b) => a + b, 0);
  const idle = v[3] + v[4];
  return { busy: total - idle, total };
}

/** TCP listen-queue counters of this network namespace (/proc/net/netstat, TcpExt). */
export function tcpListenCounters(): Record<'ListenOverflows' | 'ListenDrops' | 'SyncookiesSent', number> {
  const out = { ListenOverflows: 0, ListenDrops: 0, SyncookiesSent: 0 };
  try {
    const lines = readFileSync('/proc/net/netstat', 'utf8').split('\n');
    for (let i = 0; i + 1 < lines.length; i += 2) {
      if (!lines[i].startsWith('TcpExt:')) continue;
      const names = lines[i].split(/\s+/).slice(1);
      const values = lines[i + 1].split(/\s+/).slice(1).map(Number);
      for (const key of Object.keys(out) as (keyof typeof out)[]) {
        const k = names.indexOf(key);
        if (k >= 0) out[key] = values[k];
      }
    }
  } catch {
    // not Linux: zeros
  }
  return out;
}

/** CPU of a set of processes over a window, as % of one core. */
export class CpuMeter {
  private readonly start = new Map<string, number>();
  private startAt = 0;
  private startMachine = { busy: 0, total: 0 };

  constructor(private readonly pids: () => Record<string, number | undefined>) {}

  begin(): void {
    this.start.clear();
    this.startAt = performance.now();
    this.startMachine = machineTicks();
    for (const [name, pid] of Object.entries(this.pids())) {
      const t = pid === undefined ? undefined : cpuTicks(pid);
      if (t !== undefined) this.start.set(name, t);
    }
  }

  /** % of one core per process since `begin`, plus `machine` (all processes, % of one core) and `other`. */
  end(): Record<string, number> {
    const seconds = (performance.now() - this.startAt) / 1000;
    const out: Record<string, number> = {};
    let ours = 0;
    for (const [name, pid] of Object.entries(this.pids())) {
      const t0 = this.start.get(name);
      const t1 = pid === undefined ? undefined : cpuTicks(pid);
      if (t0 === undefined || t1 === undefined) continue;
      out[name] = ((t1 - t0) / CLOCK_TICKS / seconds) * 100;
      ours += out[name];
    }
    const m = machineTicks();
    const cores = (m.total - this.startMachine.total) / CLOCK_TICKS / seconds;
    out['machine'] = ((m.busy - this.startMachine.busy) / CLOCK_TICKS / seconds) * 100;
    out['other'] = Math.max(0, out['machine'] - ours);
    out['cores'] = cores;
    return out;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// InfluxDB 1.x over HTTP

export class Influx {
  constructor(
    readonly url: string,
    readonly db: string,
  ) {}

  async query(q: string): Promise<{ columns: string[]; values: unknown[][] }[]> {
    const params = new URLSearchParams({ q, db: this.db, epoch: 'ms' });
    const res = await fetch(`${this.url}/query?${params.toString()}`);
    const body = (await res.json()) as {
      results?: { error?: string; series?: { columns: string[]; values: unknown[][] }[] }[];
      error?: string;
    };
    const err = body.error ?? body.results?.[0]?.error;
    if (err) throw new Error(`InfluxQL error for ${q}: ${err}`);
    return body.results?.[0]?.series ?? [];
  }

  async count(where = ''): Promise<number> {
    const series = await this.query(
      `SELECT count(power_w) FROM ${MEASUREMENT}${where ? ` WHERE ${where}` : ''}`,
    );
    const v = series[0]?.values[0]?.[1];
    return typeof v === 'number' ? v : 0;
  }

  async createDatabase(): Promise<void> {
    const res = await fetch(`${this.url}/query`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ q: `CREATE DATABASE "${this.db}"` }).toString(),
    });
    if (!res.ok) throw new Error(`CREATE DATABASE ${this.db}: HTTP ${res.status}`);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Small helpers

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Nearest-rank percentile of an ascending array (NaN when empty). */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank];
}

export function fmtInt(n: number): string {
  return Number.isFinite(n) ? Math.round(n).toLocaleString('en-US') : 'n/a';
}

export function fmtK(n: number): string {
  if (!Number.isFinite(n)) return 'n/a';
  return n >= 1000 ? `${(n / 1000).toFixed(n >= 100_000 ? 0 : 1)} k` : n.toFixed(0);
}

export function fmtMs(n: number): string {
  return Number.isFinite(n) ? `${Math.round(n)} ms` : 'n/a';
}

export function fmtMB(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(0)} MB`;
}

export function fmtPct(n: number | undefined): string {
  return n === undefined || !Number.isFinite(n) ? 'n/a' : `${n.toFixed(0)} %`;
}
