import {
  DeadLetter,
  entryLines,
  InfluxError,
  InfluxErrorKind,
  SpoolBatch,
  SpoolEntry,
} from '@vigie/adapters';
import { RejectReason } from '@vigie/domain';

export interface SpoolSource {
  ensureGroup(): Promise<void>;
  read(consumer: string, count: number, blockMs: number, from: '>' | string): Promise<SpoolEntry[]>;
  claimAbandoned(consumer: string, minIdleMs: number, count: number): Promise<SpoolEntry[]>;
  remove(entries: readonly SpoolEntry[]): Promise<void>;
  append(batch: SpoolBatch): Promise<void>;
  depth(): Promise<number>;
}

export interface LineSink {
  write(body: string): Promise<void>;
  ensureDatabase(): Promise<void>;
}

export interface WriterObserver {
  batch(outcome: 'ok' | 'retry' | 'split' | 'rejected', lines: number, seconds: number): void;
  depth(lines: number): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
}

export interface SpoolWriterOptions {
  /** Consumer name in the spool's group: stable per instance, so a restart resumes its own pending entries. */
  readonly consumer: string;
  readonly batchLines: number;
  readonly concurrency: number;
  /** Entries another consumer held this long are taken over (that consumer is presumed dead). */
  readonly abandonedAfterMs?: number;
  /** When a read brings less than a tenth of a batch, wait this long for more before writing (default 0: none). */
  readonly lingerMs?: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Entries per read: one entry is one group commit (1 to a few thousand lines), so keep reads modest. */
const READ_COUNT = 50;

/** A read bringing less than this share of a batch means a nearly idle spool: only then does the writer linger. */
const LINGER_BELOW = 0.1;

/**
 * Moves the spool into InfluxDB: reads entries through the consumer group, writes them in batches, removes
 * them only once written. An outage of any length just keeps the entries (retried with back-off); a point
 * InfluxDB refuses for good (400) is found by bisection and dead-lettered alone; a body too large is split.
 */
export class SpoolWriter {
  private stopping = false;
  private loops: Promise<void>[] = [];
  private claimTimer?: NodeJS.Timeout;

  constructor(
    private readonly spool: SpoolSource,
    private readonly sink: LineSink,
    private readonly observer: WriterObserver,
    private readonly opts: SpoolWriterOptions,
  ) {}

  async start(): Promise<void> {
    await this.spool.ensureGroup();
    // What this consumer held before a restart is written first, in order, then new entries by every loop.
    this.loops.push(
      this.resumePending().then(() => {
        for (let i = 0; i < this.opts.concurrency; i++) this.loops.push(this.loop());
      }),
    );
    const abandonedAfter = this.opts.abandonedAfterMs ?? 300_000;
    this.claimTimer = setInterval(
      () => {
        this.spool
          .claimAbandoned(this.opts.consumer, abandonedAfter, 1000)
          .then((entries) => (entries.length ? this.writeEntries(entries) : undefined))
          .catch((err: Error) =>
            this.observer.warn('could not take over abandoned spool entries', { err: err.message }),
          );
      },
      Math.min(abandonedAfter, 60_000),
    );
    this.claimTimer.unref();
  }

  /** Finishes the batch in hand; unwritten entries stay in the spool for the next start. */
  async stop(): Promise<void> {
    this.stopping = true;
    if (this.claimTimer) clearInterval(this.claimTimer);
    // First the resume task (which adds the loops when it ends), then the loops it added.
    await Promise.all(this.loops);
    await Promise.all(this.loops);
  }

  /** Walks this consumer's pending entries once, oldest first, with a cursor so nothing is read twice. */
  private async resumePending(): Promise<void> {
    let cursor = '0';
    while (!this.stopping) {
      try {
        const entries = await this.spool.read(this.opts.consumer, READ_COUNT, 0, cursor);
        if (entries.length === 0) return;
        cursor = entries[entries.length - 1].id;
        await this.writeEntries(entries);
      } catch (err) {
        if (this.stopping) return;
        this.observer.warn('spool read failed; retrying', { err: (err as Error).message });
        await sleep(500);
      }
    }
  }

  private async loop(): Promise<void> {
    let lastDepthAt = 0;
    while (!this.stopping) {
      try {
        let entries = await this.spool.read(this.opts.consumer, READ_COUNT, 200, '>');
        const linger = this.opts.lingerMs ?? 0;
        if (entries.length && linger > 0 && lineCount(entries) < this.opts.batchLines * LINGER_BELOW) {
          // A nearly idle spool: wait a moment for more, so that InfluxDB gets fewer, larger writes. Under load
          // reads bring more than that, and the loops never stand idle while lines wait.
          await sleep(linger);
          entries = entries.concat(await this.spool.read(this.opts.consumer, READ_COUNT, 0, '>'));
        }
        if (entries.length) await this.writeEntries(entries);
        if (Date.now() - lastDepthAt > 1000) {
          lastDepthAt = Date.now();
          this.observer.depth(await this.spool.depth());
        }
      } catch (err) {
        if (this.stopping) break;
        this.observer.warn('spool read failed; retrying', { err: (err as Error).message });
        await sleep(500);
      }
    }
  }

  private async writeEntries(entries: readonly SpoolEntry[]): Promise<void> {
    // Entries are written in groups of about batchLines lines, and removed group by group.
    let group: SpoolEntry[] = [];
    let count = 0;
    for (const entry of entries) {
      group.push(entry);
      count += entry.count;
      if (count >= this.opts.batchLines) {
        await this.writeGroup(group);
        group = [];
        count = 0;
      }
    }
    if (group.length) await this.writeGroup(group);
  }

  private async writeGroup(group: readonly SpoolEntry[]): Promise<void> {
    const written = group.filter((e) => e.count > 0);
    const count = lineCount(written);
    const refused: string[] = [];
    // The entries' texts go out as they are; only a write InfluxDB refuses looks at the lines one by one.
    if (count > 0) {
      const body = written.map((e) => e.text).join('\n');
      await this.writeReliably(body, count, () => written.flatMap(entryLines), refused);
    }
    if (refused.length) {
      await this.spool.append({ lines: [], deadLetters: refused.map(refusedLineDeadLetter) });
    }
    await this.retryForever(() => this.spool.remove(group), 'spool remove');
  }

  /**
   * Writes `body`, `count` lines, retrying outages forever. Only when InfluxDB refuses it are its lines (`lines()`)
   * looked at one by one: lines refused for good are pushed to `refused`.
   */
  private async writeReliably(
    body: string,
    count: number,
    lines: () => string[],
    refused: string[],
  ): Promise<void> {
    let delay = 100;
    for (;;) {
      const started = process.hrtime.bigint();
      try {
        await this.sink.write(body);
        this.observer.batch('ok', count, seconds(started));
        return;
      } catch (err) {
        const e =
          err instanceof InfluxError ? err : new InfluxError(InfluxErrorKind.Unavailable, String(err));
        if (e.kind === InfluxErrorKind.BadData || e.kind === InfluxErrorKind.TooLarge) {
          if (count === 1) {
            if (e.kind === InfluxErrorKind.BadData) {
              this.observer.batch('rejected', 1, seconds(started));
              refused.push(`${body}\n${e.message}`);
              return;
            }
          } else {
            // Lines accepted by a partial write are rewritten by the halves: InfluxDB keeps one copy.
            this.observer.batch('split', count, seconds(started));
            const all = lines();
            const mid = Math.ceil(all.length / 2);
            for (const half of [all.slice(0, mid), all.slice(mid)])
              await this.writeReliably(half.join('\n'), half.length, () => half, refused);
            return;
          }
        }
        if (e.kind === InfluxErrorKind.NoDatabase) {
          await this.sink.ensureDatabase().catch(() => undefined);
        }
        this.observer.batch('retry', count, seconds(started));
        if (delay >= 1600)
          this.observer.warn('InfluxDB write failing; readings stay in the spool', {
            err: e.message,
            lines: count,
          });
        await sleep(delay);
        delay = Math.min(delay * 2, 5000);
      }
    }
  }

  private async retryForever(op: () => Promise<void>, what: string): Promise<void> {
    for (let delay = 100; ; delay = Math.min(delay * 2, 5000)) {
      try {
        return await op();
      } catch (err) {
        this.observer.warn(`${what} failed; retrying`, { err: (err as Error).message });
        await sleep(delay);
      }
    }
  }
}

function lineCount(entries: readonly SpoolEntry[]): number {
  return entries.reduce((n, e) => n + e.count, 0);
}

function seconds(started: bigint): number {
  return Number(process.hrtime.bigint() - started) / 1e9;
}

function refusedLineDeadLetter(lineAndError: string): DeadLetter {
  const [line, error] = lineAndError.split('\n');
  const tags = /(?:^|,)tenant=([^, ]+)/.exec(line);
  const device = /(?:^|,)device=([^, ]+)/.exec(line);
  return {
    at: Date.now(),
    tenant: tags?.[1] ?? '',
    device: device?.[1] ?? '',
    topic: '',
    reasons: [RejectReason.WriteRejected],
    detail: error,
    payload: line,
    rejected: 1,
    accepted: 0,
  };
}
