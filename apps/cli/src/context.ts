import { createRedis, DeadLetterRepository, Redis, RedisKeys, RegistryRepository } from '@vigie/adapters';
import { loadConfig } from '@vigie/config';
import { findDeviceKind } from '@vigie/devices';

/** What a command works with: the registry, the dead letters, and the connection and keys for other stores. */
export interface RegistryContext {
  readonly registry: RegistryRepository;
  readonly deadLetters: DeadLetterRepository;
  readonly redis: Redis;
  readonly keys: RedisKeys;
}

/** Opens the registry for one command and closes it after. Validates only the variables it needs. */
export async function withRegistry<T>(fn: (ctx: RegistryContext) => Promise<T>): Promise<T> {
  const config = loadConfig(['REDIS_URL', 'REDIS_PREFIX', 'CREDENTIAL_KEY']);
  const redis = createRedis(config.REDIS_URL, { name: 'vigie-cli' });
  redis.on('error', () => undefined);
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      redis.ping(),
      new Promise((_, reject) => {
        timer = setTimeout(
          () =>
            reject(
              new Error(
                `cannot reach Redis at ${config.REDIS_URL} (is 'vigie stack' running, or REDIS_URL set?)`,
              ),
            ),
          5000,
        );
      }),
    ]);
    const keys = new RedisKeys(config.REDIS_PREFIX);
    return await fn({
      registry: new RegistryRepository(redis, keys, config.CREDENTIAL_KEY, findDeviceKind),
      deadLetters: new DeadLetterRepository(redis, keys),
      redis,
      keys,
    });
  } finally {
    // Nothing (a test running commands in-process) waits for the timer.
    clearTimeout(timer);
    redis.disconnect();
  }
}
