/**
 * The naive baseline the benchmark compares Vigie with (the "naive pipeline" of docs/toolchain.md): aedes on a
 * plain TCP server, an in-process subscriber on the readings topics that turns each Vigie JSON message into line
 * protocol and appends it to an in-memory buffer, and one InfluxDB `/write?precision=ms` in flight at a time
 * taking up to BATCH_LINES lines from the head of the buffer. No authentication, no validation beyond JSON
 * parsing, no durability: aedes acknowledges QoS 1 before the subscriber even sees the message, and a crash
 * loses the buffer.
 *
 * Environment: INFLUX_URL, INFLUX_DB, MQTT_PORT (0 = free port), BATCH_LINES (default 5000).
 * Prints one JSON line {"msg":"baseline listening","mqttPort":…} once ready; SIGTERM flushes and exits.
 */
import type { Aedes } from 'aedes';
import { createServer, Server, Socket } from 'node:net';
import { AddressInfo } from 'node:net';

const INFLUX_URL = process.env['INFLUX_URL'] ?? 'http://127.0.0.1:8086';
const INFLUX_DB = process.env['INFLUX_DB'] ?? 'baseline';
const MQTT_PORT = Number(process.env['MQTT_PORT'] ?? '0');
const BATCH_LINES = Number(process.env['BATCH_LINES'] ?? '5000');
/** `off`: bare aedes, no subscriber and no InfluxDB writes (the floor cost of the MQTT layer alone). */
const INGEST = process.env['BASELINE_INGEST'] !== 'off';
const WRITE_URL = `${INFLUX_URL}/write?db=${encodeURIComponent(INFLUX_DB)}&precision=ms`;

interface ReadingObject {
  ts?: number;
  values?: Record<string, number | boolean>;
}

let pending: string[] = [];
let inFlight = false;
let written = 0;
let failures = 0;

function log(fields: Record<string, unknown>): void {
  process.stdout.write(JSON.stringify({ time: Date.now(), ...fields }) + '\n');
}

function toLines(topic: string, payload: Buffer): string[] {
  // vigie/<tenant>/devices/<device>/readings
  const parts = topic.split('/');
  const tags = `energy_meter,device=${parts[3]},tenant=${parts[1]}`;
  let doc: unknown;
  try {
    doc = JSON.parse(payload.toString('utf8'));
  } catch {
    return [];
  }
  const objects = (Array.isArray(doc) ? doc : [doc]) as ReadingObject[];
  const lines: string[] = [];
  for (const o of objects) {
    if (!o || typeof o !== 'object' || !o.values) continue;
    const fields = Object.entries(o.values)
      .map(([k, v]) => `${k}=${String(v)}`)
      .join(',');
    lines.push(`${tags} ${fields} ${o.ts ?? Date.now()}`);
  }
  return lines;
}

function flush(): void {
  if (inFlight || pending.length === 0) return;
  inFlight = true;
  // Naive on purpose: the head of the buffer is spliced off (the rest is re-copied) at every flush.
  const batch = pending.splice(0, BATCH_LINES);
  fetch(WRITE_URL, { method: 'POST', body: batch.join('\n'), headers: { 'content-type': 'text/plain' } })
    .then(async (res) => {
      await res.arrayBuffer();
      if (res.status !== 204) throw new Error(`HTTP ${res.status}`);
      written += batch.length;
    })
    .catch((err: Error) => {
      // Keep the lines (in memory only) and try again.
      failures++;
      if (failures <= 5) log({ level: 'warn', msg: 'write failed; retrying', err: err.message });
      pending = batch.concat(pending);
      return new Promise((r) => setTimeout(r, 100));
    })
    .finally(() => {
      inFlight = false;
      flush();
    });
}

async function createDatabase(): Promise<void> {
  const res = await fetch(`${INFLUX_URL}/query`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ q: `CREATE DATABASE "${INFLUX_DB}"` }).toString(),
  });
  if (!res.ok) throw new Error(`CREATE DATABASE: HTTP ${res.status}`);
}

/** The in-process subscriber: every readings message becomes line protocol in the write buffer. */
function subscribe(broker: Aedes): Promise<void> {
  return new Promise<void>((resolve) =>
    broker.subscribe(
      'vigie/+/devices/+/readings',
      (packet, cb) => {
        const lines = toLines(packet.topic, packet.payload as Buffer);
        for (const l of lines) pending.push(l);
        flush();
        cb();
      },
      () => resolve(),
    ),
  );
}

async function main(): Promise<void> {
  await createDatabase();
  const { Aedes } = await import('aedes');
  const broker = await Aedes.createBroker();
  if (INGEST) await subscribe(broker);
  const server: Server = createServer((socket: Socket) => {
    socket.setNoDelay(true);
    socket.on('error', () => undefined);
    broker.handle(socket);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(MQTT_PORT, '127.0.0.1', () => resolve());
  });
  log({ msg: 'baseline listening', mqttPort: (server.address() as AddressInfo).port });

  let stopping = false;
  process.on('SIGTERM', () => {
    if (stopping) return;
    stopping = true;
    server.close();
    broker.close(() => {
      const waitForBuffer = async () => {
        const deadline = Date.now() + 10_000;
        while ((pending.length > 0 || inFlight) && Date.now() < deadline)
          await new Promise((r) => setTimeout(r, 50));
        log({ msg: 'baseline stopped', written, unwritten: pending.length });
        process.exit(0);
      };
      void waitForBuffer();
    });
  });
}

main().catch((err: Error) => {
  log({ level: 'error', msg: 'baseline failed', err: err.message });
  process.exit(1);
});
