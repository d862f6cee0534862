import type { JobsOptions } from 'bullmq';

/**
 * Options of every `notify.deliver` job: 10 attempts with an exponential backoff (5 s, 10 s, 20 s, … about 85 min
 * in all) so a receiver down for an hour still gets its message; a permanent refusal fails at once
 * (UnrecoverableError). Completed jobs are kept 7 days: while a job is kept, adding the same delivery again (same
 * job id) is a no-op; after that the `notify:sent:<key>` marker (30 days) still stops a second send.
 */
export const NOTIFY_DELIVER_JOB_OPTIONS = {
  attempts: 10,
  backoff: { type: 'exponential', delay: 5_000 },
  removeOnComplete: { age: 7 * 24 * 3600 },
  removeOnFail: { age: 30 * 24 * 3600 },
} as const satisfies JobsOptions;

/** How long a delivery's "sent" marker lives. */
export const NOTIFY_SENT_TTL_S = 30 * 24 * 3600;

/** Failed deliveries kept per tenant. */
export const NOTIFY_FAILED_KEEP = 1000;

/**
 * The BullMQ job id of a delivery: its idempotency key with `%` and `:` escaped (BullMQ refuses custom ids with
 * colons). The mapping is one-to-one, so two keys never share a job.
 */
export function notifyJobId(idempotencyKey: string): string {
  return idempotencyKey.replace(/%/g, '%25').replace(/:/g, '%3A');
}
