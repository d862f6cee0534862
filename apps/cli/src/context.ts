import { createRedis, DeadLetterRepository, RedisKeys, RegistryRepository } from '@vigie/adapters';
import { loadConfig } from '@vigie/config';
import { findDeviceKind } from '@vigie/devices';

/** Opens the registry for one command and closes it after. Validates only the variables it needs. */
export async function withRegistry<T>(
  fn: (ctx: { registry: RegistryRepository; deadLetters: DeadLetterRepository }) => Promise<T>,
): Promise<T> {
  const config = loadConfig(['REDIS_URL', 'REDIS_PREFIX', 'CREDENTIAL_KEY']);
  const redis = createRedis(config.REDIS_URL, { name: 'vigie-cli' });
  redis.on('error', () => undefined);
  try {
    await Promise.race([
      redis.ping(),
      new Promise((_, reject) =>
        setTimeout(
          () =>
            reject(
              new Error(
                `cannot reach Redis at ${config.REDIS_URL} (is 'vigie stack' running, or REDIS_URL set?)`,
              ),
            ),
          5000,
        ),
      ),
    ]);
    const keys = new RedisKeys(config.REDIS_PREFIX);
    return await fn({
      registry: new RegistryRepository(redis, keys, config.CREDENTIAL_KEY, findDeviceKind),
      deadLetters: new DeadLetterRepository(redis, keys),
    });
  } finally {
    redis.disconnect();
  }
}
