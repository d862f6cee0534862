import {
  AuditEntry,
  AuditLogRepository,
  createRedis,
  Redis,
  RedisKeys,
  RegistryErrorCode,
  RegistryRepository,
} from '@vigie/adapters';
import { findDeviceKind } from '@vigie/devices';
import { Actor } from '@vigie/domain';
import { serviceUrls, TEST_CREDENTIAL_KEY, uniqueName } from '@vigie/testing';
import { AdminError, AdminErrorCode } from './admin.errors';
import { RegistryService } from './registry.service';

const actor: Actor = { id: 'key:00112233aabbccdd', role: 'admin' };
const operator: Actor = { id: 'cli:jeanne', role: 'platform-operator' };

/** What a call threw, to assert its fields (a rejection that does not happen fails the test). */
async function thrown(p: Promise<unknown>): Promise<unknown> {
  return p.then(
    () => {
      throw new Error('expected a rejection');
    },
    (err: unknown) => err,
  );
}

describe('RegistryService against real Redis', () => {
  let redis: Redis;
  let prefix: string;
  let registry: RegistryRepository;
  let audit: AuditLogRepository;
  let service: RegistryService;

  beforeAll(() => {
    redis = createRedis(serviceUrls().redisUrl, { name: 'test' });
  });
  afterAll(async () => redis.quit());
  beforeEach(async () => {
    prefix = `${uniqueName('admin')}:`;
    const keys = new RedisKeys(prefix);
    registry = new RegistryRepository(redis, keys, TEST_CREDENTIAL_KEY, findDeviceKind);
    audit = new AuditLogRepository(redis, keys);
    service = new RegistryService(registry, audit);
    await registry.addTenant('lyon', 'Lyon');
    await registry.addSite('lyon', 'school', 'École');
  });

  /** The entries of a log, oldest first, without their id and time. */
  async function log(tenant: string): Promise<Omit<AuditEntry, 'id' | 'at'>[]> {
    const { entries } = await audit.list(tenant, { limit: 1000 });
    return entries.reverse().map(({ id: _id, at: _at, ...rest }) => rest);
  }

  describe('audits every change, with the actor, action, target, before and after', () => {
    it('addTenant: one platform entry with the tenant after', async () => {
      const tenant = await service.addTenant(operator, { id: 'nantes', name: 'Nantes' });
      expect(await log('')).toEqual([
        {
          actor: 'cli:jeanne',
          role: 'platform-operator',
          action: 'tenant.create',
          target: 'tenant:nantes',
          after: tenant,
        },
      ]);
      expect(await log('nantes')).toEqual([]);
    });

    it('setOpenData: the licence before and after, null when none', async () => {
      await service.setOpenData(actor, 'lyon', 'etalab-2.0');
      await service.setOpenData(actor, 'lyon', undefined);
      expect(await log('lyon')).toEqual([
        {
          actor: actor.id,
          role: 'admin',
          action: 'tenant.open-data',
          target: 'tenant:lyon',
          before: null,
          after: { licence: 'etalab-2.0' },
        },
        {
          actor: actor.id,
          role: 'admin',
          action: 'tenant.open-data',
          target: 'tenant:lyon',
          before: { licence: 'etalab-2.0' },
          after: null,
        },
      ]);
    });

    it('addSite and updateSite: the site after, then before and after', async () => {
      const site = await service.addSite(actor, 'lyon', {
        id: 'pool',
        name: 'Piscine',
        attributes: { use: 'sports', surface_m2: '2400' },
      });
      const updated = await service.updateSite(actor, 'lyon', 'pool', {
        set: { surface_m2: '2500' },
        unset: ['use'],
      });
      expect(updated.attributes).toEqual({ surface_m2: '2500' });
      expect(await log('lyon')).toEqual([
        { actor: actor.id, role: 'admin', action: 'site.create', target: 'site:pool', after: site },
        {
          actor: actor.id,
          role: 'admin',
          action: 'site.update',
          target: 'site:pool',
          before: site,
          after: updated,
        },
      ]);
    });

    it('addDevice: the device after, without its password or secret hash', async () => {
      const { device, credentials } = await service.addDevice(actor, {
        tenant: 'lyon',
        id: 'm1',
        kind: 'energy-meter',
        site: 'school',
      });
      const entries = await log('lyon');
      expect(entries).toEqual([
        {
          actor: actor.id,
          role: 'admin',
          action: 'device.create',
          target: 'device:m1',
          after: {
            tenant: 'lyon',
            id: 'm1',
            kind: 'energy-meter',
            site: 'school',
            intervalS: 900,
            createdAt: device.createdAt,
          },
        },
      ]);
      const raw = JSON.stringify(await redis.xrange(`${prefix}audit:lyon`, '-', '+'));
      const secretHash = await redis.hget(`${prefix}device:lyon:m1`, 'secretHash');
      expect(secretHash).toMatch(/^[0-9a-f]{64}$/);
      expect(raw).not.toContain(credentials.password);
      expect(raw).not.toContain(secretHash);
      expect(raw).not.toContain('password');
      expect(raw).not.toContain('secretHash');
    });

    it('updateDevice: before.intervalS and after.intervalS, before.site and after.site', async () => {
      await service.addDevice(actor, { tenant: 'lyon', id: 'm1', kind: 'energy-meter', site: 'school' });
      const after = await service.updateDevice(actor, 'lyon', 'm1', { intervalS: 600, site: null });
      expect(after).toMatchObject({ intervalS: 600 });
      expect(after.site).toBeUndefined();
      const [, update] = await log('lyon');
      expect(update).toMatchObject({ actor: actor.id, action: 'device.update', target: 'device:m1' });
      const { before: b, after: a } = update as {
        before: Record<string, unknown>;
        after: Record<string, unknown>;
      };
      expect([b['intervalS'], a['intervalS']]).toEqual([900, 600]);
      expect([b['site'], a['site']]).toEqual(['school', undefined]);
      expect(Object.keys(update).sort()).toEqual(['action', 'actor', 'after', 'before', 'role', 'target']);
    });

    it('deleteDevice: the device before, no after', async () => {
      const { device } = await service.addDevice(actor, { tenant: 'lyon', id: 'm1', kind: 'water-meter' });
      await service.deleteDevice(actor, 'lyon', 'm1');
      expect(await registry.getDevice('lyon', 'm1')).toBeUndefined();
      const entries = await log('lyon');
      expect(entries.map((e) => e.action)).toEqual(['device.create', 'device.delete']);
      expect(entries[1]).toEqual({
        actor: actor.id,
        role: 'admin',
        action: 'device.delete',
        target: 'device:m1',
        before: {
          tenant: 'lyon',
          id: 'm1',
          kind: 'water-meter',
          intervalS: device.intervalS,
          createdAt: device.createdAt,
        },
      });
    });

    it('rotateDeviceSecret: the action only, never the new password', async () => {
      await service.addDevice(actor, { tenant: 'lyon', id: 'm1', kind: 'energy-meter' });
      const fresh = await service.rotateDeviceSecret(actor, 'lyon', 'm1');
      const entries = await log('lyon');
      expect(entries[1]).toEqual({
        actor: actor.id,
        role: 'admin',
        action: 'device.rotate-secret',
        target: 'device:m1',
      });
      expect(JSON.stringify(entries)).not.toContain(fresh.password);
    });

    it('accounts: create, rotate and delete, never with a password', async () => {
      const { account, credentials } = await service.addAccount(actor, {
        tenant: 'lyon',
        id: 'scada',
        acl: ['vigie/lyon/#'],
      });
      const fresh = await service.rotateAccountSecret(actor, 'lyon', 'scada');
      const removed = await service.deleteAccount(actor, 'lyon', 'scada');
      expect(removed).toEqual(expect.objectContaining({ username: account.username, id: 'scada' }));
      const entries = await log('lyon');
      expect(entries.map((e) => [e.action, e.target])).toEqual([
        ['account.create', `account:${account.username}`],
        ['account.rotate-secret', `account:${account.username}`],
        ['account.delete', `account:${account.username}`],
      ]);
      expect(entries[0].after).toEqual(JSON.parse(JSON.stringify(account)));
      expect(entries[2]).toEqual({
        actor: actor.id,
        role: 'admin',
        action: 'account.delete',
        target: `account:${account.username}`,
        before: JSON.parse(JSON.stringify(removed)),
      });
      const raw = JSON.stringify(entries);
      expect(raw).not.toContain(credentials.password);
      expect(raw).not.toContain(fresh.password);
    });

    it('writes nothing to the log when the registry refuses the change', async () => {
      await expect(service.updateDevice(actor, 'lyon', 'ghost', { intervalS: 60 })).rejects.toMatchObject({
        code: RegistryErrorCode.DeviceNotFound,
      });
      await expect(service.deleteDevice(actor, 'lyon', 'ghost')).rejects.toMatchObject({
        code: RegistryErrorCode.DeviceNotFound,
      });
      await expect(
        service.addDevice(actor, { tenant: 'lyon', id: 'x', kind: 'toaster' }),
      ).rejects.toMatchObject({ code: RegistryErrorCode.UnknownKind });
      await expect(service.addTenant(actor, { id: 'lyon' })).rejects.toMatchObject({
        code: RegistryErrorCode.TenantExists,
      });
      expect(await log('lyon')).toEqual([]);
      expect(await log('')).toEqual([]);
    });
  });

  describe('site attributes', () => {
    it.each([
      [
        'role=school',
        { role: 'school' },
        'attributes.role',
        "site role 'school' is not one the device kinds know",
      ],
      [
        'closed_days=2026-13-01',
        { closed_days: '2026-13-01' },
        'attributes.closed_days',
        "'2026-13-01' is not a date or a range of dates",
      ],
      ['sector=itself', { sector: 'gym' }, 'attributes.sector', 'a site cannot be its own water sector'],
      ['sector=a missing site', { sector: 'moon' }, 'attributes.sector', "no site 'moon' in tenant 'lyon'"],
    ])('refuses %s with its field, and writes nothing', async (_, attributes, field, message) => {
      const err = await thrown(service.addSite(actor, 'lyon', { id: 'gym', attributes }));
      expect(err).toBeInstanceOf(AdminError);
      expect(err).toMatchObject({ code: AdminErrorCode.InvalidSiteAttributes, field, problems: [] });
      expect((err as AdminError).message).toContain(message);
      expect(await registry.getSite('lyon', 'gym')).toBeUndefined();
      expect((await registry.listSites('lyon')).map((s) => s.id)).toEqual(['school']);
      expect(await log('lyon')).toEqual([]);
    });

    it.each([
      ['role=school', { role: 'school' }, 'attributes.role'],
      ['closed_days=2026-13-01', { closed_days: '2026-13-01' }, 'attributes.closed_days'],
      ['sector=itself', { sector: 'school' }, 'attributes.sector'],
      ['sector=a missing site', { sector: 'moon' }, 'attributes.sector'],
    ])('refuses to update a site with %s, leaving it as it was', async (_, set, field) => {
      const before = await registry.getSite('lyon', 'school');
      await expect(service.updateSite(actor, 'lyon', 'school', { set })).rejects.toMatchObject({
        code: AdminErrorCode.InvalidSiteAttributes,
        field,
      });
      expect(await registry.getSite('lyon', 'school')).toEqual(before);
      expect(await log('lyon')).toEqual([]);
    });

    it('accepts a known role, closed days that parse and an existing water sector', async () => {
      await service.addSite(actor, 'lyon', { id: 'sector-1', attributes: { type: 'water-sector' } });
      const site = await service.addSite(actor, 'lyon', {
        id: 'well',
        attributes: {
          role: 'production',
          closed_days: '2026-07-14,2026-08-01..2026-08-15',
          sector: 'sector-1',
        },
      });
      expect(site.attributes).toEqual({
        role: 'production',
        closed_days: '2026-07-14,2026-08-01..2026-08-15',
        sector: 'sector-1',
      });
      expect((await log('lyon')).map((e) => e.target)).toEqual(['site:sector-1', 'site:well']);
    });
  });

  describe('importDevices', () => {
    const header = 'tenant,id,kind,site,interval_s';

    it('imports nothing from a file with bad lines, and names every problem with its line', async () => {
      const text = [
        header,
        'lyon,ok-1,energy-meter,school,',
        'lyon,bad-kind,toaster,,',
        'lyon,ok-2,water-meter,nowhere,',
        'lyon,ok-1,energy-meter,,',
        'lyon,iv,energy-meter,,abc',
        'paris,p1,energy-meter,,',
      ].join('\n');
      const err = await thrown(service.importDevices(actor, text));
      expect(err).toBeInstanceOf(AdminError);
      expect(err).toMatchObject({
        code: AdminErrorCode.ImportRefused,
        message: 'nothing imported: 5 problem(s)',
      });
      // Lines the parser refuses come first, then those the registry refuses, each in file order.
      expect((err as AdminError).problems).toEqual([
        "line 6: interval_s must be a whole number of seconds, got 'abc'",
        "line 3: unknown kind 'toaster'",
        "line 4: site 'nowhere' does not exist in tenant 'lyon'",
        "line 5: device 'ok-1' already appears on line 2",
        "line 7: tenant 'paris' does not exist",
      ]);
      expect(await registry.listDevices('lyon')).toEqual([]);
      expect(await log('lyon')).toEqual([]);
    });

    it('with a tenant, refuses a line of another tenant and imports nothing', async () => {
      await registry.addTenant('b');
      const text = [
        header,
        'lyon,m1,energy-meter,school,',
        'b,m2,energy-meter,,',
        'lyon,m3,water-meter,,',
      ].join('\n');
      const err = await thrown(service.importDevices(actor, text, { tenant: 'lyon' }));
      expect(err).toMatchObject({
        code: AdminErrorCode.ImportRefused,
        problems: ["line 3: tenant 'b' is not 'lyon', the tenant imported into"],
      });
      expect(await registry.listDevices('lyon')).toEqual([]);
      expect(await registry.listDevices('b')).toEqual([]);
      expect(await log('lyon')).toEqual([]);
      expect(await log('b')).toEqual([]);
    });

    it('imports a good file whole and audits each device in its tenant log', async () => {
      await registry.addTenant('b');
      const text = [
        header,
        'lyon,m1,energy-meter,school,',
        '# a comment',
        'lyon,m2,water-meter,,600',
        '',
        'b,m3,bin-sensor,,',
      ].join('\n');
      const issued = await service.importDevices(operator, text);
      expect(
        issued.map((i) => [i.device.tenant, i.device.id, i.device.intervalS, i.credentials.username]),
      ).toEqual([
        ['lyon', 'm1', 900, 'lyon:m1'],
        ['lyon', 'm2', 600, 'lyon:m2'],
        ['b', 'm3', 3600, 'b:m3'],
      ]);
      expect((await registry.listDevices('lyon')).map((d) => d.id)).toEqual(['m1', 'm2']);
      expect(
        (await log('lyon')).map((e) => [e.actor, e.action, e.target, (e.after as { id: string }).id]),
      ).toEqual([
        ['cli:jeanne', 'device.create', 'device:m1', 'm1'],
        ['cli:jeanne', 'device.create', 'device:m2', 'm2'],
      ]);
      expect((await log('b')).map((e) => [e.action, e.target])).toEqual([['device.create', 'device:m3']]);
      const raw = JSON.stringify([await log('lyon'), await log('b')]);
      for (const { credentials } of issued) expect(raw).not.toContain(credentials.password);
      for (const { credentials } of issued) {
        expect(await registry.authenticate(credentials.username, credentials.password)).toMatchObject({
          type: 'device',
        });
      }
    });

    it('imports nothing when two lines give the same DevEUI (in any case), naming both lines', async () => {
      const text = [
        'tenant,id,kind,dev_eui',
        'lyon,b1,bin-sensor,70b3d57ed0001234',
        'lyon,b2,bin-sensor,70B3D57ED0001234',
      ].join('\n');
      await expect(service.importDevices(actor, text)).rejects.toMatchObject({
        code: AdminErrorCode.ImportRefused,
        problems: ['line 3: DevEUI 70b3d57ed0001234 already appears on line 2'],
      });
      expect(await registry.listDevices('lyon')).toEqual([]);
      expect(await log('lyon')).toEqual([]);
    });

    it('with a tenant, imports a file whose lines all name it', async () => {
      const text = [header, 'lyon,m1,energy-meter,school,'].join('\n');
      const issued = await service.importDevices(actor, text, { tenant: 'lyon' });
      expect(issued.map((i) => i.device.id)).toEqual(['m1']);
      expect((await log('lyon')).map((e) => e.target)).toEqual(['device:m1']);
    });
  });
});
