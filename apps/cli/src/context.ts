import {
  ApiKeyRepository,
  AuditLogRepository,
  createRedis,
  DeadLetterRepository,
  Redis,
  RedisKeys,
  RegistryRepository,
} from '@vigie/adapters';
import { ApiKeysService, RegistryService } from '@vigie/admin';
import { Actor, PLATFORM_ROLE } from '@vigie/domain';
import { userInfo } from 'node:os';
import { loadConfig } from '@vigie/config';
import { findDeviceKind } from '@vigie/devices';

/** What a command works with: the registry, the dead letters, and the connection and keys for other stores. */
export interface RegistryContext {
  readonly registry: RegistryRepository;
  /** The registry service the API uses too: every change checked the same way and audited. */
  readonly service: RegistryService;
  readonly apiKeys: ApiKeysService;
  readonly audit: AuditLogRepository;
  /** Who the audit log says made the change: the operator at this command line (platform rights). */
  readonly actor: Actor;
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
    const registry = new RegistryRepository(redis, keys, config.CREDENTIAL_KEY, findDeviceKind);
    const audit = new AuditLogRepository(redis, keys);
    return await fn({
      registry,
      service: new RegistryService(registry, audit),
      apiKeys: new ApiKeysService(new ApiKeyRepository(redis, keys, config.CREDENTIAL_KEY), registry, audit),
      audit,
      actor: cliActor(),
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

/** The operator running the command, as the audit log names them. */
export function cliActor(): Actor {
  let user = 'unknown';
  try {
    user = userInfo().username;
  } catch {
    // No passwd entry (some containers): the log still says it came from the command line.
  }
  return { id: `cli:${user}`, role: PLATFORM_ROLE };
}
