import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { lightPointPosition } from './light-point';
import { parseScenario } from './scenario.parser';
import { layoutTown } from './town.layout';
import {
  BIN_DISTRICT_RADIUS_M,
  BIN_SPREAD_M,
  distanceM,
  scatterAround,
  TOWN_RADIUS_M,
} from './town.positions';

const DEMO = parseScenario(
  readFileSync(join(__dirname, '../../scenarios/demo-town.yaml'), 'utf8'),
  'demo-town.yaml',
);

describe('device positions of the simulated town', () => {
  const { town } = layoutTown(DEMO);
  const centre = DEMO.location;

  it('gives every device a position, the same at every layout', () => {
    expect(town.devices.filter((d) => !d.location).map((d) => d.id)).toEqual([]);
    const again = layoutTown(structuredClone(DEMO)).town;
    expect(again.devices.map((d) => [d.id, d.location])).toEqual(town.devices.map((d) => [d.id, d.location]));
  });

  it('puts bins around their district, a few hundred metres from the town centre', () => {
    const bins = town.devices.filter((d) => d.kind === 'bin-sensor');
    expect(bins.length).toBeGreaterThan(0);
    // √2 × the spreads: the corners of the squares they are drawn in.
    const reach = Math.SQRT2 * (BIN_DISTRICT_RADIUS_M + BIN_SPREAD_M) + 1;
    for (const b of bins) expect(distanceM(centre, b.location ?? { lat: 0, lon: 0 })).toBeLessThan(reach);
    // Bins of one district stand together: no two further apart than the district's square.
    const bySite = new Map<string, typeof bins>();
    for (const b of bins) bySite.set(b.site ?? '', [...(bySite.get(b.site ?? '') ?? []), b]);
    const widest = Math.max(
      ...[...bySite.values()].flatMap((group) =>
        group.flatMap((a) => group.map((b) => distanceM(a.location ?? centre, b.location ?? centre))),
      ),
    );
    expect(widest).toBeLessThan(2 * Math.SQRT2 * BIN_SPREAD_M + 1);
    // …and not all on one spot.
    expect(new Set(bins.map((b) => `${b.location?.lat},${b.location?.lon}`)).size).toBe(bins.length);
  });

  it('keeps the light points where their street puts them (their lighting times depend on it)', () => {
    const groups = new Map(DEMO.lighting.groups.map((g) => [g.street, g]));
    const points = town.devices.filter((d) => d.kind === 'light-controller');
    expect(points.length).toBeGreaterThan(0);
    for (const p of points) {
      const group = groups.get(p.site ?? '');
      expect(group).toBeDefined();
      expect(p.location).toEqual(group && lightPointPosition(group, p.id));
    }
  });

  it('puts the devices of one site together, and every device within a few kilometres of the town', () => {
    for (const site of town.sites) {
      const devices = town.devices.filter((d) => d.site === site.id && d.kind !== 'bin-sensor');
      const types = new Set(devices.map((d) => d.kind));
      if (types.has('light-controller') || types.has('rain-gauge')) continue;
      // Meters of a building (energy, water) share its position.
      expect(new Set(devices.map((d) => `${d.location?.lat},${d.location?.lon}`)).size).toBeLessThanOrEqual(
        1,
      );
    }
    const meter = town.devices.find((d) => d.kind === 'energy-meter');
    expect(distanceM(centre, meter?.location ?? { lat: 0, lon: 0 })).toBeLessThan(
      Math.SQRT2 * TOWN_RADIUS_M + 1,
    );
    for (const d of town.devices)
      expect(distanceM(centre, d.location ?? { lat: 0, lon: 0 })).toBeLessThan(5000);
  });
});

describe('scatterAround', () => {
  it('draws within the spread, rounded to 6 decimals, and the same for the same key', () => {
    const c = { lat: 45.92, lon: 6.87 };
    const p = scatterAround(c, 300, 42);
    expect(scatterAround(c, 300, 42)).toEqual(p);
    expect(scatterAround(c, 300, 43)).not.toEqual(p);
    expect(Math.abs(p.lat - c.lat)).toBeLessThanOrEqual(300 / 111_320);
    expect(distanceM(c, p)).toBeLessThanOrEqual(300 * Math.SQRT2);
    expect(p.lat).toBe(Math.round(p.lat * 1e6) / 1e6);
    expect(scatterAround(c, 0, 42)).toEqual(c);
  });
});
