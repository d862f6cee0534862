import { Redis } from 'ioredis';
import { RedisKeys } from './redis-connection';

/**
 * Counts failed logins per remote address in Redis (shared by every broker). Once an address reaches
 * `limit` failures inside `windowS`, its CONNECTs are refused without checking credentials until the window
 * ends.
 */
export class AuthThrottle {
  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
    private readonly limit: number,
    private readonly windowS: number,
  ) {}

  async isBlocked(address: string): Promise<boolean> {
    const n = await this.redis.get(this.keys.authFailures(address));
    return n !== null && Number(n) >= this.limit;
  }

  async recordFailure(address: string): Promise<number> {
    const key = this.keys.authFailures(address);
    const [[, count]] = (await this.redis.multi().incr(key).expire(key, this.windowS, 'NX').exec()) as [
      [Error | null, number],
    ];
    return count;
  }
}
