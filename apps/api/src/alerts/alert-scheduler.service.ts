import { InjectQueue } from '@nestjs/bullmq';
import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { ALERT_QUEUE } from '@vigie/contracts';
import { KPI_SCHEDULE_TIME_ZONE } from '@vigie/kpi';
import { Queue } from 'bullmq';
import type { Logger } from 'pino';
import { LOGGER } from '../platform/platform.tokens';
import { ALERT_SCHEDULE_JOB_OPTIONS, ALERT_SCHEDULES } from './alert-job.options';

/**
 * Registers the alert job schedulers at every worker boot (idempotent, like the KPI ones): the minute sweep
 * (devices gone silent, reminders and escalations) and the daily digest.
 */
@Injectable()
export class AlertSchedulerService implements OnApplicationBootstrap {
  constructor(
    @InjectQueue(ALERT_QUEUE) private readonly queue: Queue,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    for (const s of ALERT_SCHEDULES) {
      await this.queue.upsertJobScheduler(
        s.id,
        { pattern: s.pattern, tz: KPI_SCHEDULE_TIME_ZONE },
        { name: s.job, data: {}, opts: ALERT_SCHEDULE_JOB_OPTIONS },
      );
    }
    this.logger.info(
      { queue: ALERT_QUEUE, schedules: ALERT_SCHEDULES.map((s) => `${s.job} ${s.pattern}`) },
      'alert schedules registered',
    );
  }
}
