import { createTransport } from 'nodemailer';
import { Notifier, OutgoingNotification } from './notifier.port';
import { NotifyError, NotifyErrorCode } from './notify.errors';

export interface SmtpNotifierOptions {
  /** `smtp://user:pass@host:port` (or `smtps://`); absent: every e-mail fails for good with SmtpNotConfigured. */
  readonly url?: string;
  /** The From address. */
  readonly from: string;
  /** Connection, greeting and socket timeouts (ms). */
  readonly timeoutMs?: number;
}

/** `<key@vigie>`: the Message-ID of a delivery, so a receiver (or a human) can recognise a replay. */
export function messageIdOf(idempotencyKey: string): string {
  return `<${idempotencyKey}@vigie>`;
}

/**
 * E-mail through an SMTP server (nodemailer). A 5xx reply is a permanent failure, a 4xx reply or a connection
 * problem a transient one. The password in SMTP_URL never appears in an error.
 */
export class SmtpNotifier implements Notifier {
  private readonly transport?: ReturnType<typeof createTransport>;

  constructor(private readonly opts: SmtpNotifierOptions) {
    if (opts.url) {
      const t = opts.timeoutMs ?? 15_000;
      const parsed = new URL(opts.url);
      this.transport = createTransport({
        host: parsed.hostname,
        port: parsed.port ? Number(parsed.port) : parsed.protocol === 'smtps:' ? 465 : 587,
        secure: parsed.protocol === 'smtps:',
        ...(parsed.username
          ? { auth: { user: decodeURIComponent(parsed.username), pass: decodeURIComponent(parsed.password) } }
          : {}),
        connectionTimeout: t,
        greetingTimeout: t,
        socketTimeout: t,
      });
    }
  }

  async send(d: OutgoingNotification): Promise<void> {
    if (d.channel !== 'email') {
      throw new NotifyError(NotifyErrorCode.InvalidDelivery, `channel ${d.channel} is not e-mail`);
    }
    if (!this.transport) {
      throw new NotifyError(
        NotifyErrorCode.SmtpNotConfigured,
        `no SMTP server to send ${d.idempotencyKey} to ${d.to}`,
      );
    }
    try {
      await this.transport.sendMail({
        from: this.opts.from,
        to: d.to,
        subject: d.subject,
        text: d.text,
        messageId: messageIdOf(d.idempotencyKey),
        headers: { 'X-Vigie-Idempotency-Key': d.idempotencyKey },
      });
    } catch (err) {
      const e = err as Error & { code?: string; responseCode?: number; response?: string };
      const what = `${e.code ?? 'error'}${e.responseCode ? ` ${e.responseCode}` : ''}: ${e.response ?? e.message}`;
      if (e.responseCode !== undefined && e.responseCode >= 500 && e.responseCode !== 503) {
        throw new NotifyError(NotifyErrorCode.SmtpRejected, `${d.to}: ${what}`);
      }
      if (e.code === 'EENVELOPE' && e.responseCode === undefined) {
        throw new NotifyError(NotifyErrorCode.InvalidDelivery, `${d.to}: ${what}`);
      }
      throw new NotifyError(NotifyErrorCode.SmtpUnavailable, `${d.to}: ${what}`);
    }
  }

  close(): void {
    this.transport?.close();
  }
}
