import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { Readiness } from './readiness';

/** Every counter and gauge Vigie exposes in Prometheus format. One instance per process. */
export class VigieMetrics {
  readonly registry = new Registry();
  readonly clientsConnected = new Gauge({
    name: 'vigie_mqtt_clients_connected',
    help: 'MQTT clients connected to this broker',
    registers: [this.registry],
  });
  readonly connectionsRefused = new Counter({
    name: 'vigie_mqtt_connections_refused_total',
    help: 'MQTT connections refused or closed by the broker, by reason',
    labelNames: ['reason'],
    registers: [this.registry],
  });
  readonly publishesDenied = new Counter({
    name: 'vigie_mqtt_publish_denied_total',
    help: 'PUBLISH or SUBSCRIBE refused by the topic ACL',
    labelNames: ['action'],
    registers: [this.registry],
  });
  readonly messagesReceived = new Counter({
    name: 'vigie_ingest_messages_total',
    help: 'Readings messages received, by payload format',
    labelNames: ['format'],
    registers: [this.registry],
  });
  readonly readingsAccepted = new Counter({
    name: 'vigie_readings_accepted_total',
    help: 'Readings accepted and spooled',
    registers: [this.registry],
  });
  readonly readingsRejected = new Counter({
    name: 'vigie_readings_rejected_total',
    help: 'Payloads or readings refused, by reason',
    labelNames: ['reason'],
    registers: [this.registry],
  });
  readonly deadLetters = new Counter({
    name: 'vigie_dead_letters_total',
    help: 'Dead-letter entries written',
    registers: [this.registry],
  });
  readonly lorawanEvents = new Counter({
    name: 'vigie_lorawan_events_total',
    help: 'Messages from LoRaWAN network servers, by network and event (up, status, join …; only up is stored)',
    labelNames: ['network', 'event'],
    registers: [this.registry],
  });
  readonly lorawanUplinks = new Counter({
    name: 'vigie_lorawan_uplinks_total',
    help: 'LoRaWAN uplinks, by network and outcome (stored, refused, duplicate)',
    labelNames: ['network', 'outcome'],
    registers: [this.registry],
  });
  readonly lorawanDuplicates = new Counter({
    name: 'vigie_lorawan_duplicate_uplinks_total',
    help: 'LoRaWAN uplinks received again (same deduplication id) and not stored twice',
    labelNames: ['network'],
    registers: [this.registry],
  });
  readonly lorawanLost = new Counter({
    name: 'vigie_lorawan_lost_uplinks_total',
    help: 'LoRaWAN uplinks never received, from gaps in the devices’ frame counters (fCnt)',
    labelNames: ['network'],
    registers: [this.registry],
  });
  readonly spoolAppends = new Counter({
    name: 'vigie_spool_appends_total',
    help: 'Group commits to the durable spool',
    registers: [this.registry],
  });
  readonly spoolLines = new Gauge({
    name: 'vigie_spool_lines',
    help: 'Lines (points) in the spool not yet written to InfluxDB',
    registers: [this.registry],
  });
  readonly writeBatches = new Counter({
    name: 'vigie_influx_write_batches_total',
    help: 'InfluxDB write batches, by outcome',
    labelNames: ['outcome'],
    registers: [this.registry],
  });
  readonly writeLines = new Counter({
    name: 'vigie_influx_written_lines_total',
    help: 'Lines written to InfluxDB',
    registers: [this.registry],
  });
  readonly writeLatency = new Histogram({
    name: 'vigie_influx_write_duration_seconds',
    help: 'Duration of InfluxDB write requests',
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });

  constructor(withDefaults = true) {
    if (withDefaults) collectDefaultMetrics({ register: this.registry, prefix: 'vigie_' });
  }
}

/**
 * The metrics of a `vigie api` process (any role): HTTP requests by route pattern, BullMQ jobs by queue, name and
 * outcome, and the queues' job counts (collected at each scrape by `collectQueues`).
 */
export class ApiMetrics {
  readonly registry = new Registry();
  readonly httpRequests = new Histogram({
    name: 'vigie_http_request_duration_seconds',
    help: 'HTTP requests served, by method, route pattern and status',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });
  readonly jobs = new Counter({
    name: 'vigie_jobs_total',
    help: 'BullMQ jobs run by this process, by queue, job name and outcome (completed, failed)',
    labelNames: ['queue', 'name', 'outcome'],
    registers: [this.registry],
  });
  readonly jobDuration = new Histogram({
    name: 'vigie_job_duration_seconds',
    help: 'Duration of the BullMQ jobs run by this process, by queue and job name',
    labelNames: ['queue', 'name'],
    buckets: [0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30, 60, 300, 900],
    registers: [this.registry],
  });
  /** Set by the app: the job counts of its queues ({queue: {waiting: n, active: n, …}}), read at each scrape. */
  collectQueues?: () => Promise<Record<string, Record<string, number>>>;

  constructor(withDefaults = true) {
    if (withDefaults) collectDefaultMetrics({ register: this.registry, prefix: 'vigie_' });
    const queuesOf = () => this.collectQueues?.();
    new Gauge({
      name: 'vigie_queue_jobs',
      help: 'Jobs in each BullMQ queue, by state (shared by every process on the queue)',
      labelNames: ['queue', 'state'],
      registers: [this.registry],
      async collect() {
        this.reset();
        for (const [queue, counts] of Object.entries((await queuesOf()) ?? {}))
          for (const [state, n] of Object.entries(counts)) this.set({ queue, state }, n);
      },
    });
  }

  /** Runs one job, counting its outcome and duration. */
  async observeJob<T>(queue: string, name: string, run: () => Promise<T>): Promise<T> {
    const end = this.jobDuration.startTimer({ queue, name });
    try {
      const result = await run();
      this.jobs.inc({ queue, name, outcome: 'completed' });
      return result;
    } catch (err) {
      this.jobs.inc({ queue, name, outcome: 'failed' });
      throw err;
    } finally {
      end();
    }
  }
}

/**
 * Serves `/metrics` (Prometheus text), `/healthz` (liveness: the process answers) and, given `ready`, `/readyz`
 * (200 or 503 with each dependency's state as JSON). Port 0 picks a free port.
 */
export async function startMetricsServer(
  metrics: { readonly registry: Registry },
  host: string,
  port: number,
  ready?: () => Promise<Readiness>,
): Promise<{ server: Server; port: number }> {
  const server = createServer((req, res) => {
    if (req.url === '/metrics') {
      metrics.registry.metrics().then(
        (text) => {
          res.writeHead(200, { 'content-type': metrics.registry.contentType });
          res.end(text);
        },
        (err: Error) => {
          res.writeHead(500);
          res.end(err.message);
        },
      );
    } else if (req.url === '/healthz') {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end('ok\n');
    } else if (req.url === '/readyz' && ready) {
      ready().then(
        (r) => {
          res.writeHead(r.ready ? 200 : 503, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ status: r.ready ? 'ready' : 'not_ready', checks: r.checks }));
        },
        (err: Error) => {
          res.writeHead(503, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ status: 'not_ready', error: err.message }));
        },
      );
    } else {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end(`not found: try /metrics, /healthz${ready ? ' or /readyz' : ''}\n`);
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  return { server, port: (server.address() as AddressInfo).port };
}
