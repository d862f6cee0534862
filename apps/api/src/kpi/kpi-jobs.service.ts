import { InjectQueue } from '@nestjs/bullmq';
import { Inject, Injectable } from '@nestjs/common';
import { RegistryService } from '@vigie/admin';
import { KPI_JOBS, KPI_QUEUE, KpiComputeJobData } from '@vigie/contracts';
import { KpiRunStatus, parsePeriod, selectComputations } from '@vigie/kpi';
import { Queue } from 'bullmq';
import { ApiError, ApiErrorCode } from '../http/api.errors';
import { REGISTRY_SERVICE } from '../platform/platform.tokens';
import { KPI_COMPUTE_JOB_OPTIONS } from './kpi-job.options';

/** What `GET /api/v1/tenants/:tenant/kpis/jobs/:job` returns. */
export interface KpiJobView {
  readonly id: string;
  readonly name: string;
  /** BullMQ state: waiting, delayed, active, completed, failed, … */
  readonly state: string;
  readonly data: unknown;
  readonly attemptsMade: number;
  readonly createdAt: string;
  readonly finishedAt?: string;
  /** When completed: the run's KpiRunStatus (`kpi.compute`) or the fan-out's summary (`kpi.schedule`). */
  readonly result?: KpiRunStatus | unknown;
  /** When failed (or failed an attempt and waits for a retry): why. */
  readonly failedReason?: string;
}

/** The producer side of the KPI queue: enqueues runs (after checking them) and reports jobs. */
@Injectable()
export class KpiJobsService {
  constructor(
    @InjectQueue(KPI_QUEUE) private readonly queue: Queue,
    @Inject(REGISTRY_SERVICE) private readonly registry: RegistryService,
  ) {}

  /**
   * Enqueues a `kpi.compute` job; returns its id. The request is checked first (dates, period, KPI ids, tenant),
   * so a bad one is a 400/404 now rather than a failed job later.
   */
  async enqueueCompute(data: KpiComputeJobData): Promise<string> {
    parsePeriod(data.from, data.to);
    selectComputations(data.kpis);
    await this.registry.getTenant(data.tenant);
    const job = await this.queue.add(KPI_JOBS.compute, data, KPI_COMPUTE_JOB_OPTIONS);
    return String(job.id);
  }

  /**
   * A job of the tenant (a job of another tenant, or a scheduler's fan-out, is not found); with `undefined`, any job
   * of the queue (the platform operator's view).
   */
  async describe(tenant: string | undefined, id: string): Promise<KpiJobView> {
    // State first, then the job: a job read before its state could be older than the state (e.g. failed, with
    // the attempt not yet counted); read after it, it is at least as recent.
    const state = await this.queue.getJobState(id);
    const job = state === 'unknown' ? undefined : await this.queue.getJob(id);
    if (!job || (tenant !== undefined && (job.data as Partial<KpiComputeJobData>).tenant !== tenant)) {
      throw new ApiError(
        ApiErrorCode.JobNotFound,
        `${tenant === undefined ? 'there is' : `tenant '${tenant}' has`} no job '${id.slice(0, 64)}' in queue ${KPI_QUEUE} (finished jobs are kept 7 days, failed ones 30)`,
      );
    }
    return {
      id: String(job.id),
      name: job.name,
      state,
      data: job.data,
      attemptsMade: job.attemptsMade,
      createdAt: new Date(job.timestamp).toISOString(),
      ...(job.finishedOn ? { finishedAt: new Date(job.finishedOn).toISOString() } : {}),
      ...(state === 'completed' ? { result: job.returnvalue as unknown } : {}),
      ...(job.failedReason ? { failedReason: job.failedReason } : {}),
    };
  }
}
