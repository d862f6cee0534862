import { BullModule } from '@nestjs/bullmq';
import { DynamicModule, Module } from '@nestjs/common';
import { AlertRepository, Redis, RedisKeys, RedisSpool, RegistryRepository } from '@vigie/adapters';
import { AlertNotifyPort, AlertService, KpiAlertEvaluator, ReadingAlertEvaluator } from '@vigie/alerts';
import { ApiConfig } from '@vigie/config';
import { ALERT_QUEUE } from '@vigie/contracts';
import { KpiPointsReader } from '@vigie/kpi';
import {
  ALERT_NOTIFY_PORT,
  ALERT_REPOSITORY,
  API_CONFIG,
  KPI_POINTS_READER,
  READING_ALERT_EVALUATOR,
  REDIS,
  REGISTRY,
} from '../platform/platform.tokens';
import { AlertSamplesWorker } from './alert-samples.worker';
import { AlertSchedulerService } from './alert-scheduler.service';
import { AlertsProcessor } from './alerts.processor';
import { ALERT_SERVICE, KPI_ALERT_EVALUATOR } from './alerts.tokens';

/**
 * Alert evaluation, global: the AlertService (store, spool towards InfluxDB's `alert` measurement, notifications
 * through ALERT_NOTIFY_PORT), the KPI rule and reading rule evaluators (every role: the API acts on alerts too),
 * and in the worker role the `vigie-alerts` processor (KPI rules after each KPI run, the minute sweep, the daily
 * digest), its schedulers, and the evaluation of readings as they arrive.
 */
@Module({})
export class AlertsModule {
  static forRole(role: { worker: boolean }): DynamicModule {
    return {
      module: AlertsModule,
      global: true,
      imports: [BullModule.registerQueue({ name: ALERT_QUEUE })],
      providers: [
        {
          provide: ALERT_SERVICE,
          inject: [API_CONFIG, REDIS, ALERT_REPOSITORY, ALERT_NOTIFY_PORT],
          useFactory: (config: ApiConfig, redis: Redis, repo: AlertRepository, notify: AlertNotifyPort) =>
            new AlertService(
              repo,
              notify,
              new RedisSpool(redis, new RedisKeys(config.REDIS_PREFIX), config.DEADLETTER_MAX_PER_TENANT),
            ),
        },
        {
          provide: KPI_ALERT_EVALUATOR,
          inject: [ALERT_SERVICE, KPI_POINTS_READER, REGISTRY],
          useFactory: (alerts: AlertService, points: KpiPointsReader, registry: RegistryRepository) =>
            new KpiAlertEvaluator({ alerts, points, registry }),
        },
        {
          provide: READING_ALERT_EVALUATOR,
          inject: [ALERT_SERVICE, REGISTRY],
          useFactory: (alerts: AlertService, registry: RegistryRepository) =>
            new ReadingAlertEvaluator(alerts, registry),
        },
        ...(role.worker ? [AlertsProcessor, AlertSchedulerService, AlertSamplesWorker] : []),
      ],
      exports: [ALERT_SERVICE, KPI_ALERT_EVALUATOR, READING_ALERT_EVALUATOR],
    };
  }
}
