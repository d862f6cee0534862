import { BullModule } from '@nestjs/bullmq';
import { DynamicModule, Module } from '@nestjs/common';
import { ApiConfig } from '@vigie/config';
import { bullPrefix } from '@vigie/contracts';
import type { Logger } from 'pino';
import { AlertsApiModule } from './alerts-api/alerts-api.module';
import { AlertsModule } from './alerts/alerts.module';
import { HealthModule } from './health/health.module';
import { KpiModule } from './kpi/kpi.module';
import { NotificationsModule } from './notifications/notifications.module';
import { PlatformModule } from './platform/platform.module';
import { RegistryApiModule } from './registry-api/registry-api.module';

/**
 * The `vigie api` process: platform (config, Redis, InfluxDB, registry, engine), BullMQ on the same Redis under
 * Vigie's prefix, and one module per capability. VIGIE_ROLE chooses the parts: `api` serves HTTP and enqueues,
 * `worker` runs jobs and schedulers, `all` both. Processes share nothing but Redis and InfluxDB, so workers scale
 * out by starting more of them.
 */
@Module({})
export class AppModule {
  static forConfig(config: ApiConfig, logger: Logger): DynamicModule {
    const http = config.VIGIE_ROLE !== 'worker';
    const worker = config.VIGIE_ROLE !== 'api';
    return {
      module: AppModule,
      imports: [
        PlatformModule.forConfig(config, logger),
        BullModule.forRoot({
          // Workers' blocking connections must never give up on a command (BullMQ production guide).
          connection: { url: config.REDIS_URL, maxRetriesPerRequest: null },
          prefix: bullPrefix(config.REDIS_PREFIX),
        }),
        ...(http ? [RegistryApiModule] : []),
        KpiModule.forRole({ http, worker }),
        AlertsModule.forRole({ worker }),
        NotificationsModule.forRole({ http, worker }),
        // Health, readiness and metrics in every role: a worker serves only these on HTTP_PORT.
        HealthModule,
        ...(http ? [AlertsApiModule] : []),
      ],
    };
  }
}
