import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { validateReading } from '@vigie/domain';
import { findDeviceKind } from '../catalogue';
import { parseScenario } from './scenario.parser';
import { createTownSimulation } from './town.simulation';
import { DeviceReport, SimulatedDevice } from './town.types';

const DEMO = parseScenario(
  readFileSync(join(__dirname, '../../scenarios/demo-town.yaml'), 'utf8'),
  'demo-town.yaml',
);
const DAY = 86_400_000;
const START = Date.parse('2026-11-01T00:00:00+01:00');
const NO_FAULTS = { ...DEMO, faults: [] };

/** One device of each kind and role, and a few with faults. */
const SAMPLE = new Set([
  'ecole-jean-jaures-energy',
  'meteo-hotel-de-ville',
  'pluvio-stade',
  'secteur-est-production-meter',
  'secteur-est-import-meter',
  'secteur-ouest-export-meter',
  'secteur-ouest-inflow-meter',
  'secteur-nord-customer-01',
  'stade-municipal-valve',
  'bin-centre-001',
  'lp-rue-de-la-paix-001',
  'armoire-01-meter',
  'gymnase-coubertin-energy',
]);
const sample = (d: SimulatedDevice) => SAMPLE.has(d.id);

function byDevice(reports: readonly DeviceReport[]): Map<string, DeviceReport[]> {
  const out = new Map<string, DeviceReport[]>();
  for (const r of reports) {
    const list = out.get(r.device);
    if (list) list.push(r);
    else out.set(r.device, [r]);
  }
  return out;
}

describe('createTownSimulation', () => {
  it('describes the town: tenant, sites and devices', () => {
    const { town } = createTownSimulation(DEMO, { seed: 1, startMs: START, only: () => false });
    expect(town.tenant).toEqual({ id: 'demo-town', name: 'Ville de Démo' });
    expect(town.devices.length).toBeGreaterThan(1350);
    expect(town.devices.find((d) => d.id === 'bin-centre-001')).toMatchObject({
      kind: 'bin-sensor',
      site: 'bins-centre',
      intervalS: 900,
      transport: 'chirpstack',
    });
    const sites = new Set(town.sites.map((s) => s.id));
    for (const d of town.devices) expect(sites.has(d.site ?? '')).toBe(true);
  });

  it('gives the same reports for the same seed, and other reports for another seed', () => {
    const run = (seed: number) =>
      createTownSimulation(DEMO, { seed, startMs: START, only: sample }).advance(START + 2 * DAY);
    const a = run(5);
    expect(a.length).toBe(SAMPLE.size * 2 * 96);
    expect(run(5)).toEqual(a);
    expect(run(6)).not.toEqual(a);
  });

  it('gives the same reports when time is chunked', () => {
    const oneShot = createTownSimulation(DEMO, { seed: 9, startMs: START, only: sample }).advance(
      START + 3 * DAY,
    );
    const sim = createTownSimulation(DEMO, { seed: 9, startMs: START, only: sample });
    const chunks: DeviceReport[] = [];
    // uneven chunks, some not on interval boundaries, one empty, one going backwards
    for (const t of [
      START + 1,
      START + 7 * 60_000,
      START + 5 * 3_600_000,
      START + 5 * 3_600_000,
      START + DAY - 1,
      START,
      START + 3 * DAY,
    ]) {
      chunks.push(...sim.advance(t));
    }
    const a = byDevice(oneShot);
    const b = byDevice(chunks);
    expect([...b.keys()].sort()).toEqual([...a.keys()].sort());
    for (const [id, reports] of a) expect(b.get(id)).toEqual(reports);
    expect(sim.advance(START + 3 * DAY)).toEqual([]);
  });

  it('gives a device the same reports whichever other devices are simulated', () => {
    const all = byDevice(createTownSimulation(DEMO, { seed: 3, startMs: START }).advance(START + DAY));
    const some = byDevice(
      createTownSimulation(DEMO, { seed: 3, startMs: START, only: sample }).advance(START + DAY),
    );
    expect(all.size).toBe(
      createTownSimulation(DEMO, { seed: 3, startMs: START, only: () => false }).town.devices.length,
    );
    for (const id of SAMPLE) expect(some.get(id)).toEqual(all.get(id));
  });

  it('reports at interval boundaries in (start, to], each value valid for its kind', () => {
    const sim = createTownSimulation(NO_FAULTS, { seed: 11, startMs: START + 60_000 });
    const reports = sim.advance(START + DAY);
    const devices = new Map(sim.town.devices.map((d) => [d.id, d]));
    const window = { maxPastMs: 10 * DAY, maxFutureMs: 10 * DAY };
    let readings = 0;
    const problems: string[] = [];
    const note = (problem: string) => problems.length < 10 && problems.push(problem);
    for (const r of reports) {
      const device = devices.get(r.device);
      const kind = findDeviceKind(device?.kind ?? '');
      if (!device || !kind) throw new Error(`unknown device or kind for ${r.device}`);
      if (r.ts % (device.intervalS * 1000) !== 0) note(`${r.device}: ts ${r.ts} is off its interval`);
      if (r.ts <= START + 60_000 || r.ts > START + DAY) note(`${r.device}: ts ${r.ts} is outside the window`);
      let index = 0;
      for (const metric in r.values) {
        readings++;
        const value = r.values[metric];
        const outcome = validateReading(kind, { metric, value, ts: r.ts, index: index++ }, r.ts, window);
        if (!outcome.ok) note(`${r.device}: ${outcome.rejection.detail}`);
      }
    }
    expect(problems).toEqual([]);
    expect(reports.length).toBe(sim.town.devices.length * 96);
    expect(readings).toBeGreaterThan(reports.length * 3);
  });

  it('carries LoRaWAN link quality on LoRaWAN devices of kinds that declare it', () => {
    const reports = createTownSimulation(DEMO, { seed: 2, startMs: START, only: sample }).advance(
      START + DAY,
    );
    const bin = reports.find((r) => r.device === 'bin-centre-001');
    expect(bin?.values).toEqual({
      fill_pct: expect.any(Number),
      temperature_c: expect.any(Number),
      battery_pct: expect.any(Number),
      rssi_dbm: expect.any(Number),
      snr_db: expect.any(Number),
    });
    expect(reports.find((r) => r.device === 'ecole-jean-jaures-energy')?.values).not.toHaveProperty(
      'rssi_dbm',
    );
  });

  it('waters on schedule, skipping runs after rain unless the zone has no rain skip', () => {
    const july = Date.parse('2025-07-01T00:00:00+02:00');
    const ids = new Set(['stade-annexe-valve', 'stade-municipal-valve', 'meteo-hotel-de-ville']);
    const reports = byDevice(
      createTownSimulation(NO_FAULTS, { seed: 4, startMs: july, only: (d) => ids.has(d.id) }).advance(
        july + 31 * DAY,
      ),
    );
    const rain = reports.get('meteo-hotel-de-ville') ?? [];
    const rainBefore = (ts: number) =>
      rain
        .filter((r) => r.ts > ts - DAY && r.ts <= ts)
        .reduce((a, r) => a + (r.values['rain_mm'] as number), 0);
    const runs = (id: string) => {
      const out: { start: number; m3: number }[] = [];
      const rs = reports.get(id) ?? [];
      rs.forEach((r, i) => {
        if (i === 0) return;
        const m3 = (r.values['volume_m3'] as number) - (rs[i - 1].values['volume_m3'] as number);
        if (r.values['valve_open'] === true && rs[i - 1].values['valve_open'] === false)
          out.push({ start: r.ts, m3: 0 });
        if (m3 > 0 && out.length > 0) out[out.length - 1].m3 += m3;
      });
      return out;
    };
    const local = (ts: number) => new Date(ts + 2 * 3_600_000); // CEST wall clock, as UTC fields
    // stade-annexe: mon, wed, sat at 03:00 for 55 min at 12 m³/h, waters even in the rain
    const annexe = runs('stade-annexe-valve');
    expect(annexe.map((r) => local(r.start).getUTCDay()).every((d) => [1, 3, 6].includes(d))).toBe(true);
    expect(annexe).toHaveLength(13); // every Monday, Wednesday and Saturday of July 2025
    for (const r of annexe) expect(r.m3).toBeGreaterThan(12 * (55 / 60) * 0.96);
    for (const r of annexe) expect(r.m3).toBeLessThan(12 * (55 / 60) * 1.04);
    // stade-municipal: mon, tue, thu, fri at 04:00, skips a run after ≥ 2 mm of rain in the last 24 h
    const municipal = runs('stade-municipal-valve');
    const scheduled: number[] = [];
    for (let d = 0; d < 31; d++) {
      const at = Date.parse(`2025-07-${String(d + 1).padStart(2, '0')}T04:00:00+02:00`);
      if ([1, 2, 4, 5].includes(local(at).getUTCDay())) scheduled.push(at);
    }
    expect(scheduled.filter((at) => rainBefore(at) >= 2.05).length).toBeGreaterThan(0); // some runs skipped
    // the station's rain is rounded to 0.01 mm per report: a margin around the 2 mm threshold
    const started = municipal.map((r) => r.start);
    expect(started.every((at) => scheduled.includes(at) && rainBefore(at) < 2.05)).toBe(true);
    expect(scheduled.filter((at) => rainBefore(at) < 1.95).every((at) => started.includes(at))).toBe(true);
  });

  it("sums a cabinet's points and its losses", () => {
    const cabinet = DEMO.lighting.cabinets.find((c) => c.id === 'armoire-08');
    const reports = byDevice(
      createTownSimulation(NO_FAULTS, {
        seed: 8,
        startMs: START,
        only: (d) => d.id === 'armoire-08-meter' || d.id.startsWith('lp-allee-du-parc-'),
      }).advance(START + 2 * DAY),
    );
    const delta = (id: string) => {
      const rs = reports.get(id) ?? [];
      return (rs[rs.length - 1].values['energy_kwh'] as number) - (rs[0].values['energy_kwh'] as number);
    };
    let points = 0;
    for (const [id] of reports) if (id.startsWith('lp-')) points += delta(id);
    expect(reports.size).toBe(61);
    expect(points).toBeGreaterThan(60 * 35 * 5 * 2 * 0.001); // switched off 22:00–06:30: 5–6 h a night at 35 W
    expect(delta('armoire-08-meter')).toBeCloseTo(points * (1 + (cabinet?.losses_pct ?? 0) / 100), 1);
  });

  it('generates two days of the whole demo town, every device at every interval', () => {
    const t0 = performance.now();
    const sim = createTownSimulation(NO_FAULTS, { seed: 1, startMs: START });
    const n = sim.advance(START + 2 * DAY).length;
    const seconds = (performance.now() - t0) / 1000;
    expect(n).toBe(sim.town.devices.length * 192);
    // a figure, not an assertion (shared CI machines vary); the 30-day benchmark is in the simulator's report
    console.log(
      `demo town, 2 days: ${n} reports in ${seconds.toFixed(2)} s (${Math.round(n / seconds)} reports/s)`,
    );
  });
});

describe('observed conditions (ground truth of what the town got into by itself)', () => {
  // The scoring backfill's dates: a month of bins, 300 of them, weekly or twice-weekly rounds.
  const start = Date.parse('2026-01-30T00:00:00+01:00');
  const end = start + 30 * DAY;
  const sim = createTownSimulation(DEMO, { seed: 1, startMs: start, only: (d) => d.kind === 'bin-sensor' });
  const reports = byDevice(sim.advance(end));
  const observed = sim.observed();
  const injected = sim.groundTruth().filter((f) => f.kind === 'bin_overflow');

  it('lists the bins that overflow without a fault, where their reports show it, and no other', () => {
    expect(observed.length).toBeGreaterThan(0);
    for (const c of observed) {
      expect(c).toMatchObject({ kind: 'bin_overflow', observed: true });
      expect(injected.some((f) => f.subject === c.subject && f.start < c.end && c.start < f.end)).toBe(false);
      const inside = (reports.get(c.subject) ?? []).filter(
        (r) => r.ts > Date.parse(c.start) && r.ts < Date.parse(c.end),
      );
      expect(inside.length).toBeGreaterThan(0);
      // [start, end): from the interval the fill reached 100 % to the report that shows it emptied. True fill
      // ≥ 100 %, reported with ±0.5 % of noise.
      for (const r of inside) expect(r.values['fill_pct']).toBeGreaterThanOrEqual(98);
    }
    // The other way: a bin reporting 101 % or more out of any injected fault is in an observed condition then.
    for (const [device, rs] of reports) {
      for (const r of rs) {
        if ((r.values['fill_pct'] as number) < 101) continue;
        const during = (f: { subject: string; start: string; end: string }) =>
          f.subject === device && Date.parse(f.start) < r.ts && r.ts <= Date.parse(f.end) + 900_000;
        expect(injected.some(during) || observed.some(during)).toBe(true);
      }
    }
  });

  it('ends a condition still going on at the last simulated step', () => {
    for (const c of observed) expect(Date.parse(c.end)).toBeLessThanOrEqual(end);
    expect(observed.map((c) => c.start)).toEqual([...observed.map((c) => c.start)].sort());
  });
});

describe('observed conditions: subscribed power exceeded', () => {
  const start = Date.parse('2026-01-30T00:00:00+01:00');
  const subscribed = new Map(
    DEMO.buildings
      .filter((b) => b.subscribed_kva !== undefined)
      .map((b) => [`${b.id}-energy`, b.subscribed_kva]),
  );
  const sim = createTownSimulation(NO_FAULTS, { seed: 1, startMs: start, only: (d) => subscribed.has(d.id) });
  const reports = byDevice(sim.advance(start + 7 * DAY));
  const observed = sim.observed();

  it('lists the intervals a building draws more than its subscribed power, as its reports show', () => {
    // The demo town's gyms: heating on the same meter as the electricity, over a 120 kVA subscription.
    expect(new Set(observed.map((c) => c.subject))).toContain('gymnase-jean-bouin-energy');
    for (const [device, rs] of reports) {
      const kva = subscribed.get(device) as number;
      const over = rs.filter((r) => (r.values['power_w'] as number) > kva * 1000);
      const mine = observed.filter((c) => c.subject === device);
      for (const c of mine) expect(c).toMatchObject({ kind: 'subscribed_power_exceeded', observed: true });
      // Every interval over the subscription is inside one of the device's observed conditions, and the other way.
      for (const r of over) {
        expect(mine.some((c) => Date.parse(c.start) < r.ts && r.ts < Date.parse(c.end) + 1)).toBe(true);
      }
      expect(mine.length > 0).toBe(over.length > 0);
    }
  });
});
