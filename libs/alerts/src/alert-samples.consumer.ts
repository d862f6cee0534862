import { firstStreamEntries, Redis, RedisKeys } from '@vigie/adapters';
import { ALERT_SAMPLES_FIELD, AlertSampleRecord } from '@vigie/contracts';
import { randomUUID } from 'node:crypto';
import { ReadingAlertEvaluator, ReadingEvaluationSummary } from './reading-alerts.evaluator';

const GROUP = 'alert-evaluators';
/** One consumer name for whoever holds the lease: a new holder resumes the entries the last one left pending. */
const CONSUMER = 'evaluator';

const RENEW_SCRIPT = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 0`;
const RELEASE_SCRIPT = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

export interface AlertSamplesConsumerOptions {
  /** Stream entries per read (each holds one group commit's records). */
  readonly count?: number;
  readonly blockMs?: number;
  readonly leaseMs?: number;
  readonly onBatch?: (s: ReadingEvaluationSummary & { entries: number; durationMs: number }) => void;
  readonly onError?: (err: unknown) => void;
}

/**
 * Drains the alert-samples stream into the reading evaluator. Evaluation keeps per-device state, so one process at a
 * time evaluates: whoever holds a lease in Redis (renewed while it runs; another worker takes over within
 * `leaseMs` of a crash and resumes the entries left unacknowledged). Entries are acknowledged and deleted only
 * after their alerts are raised and the rules' state saved.
 */
export class AlertSamplesConsumer {
  private running = false;
  private loop?: Promise<void>;
  private readonly token = randomUUID();
  private holding = false;

  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
    private readonly evaluator: ReadingAlertEvaluator,
    private readonly opts: AlertSamplesConsumerOptions = {},
  ) {}

  private get leaseKey(): string {
    return `${this.keys.alertSamples()}:lease`;
  }

  async start(): Promise<void> {
    try {
      await this.redis.xgroup('CREATE', this.keys.alertSamples(), GROUP, '0', 'MKSTREAM');
    } catch (err) {
      if (!String((err as Error).message).includes('BUSYGROUP')) throw err;
    }
    this.running = true;
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.loop;
    if (this.holding) await this.redis.eval(RELEASE_SCRIPT, 1, this.leaseKey, this.token);
    this.holding = false;
  }

  /** Whether this process evaluates now. */
  get active(): boolean {
    return this.holding;
  }

  private async acquire(): Promise<boolean> {
    const leaseMs = this.opts.leaseMs ?? 15_000;
    if (this.holding) {
      this.holding =
        (await this.redis.eval(RENEW_SCRIPT, 1, this.leaseKey, this.token, String(leaseMs))) === 1;
    } else {
      this.holding = (await this.redis.set(this.leaseKey, this.token, 'PX', leaseMs, 'NX')) === 'OK';
    }
    return this.holding;
  }

  private async run(): Promise<void> {
    let resumed = false;
    while (this.running) {
      try {
        if (!(await this.acquire())) {
          resumed = false;
          await new Promise((r) => setTimeout(r, Math.min(1000, this.opts.leaseMs ?? 15_000)));
          continue;
        }
        // First what the previous holder left pending, then new entries.
        const from = resumed ? '>' : '0';
        const count = this.opts.count ?? 50;
        const stream = this.keys.alertSamples();
        const reply =
          from === '>'
            ? await this.redis.xreadgroup(
                'GROUP',
                GROUP,
                CONSUMER,
                'COUNT',
                count,
                'BLOCK',
                this.opts.blockMs ?? 1000,
                'STREAMS',
                stream,
                from,
              )
            : await this.redis.xreadgroup('GROUP', GROUP, CONSUMER, 'COUNT', count, 'STREAMS', stream, from);
        const entries = firstStreamEntries(reply);
        if (from === '0' && entries.length === 0) resumed = true;
        if (entries.length === 0) continue;
        const started = Date.now();
        const records: AlertSampleRecord[] = [];
        for (const [, fields] of entries) {
          const i = fields ? fields.indexOf(ALERT_SAMPLES_FIELD) : -1;
          if (!fields || i < 0) continue;
          try {
            records.push(...(JSON.parse(fields[i + 1]) as AlertSampleRecord[]));
          } catch (err) {
            this.opts.onError?.(err);
          }
        }
        const summary = await this.evaluator.evaluate(records);
        const ids = entries.map(([id]) => id);
        await this.redis.xack(this.keys.alertSamples(), GROUP, ...ids);
        await this.redis.xdel(this.keys.alertSamples(), ...ids);
        this.opts.onBatch?.({ ...summary, entries: entries.length, durationMs: Date.now() - started });
      } catch (err) {
        this.opts.onError?.(err);
        await new Promise((r) => setTimeout(r, 500));
      }
    }
  }
}
