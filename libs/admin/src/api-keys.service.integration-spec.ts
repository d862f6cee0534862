import {
  ApiKeyRepository,
  AuditEntry,
  AuditLogRepository,
  createRedis,
  Redis,
  RedisKeys,
  RegistryError,
  RegistryErrorCode,
  RegistryRepository,
} from '@vigie/adapters';
import { findDeviceKind } from '@vigie/devices';
import { Actor, Role } from '@vigie/domain';
import { serviceUrls, TEST_CREDENTIAL_KEY, uniqueName } from '@vigie/testing';
import { AdminError, AdminErrorCode } from './admin.errors';
import { API_KEY_DEFAULT_DAYS, API_KEY_MAX_DAYS, ApiKeysService } from './api-keys.service';

const T0 = Date.parse('2026-03-01T08:00:00.000Z');
const DAY = 86_400_000;
const iso = (ms: number) => new Date(ms).toISOString();

const admin: Actor = { id: 'key:aaaaaaaaaaaaaaaa', role: 'admin' };
const technician: Actor = { id: 'key:bbbbbbbbbbbbbbbb', role: 'technician' };
const operator: Actor = { id: 'cli:jeanne', role: 'platform-operator' };

/** What a call threw, to assert its fields (a call that does not throw fails the test). */
async function thrown(p: Promise<unknown>): Promise<unknown> {
  return p.then(
    () => {
      throw new Error('expected a rejection');
    },
    (err: unknown) => err,
  );
}

describe('ApiKeysService against real Redis', () => {
  let redis: Redis;
  let prefix: string;
  let keys: ApiKeyRepository;
  let audit: AuditLogRepository;
  let service: ApiKeysService;
  let clock: number;

  beforeAll(() => {
    redis = createRedis(serviceUrls().redisUrl, { name: 'test' });
  });
  afterAll(async () => redis.quit());
  beforeEach(async () => {
    prefix = `${uniqueName('apikeys')}:`;
    clock = T0;
    const now = () => clock;
    const redisKeys = new RedisKeys(prefix);
    const registry = new RegistryRepository(redis, redisKeys, TEST_CREDENTIAL_KEY, findDeviceKind);
    keys = new ApiKeyRepository(redis, redisKeys, TEST_CREDENTIAL_KEY, now);
    audit = new AuditLogRepository(redis, redisKeys);
    service = new ApiKeysService(keys, registry, audit, now);
    await registry.addTenant('a');
    await registry.addTenant('b');
  });

  async function log(tenant: string): Promise<Omit<AuditEntry, 'id'>[]> {
    const { entries } = await audit.list(tenant, { limit: 1000 });
    return entries.reverse().map(({ id: _id, ...rest }) => rest);
  }

  describe('roles', () => {
    it.each<Role>(['viewer', 'technician', 'energy-manager', 'admin'])(
      'an admin creates a %s key of its tenant, which works',
      async (role) => {
        const { key, token } = await service.create(admin, { tenant: 'a', role, name: `k-${role}` });
        expect(key).toEqual({
          id: expect.stringMatching(/^[0-9a-f]{16}$/),
          tenant: 'a',
          role,
          name: `k-${role}`,
          createdAt: iso(T0),
          createdBy: admin.id,
          expiresAt: iso(T0 + API_KEY_DEFAULT_DAYS * DAY),
        });
        expect(await keys.verify(token)).toEqual({ key });
        expect(await service.list('a')).toEqual([key]);
      },
    );

    it('an admin may not create a platform-operator key, with or without a tenant', async () => {
      const withTenant = await thrown(
        service.create(admin, { tenant: 'a', role: 'platform-operator', name: 'x' }),
      );
      expect(withTenant).toBeInstanceOf(AdminError);
      expect(withTenant).toMatchObject({ code: AdminErrorCode.RoleNotAssignable, field: 'role' });
      const platform = await thrown(service.create(admin, { role: 'platform-operator', name: 'x' }));
      expect(platform).toMatchObject({
        code: AdminErrorCode.RoleNotAssignable,
        field: 'role',
        message:
          "a 'admin' may not create a 'platform-operator' key; it may create: admin, energy-manager, technician, viewer",
      });
      expect(await service.list('a')).toEqual([]);
      expect(await service.list(undefined)).toEqual([]);
    });

    it.each<[Role, boolean]>([
      ['viewer', true],
      ['technician', true],
      ['energy-manager', false],
      ['admin', false],
    ])('a technician creating a %s key: allowed %s', async (role, allowed) => {
      const outcome = await service.create(technician, { tenant: 'a', role, name: 'k' }).then(
        ({ key }) => ({ created: key.role }),
        (err: AdminError) => ({ refused: err.code, field: err.field, message: err.message }),
      );
      expect(outcome).toEqual(
        allowed
          ? { created: role }
          : {
              refused: AdminErrorCode.RoleNotAssignable,
              field: 'role',
              message: `a 'technician' may not create a '${role}' key; it may create: technician, viewer`,
            },
      );
      expect((await service.list('a')).map((k) => k.role)).toEqual(allowed ? [role] : []);
    });

    it('a platform key has no tenant and the platform-operator role, and only such', async () => {
      const { key, token } = await service.create(operator, { role: 'platform-operator', name: 'ops' });
      expect(key).not.toHaveProperty('tenant');
      expect(key.role).toBe('platform-operator');
      expect(await keys.verify(token)).toEqual({ key });
      expect(await service.list(undefined)).toEqual([key]);
      expect(await service.list('a')).toEqual([]);

      const noTenant = await thrown(service.create(operator, { role: 'admin', name: 'x' }));
      expect(noTenant).toMatchObject({
        code: AdminErrorCode.RoleNotAssignable,
        field: 'role',
        message: "a key without a tenant is a platform key: its role must be 'platform-operator'",
      });
      const tenantPlatform = await thrown(
        service.create(operator, { tenant: 'a', role: 'platform-operator', name: 'x' }),
      );
      expect(tenantPlatform).toMatchObject({
        code: AdminErrorCode.RoleNotAssignable,
        field: 'role',
        message: "role 'platform-operator' belongs to platform keys, which have no tenant",
      });
      expect(await service.list(undefined)).toEqual([key]);
      expect(await service.list('a')).toEqual([]);
    });

    it('the platform operator creates keys of any tenant role', async () => {
      for (const role of ['admin', 'energy-manager', 'technician', 'viewer'] as const) {
        clock += 1000;
        await service.create(operator, { tenant: 'b', role, name: role });
      }
      expect((await service.list('b')).map((k) => [k.role, k.createdBy])).toEqual([
        ['admin', 'cli:jeanne'],
        ['energy-manager', 'cli:jeanne'],
        ['technician', 'cli:jeanne'],
        ['viewer', 'cli:jeanne'],
      ]);
    });
  });

  describe('expiry', () => {
    it.each([
      ['in the past', iso(T0 - 1)],
      ['now', iso(T0)],
      [`beyond ${API_KEY_MAX_DAYS} days`, iso(T0 + API_KEY_MAX_DAYS * DAY + 1)],
      ['two years away', iso(T0 + 730 * DAY)],
      ['not a date', 'next tuesday'],
      ['an impossible date', '2026-13-01T00:00:00Z'],
      ['empty', ''],
    ])('refuses an expiry %s (%j) on the field expiresAt', async (_, expiresAt) => {
      const err = await thrown(service.create(admin, { tenant: 'a', role: 'viewer', name: 'k', expiresAt }));
      expect(err).toBeInstanceOf(AdminError);
      expect(err).toMatchObject({ code: AdminErrorCode.InvalidExpiry, field: 'expiresAt' });
      expect((err as AdminError).message).toContain(`within ${API_KEY_MAX_DAYS} days`);
      expect(await service.list('a')).toEqual([]);
      expect(await log('a')).toEqual([]);
    });

    it.each([
      ['one millisecond from now', T0 + 1],
      [`exactly ${API_KEY_MAX_DAYS} days from now`, T0 + API_KEY_MAX_DAYS * DAY],
      ['in 30 days', T0 + 30 * DAY],
    ])('accepts an expiry %s', async (_, at) => {
      const { key } = await service.create(admin, {
        tenant: 'a',
        role: 'viewer',
        name: 'k',
        expiresAt: iso(at),
      });
      expect(key.expiresAt).toBe(iso(at));
    });

    it(`defaults to ${API_KEY_DEFAULT_DAYS} days, after which the key stops working`, async () => {
      const { key, token } = await service.create(admin, { tenant: 'a', role: 'viewer', name: 'k' });
      expect(key.expiresAt).toBe('2026-05-30T08:00:00.000Z');
      clock = T0 + API_KEY_DEFAULT_DAYS * DAY - 1;
      expect(await keys.verify(token)).toEqual({ key });
      clock = T0 + API_KEY_DEFAULT_DAYS * DAY;
      expect(await keys.verify(token)).toEqual({ refused: 'expired' });
    });
  });

  it('refuses a key of a tenant that does not exist', async () => {
    const err = await thrown(service.create(admin, { tenant: 'nowhere', role: 'viewer', name: 'k' }));
    expect(err).toBeInstanceOf(RegistryError);
    expect(err).toMatchObject({
      code: RegistryErrorCode.TenantNotFound,
      message: "tenant 'nowhere' does not exist",
    });
    expect(await service.list('nowhere')).toEqual([]);
    expect(await log('nowhere')).toEqual([]);
  });

  describe('revoke', () => {
    it("does not find another tenant's key, which keeps working", async () => {
      const { key, token } = await service.create(admin, { tenant: 'a', role: 'viewer', name: 'k' });
      const err = await thrown(service.revoke(admin, 'b', key.id));
      expect(err).toBeInstanceOf(AdminError);
      expect(err).toMatchObject({
        code: AdminErrorCode.ApiKeyNotFound,
        message: `tenant 'b' has no API key '${key.id}'`,
      });
      await expect(service.revoke(operator, undefined, key.id)).rejects.toMatchObject({
        code: AdminErrorCode.ApiKeyNotFound,
        message: `the platform has no API key '${key.id}'`,
      });
      expect(await keys.verify(token)).toEqual({ key });
      expect(await service.list('a')).toEqual([key]);
      expect(await log('b')).toEqual([]);
      expect((await log('a')).map((e) => e.action)).toEqual(['api-key.create']);
    });

    it('does not revoke a platform key through a tenant, nor an unknown id', async () => {
      const { key, token } = await service.create(operator, { role: 'platform-operator', name: 'ops' });
      await expect(service.revoke(admin, 'a', key.id)).rejects.toMatchObject({
        code: AdminErrorCode.ApiKeyNotFound,
      });
      await expect(service.revoke(admin, 'a', '0123456789abcdef')).rejects.toMatchObject({
        code: AdminErrorCode.ApiKeyNotFound,
      });
      expect(await keys.verify(token)).toEqual({ key });
    });

    it('revokes a key of its own scope: it stops working at once and stays listed', async () => {
      const { key, token } = await service.create(admin, { tenant: 'a', role: 'technician', name: 'k' });
      clock = T0 + 5000;
      const revoked = await service.revoke(admin, 'a', key.id);
      expect(revoked).toEqual({ ...key, revokedAt: iso(T0 + 5000) });
      expect(await keys.verify(token)).toEqual({ refused: 'revoked' });
      expect(await service.list('a')).toEqual([revoked]);

      const platform = await service.create(operator, { role: 'platform-operator', name: 'ops' });
      const gone = await service.revoke(operator, undefined, platform.key.id);
      expect(gone.revokedAt).toBe(iso(T0 + 5000));
      expect(await keys.verify(platform.token)).toEqual({ refused: 'revoked' });
    });
  });

  it('audits every creation and revocation in the log of its scope, never with the token', async () => {
    const tenantKey = await service.create(admin, { tenant: 'a', role: 'viewer', name: 'grafana' });
    clock = T0 + 1000;
    const revoked = await service.revoke(admin, 'a', tenantKey.key.id);
    clock = T0 + 2000;
    const platformKey = await service.create(operator, { role: 'platform-operator', name: 'ops' });

    expect(await log('a')).toEqual([
      {
        at: expect.any(String),
        actor: admin.id,
        role: 'admin',
        action: 'api-key.create',
        target: `api-key:${tenantKey.key.id}`,
        after: tenantKey.key,
      },
      {
        at: expect.any(String),
        actor: admin.id,
        role: 'admin',
        action: 'api-key.revoke',
        target: `api-key:${tenantKey.key.id}`,
        before: tenantKey.key,
        after: revoked,
      },
    ]);
    expect(await log('')).toEqual([
      {
        at: expect.any(String),
        actor: 'cli:jeanne',
        role: 'platform-operator',
        action: 'api-key.create',
        target: `api-key:${platformKey.key.id}`,
        after: platformKey.key,
      },
    ]);
    expect(await log('b')).toEqual([]);
    const raw = JSON.stringify(await redis.xrange(`${prefix}audit:a`, '-', '+'));
    const secret = tenantKey.token.split('.')[1];
    const hash = await redis.hget(`${prefix}apikey:${tenantKey.key.id}`, 'hash');
    expect(raw).not.toContain(secret);
    expect(raw).not.toContain(hash);
  });
});
