import { InjectQueue } from '@nestjs/bullmq';
import { Inject, Injectable } from '@nestjs/common';
import { RegistryRepository } from '@vigie/adapters';
import { KPI_JOBS, KPI_QUEUE, KpiComputeJobData } from '@vigie/contracts';
import { KpiRunStatus, parsePeriod, selectComputations } from '@vigie/kpi';
import { Queue } from 'bullmq';
import { ApiError, ApiErrorCode } from '../http/api.errors';
import { REGISTRY } from '../platform/platform.tokens';
import { KPI_COMPUTE_JOB_OPTIONS } from './kpi-job.options';

/** What `GET /api/kpi/jobs/:id` returns. */
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
    @Inject(REGISTRY) private readonly registry: RegistryRepository,
  ) {}

  /**
   * Enqueues a `kpi.compute` job; returns its id. The request is checked first (dates, period, KPI ids, tenant),
   * so a bad one is a 400/404 now rather than a failed job later.
   */
  async enqueueCompute(data: KpiComputeJobData): Promise<string> {
    parsePeriod(data.from, data.to);
    selectComputations(data.kpis);
    if (!(await this.registry.getTenant(data.tenant))) {
      throw new ApiError(
        ApiErrorCode.TenantNotFound,
        `tenant '${data.tenant.slice(0, 64)}' does not exist (see 'vigie tenants list')`,
      );
    }
    const job = await this.queue.add(KPI_JOBS.compute, data, KPI_COMPUTE_JOB_OPTIONS);
    return String(job.id);
  }

  async describe(id: string): Promise<KpiJobView> {
    // State first, then the job: a job read before its state could be older than the state (e.g. failed, with
    // the attempt not yet counted); read after it, it is at least as recent.
    const state = await this.queue.getJobState(id);
    const job = state === 'unknown' ? undefined : await this.queue.getJob(id);
    if (!job) {
      throw new ApiError(
        ApiErrorCode.JobNotFound,
        `no job '${id.slice(0, 64)}' in queue ${KPI_QUEUE} (finished jobs are kept 7 days, failed ones 30)`,
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
