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

/**
 * One group commit in one script (atomic, like MULTI, at the cost of one command and one reply): the lines and
 * their count, the alert samples (bounded stream), the dead letters (a bounded stream per tenant, and the set of
 * tenants that have some). KEYS: spool, spool line count, alert samples, dead-letter tenants, then the stream of
 * each dead letter. ARGV: lines, their count, samples ('' for none), samples bound, dead-letter bound, then the
 * tenant and JSON of each dead letter.
 */
const APPEND_SCRIPT = `
local n = tonumber(ARGV[2])
if n > 0 then
  redis.call('XADD', KEYS[1], '*', 'l', ARGV[1], 'n', ARGV[2])
  redis.call('INCRBY', KEYS[2], n)
end
if ARGV[3] ~= '' then
  redis.call('XADD', KEYS[3], 'MAXLEN', '~', ARGV[4], '*', '${ALERT_SAMPLES_FIELD}', ARGV[3])
end
for i = 5, #KEYS do
  local j = 6 + (i - 5) * 2
  redis.call('XADD', KEYS[i], 'MAXLEN', '~', ARGV[5], '*', 'json', ARGV[j + 1])
  redis.call('SADD', KEYS[4], ARGV[j])
end
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

type AppendCommand = (numberOfKeys: number, ...keysAndArgs: string[]) => Promise<number>;

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
    // Sent once, then run by their SHA (EVALSHA): appends and removals run many times a second. The append's
    // number of keys varies with its dead letters: it is the command's first argument.
    if (!('vigieSpoolRemove' in this.redis)) {
      this.redis.defineCommand('vigieSpoolRemove', { numberOfKeys: 2, lua: REMOVE_SCRIPT });
    }
    if (!('vigieSpoolAppend' in this.redis)) {
      this.redis.defineCommand('vigieSpoolAppend', { lua: APPEND_SCRIPT });
    }
  }

  /** Appends lines, alert samples and dead letters atomically (one script). */
  async append(batch: SpoolBatch): Promise<void> {
    const samples = batch.samples?.length && this.alertSamplesMax > 0 ? JSON.stringify(batch.samples) : '';
    const keys = [
      this.keys.spool(),
      this.keys.spoolLines(),
      this.keys.alertSamples(),
      this.keys.deadLetterTenants(),
    ];
    const args = [
      batch.lines.length > 0 ? batch.lines.join('\n') : '',
      String(batch.lines.length),
      samples,
      String(this.alertSamplesMax),
      String(this.deadLetterMaxPerTenant),
    ];
    for (const dl of batch.deadLetters) {
      const tenant = dl.tenant || '_';
      keys.push(this.keys.deadLetters(tenant));
      args.push(tenant, JSON.stringify(dl));
    }
    const append = (this.redis as unknown as { vigieSpoolAppend: AppendCommand }).vigieSpoolAppend;
    await append.call(this.redis, keys.length, ...keys, ...args);
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
