import { Global, Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import {
  AlertRepository,
  ApiKeyRepository,
  AuditLogRepository,
  createRedis,
  InfluxClient,
  influxOptionsOf,
  Redis,
  RedisKeys,
  RegistryRepository,
} from '@vigie/adapters';
import { ApiKeysService, ReadingsQuery, RegistryService } from '@vigie/admin';
import { ApiConfig } from '@vigie/config';
import { findDeviceKind } from '@vigie/devices';
import { KPI_INFLUX_TIMEOUT_MS, KpiEngine, KpiPointsReader } from '@vigie/kpi';
import type { Logger } from 'pino';
import { ApiMetrics } from '@vigie/observability';
import {
  ALERT_REPOSITORY,
  API_CONFIG,
  API_KEYS,
  API_KEYS_SERVICE,
  API_METRICS,
  AUDIT_LOG,
  INFLUX,
  KPI_ENGINE,
  KPI_POINTS_READER,
  LOGGER,
  READINGS_QUERY,
  REDIS,
  REGISTRY,
  REGISTRY_SERVICE,
} from './platform.tokens';

/** Closes the shared Redis connection last, after the queues and workers have closed theirs. */
class RedisCloser implements OnApplicationShutdown {
  constructor(@Inject(REDIS) private readonly redis: Redis) {}

  async onApplicationShutdown(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}

/**
 * The outside world, once per process: the validated config, Redis and the registry, InfluxDB, the KPI engine.
 * Global, so the capability modules inject these without importing each other.
 */
@Global()
@Module({})
export class PlatformModule {
  static forConfig(config: ApiConfig, logger: Logger) {
    return {
      module: PlatformModule,
      providers: [
        { provide: API_CONFIG, useValue: config },
        { provide: LOGGER, useValue: logger },
        { provide: API_METRICS, useFactory: () => new ApiMetrics() },
        {
          provide: REDIS,
          useFactory: () => {
            const redis = createRedis(config.REDIS_URL, { name: 'vigie-api' });
            redis.on('error', (err: Error) => logger.warn({ err: err.message }, 'Redis connection error'));
            return redis;
          },
        },
        {
          provide: REGISTRY,
          inject: [REDIS],
          useFactory: (redis: Redis) =>
            new RegistryRepository(
              redis,
              new RedisKeys(config.REDIS_PREFIX),
              config.CREDENTIAL_KEY,
              findDeviceKind,
            ),
        },
        {
          provide: ALERT_REPOSITORY,
          inject: [REDIS],
          useFactory: (redis: Redis) => new AlertRepository(redis, new RedisKeys(config.REDIS_PREFIX)),
        },
        {
          provide: INFLUX,
          useFactory: () => new InfluxClient(influxOptionsOf(config, KPI_INFLUX_TIMEOUT_MS)),
        },
        {
          provide: KPI_ENGINE,
          inject: [REGISTRY, INFLUX],
          useFactory: (registry: RegistryRepository, influx: InfluxClient) =>
            new KpiEngine({ registry, influx, logger }),
        },
        {
          provide: KPI_POINTS_READER,
          inject: [INFLUX],
          useFactory: (influx: InfluxClient) => new KpiPointsReader(influx),
        },
        {
          provide: API_KEYS,
          inject: [REDIS],
          useFactory: (redis: Redis) =>
            new ApiKeyRepository(redis, new RedisKeys(config.REDIS_PREFIX), config.CREDENTIAL_KEY),
        },
        {
          provide: AUDIT_LOG,
          inject: [REDIS],
          useFactory: (redis: Redis) => new AuditLogRepository(redis, new RedisKeys(config.REDIS_PREFIX)),
        },
        {
          provide: REGISTRY_SERVICE,
          inject: [REGISTRY, AUDIT_LOG],
          useFactory: (registry: RegistryRepository, audit: AuditLogRepository) =>
            new RegistryService(registry, audit),
        },
        {
          provide: API_KEYS_SERVICE,
          inject: [API_KEYS, REGISTRY, AUDIT_LOG],
          useFactory: (keys: ApiKeyRepository, registry: RegistryRepository, audit: AuditLogRepository) =>
            new ApiKeysService(keys, registry, audit),
        },
        {
          provide: READINGS_QUERY,
          inject: [INFLUX],
          useFactory: (influx: InfluxClient) => new ReadingsQuery(influx),
        },
        RedisCloser,
      ],
      exports: [
        API_CONFIG,
        API_METRICS,
        LOGGER,
        REDIS,
        REGISTRY,
        INFLUX,
        KPI_ENGINE,
        KPI_POINTS_READER,
        ALERT_REPOSITORY,
        API_KEYS,
        AUDIT_LOG,
        REGISTRY_SERVICE,
        API_KEYS_SERVICE,
        READINGS_QUERY,
      ],
    };
  }
}
