import { Role } from '@vigie/domain';
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { RedisKeys } from '../redis/redis-connection';
import { generateSecret, hashSecret, verifySecret } from '../registry/credentials';

/** An API key as stored and listed: never its secret, only a keyed hash of it. */
export interface ApiKey {
  readonly id: string;
  /** The tenant the key is scoped to; undefined for a platform key. */
  readonly tenant?: string;
  readonly role: Role;
  readonly name: string;
  readonly createdAt: string;
  readonly createdBy: string;
  readonly expiresAt: string;
  readonly revokedAt?: string;
}

export interface NewApiKey {
  readonly tenant?: string;
  readonly role: Role;
  readonly name: string;
  readonly expiresAt: number;
  readonly createdBy: string;
}

/** Why a presented key was not accepted; the guard says it without telling whether the id exists. */
export type ApiKeyRefusal = 'malformed' | 'unknown' | 'revoked' | 'expired';

const TOKEN = /^vk_([0-9a-f]{16})\.([A-Za-z0-9_-]{32})$/;

/** The bearer token of a key: `vk_<id>.<secret>`, the id finding the record, the secret checked against its hash. */
export function apiKeyToken(id: string, secret: string): string {
  return `vk_${id}.${secret}`;
}

function keyOf(h: Record<string, string>): ApiKey {
  return {
    id: h['id'],
    ...(h['tenant'] ? { tenant: h['tenant'] } : {}),
    role: h['role'] as Role,
    name: h['name'],
    createdAt: h['createdAt'],
    createdBy: h['createdBy'],
    expiresAt: h['expiresAt'],
    ...(h['revokedAt'] ? { revokedAt: h['revokedAt'] } : {}),
  };
}

/**
 * API keys in Redis. A key's secret has 192 random bits, is returned once by `create` and stored as an HMAC under
 * CREDENTIAL_KEY (as device secrets), so `verify` costs microseconds per request. Revoked keys stay listed.
 */
export class ApiKeyRepository {
  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
    private readonly credentialKey: string,
    private readonly now: () => number = Date.now,
  ) {}

  async create(input: NewApiKey): Promise<{ key: ApiKey; token: string }> {
    const id = randomBytes(8).toString('hex');
    const secret = generateSecret();
    const record: Record<string, string> = {
      id,
      tenant: input.tenant ?? '',
      role: input.role,
      name: input.name,
      createdAt: new Date(this.now()).toISOString(),
      createdBy: input.createdBy,
      expiresAt: new Date(input.expiresAt).toISOString(),
      hash: hashSecret(this.credentialKey, `apikey:${id}`, secret),
    };
    await this.redis
      .multi()
      .hset(this.keys.apiKey(id), record)
      .sadd(this.keys.apiKeys(input.tenant ?? ''), id)
      .exec();
    return { key: keyOf(record), token: apiKeyToken(id, secret) };
  }

  async get(id: string): Promise<ApiKey | undefined> {
    const h = await this.redis.hgetall(this.keys.apiKey(id));
    return h['id'] ? keyOf(h) : undefined;
  }

  /** The keys of a tenant (or, with '', the platform's), oldest first. */
  async list(tenant: string): Promise<ApiKey[]> {
    const ids = await this.redis.smembers(this.keys.apiKeys(tenant));
    const pipeline = this.redis.pipeline();
    for (const id of ids) pipeline.hgetall(this.keys.apiKey(id));
    const rows = ((await pipeline.exec()) ?? []).map(([, h]) => h as Record<string, string>);
    return rows
      .filter((h) => h['id'])
      .map(keyOf)
      .sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id));
  }

  /** Marks a key revoked (it stops working at once); resolves with the key, or undefined if there is none. */
  async revoke(id: string): Promise<ApiKey | undefined> {
    const key = await this.get(id);
    if (!key) return undefined;
    if (key.revokedAt) return key;
    const revokedAt = new Date(this.now()).toISOString();
    await this.redis.hset(this.keys.apiKey(id), 'revokedAt', revokedAt);
    return { ...key, revokedAt };
  }

  /** The key a bearer token presents, or why it is refused. */
  async verify(token: string): Promise<{ key: ApiKey } | { refused: ApiKeyRefusal }> {
    const m = TOKEN.exec(token);
    if (!m) return { refused: 'malformed' };
    const h = await this.redis.hgetall(this.keys.apiKey(m[1]));
    if (!h['id'] || !verifySecret(this.credentialKey, `apikey:${m[1]}`, m[2], h['hash'] ?? '')) {
      return { refused: 'unknown' };
    }
    const key = keyOf(h);
    if (key.revokedAt) return { refused: 'revoked' };
    if (Date.parse(key.expiresAt) <= this.now()) return { refused: 'expired' };
    return { key };
  }
}
