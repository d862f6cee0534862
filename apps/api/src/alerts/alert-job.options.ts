import type { JobsOptions } from 'bullmq';

/**
 * Options of every `alert.evaluate-kpis` job: a transient failure (InfluxDB or Redis unreachable) is retried with
 * an exponential backoff (5 s, 10 s, 20 s, …); bad data fails at once (UnrecoverableError). Evaluating a period
 * twice raises nothing twice, so a retry is always safe.
 */
export const ALERT_EVALUATE_KPIS_JOB_OPTIONS: JobsOptions = {
  attempts: 6,
  backoff: { type: 'exponential', delay: 5_000 },
  removeOnComplete: { age: 7 * 24 * 3600, count: 5_000 },
  removeOnFail: { age: 30 * 24 * 3600, count: 5_000 },
};

/**
 * The id of the evaluation following a `kpi.compute` job: one per compute job, so a compute retried after its
 * evaluation was enqueued does not enqueue a second one (BullMQ ids may not contain ':').
 */
export function alertEvaluationJobId(kpiJobId: string): string {
  return `alerts.${kpiJobId.replace(/:/g, '.')}`;
}

/** Options of the jobs the alert schedulers fire (sweep every minute, digest daily): light, retried a few times. */
export const ALERT_SCHEDULE_JOB_OPTIONS = {
  attempts: 3,
  backoff: { type: 'exponential', delay: 5_000 },
  removeOnComplete: { age: 24 * 3600, count: 1_000 },
  removeOnFail: { age: 7 * 24 * 3600, count: 1_000 },
} as const satisfies JobsOptions;

/** Cron patterns of the alert schedulers, Europe/Paris: the sweep every minute, the digest at 07:00. */
export const ALERT_SCHEDULES = [
  { id: 'alerts-sweep', job: 'alert.sweep', pattern: '* * * * *' },
  { id: 'alerts-digest', job: 'alert.digest', pattern: '0 7 * * *' },
] as const;
