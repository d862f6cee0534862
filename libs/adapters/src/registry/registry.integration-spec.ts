import { findDeviceKind } from '@vigie/devices';
import { serviceUrls, uniqueName } from '@vigie/testing';
import { Redis } from 'ioredis';
import { createRedis, RedisKeys } from '../redis/redis-connection';
import { RegistryErrorCode } from './registry.errors';
import { RegistryRepository } from './registry.repository';

describe('RegistryRepository against real Redis', () => {
  let redis: Redis;
  let registry: RegistryRepository;
  const prefix = `${uniqueName('reg')}:`;

  beforeAll(async () => {
    redis = createRedis(serviceUrls().redisUrl, { name: 'test' });
    registry = new RegistryRepository(redis, new RedisKeys(prefix), 'k'.repeat(32), findDeviceKind);
    await registry.addTenant('lyon', 'Ville de Lyon');
    await registry.addSite('lyon', 'school-1', 'École Jean Macé', { surface_m2: '1200' });
  });
  afterAll(async () => redis.quit());

  it('issues 192-bit secrets, stores only their hash, and authenticates with them', async () => {
    const { device, credentials } = await registry.addDevice({
      tenant: 'lyon',
      id: 'm1',
      kind: 'energy-meter',
      site: 'school-1',
    });
    expect(device).toMatchObject({
      tenant: 'lyon',
      id: 'm1',
      kind: 'energy-meter',
      site: 'school-1',
      intervalS: 900,
    });
    expect(Buffer.from(credentials.password, 'base64url')).toHaveLength(24);
    const stored = await redis.hgetall(`${prefix}device:lyon:m1`);
    expect(JSON.stringify(stored)).not.toContain(credentials.password);
    expect(stored['secretHash']).toMatch(/^[0-9a-f]{64}$/);
    const ok = await registry.authenticate(credentials.username, credentials.password);
    expect(ok).toMatchObject({ type: 'device', device: { id: 'm1', tenant: 'lyon' } });
    expect(await registry.authenticate(credentials.username, credentials.password + 'x')).toBeUndefined();
    expect(await registry.authenticate('lyon:nobody', credentials.password)).toBeUndefined();
  });

  it('rotating a secret invalidates the old one', async () => {
    const { credentials } = await registry.addDevice({ tenant: 'lyon', id: 'm2', kind: 'water-meter' });
    const fresh = await registry.rotateDeviceSecret('lyon', 'm2');
    expect(await registry.authenticate(credentials.username, credentials.password)).toBeUndefined();
    expect(await registry.authenticate(fresh.username, fresh.password)).toMatchObject({ type: 'device' });
  });

  it('adds a list of devices all together or not at all', async () => {
    await expect(
      registry.addDevices([
        { tenant: 'lyon', id: 'ok-1', kind: 'bin-sensor' },
        { tenant: 'lyon', id: 'bad', kind: 'toaster' },
      ]),
    ).rejects.toMatchObject({ code: RegistryErrorCode.UnknownKind });
    expect(await registry.getDevice('lyon', 'ok-1')).toBeUndefined();
    const added = await registry.addDevices([
      { tenant: 'lyon', id: 'ok-1', kind: 'bin-sensor' },
      { tenant: 'lyon', id: 'ok-2', kind: 'bin-sensor', intervalS: 600 },
    ]);
    expect(added.map((a) => [a.device.id, a.device.intervalS])).toEqual([
      ['ok-1', 3600],
      ['ok-2', 600],
    ]);
  });

  it('names every problem of a device that cannot be added', async () => {
    expect(
      await registry.deviceProblems({
        tenant: 'lyon',
        id: 'M!',
        kind: 'toaster',
        site: 'nowhere',
        intervalS: 0,
      }),
    ).toEqual([
      "device id 'M!' is invalid: use 1-63 characters among a-z, 0-9, '-' and '_', starting with a letter or digit",
      "unknown kind 'toaster'",
      'interval must be a whole number of seconds ≥ 1, got 0',
      "site 'nowhere' does not exist in tenant 'lyon'",
    ]);
    expect(await registry.deviceProblems({ tenant: 'paris', id: 'x', kind: 'bin-sensor' })).toEqual([
      "tenant 'paris' does not exist",
    ]);
    await expect(
      registry.addDevice({ tenant: 'lyon', id: 'm1', kind: 'energy-meter' }),
    ).rejects.toMatchObject({ code: RegistryErrorCode.DeviceExists });
  });

  it('refuses duplicate tenants, reserved ids, and account patterns outside the tenant', async () => {
    await expect(registry.addTenant('lyon')).rejects.toMatchObject({ code: RegistryErrorCode.TenantExists });
    await expect(registry.addTenant('operator')).rejects.toMatchObject({ code: RegistryErrorCode.InvalidId });
    await expect(
      registry.addAccount({ tenant: 'lyon', id: 'a', acl: ['vigie/paris/#'] }),
    ).rejects.toMatchObject({ code: RegistryErrorCode.InvalidAcl });
    await expect(registry.addAccount({ tenant: 'lyon', id: 'a', acl: [] })).rejects.toMatchObject({
      code: RegistryErrorCode.InvalidAcl,
    });
    const { account, credentials } = await registry.addAccount({
      tenant: 'lyon',
      id: 'chirpstack',
      acl: ['vigie/lyon/#'],
    });
    expect(account.username).toBe('account:lyon:chirpstack');
    expect(await registry.authenticate(credentials.username, credentials.password)).toMatchObject({
      type: 'account',
      account: { tenant: 'lyon', acl: ['vigie/lyon/#'] },
    });
    const ops = await registry.addAccount({ id: 'ops', acl: ['#'] });
    expect(ops.credentials.username).toBe('operator:ops');
    expect((await registry.listAccounts('lyon')).map((a) => a.username)).toEqual(['account:lyon:chirpstack']);
  });

  it('records last-seen times in one round trip and lists them', async () => {
    await registry.touchDevices(
      new Map([['lyon:m1', { tenant: 'lyon', device: 'm1', at: 1_700_000_000_000 }]]),
    );
    const devices = await registry.listDevices('lyon');
    expect(devices.find((d) => d.id === 'm1')?.lastSeen).toBe(1_700_000_000_000);
    expect(devices.find((d) => d.id === 'm2')?.lastSeen).toBeUndefined();
  });
  it('finds a device by its DevEUI (any case), unique within a tenant, and stores LoRaWAN accounts', async () => {
    const { device } = await registry.addDevice({
      tenant: 'lyon',
      id: 'bin-1',
      kind: 'bin-sensor',
      devEui: '70B3D57ED0001234',
    });
    expect(device.devEui).toBe('70b3d57ed0001234');
    expect((await registry.getDeviceByDevEui('lyon', '70b3d57ed0001234'))?.id).toBe('bin-1');
    expect((await registry.getDeviceByDevEui('lyon', '70B3D57ED0001234'))?.devEui).toBe('70b3d57ed0001234');
    expect(await registry.getDeviceByDevEui('lyon', '0000000000000000')).toBeUndefined();
    expect(await registry.getDeviceByDevEui('lyon', 'not-an-eui')).toBeUndefined();
    expect(
      await registry.deviceProblems({
        tenant: 'lyon',
        id: 'bin-2',
        kind: 'bin-sensor',
        devEui: '70b3d57ed0001234',
      }),
    ).toEqual(["DevEUI 70b3d57ed0001234 already belongs to device 'bin-1' in tenant 'lyon'"]);
    await expect(
      registry.addDevices([
        { tenant: 'lyon', id: 'bin-3', kind: 'bin-sensor', devEui: '00000000000000aa' },
        { tenant: 'lyon', id: 'bin-4', kind: 'bin-sensor', devEui: '00000000000000AA' },
      ]),
    ).rejects.toThrow('DevEUI 00000000000000aa appears twice');
    expect(await registry.getDeviceByDevEui('lyon', '00000000000000aa')).toBeUndefined();
    const { account, credentials } = await registry.addAccount({
      tenant: 'lyon',
      id: 'tts',
      acl: [],
      lorawan: 'tts',
    });
    expect(account).toMatchObject({ lorawan: 'tts', acl: [] });
    expect(await registry.authenticate(credentials.username, credentials.password)).toMatchObject({
      type: 'account',
      account: { lorawan: 'tts', tenant: 'lyon' },
    });
    const rotated = await registry.rotateAccountSecret('lyon', 'tts');
    expect(rotated.username).toBe('account:lyon:tts');
    expect(await registry.authenticate(credentials.username, credentials.password)).toBeUndefined();
    expect(await registry.authenticate(rotated.username, rotated.password)).toMatchObject({
      type: 'account',
    });
    await expect(registry.rotateAccountSecret('lyon', 'nobody')).rejects.toMatchObject({
      code: RegistryErrorCode.AccountNotFound,
    });
    await expect(
      registry.addAccount({ tenant: 'lyon', id: 'x', acl: [], lorawan: 'loriot' }),
    ).rejects.toMatchObject({
      code: RegistryErrorCode.InvalidLorawan,
    });
  });

  it("stores a tenant's time zone, canonical, Europe/Paris by default, and refuses unknown zones", async () => {
    expect(await registry.addTenant('pap', 'Pointe-à-Pitre', 'america/guadeloupe')).toMatchObject({
      timeZone: 'America/Guadeloupe',
    });
    expect(await registry.getTenant('pap')).toMatchObject({ id: 'pap', timeZone: 'America/Guadeloupe' });
    expect(await registry.getTenant('lyon')).toMatchObject({ timeZone: 'Europe/Paris' });
    await expect(registry.addTenant('atl', 'Atlantis', 'Europe/Atlantis')).rejects.toMatchObject({
      code: RegistryErrorCode.InvalidTimeZone,
      message: expect.stringContaining("time zone 'Europe/Atlantis' is not an IANA time zone"),
    });
    expect(await registry.getTenant('atl')).toBeUndefined();
  });

  it("updates a site's attributes: sets, replaces and removes keys, keeps the others", async () => {
    await registry.addSite('lyon', 'pool', 'Piscine', { surface_m2: '2400', use: 'sports', old: 'x' });
    const updated = await registry.updateSite('lyon', 'pool', {
      set: { surface_m2: '2500', base_load_kw: '12.5' },
      unset: ['old', 'never-there'],
    });
    expect(updated).toMatchObject({
      id: 'pool',
      name: 'Piscine',
      attributes: { surface_m2: '2500', use: 'sports', base_load_kw: '12.5' },
    });
    expect(updated.attributes).not.toHaveProperty('old');
    expect((await registry.listSites('lyon')).find((s) => s.id === 'pool')?.attributes).toEqual({
      surface_m2: '2500',
      use: 'sports',
      base_load_kw: '12.5',
    });
    // Removing every key leaves an empty map, not a broken one.
    expect(
      (await registry.updateSite('lyon', 'pool', { unset: ['surface_m2', 'use', 'base_load_kw'] }))
        .attributes,
    ).toEqual({});
    // Concurrent updates of different keys both land (the update is one atomic script).
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        registry.updateSite('lyon', 'pool', { set: { [`k${i}`]: String(i) } }),
      ),
    );
    expect(Object.keys((await registry.getSite('lyon', 'pool'))?.attributes ?? {})).toHaveLength(20);
  });

  it('refuses to update a missing site or tenant, and a key both set and unset', async () => {
    await expect(registry.updateSite('lyon', 'moon', { set: { a: '1' } })).rejects.toMatchObject({
      code: RegistryErrorCode.SiteNotFound,
      message: "site 'moon' does not exist in tenant 'lyon'",
    });
    await expect(registry.updateSite('nowhere', 'pool', { set: { a: '1' } })).rejects.toMatchObject({
      code: RegistryErrorCode.TenantNotFound,
    });
    await expect(
      registry.updateSite('lyon', 'school-1', { set: { a: '1' }, unset: ['a'] }),
    ).rejects.toMatchObject({ code: RegistryErrorCode.InvalidAttributes });
    expect(await redis.exists(`${prefix}site:lyon:moon`)).toBe(0);
  });

  it('stores a device position (lat/lon fields of its hash), lists it, and refuses one off the globe', async () => {
    const location = { lat: 45.764043, lon: 4.835659 };
    const { device, credentials } = await registry.addDevice({
      tenant: 'lyon',
      id: 'bin-geo-1',
      kind: 'bin-sensor',
      location,
    });
    expect(device.location).toEqual(location);
    expect(await redis.hmget(`${prefix}device:lyon:bin-geo-1`, 'lat', 'lon')).toEqual([
      '45.764043',
      '4.835659',
    ]);
    expect((await registry.getDevice('lyon', 'bin-geo-1'))?.location).toEqual(location);
    expect((await registry.listDevices('lyon')).find((d) => d.id === 'bin-geo-1')?.location).toEqual(
      location,
    );
    expect(await registry.authenticate(credentials.username, credentials.password)).toMatchObject({
      device: { location },
    });
    // A device without a position has none (no lat/lon 0, 0 in the middle of the ocean).
    await registry.addDevice({ tenant: 'lyon', id: 'bin-geo-2', kind: 'bin-sensor' });
    expect(await registry.getDevice('lyon', 'bin-geo-2')).not.toHaveProperty('location');

    expect(
      await registry.deviceProblems({
        tenant: 'lyon',
        id: 'bin-geo-3',
        kind: 'bin-sensor',
        location: { lat: 91, lon: Number.NaN },
      }),
    ).toEqual([
      'latitude (lat) must be a number of degrees in [-90, 90], got 91; ' +
        'longitude (lon) must be a number of degrees in [-180, 180], got NaN',
    ]);
    await expect(
      registry.addDevice({
        tenant: 'lyon',
        id: 'bin-geo-3',
        kind: 'bin-sensor',
        location: { lat: 0, lon: 181 },
      }),
    ).rejects.toMatchObject({
      code: RegistryErrorCode.InvalidLocation,
      message: 'longitude (lon) must be a number of degrees in [-180, 180], got 181',
    });
    expect(await registry.getDevice('lyon', 'bin-geo-3')).toBeUndefined();
  });
});
