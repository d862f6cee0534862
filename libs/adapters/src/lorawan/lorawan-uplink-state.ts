import { Redis } from 'ioredis';
import { RedisKeys } from '../redis/redis-connection';

/**
 * One round trip per uplink (EVALSHA, loaded once): has this uplink been seen (dedup id), and how many frames
 * went missing since the device's previous uplink (fCnt gap)?
 *
 * KEYS: seen marker, fCnt hash, lost hash. ARGV: device id, fCnt, marker TTL (s), largest gap counted as loss,
 * fingerprint of the message. Returns {duplicate (0/1), lost, same message (0/1)}. The marker keeps the first
 * copy's fingerprint, so a copy tells a redelivery of the very same message from another copy of the uplink.
 * A counter that goes down or jumps by more than the largest gap is a reset (rejoin, new session): nothing
 * counted lost. The same fCnt again under another dedup id is a retransmission.
 */
const RECORD_SCRIPT = `
local first = redis.call('GET', KEYS[1])
if first then return {1, 0, first == ARGV[5] and 1 or 0} end
redis.call('SET', KEYS[1], ARGV[5], 'EX', ARGV[3])
local f = tonumber(ARGV[2])
local last = tonumber(redis.call('HGET', KEYS[2], ARGV[1]) or '-1')
local lost = 0
if last >= 0 and f > last + 1 and f - last - 1 <= tonumber(ARGV[4]) then lost = f - last - 1 end
redis.call('HSET', KEYS[2], ARGV[1], f)
if lost > 0 then redis.call('HINCRBY', KEYS[3], ARGV[1], lost) end
return {0, lost, 0}`;

export interface UplinkRecord {
  /** This dedup id was recorded before: the uplink is a copy. */
  readonly duplicate: boolean;
  /** Frames lost between the device's previous uplink and this one (0 for a duplicate). */
  readonly lost: number;
  /** A duplicate that is the very message that was recorded (same fingerprint): a redelivery of it. */
  readonly sameMessage: boolean;
}

/** The LoRaWAN MAX_FCNT_GAP: a larger jump is a reset, not a loss. */
export const LORAWAN_MAX_FCNT_GAP = 16384;

/**
 * Uplink de-duplication and frame-loss counting for LoRaWAN, in Redis so that several brokers share it (no
 * state in process memory). Dedup markers expire after `dedupTtlS` (a day by default).
 */
export class LorawanUplinkState {
  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
    private readonly dedupTtlS = 86_400,
  ) {
    if (!('vigieLorawanRecord' in this.redis)) {
      this.redis.defineCommand('vigieLorawanRecord', { numberOfKeys: 3, lua: RECORD_SCRIPT });
    }
  }

  async record(
    tenant: string,
    device: string,
    dedupId: string,
    fCnt: number,
    fingerprint = '',
  ): Promise<UplinkRecord> {
    const run = (
      this.redis as unknown as Record<
        string,
        (...args: (string | number)[]) => Promise<[number, number, number]>
      >
    )['vigieLorawanRecord'];
    const [duplicate, lost, same] = await run.call(
      this.redis,
      this.keys.lorawanSeen(tenant, dedupId),
      this.keys.lorawanFcnt(tenant),
      this.keys.lorawanLost(tenant),
      device,
      fCnt,
      this.dedupTtlS,
      LORAWAN_MAX_FCNT_GAP,
      fingerprint,
    );
    return { duplicate: duplicate === 1, lost, sameMessage: same === 1 };
  }

  /** Forgets a dedup marker: the uplink could not be spooled, so its redelivery must not count as a copy. */
  async forget(tenant: string, dedupId: string): Promise<void> {
    await this.redis.del(this.keys.lorawanSeen(tenant, dedupId));
  }

  /** Frames lost per device of a tenant since records began. */
  async lostUplinks(tenant: string): Promise<Record<string, number>> {
    const h = await this.redis.hgetall(this.keys.lorawanLost(tenant));
    return Object.fromEntries(Object.entries(h).map(([device, n]) => [device, Number(n)]));
  }
}
