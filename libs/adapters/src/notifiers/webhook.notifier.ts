import { createHmac } from 'node:crypto';
import { Notifier, OutgoingNotification } from './notifier.port';
import { NotifyError, NotifyErrorCode } from './notify.errors';

/** `sha256=<hex HMAC-SHA256 of "<timestamp>.<body>">`: what a receiver recomputes with the route's secret. */
export function webhookSignature(secret: string, timestamp: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

export interface WebhookNotifierOptions {
  readonly timeoutMs: number;
  /** Seconds since the epoch, as sent in X-Vigie-Timestamp (tests fix it). */
  readonly clock?: () => number;
}

/**
 * POSTs the event as JSON. Headers: `Idempotency-Key` (the delivery's key: a receiver drops a replay),
 * `X-Vigie-Timestamp` and, when the route has a secret, `X-Vigie-Signature`. A 2xx is success; 408, 429, 5xx, a
 * timeout or a network error are transient; any other status is permanent.
 */
export class WebhookNotifier implements Notifier {
  constructor(private readonly opts: WebhookNotifierOptions) {}

  async send(d: OutgoingNotification): Promise<void> {
    if (d.channel !== 'webhook') {
      throw new NotifyError(NotifyErrorCode.InvalidDelivery, `channel ${d.channel} is not a webhook`);
    }
    const body = JSON.stringify(d.body ?? null);
    const timestamp = String((this.opts.clock ?? (() => Math.floor(Date.now() / 1000)))());
    const headers: Record<string, string> = {
      'Content-Type': 'application/json',
      'Idempotency-Key': d.idempotencyKey,
      'X-Vigie-Timestamp': timestamp,
      'User-Agent': 'vigie-notifier',
    };
    if (d.secret) headers['X-Vigie-Signature'] = webhookSignature(d.secret, timestamp, body);
    let res: Response;
    try {
      res = await fetch(d.to, {
        method: 'POST',
        headers,
        body,
        redirect: 'manual',
        signal: AbortSignal.timeout(this.opts.timeoutMs),
      });
    } catch (err) {
      const e = err as Error & { cause?: { code?: string } };
      if (e.name === 'TimeoutError' || e.name === 'AbortError') {
        throw new NotifyError(
          NotifyErrorCode.WebhookTimeout,
          `${d.to}: no answer within ${this.opts.timeoutMs} ms`,
        );
      }
      if (e instanceof TypeError && /invalid url|failed to parse url/i.test(e.message)) {
        throw new NotifyError(NotifyErrorCode.InvalidDelivery, `${d.to} is not a URL`);
      }
      throw new NotifyError(NotifyErrorCode.WebhookUnreachable, `${d.to}: ${e.cause?.code ?? e.message}`);
    }
    // The body is not needed; reading it frees the connection.
    const answer = (await res.text().catch(() => '')).slice(0, 200);
    if (res.status >= 200 && res.status < 300) return;
    const what = `${d.to} answered ${res.status}${answer ? `: ${answer}` : ''}`;
    if (res.status === 408 || res.status === 429 || res.status >= 500) {
      throw new NotifyError(NotifyErrorCode.WebhookUnavailable, what);
    }
    throw new NotifyError(NotifyErrorCode.WebhookRejected, what);
  }
}

/** One notifier per channel: what the delivery worker calls. */
export class ChannelNotifier implements Notifier {
  constructor(private readonly channels: { readonly email: Notifier; readonly webhook: Notifier }) {}

  send(d: OutgoingNotification): Promise<void> {
    const n = (this.channels as Record<string, Notifier | undefined>)[d.channel];
    if (!n)
      return Promise.reject(
        new NotifyError(NotifyErrorCode.InvalidDelivery, `unknown channel '${d.channel}'`),
      );
    return n.send(d);
  }
}
