import { createServer, IncomingHttpHeaders, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

// ---------------------------------------------------------------------------------------------------------------
// SMTP

/** One e-mail as the test SMTP server received it, decoded. */
export interface ReceivedMail {
  readonly from: string;
  /** Envelope recipients (RCPT TO). */
  readonly to: string[];
  readonly subject: string;
  readonly text: string;
  readonly messageId: string;
  /** Header names in lowercase; a repeated header keeps its first value. */
  readonly headers: Record<string, string>;
  readonly raw: string;
}

export interface TestSmtpServer {
  readonly port: number;
  /** `smtp://test:test@127.0.0.1:<port>` (any user and password are accepted). */
  readonly url: string;
  readonly messages: ReceivedMail[];
  /** Refuses the next `n` messages at RCPT TO with `code` (e.g. 550 permanent, 451 transient). */
  rejectNext(n: number, code?: number): void;
  close(): Promise<void>;
}

function decodeBytes(text: string, encoding: string): Buffer {
  const e = encoding.toLowerCase();
  if (e === 'base64') return Buffer.from(text.replace(/\s+/g, ''), 'base64');
  if (e === 'quoted-printable') {
    const soft = text.replace(/=\r?\n/g, '');
    const bytes: number[] = [];
    for (let i = 0; i < soft.length; i++) {
      const c = soft[i];
      if (c === '=' && /^[0-9A-Fa-f]{2}$/.test(soft.slice(i + 1, i + 3))) {
        bytes.push(parseInt(soft.slice(i + 1, i + 3), 16));
        i += 2;
      } else {
        bytes.push(...Buffer.from(c, 'utf8'));
      }
    }
    return Buffer.from(bytes);
  }
  return Buffer.from(text, 'utf8');
}

/** RFC 2047 encoded words (`=?UTF-8?Q?…?=`, `=?UTF-8?B?…?=`) decoded; adjacent words joined. */
export function decodeMimeWords(value: string): string {
  return value
    .replace(/(=\?[^?]+\?[QqBb]\?[^?]*\?=)\s+(?==\?)/g, '$1')
    .replace(/=\?([^?]+)\?([QqBb])\?([^?]*)\?=/g, (_, _charset: string, enc: string, data: string) =>
      enc.toUpperCase() === 'B'
        ? decodeBytes(data, 'base64').toString('utf8')
        : decodeBytes(data.replace(/_/g, ' '), 'quoted-printable').toString('utf8'),
    );
}

/** Parses a single-part message (what the SmtpNotifier sends): headers unfolded and decoded, text body decoded. */
export function parseMail(raw: string, envelope: { from: string; to: string[] }): ReceivedMail {
  const split = raw.search(/\r?\n\r?\n/);
  const head = split < 0 ? raw : raw.slice(0, split);
  const body = split < 0 ? '' : raw.slice(split).replace(/^\r?\n\r?\n/, '');
  const headers: Record<string, string> = {};
  for (const line of head.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    if (!(name in headers)) headers[name] = decodeMimeWords(line.slice(colon + 1).trim());
  }
  const text = decodeBytes(body, headers['content-transfer-encoding'] ?? '7bit')
    .toString('utf8')
    .replace(/\r\n/g, '\n');
  return {
    from: envelope.from,
    to: envelope.to,
    subject: headers['subject'] ?? '',
    text,
    messageId: headers['message-id'] ?? '',
    headers,
    raw,
  };
}

/** A real SMTP server (npm smtp-server) on a free port, keeping every message it accepts. */
export async function startSmtpServer(): Promise<TestSmtpServer> {
  const messages: ReceivedMail[] = [];
  let rejections: { n: number; code: number } = { n: 0, code: 550 };
  const server = new SMTPServer({
    authOptional: true,
    allowInsecureAuth: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onAuth(auth, _session, cb) {
      cb(null, { user: auth.username ?? 'test' });
    },
    onRcptTo(address, _session, cb) {
      if (rejections.n > 0) {
        rejections = { ...rejections, n: rejections.n - 1 };
        const err = Object.assign(new Error(`test refusal of ${address.address}`), {
          responseCode: rejections.code,
        });
        cb(err);
        return;
      }
      cb();
    },
    onData(stream, session, cb) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const env = session.envelope;
        messages.push(
          parseMail(Buffer.concat(chunks).toString('utf8'), {
            from: env.mailFrom ? env.mailFrom.address : '',
            to: env.rcptTo.map((r) => r.address),
          }),
        );
        cb();
      });
    },
  });
  const port = await new Promise<number>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const addr = (server as unknown as { server: Server }).server.address() as AddressInfo;
      resolve(addr.port);
    });
  });
  return {
    port,
    url: `smtp://test:test@127.0.0.1:${port}`,
    messages,
    rejectNext(n, code = 550) {
      rejections = { n, code };
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Webhooks

export interface ReceivedRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
  /** The status the receiver answered. */
  readonly status: number;
  readonly at: number;
}

export interface TestWebhookReceiver {
  readonly port: number;
  /** `http://127.0.0.1:<port>/hook`. */
  readonly url: string;
  /** Every request, in arrival order, with the status it got. */
  readonly requests: ReceivedRequest[];
  /** Requests answered 2xx. */
  accepted(): ReceivedRequest[];
  /** How many accepted requests each Idempotency-Key had. */
  countsByKey(): Map<string, number>;
  /** Answers the next `n` requests with `status` (500 by default) instead of 200. */
  failNext(n: number, status?: number): void;
  /** Waits `ms` before answering each request (a slow receiver). */
  setDelay(ms: number): void;
  close(): Promise<void>;
}

/** A real HTTP server (node:http) on a free port recording webhook calls; it can fail or be slow on demand. */
export async function startWebhookReceiver(): Promise<TestWebhookReceiver> {
  const requests: ReceivedRequest[] = [];
  let failures = { n: 0, status: 500 };
  let delayMs = 0;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      let status = 200;
      if (failures.n > 0) {
        status = failures.status;
        failures = { ...failures, n: failures.n - 1 };
      }
      const answer = () => {
        requests.push({
          method: req.method ?? '',
          path: req.url ?? '',
          headers: req.headers,
          body: Buffer.concat(chunks).toString('utf8'),
          status,
          at: Date.now(),
        });
        res.writeHead(status, { 'Content-Type': 'text/plain' }).end(status === 200 ? 'ok' : 'test failure');
      };
      if (delayMs > 0) setTimeout(answer, delayMs);
      else answer();
    });
  });
  const port = await new Promise<number>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
  });
  const accepted = () => requests.filter((r) => r.status >= 200 && r.status < 300);
  return {
    port,
    url: `http://127.0.0.1:${port}/hook`,
    requests,
    accepted,
    countsByKey() {
      const m = new Map<string, number>();
      for (const r of accepted()) {
        const k = String(r.headers['idempotency-key'] ?? '');
        m.set(k, (m.get(k) ?? 0) + 1);
      }
      return m;
    },
    failNext(n, status = 500) {
      failures = { n, status };
    },
    setDelay(ms) {
      delayMs = ms;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
