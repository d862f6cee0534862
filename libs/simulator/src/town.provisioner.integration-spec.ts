import { createRedis, RedisKeys, RegistryRepository } from '@vigie/adapters';
import { createTownSimulation, findDeviceKind, parseScenario } from '@vigie/devices';
import { serviceUrls, uniqueName } from '@vigie/testing';
import { Redis } from 'ioredis';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { provisionTown, simulatorAccountId } from './town.provisioner';

const SCENARIO = join(__dirname, '..', '..', '..', 'test', 'simulate', 'small-town.yaml');

describe('provisionTown against real Redis', () => {
  const keys = new RedisKeys(`${uniqueName('provision')}:`);
  let redis: Redis;
  let registry: RegistryRepository;
  const town = createTownSimulation(parseScenario(readFileSync(SCENARIO, 'utf8'), SCENARIO), {
    seed: 1,
    startMs: Date.UTC(2026, 0, 10),
  }).town;

  beforeAll(() => {
    redis = createRedis(serviceUrls().redisUrl, { name: 'test' });
    registry = new RegistryRepository(redis, keys, 'k'.repeat(32), findDeviceKind);
  });
  afterAll(async () => redis.quit());

  it('registers the town once, and a second run only issues new credentials', async () => {
    const first = await provisionTown(registry, town);
    expect(first.created).toEqual({ tenant: true, sites: town.sites.length, devices: town.devices.length });
    const lorawan = town.devices.filter((d) => d.transport === 'chirpstack' || d.transport === 'tts');
    const direct = town.devices.filter((d) => !lorawan.includes(d));
    expect(lorawan.length).toBeGreaterThan(0);
    expect([...first.devices.keys()].sort()).toEqual(direct.map((d) => d.id).sort());
    expect([...first.networks.keys()].sort()).toEqual(['chirpstack', 'tts']);

    const registered = await registry.listDevices(town.tenant.id);
    expect(registered.map((d) => [d.id, d.kind, d.site ?? '', d.devEui ?? ''])).toEqual(
      [...town.devices]
        .sort((a, b) => a.id.localeCompare(b.id))
        .map((d) => [d.id, d.kind, d.site ?? '', d.devEui ?? '']),
    );
    // Every device is registered at the scenario's position, near the town.
    expect(registered.map((d) => [d.id, d.location])).toEqual(
      [...town.devices].sort((a, b) => a.id.localeCompare(b.id)).map((d) => [d.id, d.location]),
    );
    expect(registered.every((d) => d.location !== undefined)).toBe(true);
    const accounts = await registry.listAccounts(town.tenant.id);
    expect(accounts.map((a) => [a.id, a.lorawan])).toEqual([
      [simulatorAccountId('chirpstack'), 'chirpstack'],
      [simulatorAccountId('tts'), 'tts'],
    ]);

    const second = await provisionTown(registry, town);
    expect(second.created).toEqual({ tenant: false, sites: 0, devices: 0 });
    expect((await registry.listDevices(town.tenant.id)).length).toBe(town.devices.length);
    expect((await registry.listSites(town.tenant.id)).length).toBe(town.sites.length);

    // New secrets work, the previous ones no longer do.
    const id = direct[0].id;
    const [old, renewed] = [first.devices.get(id), second.devices.get(id)];
    expect(renewed?.password).not.toBe(old?.password);
    expect(await registry.authenticate(renewed?.username ?? '', renewed?.password ?? '')).toMatchObject({
      type: 'device',
      device: { id },
    });
    expect(await registry.authenticate(old?.username ?? '', old?.password ?? '')).toBeUndefined();
    const account = second.networks.get('tts');
    expect(await registry.authenticate(account?.username ?? '', account?.password ?? '')).toMatchObject({
      type: 'account',
      account: { id: simulatorAccountId('tts'), lorawan: 'tts' },
    });
  });

  it('refuses a town whose device ids are taken by devices of another kind, naming them', async () => {
    const tenant = 'autre-ville';
    await registry.addTenant(tenant);
    await registry.addDevice({ tenant, id: 'meteo', kind: 'energy-meter' });
    await expect(provisionTown(registry, { ...town, tenant: { id: tenant, name: 'Autre' } })).rejects.toThrow(
      "tenant 'autre-ville' already has devices of another kind under the scenario's ids: meteo (registered as energy-meter, the scenario says weather-station); use another --tenant",
    );
    expect((await registry.listDevices(tenant)).map((d) => d.id)).toEqual(['meteo']);
    expect(await registry.listSites(tenant)).toEqual([]);
    expect(await registry.listAccounts(tenant)).toEqual([]);
  });
});
