import { Inject, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { Redis } from '@vigie/adapters';
import { ApiConfig } from '@vigie/config';
import { ALERT_QUEUE, bullPrefix, KPI_QUEUE, NOTIFY_QUEUE } from '@vigie/contracts';
import { ApiMetrics } from '@vigie/observability';
import { Queue } from 'bullmq';
import { API_CONFIG, API_METRICS, REDIS } from '../platform/platform.tokens';

/** Feeds `vigie_queue_jobs{queue,state}` at each scrape from Vigie's queues, on the platform's Redis connection. */
export class QueueDepths implements OnModuleInit, OnApplicationShutdown {
  private queues: Queue[] = [];

  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(API_CONFIG) private readonly config: ApiConfig,
    @Inject(API_METRICS) private readonly metrics: ApiMetrics,
  ) {}

  onModuleInit(): void {
    const prefix = bullPrefix(this.config.REDIS_PREFIX);
    this.queues = [KPI_QUEUE, ALERT_QUEUE, NOTIFY_QUEUE].map(
      (name) => new Queue(name, { connection: this.redis, prefix }),
    );
    this.metrics.collectQueues = async () =>
      Object.fromEntries(await Promise.all(this.queues.map(async (q) => [q.name, await q.getJobCounts()])));
  }

  async onApplicationShutdown(): Promise<void> {
    this.metrics.collectQueues = undefined;
    await Promise.all(this.queues.map((q) => q.close()));
  }
}
