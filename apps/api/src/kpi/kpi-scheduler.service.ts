import { InjectQueue } from '@nestjs/bullmq';
import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { KPI_JOBS, KPI_QUEUE, kpiSchedulerId, KpiScheduleJobData } from '@vigie/contracts';
import { KPI_SCHEDULE_TIME_ZONE, KPI_SCHEDULES } from '@vigie/kpi';
import { Queue } from 'bullmq';
import type { Logger } from 'pino';
import { LOGGER } from '../platform/platform.tokens';
import { KPI_SCHEDULE_JOB_OPTIONS } from './kpi-job.options';

/**
 * Registers the KPI job schedulers (KPI_SCHEDULES: hourly, daily, monthly, yearly; cron in Europe/Paris) at every
 * worker boot. `upsertJobScheduler` with a fixed id per cadence is idempotent: any number of workers, booted any
 * number of times, leave one scheduler per cadence, and BullMQ fires each occurrence once.
 */
@Injectable()
export class KpiSchedulerService implements OnApplicationBootstrap {
  constructor(
    @InjectQueue(KPI_QUEUE) private readonly queue: Queue,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    for (const s of KPI_SCHEDULES) {
      const data: KpiScheduleJobData = { cadence: s.cadence };
      await this.queue.upsertJobScheduler(
        kpiSchedulerId(s.cadence),
        { pattern: s.pattern, tz: KPI_SCHEDULE_TIME_ZONE },
        { name: KPI_JOBS.schedule, data, opts: KPI_SCHEDULE_JOB_OPTIONS },
      );
    }
    this.logger.info(
      {
        queue: KPI_QUEUE,
        schedules: KPI_SCHEDULES.map((s) => `${s.cadence} ${s.pattern}`),
        tz: KPI_SCHEDULE_TIME_ZONE,
      },
      'KPI schedules registered',
    );
  }
}
