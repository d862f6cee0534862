import { OnWorkerEvent, Processor, WorkerHost } from '@nestjs/bullmq';
import { Inject, OnApplicationBootstrap } from '@nestjs/common';
import { DeliveryStatus, NotificationDispatcher } from '@vigie/alerts';
import { ApiConfig } from '@vigie/config';
import { NOTIFY_JOBS, NOTIFY_QUEUE } from '@vigie/contracts';
import { Job, UnrecoverableError } from 'bullmq';
import type { Logger } from 'pino';
import { API_CONFIG, API_METRICS, LOGGER } from '../platform/platform.tokens';
import { ApiMetrics } from '@vigie/observability';
import { NOTIFICATION_DISPATCHER } from './notifications.tokens';

/**
 * The delivery worker (roles `worker` and `all`): runs `notify.deliver` jobs through NotificationDispatcher.deliverJob
 * (sent / already_sent). A permanent refusal fails the job for good; a transient one retries with backoff. A job
 * whose worker died is taken over by another worker once its lock expires: a 15 s lock, checked every 15 s (a job is
 * moved back after two checks find it unlocked), so a dead worker's delivery waits 30-45 s (BullMQ's defaults make it
 * 60-90 s; the crash e2e test measured about 50 s with these settings, worker start included); maxStalledCount
 * allows a few such crashes before BullMQ gives up on the job. The lock outlives the longest send
 * (WEBHOOK_TIMEOUT_MS, SMTP timeouts) because BullMQ renews it every 7.5 s while the job runs.
 */
@Processor(NOTIFY_QUEUE, { maxStalledCount: 5, lockDuration: 15_000, stalledInterval: 15_000 })
export class NotifyProcessor extends WorkerHost implements OnApplicationBootstrap {
  constructor(
    @Inject(NOTIFICATION_DISPATCHER) private readonly dispatcher: NotificationDispatcher,
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(API_METRICS) private readonly metrics: ApiMetrics,
    @Inject(API_CONFIG) private readonly config: ApiConfig,
  ) {
    super();
  }

  onApplicationBootstrap(): void {
    this.worker.concurrency = this.config.NOTIFY_CONCURRENCY;
  }

  async process(job: Job): Promise<DeliveryStatus> {
    return this.metrics.observeJob(NOTIFY_QUEUE, job.name, () => this.run(job));
  }

  private async run(job: Job): Promise<DeliveryStatus> {
    if (job.name !== NOTIFY_JOBS.deliver) {
      throw new UnrecoverableError(`queue ${NOTIFY_QUEUE} has no job '${job.name}'`);
    }
    return this.dispatcher.deliverJob(job.data, { made: job.attemptsMade, max: job.opts.attempts ?? 1 });
  }

  @OnWorkerEvent('failed')
  onFailed(job: Job | undefined, err: Error): void {
    this.logger.warn(
      {
        queue: NOTIFY_QUEUE,
        job: job?.name,
        jobId: job?.id,
        attemptsMade: job?.attemptsMade,
        err: err.message,
      },
      'delivery attempt failed',
    );
  }
}
