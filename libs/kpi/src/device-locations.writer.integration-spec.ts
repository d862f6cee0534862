import { createRedis, InfluxClient, RedisKeys, RegistryRepository } from '@vigie/adapters';
import { DEVICE_LOCATION_MEASUREMENT } from '@vigie/contracts';
import { findDeviceKind } from '@vigie/devices';
import { serviceUrls, uniqueName } from '@vigie/testing';
import { Redis } from 'ioredis';
import { DeviceLocationsWriter, locationPointTime } from './device-locations.writer';
import { KpiEngine } from './kpi.engine';

const DAY = 86_400_000;

type Row = { device: string; site: string; kind: string; lat: number; lon: number };

describe('device positions in InfluxDB, against a real InfluxDB and Redis', () => {
  const { influxUrl, redisUrl } = serviceUrls();
  const influx = new InfluxClient({
    url: influxUrl,
    db: uniqueName('device_location'),
    rp: '',
    token: '',
    org: '',
  });
  let redis: Redis;
  let registry: RegistryRepository;

  /** What a dashboard's geomap query returns: the newest position of each device of the tenant. */
  const positions = async (tenant: string): Promise<Row[]> => {
    const series = await influx.query(
      `SELECT last("lat") AS "lat", last("lon") AS "lon" FROM "${DEVICE_LOCATION_MEASUREMENT}" ` +
        `WHERE "tenant" = '${tenant}' GROUP BY "device", "site", "kind"`,
    );
    return series
      .map((s) => ({
        device: s.tags?.['device'] ?? '',
        site: s.tags?.['site'] ?? '',
        kind: s.tags?.['kind'] ?? '',
        lat: Number(s.values[0][1]),
        lon: Number(s.values[0][2]),
      }))
      .sort((a, b) => a.device.localeCompare(b.device));
  };
  const pointCount = async (tenant: string): Promise<number> => {
    const [s] = await influx.query(
      `SELECT count("lat") FROM "${DEVICE_LOCATION_MEASUREMENT}" WHERE "tenant" = '${tenant}'`,
    );
    return Number(s?.values[0][1] ?? 0);
  };

  beforeAll(async () => {
    await influx.ensureDatabase();
    redis = createRedis(redisUrl, { name: 'test' });
    registry = new RegistryRepository(
      redis,
      new RedisKeys(`${uniqueName('loc')}:`),
      'k'.repeat(32),
      findDeviceKind,
    );
  });
  afterAll(async () => redis.quit());

  it('a KPI run copies the registry positions: one point per located device, none for the others', async () => {
    await registry.addTenant('annecy', 'Annecy');
    await registry.addSite('annecy', 'bins-centre');
    await registry.addDevices([
      {
        tenant: 'annecy',
        id: 'bin-1',
        kind: 'bin-sensor',
        site: 'bins-centre',
        location: { lat: 45.8992, lon: 6.1294 },
      },
      { tenant: 'annecy', id: 'lp-1', kind: 'light-controller', location: { lat: -45.5, lon: -6 } },
      { tenant: 'annecy', id: 'm-1', kind: 'energy-meter' },
    ]);
    // No reading at all: every KPI is skipped, the positions are written all the same.
    await new KpiEngine({ registry, influx }).run({ tenant: 'annecy', from: '2026-03-02', to: '2026-03-02' });
    expect(await positions('annecy')).toEqual([
      { device: 'bin-1', site: 'bins-centre', kind: 'bin-sensor', lat: 45.8992, lon: 6.1294 },
      { device: 'lp-1', site: '', kind: 'light-controller', lat: -45.5, lon: -6 },
    ]);
  });

  it('is idempotent within a day, and the newest position wins (a device moved shows at the next run)', async () => {
    let now = Date.parse('2026-04-10T08:00:00Z');
    const writer = new DeviceLocationsWriter(influx, () => now);
    const bin = (lat: number, lon: number) => [
      { id: 'bin-7', kind: 'bin-sensor', intervalS: 900, location: { lat, lon } },
    ];
    expect(await writer.write('thones', bin(45.88, 6.32))).toBe(1);
    now += 3_600_000;
    await writer.write('thones', bin(45.88, 6.32));
    expect(await pointCount('thones')).toBe(1);
    // Moved the same day: the day's point is overwritten.
    now += 3_600_000;
    await writer.write('thones', bin(45.881, 6.321));
    expect(await pointCount('thones')).toBe(1);
    expect(await positions('thones')).toMatchObject([{ device: 'bin-7', lat: 45.881, lon: 6.321 }]);
    // Moved again the next day: a new point, and the query gives it.
    now += DAY;
    await writer.write('thones', bin(45.9, 6.4));
    expect(await pointCount('thones')).toBe(2);
    expect(await positions('thones')).toMatchObject([{ device: 'bin-7', lat: 45.9, lon: 6.4 }]);
    expect(await writer.write('thones', [{ id: 'm', kind: 'energy-meter', intervalS: 900 }])).toBe(0);
  });

  it('stamps the points at the start of the UTC day', () => {
    expect(locationPointTime(Date.parse('2026-04-10T23:59:59.999Z'))).toBe(
      Date.parse('2026-04-10T00:00:00Z'),
    );
    expect(locationPointTime(Date.parse('2026-04-11T00:00:00Z'))).toBe(Date.parse('2026-04-11T00:00:00Z'));
  });
});
