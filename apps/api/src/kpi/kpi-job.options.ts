import type { JobsOptions } from 'bullmq';

/**
 * Options of every `kpi.compute` job: a transient failure (InfluxDB or Redis unreachable) is retried with an
 * exponential backoff (5 s, 10 s, 20 s, …); a bad request fails at once (UnrecoverableError). Finished jobs are kept
 * a while so `GET /api/v1/tenants/:tenant/kpis/jobs/:job` can report them.
 */
export const KPI_COMPUTE_JOB_OPTIONS: JobsOptions = {
  attempts: 6,
  backoff: { type: 'exponential', delay: 5_000 },
  removeOnComplete: { age: 7 * 24 * 3600, count: 5_000 },
  removeOnFail: { age: 30 * 24 * 3600, count: 5_000 },
};

/** Options of the jobs the schedulers fire (`kpi.schedule`): the fan-out only reads the registry and enqueues. */
export const KPI_SCHEDULE_JOB_OPTIONS = {
  attempts: 5,
  backoff: { type: 'exponential', delay: 10_000 },
  removeOnComplete: { age: 7 * 24 * 3600, count: 1_000 },
  removeOnFail: { age: 30 * 24 * 3600, count: 1_000 },
} as const satisfies JobsOptions;
