import { InjectQueue, OnWorkerEvent, Processor, WorkerHost } from '@nestjs/bullmq';
import { Inject, OnApplicationBootstrap } from '@nestjs/common';
import { RegistryRepository } from '@vigie/adapters';
import { ApiConfig } from '@vigie/config';
import {
  ALERT_JOBS,
  ALERT_QUEUE,
  AlertKpiJobData,
  KPI_JOBS,
  KPI_QUEUE,
  KpiComputeJobData,
} from '@vigie/contracts';
import { isKpiCadence, KpiCadence } from '@vigie/domain';
import { KpiEngine, KpiEngineError, KpiRunStatus, scheduledRun } from '@vigie/kpi';
import { Job, Queue, UnrecoverableError } from 'bullmq';
import type { Logger } from 'pino';
import { ALERT_EVALUATE_KPIS_JOB_OPTIONS, alertEvaluationJobId } from '../alerts/alert-job.options';
import { API_CONFIG, API_METRICS, KPI_ENGINE, LOGGER, REGISTRY } from '../platform/platform.tokens';
import { ApiMetrics } from '@vigie/observability';
import { computeJobDataSchema } from './kpi-api.schemas';
import { KPI_COMPUTE_JOB_OPTIONS } from './kpi-job.options';

/** What a `kpi.schedule` job returns: the runs it enqueued. */
export interface KpiFanOutResult {
  readonly cadence: KpiCadence;
  /** The scheduled instant the periods were taken at (ISO). */
  readonly at: string;
  readonly jobs: readonly {
    readonly tenant: string;
    readonly from: string;
    readonly to: string;
    readonly jobId: string;
  }[];
}

/**
 * The KPI worker (roles `worker` and `all`): runs `kpi.compute` (KpiEngine.run → its KpiRunStatus, then enqueues the
 * `alert.evaluate-kpis` of the same tenant and period) and `kpi.schedule`
 * (fan-out: one `kpi.compute` per tenant of the registry, over the cadence's period in the tenant's time zone).
 * Bad job data, an unknown tenant or KPI and bad dates fail the job for good (UnrecoverableError); anything else
 * (InfluxDB or Redis unreachable) throws and is retried with backoff.
 */
@Processor(KPI_QUEUE)
export class KpiProcessor extends WorkerHost implements OnApplicationBootstrap {
  constructor(
    @Inject(KPI_ENGINE) private readonly engine: KpiEngine,
    @Inject(REGISTRY) private readonly registry: RegistryRepository,
    @InjectQueue(KPI_QUEUE) private readonly queue: Queue,
    @InjectQueue(ALERT_QUEUE) private readonly alertQueue: Queue,
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(API_METRICS) private readonly metrics: ApiMetrics,
    @Inject(API_CONFIG) private readonly config: ApiConfig,
  ) {
    super();
  }

  onApplicationBootstrap(): void {
    this.worker.concurrency = this.config.KPI_WORKER_CONCURRENCY;
  }

  async process(job: Job): Promise<KpiRunStatus | KpiFanOutResult> {
    return this.metrics.observeJob(KPI_QUEUE, job.name, () => this.run(job));
  }

  private async run(job: Job): Promise<KpiRunStatus | KpiFanOutResult> {
    switch (job.name) {
      case KPI_JOBS.compute:
        return this.compute(job);
      case KPI_JOBS.schedule:
        return this.fanOut(job);
      default:
        throw new UnrecoverableError(`queue ${KPI_QUEUE} has no job '${job.name}'`);
    }
  }

  private async compute(job: Job): Promise<KpiRunStatus> {
    const parsed = computeJobDataSchema.safeParse(job.data);
    if (!parsed.success) {
      throw new UnrecoverableError(
        `invalid ${KPI_JOBS.compute} data: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(data)'}: ${i.message}`).join('; ')}`,
      );
    }
    const data: KpiComputeJobData = parsed.data;
    let status: KpiRunStatus;
    try {
      status = await this.engine.run(data);
    } catch (err) {
      if (err instanceof KpiEngineError) throw new UnrecoverableError(err.message);
      throw err;
    }
    // The KPI alert rules judge the period just computed. One evaluation per compute job: a compute retried after
    // this point (the enqueue failed, the worker died) does not enqueue it twice.
    const evaluation: AlertKpiJobData = { tenant: data.tenant, from: data.from, to: data.to };
    await this.alertQueue.add(ALERT_JOBS.evaluateKpis, evaluation, {
      ...ALERT_EVALUATE_KPIS_JOB_OPTIONS,
      jobId: alertEvaluationJobId(String(job.id)),
    });
    return status;
  }

  private async fanOut(job: Job): Promise<KpiFanOutResult> {
    const cadence = (job.data as { cadence?: unknown } | undefined)?.cadence;
    if (typeof cadence !== 'string' || !isKpiCadence(cadence)) {
      throw new UnrecoverableError(
        `invalid ${KPI_JOBS.schedule} data: cadence '${String(cadence)}' is not a cadence`,
      );
    }
    // The instant the scheduler fired for (not the time a busy worker got to it).
    const at = job.opts.prevMillis ?? job.timestamp;
    const jobs: KpiFanOutResult['jobs'][number][] = [];
    for (const tenant of await this.registry.listTenants()) {
      const run = scheduledRun(cadence, tenant.id, at, tenant.timeZone);
      if (!run) continue;
      // One id per tenant and firing: a retried fan-out does not enqueue the same run twice.
      const jobId = `sched.${cadence}.${at}.${tenant.id}`;
      const added = await this.queue.add(KPI_JOBS.compute, run, { ...KPI_COMPUTE_JOB_OPTIONS, jobId });
      jobs.push({ tenant: tenant.id, from: run.from, to: run.to, jobId: String(added.id) });
    }
    this.logger.info(
      { queue: KPI_QUEUE, jobId: job.id, cadence, tenants: jobs.length },
      `KPI ${cadence} runs enqueued`,
    );
    return { cadence, at: new Date(at).toISOString(), jobs };
  }

  @OnWorkerEvent('completed')
  onCompleted(job: Job): void {
    this.logger.info(
      {
        queue: KPI_QUEUE,
        job: job.name,
        jobId: job.id,
        durationMs: (job.finishedOn ?? Date.now()) - (job.processedOn ?? job.timestamp),
      },
      'job completed',
    );
  }

  @OnWorkerEvent('failed')
  onFailed(job: Job | undefined, err: Error): void {
    this.logger.warn(
      { queue: KPI_QUEUE, job: job?.name, jobId: job?.id, attemptsMade: job?.attemptsMade, err: err.message },
      'job failed',
    );
  }
}
