import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { createRedis, Redis, RedisKeys } from '@vigie/adapters';
import { AlertSamplesConsumer, ReadingAlertEvaluator } from '@vigie/alerts';
import { ApiConfig } from '@vigie/config';
import type { Logger } from 'pino';
import { API_CONFIG, LOGGER, READING_ALERT_EVALUATOR } from '../platform/platform.tokens';

/**
 * Worker role: evaluates the readings ingestion hands over (the alert-samples stream) as they arrive. One worker
 * at a time holds the stream's lease; the others stand by and take over within the lease time if it dies.
 */
@Injectable()
export class AlertSamplesWorker implements OnApplicationBootstrap, OnApplicationShutdown {
  private consumer?: AlertSamplesConsumer;
  private connection?: Redis;

  constructor(
    @Inject(API_CONFIG) private readonly config: ApiConfig,
    @Inject(READING_ALERT_EVALUATOR) private readonly evaluator: ReadingAlertEvaluator,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (this.config.ALERT_SAMPLES_MAX === 0) {
      this.logger.info('ALERT_SAMPLES_MAX=0: readings are not evaluated by alert rules');
      return;
    }
    // A blocking connection of its own: XREADGROUP BLOCK would hold up every other command on a shared one.
    this.connection = createRedis(this.config.REDIS_URL, { name: 'vigie-alert-samples', blocking: true });
    this.connection.on('error', (err: Error) =>
      this.logger.warn({ err: err.message }, 'Redis connection error'),
    );
    this.consumer = new AlertSamplesConsumer(
      this.connection,
      new RedisKeys(this.config.REDIS_PREFIX),
      this.evaluator,
      {
        onBatch: (s) => {
          if (s.raised || s.cleared)
            this.logger.info({ ...s, queue: 'alert-samples' }, 'alert rules evaluated on readings');
          else this.logger.debug({ ...s, queue: 'alert-samples' }, 'alert rules evaluated on readings');
        },
        onError: (err) =>
          this.logger.error(
            { err: (err as Error).message ?? String(err) },
            'alert evaluation of readings failed',
          ),
      },
    );
    await this.consumer.start();
    this.logger.info('alert rules on readings: evaluating the alert-samples stream');
  }

  async onApplicationShutdown(): Promise<void> {
    await this.consumer?.stop();
    await this.connection?.quit().catch(() => this.connection?.disconnect());
  }
}
