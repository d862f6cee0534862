import { Redis } from 'ioredis';
import { RedisKeys } from '../redis/redis-connection';
import { DeadLetter } from './dead-letter';

/** Reads the dead-letter store (newest first). */
export class DeadLetterRepository {
  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
  ) {}

  async list(opts: { tenant?: string; limit: number }): Promise<(DeadLetter & { id: string })[]> {
    const tenants = opts.tenant
      ? [opts.tenant]
      : (await this.redis.smembers(this.keys.deadLetterTenants())).sort();
    const all: (DeadLetter & { id: string })[] = [];
    for (const tenant of tenants) {
      const entries = await this.redis.xrevrange(
        this.keys.deadLetters(tenant),
        '+',
        '-',
        'COUNT',
        opts.limit,
      );
      for (const [id, fields] of entries) {
        all.push({ id, ...(JSON.parse(fields[1]) as DeadLetter) });
      }
    }
    return all.sort((a, b) => b.at - a.at).slice(0, opts.limit);
  }

  async count(tenant: string): Promise<number> {
    return this.redis.xlen(this.keys.deadLetters(tenant));
  }
}
