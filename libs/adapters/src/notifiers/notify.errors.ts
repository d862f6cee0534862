/** Why a delivery failed. Values are stable: they label failed deliveries and logs. */
export enum NotifyErrorCode {
  /** E-mail delivery asked for but SMTP_URL is not set. */
  SmtpNotConfigured = 'smtp_not_configured',
  /** The SMTP server refused the message for good (5xx: unknown mailbox, policy…). */
  SmtpRejected = 'smtp_rejected',
  /** The SMTP server is unreachable or answered "try later" (4xx). */
  SmtpUnavailable = 'smtp_unavailable',
  /** The webhook refused the request for good (4xx other than 408 and 429). */
  WebhookRejected = 'webhook_rejected',
  /** The webhook answered 408, 429 or 5xx. */
  WebhookUnavailable = 'webhook_unavailable',
  /** The webhook did not answer within WEBHOOK_TIMEOUT_MS. */
  WebhookTimeout = 'webhook_timeout',
  /** The webhook's host could not be reached (DNS, connection refused or reset). */
  WebhookUnreachable = 'webhook_unreachable',
  /** The delivery itself is unusable (unknown channel, bad address). */
  InvalidDelivery = 'invalid_delivery',
}

/** Whether a failure of this kind is final (retrying cannot help) or worth retrying with backoff. */
export function isPermanentNotifyError(code: NotifyErrorCode): boolean {
  switch (code) {
    case NotifyErrorCode.SmtpNotConfigured:
    case NotifyErrorCode.SmtpRejected:
    case NotifyErrorCode.WebhookRejected:
    case NotifyErrorCode.InvalidDelivery:
      return true;
    case NotifyErrorCode.SmtpUnavailable:
    case NotifyErrorCode.WebhookUnavailable:
    case NotifyErrorCode.WebhookTimeout:
    case NotifyErrorCode.WebhookUnreachable:
      return false;
  }
}

function describe(code: NotifyErrorCode): string {
  switch (code) {
    case NotifyErrorCode.SmtpNotConfigured:
      return 'e-mail is not configured (set SMTP_URL)';
    case NotifyErrorCode.SmtpRejected:
      return 'the SMTP server refused the message';
    case NotifyErrorCode.SmtpUnavailable:
      return 'the SMTP server is unavailable';
    case NotifyErrorCode.WebhookRejected:
      return 'the webhook refused the request';
    case NotifyErrorCode.WebhookUnavailable:
      return 'the webhook is unavailable';
    case NotifyErrorCode.WebhookTimeout:
      return 'the webhook did not answer in time';
    case NotifyErrorCode.WebhookUnreachable:
      return 'the webhook cannot be reached';
    case NotifyErrorCode.InvalidDelivery:
      return 'the delivery is invalid';
  }
}

export class NotifyError extends Error {
  override readonly name = 'NotifyError';
  readonly permanent: boolean;

  constructor(
    readonly code: NotifyErrorCode,
    readonly detail: string,
  ) {
    super(`${describe(code)}: ${detail}`);
    this.permanent = isPermanentNotifyError(code);
  }
}
