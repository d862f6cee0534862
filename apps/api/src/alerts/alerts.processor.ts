import { OnWorkerEvent, Processor, WorkerHost } from '@nestjs/bullmq';
import { Inject } from '@nestjs/common';
import {
  KpiAlertError,
  KpiAlertEvaluator,
  KpiAlertRunSummary,
  NotificationDispatcher,
  ReadingAlertEvaluator,
} from '@vigie/alerts';
import { RegistryRepository } from '@vigie/adapters';
import { ALERT_JOBS, ALERT_QUEUE, AlertKpiJobData } from '@vigie/contracts';
import { KpiEngineError } from '@vigie/kpi';
import { Job, UnrecoverableError } from 'bullmq';
import type { Logger } from 'pino';
import { NOTIFICATION_DISPATCHER } from '../notifications/notifications.tokens';
import { API_METRICS, LOGGER, READING_ALERT_EVALUATOR, REGISTRY } from '../platform/platform.tokens';
import { ApiMetrics } from '@vigie/observability';
import { evaluateKpisJobDataSchema } from './alert-job.schemas';
import { KPI_ALERT_EVALUATOR } from './alerts.tokens';

/**
 * The alert worker (roles `worker` and `all`): runs `alert.evaluate-kpis` (KpiAlertEvaluator.evaluate → its
 * KpiAlertRunSummary), enqueued after each successful `kpi.compute`. Bad job data, an unknown tenant and bad dates
 * fail the job for good (UnrecoverableError); anything else (InfluxDB or Redis unreachable) throws and is retried.
 */
@Processor(ALERT_QUEUE)
export class AlertsProcessor extends WorkerHost {
  constructor(
    @Inject(KPI_ALERT_EVALUATOR) private readonly evaluator: KpiAlertEvaluator,
    @Inject(READING_ALERT_EVALUATOR) private readonly readings: ReadingAlertEvaluator,
    @Inject(NOTIFICATION_DISPATCHER) private readonly dispatcher: NotificationDispatcher,
    @Inject(REGISTRY) private readonly registry: RegistryRepository,
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(API_METRICS) private readonly metrics: ApiMetrics,
  ) {
    super();
  }

  async process(job: Job): Promise<unknown> {
    return this.metrics.observeJob(ALERT_QUEUE, job.name, () => this.run(job));
  }

  private async run(job: Job): Promise<unknown> {
    switch (job.name) {
      case ALERT_JOBS.evaluateKpis:
        return this.evaluateKpis(job);
      case ALERT_JOBS.sweep:
        return this.sweep(job);
      case ALERT_JOBS.digest:
        return this.dispatcher.digestJob(
          typeof job.data?.day === 'string' ? { day: job.data.day } : {},
          await this.registry.listTenants(),
        );
      default:
        throw new UnrecoverableError(`queue ${ALERT_QUEUE} has no job '${job.name}' in this worker`);
    }
  }

  /**
   * Every minute, per tenant: devices that went silent in real time (offline), then reminders and escalations of
   * open alerts. Running a minute twice raises and sends nothing twice.
   */
  private async sweep(job: Job): Promise<{ tenants: number; offline: number; followUps: number }> {
    const now = Date.now();
    let offline = 0;
    let followUps = 0;
    const tenants = await this.registry.listTenants();
    for (const t of tenants) {
      offline += await this.readings.sweepOffline(t.id, now);
      followUps += (await this.dispatcher.sweepTenant(t.id, now)).length;
    }
    if (offline || followUps)
      this.logger.info({ queue: ALERT_QUEUE, jobId: job.id, offline, followUps }, 'alert sweep');
    return { tenants: tenants.length, offline, followUps };
  }

  private async evaluateKpis(job: Job): Promise<KpiAlertRunSummary> {
    const parsed = evaluateKpisJobDataSchema.safeParse(job.data);
    if (!parsed.success) {
      throw new UnrecoverableError(
        `invalid ${ALERT_JOBS.evaluateKpis} data: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(data)'}: ${i.message}`).join('; ')}`,
      );
    }
    const data: AlertKpiJobData = parsed.data;
    let summary: KpiAlertRunSummary;
    try {
      summary = await this.evaluator.evaluate(data.tenant, data.from, data.to);
    } catch (err) {
      if (err instanceof KpiEngineError || err instanceof KpiAlertError)
        throw new UnrecoverableError(err.message);
      throw err;
    }
    const rules = Object.entries(summary.rules);
    const total = (k: 'raised' | 'cleared' | 'notJudged') => rules.reduce((n, [, r]) => n + r[k], 0);
    for (const [rule, r] of rules) {
      if (r.error)
        this.logger.warn(
          { queue: ALERT_QUEUE, jobId: job.id, tenant: data.tenant, rule, err: r.error },
          'KPI rule not evaluated',
        );
    }
    this.logger.info(
      {
        queue: ALERT_QUEUE,
        jobId: job.id,
        tenant: data.tenant,
        from: data.from,
        to: data.to,
        raised: total('raised'),
        cleared: total('cleared'),
        notJudged: total('notJudged'),
      },
      'KPI alert rules evaluated',
    );
    return summary;
  }

  @OnWorkerEvent('failed')
  onFailed(job: Job | undefined, err: Error): void {
    this.logger.warn(
      {
        queue: ALERT_QUEUE,
        job: job?.name,
        jobId: job?.id,
        attemptsMade: job?.attemptsMade,
        err: err.message,
      },
      'job failed',
    );
  }
}
