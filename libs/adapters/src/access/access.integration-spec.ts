import { Actor } from '@vigie/domain';
import { serviceUrls, TEST_CREDENTIAL_KEY, uniqueName } from '@vigie/testing';
import { Redis } from 'ioredis';
import { createRedis, RedisKeys } from '../redis/redis-connection';
import { hashSecret } from '../registry/credentials';
import { ApiKeyRepository, apiKeyToken } from './api-key.repository';
import { AuditEntry, AuditLogRepository } from './audit-log.repository';

const T0 = Date.parse('2026-03-01T08:00:00.000Z');
const DAY = 86_400_000;

/** The secret part of a token `vk_<id>.<secret>`. */
function secretOf(token: string): string {
  return token.slice(token.indexOf('.') + 1);
}

describe('ApiKeyRepository against real Redis', () => {
  let redis: Redis;
  let prefix: string;
  let clock: number;
  let repo: ApiKeyRepository;

  beforeAll(() => {
    redis = createRedis(serviceUrls().redisUrl, { name: 'test' });
  });
  afterAll(async () => redis.quit());
  beforeEach(() => {
    prefix = `${uniqueName('keys')}:`;
    clock = T0;
    repo = new ApiKeyRepository(redis, new RedisKeys(prefix), TEST_CREDENTIAL_KEY, () => clock);
  });

  it('creates a key whose token verifies, and lists it without any secret', async () => {
    const { key, token } = await repo.create({
      tenant: 'lyon',
      role: 'energy-manager',
      name: 'grafana',
      expiresAt: T0 + 30 * DAY,
      createdBy: 'cli:jeanne',
    });
    expect(token).toMatch(/^vk_[0-9a-f]{16}\.[A-Za-z0-9_-]{32}$/);
    expect(token).toBe(apiKeyToken(key.id, secretOf(token)));
    expect(key).toEqual({
      id: token.slice(3, 19),
      tenant: 'lyon',
      role: 'energy-manager',
      name: 'grafana',
      createdAt: '2026-03-01T08:00:00.000Z',
      createdBy: 'cli:jeanne',
      expiresAt: '2026-03-31T08:00:00.000Z',
    });
    expect(await repo.verify(token)).toEqual({ key });
    expect(await repo.get(key.id)).toEqual(key);
    expect(await repo.list('lyon')).toEqual([key]);
  });

  it('stores a keyed hash of the secret, never the secret itself', async () => {
    const { key, token } = await repo.create({
      tenant: 'lyon',
      role: 'viewer',
      name: 'n',
      expiresAt: T0 + DAY,
      createdBy: 'c',
    });
    const secret = secretOf(token);
    const stored = await redis.hgetall(`${prefix}apikey:${key.id}`);
    expect(Object.keys(stored).sort()).toEqual(
      ['createdAt', 'createdBy', 'expiresAt', 'hash', 'id', 'name', 'role', 'tenant'].sort(),
    );
    expect(stored['hash']).toMatch(/^[0-9a-f]{64}$/);
    expect(stored['hash']).not.toBe(secret);
    expect(stored['hash']).toBe(hashSecret(TEST_CREDENTIAL_KEY, `apikey:${key.id}`, secret));
    expect(JSON.stringify(stored)).not.toContain(secret);
    expect(JSON.stringify(await repo.get(key.id))).not.toContain(secret);
    expect(JSON.stringify(await repo.list('lyon'))).not.toContain(stored['hash']);
  });

  it('refuses a wrong secret, an unknown id and a malformed token, each for its reason', async () => {
    const { key, token } = await repo.create({
      tenant: 'lyon',
      role: 'admin',
      name: 'n',
      expiresAt: T0 + DAY,
      createdBy: 'c',
    });
    const secret = secretOf(token);
    const otherSecret = (secret[0] === 'A' ? 'B' : 'A') + secret.slice(1);
    expect(await repo.verify(apiKeyToken(key.id, otherSecret))).toEqual({ refused: 'unknown' });
    const otherId = (key.id[0] === '0' ? '1' : '0') + key.id.slice(1);
    expect(await repo.verify(apiKeyToken(otherId, secret))).toEqual({ refused: 'unknown' });
    // A key made with another credential key does not verify here.
    const elsewhere = new ApiKeyRepository(
      redis,
      new RedisKeys(prefix),
      'another-credential-key-0123456789ab',
    );
    expect(await elsewhere.verify(token)).toEqual({ refused: 'unknown' });
    for (const malformed of [
      '',
      'Bearer ' + token,
      token + 'x',
      token.slice(0, -1),
      token.replace('vk_', 'vx_'),
      token.replace('.', ':'),
      `vk_${key.id.toUpperCase()}.${secret}`,
      `vk_${key.id.slice(1)}.${secret}`,
      `vk_${key.id}.${secret.slice(0, 31)}+`,
      ` ${token}`,
    ]) {
      expect({ malformed, result: await repo.verify(malformed) }).toEqual({
        malformed,
        result: { refused: 'malformed' },
      });
    }
    // The right token still works after all those attempts.
    expect(await repo.verify(token)).toEqual({ key });
  });

  it('revokes a key: it stops verifying at once and stays listed with its revocation time', async () => {
    const { key, token } = await repo.create({
      tenant: 'lyon',
      role: 'technician',
      name: 'n',
      expiresAt: T0 + DAY,
      createdBy: 'c',
    });
    clock = T0 + 60_000;
    const revoked = await repo.revoke(key.id);
    expect(revoked).toEqual({ ...key, revokedAt: '2026-03-01T08:01:00.000Z' });
    expect(await repo.verify(token)).toEqual({ refused: 'revoked' });
    // A wrong secret on a revoked key does not say the key exists.
    expect(await repo.verify(apiKeyToken(key.id, 'A'.repeat(32)))).toEqual({ refused: 'unknown' });
    clock = T0 + 120_000;
    expect(await repo.revoke(key.id)).toEqual(revoked);
    expect(await repo.list('lyon')).toEqual([revoked]);
    expect(await repo.revoke('0123456789abcdef')).toBeUndefined();
    expect(await repo.get('0123456789abcdef')).toBeUndefined();
  });

  it('refuses an expired key from its expiry instant on', async () => {
    const { key, token } = await repo.create({
      tenant: 'lyon',
      role: 'viewer',
      name: 'n',
      expiresAt: T0 + DAY,
      createdBy: 'c',
    });
    clock = T0 + DAY - 1;
    expect(await repo.verify(token)).toEqual({ key });
    clock = T0 + DAY;
    expect(await repo.verify(token)).toEqual({ refused: 'expired' });
    clock = T0 + 400 * DAY;
    expect(await repo.verify(token)).toEqual({ refused: 'expired' });
  });

  it("lists each tenant's keys and the platform's separately, oldest first", async () => {
    const make = async (tenant: string | undefined, name: string, at: number) => {
      clock = at;
      const { key } = await repo.create({
        ...(tenant === undefined ? {} : { tenant }),
        role: tenant === undefined ? 'platform-operator' : 'viewer',
        name,
        expiresAt: T0 + 10 * DAY,
        createdBy: 'c',
      });
      return key;
    };
    // Created out of time order, so that the order listed is not the order written.
    const a2 = await make('a', 'a2', T0 + 2000);
    const p1 = await make(undefined, 'p1', T0 + 500);
    const a1 = await make('a', 'a1', T0 + 1000);
    const b1 = await make('b', 'b1', T0 + 1500);
    const a3 = await make('a', 'a3', T0 + 3000);
    const p2 = await make(undefined, 'p2', T0 + 4000);

    expect((await repo.list('a')).map((k) => k.name)).toEqual(['a1', 'a2', 'a3']);
    expect(await repo.list('a')).toEqual([a1, a2, a3]);
    expect(await repo.list('b')).toEqual([b1]);
    expect(await repo.list('')).toEqual([p1, p2]);
    expect(p1).not.toHaveProperty('tenant');
    expect(await repo.list('c')).toEqual([]);
    expect(await redis.smembers(`${prefix}apikeys:_platform`)).toEqual(
      expect.arrayContaining([p1.id, p2.id]),
    );
  });
});

describe('AuditLogRepository against real Redis', () => {
  let redis: Redis;
  let prefix: string;
  let audit: AuditLogRepository;
  const admin: Actor = { id: 'key:0123456789abcdef', role: 'admin' };
  const operator: Actor = { id: 'cli:jeanne', role: 'platform-operator' };

  beforeAll(() => {
    redis = createRedis(serviceUrls().redisUrl, { name: 'test' });
  });
  afterAll(async () => redis.quit());
  beforeEach(() => {
    prefix = `${uniqueName('audit')}:`;
    audit = new AuditLogRepository(redis, new RedisKeys(prefix));
  });

  /** Waits until the Redis clock (which makes stream ids) is past the last entry of `tenant`'s log. */
  async function pastLastEntry(tenant: string): Promise<void> {
    const [last] = await redis.xrevrange(`${prefix}audit:${tenant || '_platform'}`, '+', '-', 'COUNT', 1);
    const ms = Number(last[0].split('-')[0]);
    for (;;) {
      const [s, us] = await redis.time();
      if (Number(s) * 1000 + Math.floor(Number(us) / 1000) > ms) return;
    }
  }

  /** Records `n` entries in `tenant`'s log, each in its own millisecond; returns them as listed. */
  async function recordSeveral(tenant: string, n: number): Promise<AuditEntry[]> {
    for (let i = 0; i < n; i++) {
      await audit.record(admin, { tenant, action: 'device.update', target: `device:d${i}`, after: { i } });
      await pastLastEntry(tenant);
    }
    return (await audit.list(tenant, { limit: 1000 })).entries;
  }

  it('records who did what, when, with before and after as JSON, and lists newest first', async () => {
    const before = { intervalS: 900, site: 'school', nested: { list: [1, 'two', null], flag: true } };
    const after = { intervalS: 600, site: null, name: 'Énergie — école' };
    const t = Date.now();
    await audit.record(operator, { tenant: 'lyon', action: 'site.create', target: 'site:school', after });
    await audit.record(admin, {
      tenant: 'lyon',
      action: 'device.update',
      target: 'device:m1',
      before,
      after,
    });
    await audit.record(admin, { tenant: 'lyon', action: 'device.delete', target: 'device:m1', before });
    await audit.record(admin, { tenant: 'lyon', action: 'device.rotate-secret', target: 'device:m2' });
    const { entries, nextCursor } = await audit.list('lyon', { limit: 10 });
    expect(nextCursor).toBeUndefined();
    expect(entries.map(({ id: _id, at: _at, ...rest }) => rest)).toEqual([
      { actor: 'key:0123456789abcdef', role: 'admin', action: 'device.rotate-secret', target: 'device:m2' },
      { actor: 'key:0123456789abcdef', role: 'admin', action: 'device.delete', target: 'device:m1', before },
      {
        actor: 'key:0123456789abcdef',
        role: 'admin',
        action: 'device.update',
        target: 'device:m1',
        before,
        after,
      },
      { actor: 'cli:jeanne', role: 'platform-operator', action: 'site.create', target: 'site:school', after },
    ]);
    for (const e of entries) {
      expect(e.id).toMatch(/^\d+-\d+$/);
      expect(Date.parse(e.at)).toBeGreaterThanOrEqual(t - 5);
      expect(Date.parse(e.at)).toBeLessThanOrEqual(Date.now());
    }
    expect(entries[3]).not.toHaveProperty('before');
    expect(entries[0]).not.toHaveProperty('after');
  });

  it('dates each entry by Redis’s clock at the write, the clock from/to filter on', async () => {
    const before = Date.now();
    await audit.record(admin, {
      tenant: 'grenoble',
      action: 'tenant.open-data',
      target: 'tenant:grenoble',
      after: null,
    });
    const { entries } = await audit.list('grenoble', { limit: 5 });
    expect(entries.map(({ id: _id, at: _at, ...rest }) => rest)).toEqual([
      { actor: admin.id, role: 'admin', action: 'tenant.open-data', target: 'tenant:grenoble', after: null },
    ]);
    const at = Date.parse(entries[0].at);
    expect(at).toBe(Number(entries[0].id.split('-')[0]));
    // Same host: Redis's clock and ours agree within a second.
    expect(Math.abs(at - before)).toBeLessThan(1000);
    expect((await audit.list('grenoble', { limit: 5, from: at, to: at })).entries).toHaveLength(1);
    expect((await audit.list('grenoble', { limit: 5, from: at + 1 })).entries).toHaveLength(0);
  });

  it('pages through every entry with limit and nextCursor, without overlap or gap', async () => {
    for (let i = 0; i < 7; i++) {
      await audit.record(admin, { tenant: 'lyon', action: 'device.create', target: `device:d${i}` });
    }
    const all = (await audit.list('lyon', { limit: 100 })).entries;
    expect(all.map((e) => e.target)).toEqual([6, 5, 4, 3, 2, 1, 0].map((i) => `device:d${i}`));

    const pages: AuditEntry[][] = [];
    const cursors: (string | undefined)[] = [];
    let cursor: string | undefined;
    do {
      const page: { entries: AuditEntry[]; nextCursor?: string } = await audit.list('lyon', {
        limit: 3,
        ...(cursor === undefined ? {} : { cursor }),
      });
      pages.push(page.entries);
      cursors.push(page.nextCursor);
      cursor = page.nextCursor;
    } while (cursor !== undefined && pages.length < 10);
    // The cursor is the id of the last entry of its page.
    expect(cursors).toEqual([pages[0][2].id, pages[1][2].id, undefined]);
    expect(pages.flat().map((e) => e.id)).toEqual(all.map((e) => e.id));
    expect(pages.map((p) => p.map((e) => e.target))).toEqual([
      ['device:d6', 'device:d5', 'device:d4'],
      ['device:d3', 'device:d2', 'device:d1'],
      ['device:d0'],
    ]);
  });

  it('gives no next cursor when the last page is exactly full', async () => {
    for (let i = 0; i < 4; i++) {
      await audit.record(admin, { tenant: 'lyon', action: 'device.create', target: `device:d${i}` });
    }
    const first = await audit.list('lyon', { limit: 2 });
    expect(first.entries.map((e) => e.target)).toEqual(['device:d3', 'device:d2']);
    expect(first.nextCursor).toBe(first.entries[1].id);
    const second = await audit.list('lyon', { limit: 2, cursor: first.nextCursor });
    expect(second.entries.map((e) => e.target)).toEqual(['device:d1', 'device:d0']);
    expect(second.nextCursor).toBeUndefined();
  });

  it('filters by from and to (epoch ms, inclusive), also while paging', async () => {
    const entries = await recordSeveral('lyon', 5);
    expect(entries.map((e) => e.target)).toEqual([
      'device:d4',
      'device:d3',
      'device:d2',
      'device:d1',
      'device:d0',
    ]);
    const msOf = (i: number) => Number(entries[4 - i].id.split('-')[0]);
    const range = { from: msOf(1), to: msOf(3) };
    expect((await audit.list('lyon', { ...range, limit: 10 })).entries.map((e) => e.target)).toEqual([
      'device:d3',
      'device:d2',
      'device:d1',
    ]);
    expect((await audit.list('lyon', { from: msOf(3), limit: 10 })).entries.map((e) => e.target)).toEqual([
      'device:d4',
      'device:d3',
    ]);
    expect((await audit.list('lyon', { to: msOf(1), limit: 10 })).entries.map((e) => e.target)).toEqual([
      'device:d1',
      'device:d0',
    ]);
    expect((await audit.list('lyon', { from: msOf(4) + 1, limit: 10 })).entries).toEqual([]);
    expect((await audit.list('lyon', { to: msOf(0) - 1, limit: 10 })).entries).toEqual([]);

    const first = await audit.list('lyon', { ...range, limit: 2 });
    expect(first.entries.map((e) => e.target)).toEqual(['device:d3', 'device:d2']);
    const second = await audit.list('lyon', { ...range, limit: 2, cursor: first.nextCursor });
    expect(second.entries.map((e) => e.target)).toEqual(['device:d1']);
    expect(second.nextCursor).toBeUndefined();
  });

  it('keeps each tenant log and the platform log ("") apart', async () => {
    await audit.record(admin, { tenant: 'a', action: 'site.create', target: 'site:sa' });
    await audit.record(admin, { tenant: 'b', action: 'site.create', target: 'site:sb' });
    await audit.record(operator, { action: 'tenant.create', target: 'tenant:c' });
    await audit.record(admin, { tenant: 'a', action: 'site.update', target: 'site:sa' });
    expect((await audit.list('a', { limit: 10 })).entries.map((e) => [e.action, e.target])).toEqual([
      ['site.update', 'site:sa'],
      ['site.create', 'site:sa'],
    ]);
    expect((await audit.list('b', { limit: 10 })).entries.map((e) => [e.action, e.target])).toEqual([
      ['site.create', 'site:sb'],
    ]);
    expect((await audit.list('', { limit: 10 })).entries.map((e) => [e.actor, e.action, e.target])).toEqual([
      ['cli:jeanne', 'tenant.create', 'tenant:c'],
    ]);
    expect(await audit.list('nobody', { limit: 10 })).toEqual({ entries: [] });
  });
});
