/**
 * The load generator of the ingest benchmark: a separate process (so its CPU is measured apart from the
 * broker's) driven by main.ts over the Node IPC channel. It holds many MQTT.js connections and publishes QoS 1
 * Vigie JSON readings, either
 *  - throughput steps: a fixed offered rate spread round-robin over the connections and their devices, each
 *    connection limited to a window of unacknowledged publishes, with latency probes (one message every
 *    `probeIntervalMs` per connection goes to that connection's probe device, and its publish time is recorded);
 *  - fleet mode: one connection per device, each publishing its own readings at a fixed rate, with tracking of
 *    disconnection, reconnection and first PUBACK after a broker restart.
 * Every reading of a device has a unique timestamp (ts = max(now, previous + 1)), so each is a distinct point.
 */
import { connect, IClientOptions, MqttClient } from 'mqtt';
import { readFileSync } from 'node:fs';
import {
  ClientSpec,
  FleetPlan,
  FleetStats,
  LatencySample,
  LoadCommand,
  LoadEvent,
  readingsPayload,
  RestartProgress,
  sleep,
  ThroughputStep,
} from './common';

interface Conn {
  readonly spec: ClientSpec;
  readonly client: MqttClient;
  inflight: number;
  // fleet mode
  topic?: string;
  lastTs: number;
  phase: 'up' | 'down' | 'reconnected' | 'back';
  backAt: number;
}

let conns: Conn[] = [];
/** Last timestamp used per device (throughput mode), kept across steps. */
const lastTs = new Map<string, number>();
let globalMaxTs = 0;
let markAt = 0;
const fleet = { sentMsgs: 0, ackedMsgs: 0, errors: 0, running: false };

function send(ev: LoadEvent): void {
  process.send?.(ev);
}

function nextTs(device: string, n: number, floor: number): number {
  const ts = Math.max(Date.now(), (lastTs.get(device) ?? 0) + 1, floor);
  lastTs.set(device, ts + n - 1);
  if (ts + n - 1 > globalMaxTs) globalMaxTs = ts + n - 1;
  return ts;
}

async function connectAll(
  port: number,
  specs: readonly ClientSpec[],
  concurrency: number,
  reconnectPeriodMs: number,
): Promise<void> {
  const started = Date.now();
  let ok = 0;
  let failed = 0;
  let firstError: string | undefined;
  let next = 0;
  const worker = async () => {
    while (next < specs.length) {
      const spec = specs[next++];
      const opts: IClientOptions = {
        host: '127.0.0.1',
        port,
        clientId: spec.clientId,
        username: spec.username,
        password: spec.password,
        protocolVersion: 4,
        clean: true,
        keepalive: 60,
        reconnectPeriod: reconnectPeriodMs,
        connectTimeout: 30_000,
      };
      const client = connect(opts);
      const conn: Conn = { spec, client, inflight: 0, topic: spec.topic, lastTs: 0, phase: 'up', backAt: 0 };
      client.on('error', (err) => {
        if (!firstError) firstError = err.message;
      });
      client.on('close', () => {
        if (markAt > 0 && conn.phase === 'up') conn.phase = 'down';
      });
      client.on('connect', () => {
        if (markAt > 0 && conn.phase === 'down') conn.phase = 'reconnected';
      });
      const result = await new Promise<boolean>((resolve) => {
        const timer = setTimeout(() => resolve(false), 30_000);
        client.once('connect', () => {
          clearTimeout(timer);
          resolve(true);
        });
      });
      if (result) ok++;
      else {
        failed++;
        client.end(true);
        continue;
      }
      conns.push(conn);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, concurrency) }, () => worker()));
  send({ type: 'connected', ok, failed, ms: Date.now() - started, firstError });
}

async function runStep(step: ThroughputStep): Promise<void> {
  const n = step.readingsPerMsg;
  const total = Math.round((step.rateMsgs * step.durationMs) / 1000);
  const floor = globalMaxTs + 1;
  const samples: LatencySample[] = [];
  let tsMin = Number.POSITIVE_INFINITY;
  let sent = 0;
  let acked = 0;
  let errors = 0;
  let firstError: string | undefined;
  let windowFullTicks = 0;
  let ticks = 0;
  const cursor = conns.map(() => 0);
  const lastProbe = conns.map(() => 0);
  const topics = step.devices.map((list, i) =>
    list
      .map((d) => `vigie/${step.tenant}/devices/${d}/readings`)
      .concat(`vigie/${step.tenant}/devices/${step.probes[i]}/readings`),
  );
  let rr = 0;

  const publishOne = (ci: number, now: number) => {
    const conn = conns[ci];
    const list = step.devices[ci];
    let device: string;
    let topic: string;
    let probe = false;
    if (now - lastProbe[ci] >= step.probeIntervalMs) {
      lastProbe[ci] = now;
      device = step.probes[ci];
      topic = topics[ci][list.length];
      probe = true;
    } else {
      const k = cursor[ci];
      cursor[ci] = (k + 1) % list.length;
      device = list[k];
      topic = topics[ci][k];
    }
    const ts = nextTs(device, n, floor);
    if (ts < tsMin) tsMin = ts;
    if (probe) samples.push({ device, ts, pubAt: Date.now() });
    conn.inflight++;
    sent++;
    conn.client.publish(topic, readingsPayload(ts, n), { qos: 1 }, (err) => {
      conn.inflight--;
      if (err) {
        errors++;
        if (!firstError) firstError = err.message;
      } else acked++;
    });
  };

  let reported = 0;
  const report = () => {
    const sentAt = Date.now();
    send({ type: 'samples', id: step.id, samples: samples.slice(reported), sentAt });
    reported = samples.length;
  };
  const reporter = setInterval(report, 200);
  const start = performance.now();
  await new Promise<void>((resolve) => {
    const tick = () => {
      const elapsed = performance.now() - start;
      if (elapsed >= step.durationMs) {
        resolve();
        return;
      }
      ticks++;
      let due = Math.min(total, Math.floor((step.rateMsgs * elapsed) / 1000)) - sent;
      const now = Date.now();
      let stalls = 0;
      while (due > 0 && stalls < conns.length) {
        const ci = rr;
        rr = (rr + 1) % conns.length;
        if (conns[ci].inflight >= step.windowPerClient || !conns[ci].client.connected) {
          stalls++;
          continue;
        }
        stalls = 0;
        publishOne(ci, now);
        due--;
      }
      if (due > 0) windowFullTicks++;
      setTimeout(tick, 1);
    };
    tick();
  });
  const publishMs = performance.now() - start;
  clearInterval(reporter);
  report();
  send({ type: 'published', id: step.id });
  const deadline = Date.now() + step.ackWaitMs;
  while (acked + errors < sent && Date.now() < deadline) await sleep(20);
  send({
    type: 'stepDone',
    report: {
      id: step.id,
      sentMsgs: sent,
      sentReadings: sent * n,
      ackedMsgs: acked,
      publishMs,
      windowFullTicks,
      ticks,
      tsMin: Number.isFinite(tsMin) ? tsMin : 0,
      tsMax: globalMaxTs,
      samples,
      errors,
      firstError,
    },
  });
}

function fleetStats(): FleetStats {
  return {
    at: Date.now(),
    connected: conns.filter((c) => c.client.connected).length,
    sentMsgs: fleet.sentMsgs,
    ackedMsgs: fleet.ackedMsgs,
    sentReadings: fleet.sentMsgs,
    errors: fleet.errors,
  };
}

let fleetTimer: NodeJS.Timeout | undefined;

function fleetStart(plan: FleetPlan): void {
  fleet.running = true;
  fleet.sentMsgs = 0;
  fleet.ackedMsgs = 0;
  fleet.errors = 0;
  const publishers: { publish: () => void; nextAt: number }[] = [];
  const periodMs = 1000 / plan.msgsPerSecondPerDevice;
  for (const conn of conns) {
    const publish = () => {
      if (!fleet.running || !conn.topic) return;
      const ts = Math.max(Date.now(), conn.lastTs + 1);
      conn.lastTs = ts;
      fleet.sentMsgs++;
      conn.client.publish(conn.topic, readingsPayload(ts, 1), { qos: 1 }, (err) => {
        if (err) {
          fleet.errors++;
          return;
        }
        fleet.ackedMsgs++;
        if (conn.phase === 'reconnected') {
          conn.phase = 'back';
          conn.backAt = Date.now();
        }
      });
    };
    publishers.push({ publish, nextAt: performance.now() + Math.random() * periodMs });
  }
  // One scheduler with absolute due times (5,000 setIntervals would drift by the event-loop lag).
  fleetTimer = setInterval(() => {
    const now = performance.now();
    for (const p of publishers) {
      // Catch up at most 2 periods late; further behind, the loader is saturated and says so by its rate.
      if (p.nextAt < now - 2 * periodMs) p.nextAt = now - 2 * periodMs;
      while (p.nextAt <= now) {
        p.publish();
        p.nextAt += periodMs;
      }
    }
  }, 5);
  send({ type: 'fleetStarted' });
}

async function fleetStop(ackWaitMs: number): Promise<void> {
  fleet.running = false;
  if (fleetTimer) clearInterval(fleetTimer);
  const deadline = Date.now() + ackWaitMs;
  while (fleet.ackedMsgs + fleet.errors < fleet.sentMsgs && Date.now() < deadline) await sleep(50);
  send({ type: 'fleetStopped', stats: fleetStats() });
}

function restartProgress(): RestartProgress {
  let disconnected = 0;
  let reconnected = 0;
  let back = 0;
  const backAt: number[] = [];
  for (const c of conns) {
    if (c.phase !== 'up') disconnected++;
    if (c.phase === 'reconnected' || c.phase === 'back') reconnected++;
    if (c.phase === 'back') {
      back++;
      backAt.push(c.backAt);
    }
  }
  return { total: conns.length, disconnected, reconnected, back, backAt };
}

async function disconnectAll(): Promise<void> {
  const all = conns;
  conns = [];
  markAt = 0;
  await Promise.all(all.map((c) => new Promise<void>((resolve) => c.client.end(true, {}, () => resolve()))));
  send({ type: 'disconnected' });
}

process.on('message', (raw: unknown) => {
  const cmd = raw as LoadCommand;
  const fail = (err: Error) => send({ type: 'error', message: `${cmd.type}: ${err.message}` });
  switch (cmd.type) {
    case 'connect':
      connectAll(cmd.port, cmd.clients, cmd.concurrency, cmd.reconnectPeriodMs).catch(fail);
      break;
    case 'throughput':
      runStep(cmd.step).catch(fail);
      break;
    case 'fleetStart':
      fleetStart(cmd.plan);
      break;
    case 'fleetStats':
      send({ type: 'fleetStats', stats: fleetStats() });
      break;
    case 'markRestart':
      markAt = Date.now();
      for (const c of conns) c.phase = 'up';
      send({ type: 'marked', at: markAt });
      break;
    case 'restartProgress':
      send({ type: 'restartProgress', progress: restartProgress() });
      break;
    case 'fleetStop':
      fleetStop(cmd.ackWaitMs).catch(fail);
      break;
    case 'disconnect':
      disconnectAll().catch(fail);
      break;
    case 'exit':
      for (const c of conns) c.client.end(true);
      process.exit(0);
  }
});

// The orchestrator going away must not leave us running.
process.on('disconnect', () => process.exit(0));

const limits = readFileSync('/proc/self/limits', 'utf8');
const nofile = /Max open files\s+(\S+)\s+(\S+)/.exec(limits);
send({ type: 'ready', pid: process.pid, nofile: nofile ? `${nofile[1]} (hard ${nofile[2]})` : 'unknown' });
