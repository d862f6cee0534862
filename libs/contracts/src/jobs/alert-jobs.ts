/** The BullMQ queue of alert evaluation work (after KPI runs, silence sweeps, reminders, digests). */
export const ALERT_QUEUE = 'vigie-alerts';

/** Job names of the alert queue. */
export const ALERT_JOBS = {
  /** Evaluate the KPI rules of one tenant over the KPI points of a period (data: AlertKpiJobData). */
  evaluateKpis: 'alert.evaluate-kpis',
  /** Fired every minute: offline devices, reminders and escalations of every tenant (no data). */
  sweep: 'alert.sweep',
  /** Fired daily: the digest e-mail of each recipient (data: AlertDigestJobData). */
  digest: 'alert.digest',
} as const;
export type AlertJobName = (typeof ALERT_JOBS)[keyof typeof ALERT_JOBS];

/** Data of an `alert.evaluate-kpis` job: the period a KPI run just computed. */
export interface AlertKpiJobData {
  readonly tenant: string;
  /** First local day, 'YYYY-MM-DD' (inclusive). */
  readonly from: string;
  /** Last local day, 'YYYY-MM-DD' (inclusive). */
  readonly to: string;
}

/** Data of an `alert.digest` job. */
export interface AlertDigestJobData {
  /** The local day summed up, 'YYYY-MM-DD'; absent: yesterday in each tenant's time zone. */
  readonly day?: string;
}

/** The BullMQ queue of notification deliveries (e-mail, webhook), retried with backoff. */
export const NOTIFY_QUEUE = 'vigie-notify';

export const NOTIFY_JOBS = {
  /** Deliver one message to one recipient on one channel (data: NotifyDeliverJobData). */
  deliver: 'notify.deliver',
} as const;

export const NOTIFY_CHANNELS = ['email', 'webhook'] as const;
export type NotifyChannel = (typeof NOTIFY_CHANNELS)[number];

/**
 * One delivery. `idempotencyKey` is also the BullMQ job id (adding the same delivery twice is a no-op) and travels
 * with the message (webhook header `Idempotency-Key`, e-mail `Message-ID`) so receivers can drop a replay.
 */
export interface NotifyDeliverJobData {
  readonly idempotencyKey: string;
  readonly tenant: string;
  readonly channel: NotifyChannel;
  /** An e-mail address or a webhook URL. */
  readonly to: string;
  /** Route id whose webhook secret signs the body (webhooks only). */
  readonly route?: string;
  readonly subject: string;
  readonly text: string;
  /** The JSON body of a webhook (the alert event). */
  readonly body: unknown;
}
