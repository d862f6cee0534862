import {
  AuthThrottle,
  createRedis,
  InfluxClient,
  influxOptionsOf,
  LorawanUplinkState,
  RedisKeys,
  RedisSpool,
  RegistryRepository,
} from '@vigie/adapters';
import type { VigieEnv } from '@vigie/config';
import { findDeviceKind } from '@vigie/devices';
import { RejectReason } from '@vigie/domain';
import { ingestOptions, LorawanIngestor, ReadingsIngestor, SpoolWriter } from '@vigie/ingest';
import { checkReadiness, Logger, startMetricsServer, VigieMetrics } from '@vigie/observability';
import { createServer as createHttpServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { LISTEN_BACKLOG, VigieBroker } from './vigie-broker';

export type BrokerConfig = Pick<
  VigieEnv,
  | 'INFLUX_URL'
  | 'INFLUX_DB'
  | 'INFLUX_RP'
  | 'INFLUX_TOKEN'
  | 'INFLUX_ORG'
  | 'REDIS_URL'
  | 'REDIS_PREFIX'
  | 'MQTT_HOST'
  | 'MQTT_PORT'
  | 'MQTT_WS_PORT'
  | 'MQTT_MAX_PACKET_BYTES'
  | 'MQTT_CONNECT_TIMEOUT_MS'
  | 'DEVICE_PUBLISH_RATE'
  | 'DEVICE_PUBLISH_BURST'
  | 'ACCOUNT_PUBLISH_RATE'
  | 'AUTH_FAIL_LIMIT'
  | 'AUTH_FAIL_WINDOW_S'
  | 'CREDENTIAL_KEY'
  | 'METRICS_HOST'
  | 'METRICS_PORT'
  | 'INGEST_MAX_READINGS'
  | 'INGEST_MAX_PAST_DAYS'
  | 'INGEST_MAX_FUTURE_S'
  | 'SPOOL_MAX_LINES'
  | 'WRITE_BATCH_LINES'
  | 'WRITE_CONCURRENCY'
  | 'WRITE_LINGER_MS'
  | 'WRITER_ENABLED'
  | 'DEADLETTER_MAX_PER_TENANT'
  | 'ALERT_SAMPLES_MAX'
  | 'INSTANCE_ID'
>;

export const BROKER_CONFIG_KEYS: readonly (keyof BrokerConfig)[] = [
  'INFLUX_URL',
  'INFLUX_DB',
  'INFLUX_RP',
  'INFLUX_TOKEN',
  'INFLUX_ORG',
  'REDIS_URL',
  'REDIS_PREFIX',
  'MQTT_HOST',
  'MQTT_PORT',
  'MQTT_WS_PORT',
  'MQTT_MAX_PACKET_BYTES',
  'MQTT_CONNECT_TIMEOUT_MS',
  'DEVICE_PUBLISH_RATE',
  'DEVICE_PUBLISH_BURST',
  'ACCOUNT_PUBLISH_RATE',
  'AUTH_FAIL_LIMIT',
  'AUTH_FAIL_WINDOW_S',
  'CREDENTIAL_KEY',
  'METRICS_HOST',
  'METRICS_PORT',
  'INGEST_MAX_READINGS',
  'INGEST_MAX_PAST_DAYS',
  'INGEST_MAX_FUTURE_S',
  'SPOOL_MAX_LINES',
  'WRITE_BATCH_LINES',
  'WRITE_CONCURRENCY',
  'WRITE_LINGER_MS',
  'WRITER_ENABLED',
  'DEADLETTER_MAX_PER_TENANT',
  'ALERT_SAMPLES_MAX',
  'INSTANCE_ID',
];

export interface RunningBroker {
  readonly mqttPort: number;
  readonly wsPort?: number;
  readonly metricsPort?: number;
  readonly influxVersion: string;
  stop(): Promise<void>;
}

/**
 * Starts the broker process: Redis (registry, spool, dead letters), InfluxDB (database created if missing),
 * the spool writer, the MQTT listeners and the metrics endpoint. `stop` closes listeners first, lets the
 * writer finish its batch, and leaves unwritten readings in the spool.
 */
export async function startBroker(config: BrokerConfig, logger: Logger): Promise<RunningBroker> {
  const keys = new RedisKeys(config.REDIS_PREFIX);
  const redis = createRedis(config.REDIS_URL, { name: `vigie-broker-${config.INSTANCE_ID}` });
  const readerRedis = createRedis(config.REDIS_URL, {
    name: `vigie-writer-${config.INSTANCE_ID}`,
    blocking: true,
  });
  redis.on('error', (err) => logger.warn({ err: err.message }, 'redis connection error'));
  readerRedis.on('error', (err) => logger.warn({ err: err.message }, 'redis connection error (writer)'));
  const metrics = new VigieMetrics();
  const influx = new InfluxClient(influxOptionsOf(config));
  let influxVersion = 'unreachable';
  try {
    const server = await influx.detect();
    influxVersion = `${server.version} (${server.generation})`;
    await influx.ensureDatabase();
    logger.info(
      {
        influx: config.INFLUX_URL,
        version: server.version,
        generation: server.generation,
        db: config.INFLUX_DB,
      },
      'InfluxDB ready',
    );
  } catch (err) {
    // Not fatal: readings are spooled and written when InfluxDB comes back.
    logger.warn(
      { err: (err as Error).message, influx: config.INFLUX_URL },
      'InfluxDB not reachable at start; readings will wait in the spool',
    );
  }

  const registry = new RegistryRepository(redis, keys, config.CREDENTIAL_KEY, findDeviceKind);
  const spool = new RedisSpool(redis, keys, config.DEADLETTER_MAX_PER_TENANT, config.ALERT_SAMPLES_MAX);
  const readerSpool = new RedisSpool(readerRedis, keys, config.DEADLETTER_MAX_PER_TENANT);
  const formatCounters = new Map<string, ReturnType<typeof metrics.messagesReceived.labels>>();
  const byFormat = (format: string) => {
    let child = formatCounters.get(format);
    if (!child) {
      child = metrics.messagesReceived.labels({ format });
      formatCounters.set(format, child);
    }
    return child;
  };
  const ingestor = new ReadingsIngestor(
    spool,
    {
      // Per-message hot path: label children are looked up once per label value.
      message: (format) => byFormat(format).inc(),
      accepted: (n) => metrics.readingsAccepted.inc(n),
      rejected: (reason: RejectReason, n) => metrics.readingsRejected.inc({ reason }, n),
      deadLettered: () => metrics.deadLetters.inc(),
      committed: () => metrics.spoolAppends.inc(),
    },
    ingestOptions(config),
  );

  const lorawan = new LorawanIngestor(
    ingestor,
    registry,
    new LorawanUplinkState(redis, keys),
    {
      event: (network, event) => metrics.lorawanEvents.inc({ network, event }),
      uplink: (network, outcome) => {
        metrics.lorawanUplinks.inc({ network, outcome });
        if (outcome === 'duplicate') metrics.lorawanDuplicates.inc({ network });
      },
      lost: (network, n) => metrics.lorawanLost.inc({ network }, n),
    },
    findDeviceKind,
  );

  let depth = 0;
  const refreshDepth = async () => {
    depth = await spool.depth();
    metrics.spoolLines.set(depth);
  };
  await refreshDepth();
  const depthTimer = setInterval(() => refreshDepth().catch(() => undefined), 1000);
  depthTimer.unref();

  const writer = config.WRITER_ENABLED
    ? new SpoolWriter(
        readerSpool,
        influx,
        {
          batch: (outcome, lines, seconds) => {
            metrics.writeBatches.inc({ outcome });
            metrics.writeLatency.observe(seconds);
            if (outcome === 'ok') metrics.writeLines.inc(lines);
          },
          depth: (n) => {
            depth = n;
            metrics.spoolLines.set(n);
          },
          warn: (msg, fields) => logger.warn(fields ?? {}, msg),
        },
        {
          consumer: config.INSTANCE_ID,
          batchLines: config.WRITE_BATCH_LINES,
          concurrency: config.WRITE_CONCURRENCY,
          lingerMs: config.WRITE_LINGER_MS,
        },
      )
    : undefined;
  await writer?.start();

  const broker = new VigieBroker(
    {
      host: config.MQTT_HOST,
      port: config.MQTT_PORT,
      maxPacketBytes: config.MQTT_MAX_PACKET_BYTES,
      connectTimeoutMs: config.MQTT_CONNECT_TIMEOUT_MS,
      devicePublishRate: config.DEVICE_PUBLISH_RATE,
      devicePublishBurst: config.DEVICE_PUBLISH_BURST,
      accountPublishRate: config.ACCOUNT_PUBLISH_RATE,
      spoolMaxLines: config.SPOOL_MAX_LINES,
    },
    {
      registry,
      throttle: new AuthThrottle(redis, keys, config.AUTH_FAIL_LIMIT, config.AUTH_FAIL_WINDOW_S),
      ingestor,
      lorawan,
      kinds: findDeviceKind,
      metrics,
      logger,
      spoolDepth: () => depth,
    },
  );
  const mqttPort = await broker.listen();

  let wsServer: Server | undefined;
  let wsPort: number | undefined;
  if (config.MQTT_WS_PORT > 0) {
    const { WebSocketServer, createWebSocketStream } = await import('ws');
    wsServer = createHttpServer();
    const wss = new WebSocketServer({ server: wsServer, maxPayload: config.MQTT_MAX_PACKET_BYTES });
    wss.on('connection', (ws, req) => {
      const stream = Object.assign(createWebSocketStream(ws), { remoteAddress: req.socket.remoteAddress });
      broker.accept(stream);
    });
    await new Promise<void>((resolve) =>
      wsServer?.listen({ port: config.MQTT_WS_PORT, host: config.MQTT_HOST, backlog: LISTEN_BACKLOG }, () =>
        resolve(),
      ),
    );
    wsPort = (wsServer.address() as AddressInfo).port;
  }

  // Ready while Redis (registry, spool) answers; InfluxDB is reported only: the spool rides out its outages.
  const metricsServer = await startMetricsServer(metrics, config.METRICS_HOST, config.METRICS_PORT, () =>
    checkReadiness({ redis: () => redis.ping(), influxdb: () => influx.detect() }, { required: ['redis'] }),
  );
  logger.info(
    { mqttPort, wsPort, metricsPort: metricsServer?.port, instance: config.INSTANCE_ID },
    'Vigie broker listening',
  );

  return {
    mqttPort,
    wsPort,
    metricsPort: metricsServer?.port,
    influxVersion,
    async stop() {
      clearInterval(depthTimer);
      // Listeners stop accepting at once; their close completes when aedes has closed every client.
      const wsClosed = new Promise<void>((resolve) =>
        wsServer ? wsServer.close(() => resolve()) : resolve(),
      );
      await broker.close();
      await wsClosed;
      await writer?.stop();
      await new Promise<void>((resolve) =>
        metricsServer ? metricsServer.server.close(() => resolve()) : resolve(),
      );
      await Promise.all([redis.quit().catch(() => undefined), readerRedis.quit().catch(() => undefined)]);
    },
  };
}
