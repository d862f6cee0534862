import { ALERT_SAMPLES_FIELD, AlertSampleRecord } from '@vigie/contracts';
import { Redis } from 'ioredis';
import { RedisKeys } from '../redis/redis-connection';
import { DeadLetter } from './dead-letter';

const GROUP = 'writers';

const REMOVE_SCRIPT = `
local n = 0
for i = 2, #ARGV, 2 do
  redis.call('XACK', KEYS[1], ARGV[1], ARGV[i])
  if redis.call('XDEL', KEYS[1], ARGV[i]) == 1 then n = n + tonumber(ARGV[i + 1]) end
end
if n > 0 then redis.call('DECRBY', KEYS[2], n) end
return n`;

/** One group commit: line-protocol lines bound for InfluxDB and the dead letters of the same publishes. */
export interface SpoolBatch {
  readonly lines: readonly string[];
  readonly deadLetters: readonly DeadLetter[];
  /** What alert evaluation needs of the same publishes (absent or empty: nothing). */
  readonly samples?: readonly AlertSampleRecord[];
}

/** Default bound of the alert-samples stream (entries = group commits): past it, the oldest are trimmed. */
export const ALERT_SAMPLES_MAX_ENTRIES = 200_000;

/** One spool entry as a writer reads it: its lines as one text (joined by newlines) and how many there are. */
export interface SpoolEntry {
  readonly id: string;
  readonly text: string;
  readonly count: number;
}

/** The lines of an entry, for the rare write that must look at them one by one. */
export function entryLines(entry: SpoolEntry): string[] {
  return entry.text === '' ? [] : entry.text.split('\n');
}

/** An entry from its stream fields: `l` the lines, `n` their count (absent in entries of older versions). */
function toEntry(id: string, fields: string[]): SpoolEntry {
  let text = '';
  let count: number | undefined;
  for (let i = 0; i + 1 < fields.length; i += 2) {
    if (fields[i] === 'l') text = fields[i + 1];
    else if (fields[i] === 'n') count = Number(fields[i + 1]);
  }
  return { id, text, count: count ?? (text === '' ? 0 : text.split('\n').length) };
}

type RemoveCommand = (
  spool: string,
  lines: string,
  group: string,
  ...idsAndCounts: string[]
) => Promise<number>;

/**
 * The durable spool: a Redis stream of line-protocol chunks (with AOF on, as `vigie stack` and production run
 * it). A publish is acknowledged only after its chunk is in the stream; writers consume it through a consumer
 * group and delete each entry once InfluxDB has it, so the stream holds exactly what is not yet written.
 */
export class RedisSpool {
  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
    private readonly deadLetterMaxPerTenant: number,
    /** Bound of the alert-samples stream; 0: samples are not kept (alerting on readings is off). */
    private readonly alertSamplesMax = ALERT_SAMPLES_MAX_ENTRIES,
  ) {
    // Sent once, then run by its SHA (EVALSHA): the writer removes entries many times a second.
    if (!('vigieSpoolRemove' in this.redis)) {
      this.redis.defineCommand('vigieSpoolRemove', { numberOfKeys: 2, lua: REMOVE_SCRIPT });
    }
  }

  /** Appends lines and dead letters atomically (one MULTI). */
  async append(batch: SpoolBatch): Promise<void> {
    const tx = this.redis.multi();
    if (batch.lines.length > 0) {
      tx.xadd(this.keys.spool(), '*', 'l', batch.lines.join('\n'), 'n', String(batch.lines.length));
      tx.incrby(this.keys.spoolLines(), batch.lines.length);
    }
    if (batch.samples?.length && this.alertSamplesMax > 0) {
      tx.xadd(
        this.keys.alertSamples(),
        'MAXLEN',
        '~',
        String(this.alertSamplesMax),
        '*',
        ALERT_SAMPLES_FIELD,
        JSON.stringify(batch.samples),
      );
    }
    for (const dl of batch.deadLetters) {
      const tenant = dl.tenant || '_';
      tx.xadd(
        this.keys.deadLetters(tenant),
        'MAXLEN',
        '~',
        String(this.deadLetterMaxPerTenant),
        '*',
        'json',
        JSON.stringify(dl),
      );
      tx.sadd(this.keys.deadLetterTenants(), tenant);
    }
    const results = await tx.exec();
    const failed = results?.find(([err]) => err);
    if (!results || failed) throw failed?.[0] ?? new Error('spool transaction aborted');
  }

  /** Lines (points) not yet written to InfluxDB, whatever the number of entries holding them. */
  async depth(): Promise<number> {
    return Number((await this.redis.get(this.keys.spoolLines())) ?? 0);
  }

  async ensureGroup(): Promise<void> {
    try {
      await this.redis.xgroup('CREATE', this.keys.spool(), GROUP, '0', 'MKSTREAM');
    } catch (err) {
      if (!String((err as Error).message).includes('BUSYGROUP')) throw err;
    }
  }

  /**
   * Reads entries for `consumer`: `'>'` reads new entries, waiting up to `blockMs`; an entry id reads, without
   * waiting, the entries this consumer was given before and has not acknowledged, after that id (`'0'` for all:
   * resuming after a restart).
   */
  async read(consumer: string, count: number, blockMs: number, from: '>' | string): Promise<SpoolEntry[]> {
    const args: (string | number)[] = ['GROUP', GROUP, consumer, 'COUNT', count];
    if (from === '>' && blockMs > 0) args.push('BLOCK', blockMs);
    args.push('STREAMS', this.keys.spool(), from);
    const res = await this.redis.call('XREADGROUP', ...args);
    const out: SpoolEntry[] = [];
    for (const [id, fields] of firstStreamEntries(res)) {
      // A pending entry deleted meanwhile comes back with no fields.
      if (fields) out.push(toEntry(id, fields));
    }
    return out;
  }

  /** Hands over entries that another (dead) consumer has held longer than `minIdleMs`. */
  async claimAbandoned(consumer: string, minIdleMs: number, count: number): Promise<SpoolEntry[]> {
    const pending = (await this.redis.call(
      'XPENDING',
      this.keys.spool(),
      GROUP,
      'IDLE',
      minIdleMs,
      '-',
      '+',
      count,
    )) as [string, string, number, number][];
    const ids = pending.filter(([, owner]) => owner !== consumer).map(([id]) => id);
    if (ids.length === 0) return [];
    const claimed = (await this.redis.call(
      'XCLAIM',
      this.keys.spool(),
      GROUP,
      consumer,
      minIdleMs,
      ...ids,
    )) as [string, string[] | null][];
    return claimed.filter(([, f]) => f).map(([id, f]) => toEntry(id, f as string[]));
  }

  /**
   * Written: acknowledge and delete the entries, and take their lines off the count — only for entries this call
   * deleted, so two writers finishing the same (taken-over) entry never count it twice. Atomic (one script).
   */
  async remove(entries: readonly SpoolEntry[]): Promise<void> {
    if (entries.length === 0) return;
    const args = entries.flatMap((e) => [e.id, String(e.count)]);
    const remove = (this.redis as unknown as { vigieSpoolRemove: RemoveCommand }).vigieSpoolRemove;
    await remove.call(this.redis, this.keys.spool(), this.keys.spoolLines(), GROUP, ...args);
  }
}

type RawEntry = [string, string[] | null];

/**
 * The entries of the first stream in an XREAD/XREADGROUP reply, whichever shape the connection's protocol
 * gives: RESP2 `[[key, entries]]`, or RESP3's map flattened to `[key, entries]`.
 */
export function firstStreamEntries(reply: unknown): RawEntry[] {
  if (!Array.isArray(reply) || reply.length === 0) return [];
  if (typeof reply[0] === 'string' || Buffer.isBuffer(reply[0])) return (reply[1] as RawEntry[]) ?? [];
  return ((reply[0] as [string, RawEntry[]])[1] as RawEntry[]) ?? [];
}
