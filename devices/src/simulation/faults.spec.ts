// Every fault of the demo town's ground truth is visible in the reports: each is checked against the same
// devices simulated without faults (same seed), so the check sees the fault and nothing else.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  indexConsumption,
  intervalConsumption,
  minutesLitInDaylight,
  OnOffState,
  solarPosition,
} from '@vigie/domain';
import { parseDurationMs, resolveInstant } from './faults';
import { parseScenario } from './scenario.parser';
import { createTownSimulation } from './town.simulation';
import { DeviceReport, GroundTruthFault, SimulatedDevice } from './town.types';

const DEMO = parseScenario(
  readFileSync(join(__dirname, '../../scenarios/demo-town.yaml'), 'utf8'),
  'demo-town.yaml',
);
const START = Date.parse('2026-11-01T00:00:00+01:00');
const END = START + 30 * 86_400_000;
const SEED = 77;

/** The device whose reports show a fault on `subject` (a device, a water sector or a building). */
function witness(subject: string, kind?: string): string {
  if (DEMO.water_sectors.some((s) => s.id === subject)) return `${subject}-inflow-meter`;
  if (kind === 'water_running') return `${subject}-water`;
  if (DEMO.buildings.some((b) => b.id === subject)) return `${subject}-energy`;
  return subject;
}

const witnesses = new Set(DEMO.faults.map((f) => witness(f.subject, f.kind)));
const only = (d: SimulatedDevice) => witnesses.has(d.id);

function run(faults: boolean): Map<string, DeviceReport[]> {
  const scenario = faults ? DEMO : { ...DEMO, faults: [] };
  const out = new Map<string, DeviceReport[]>();
  for (const r of createTownSimulation(scenario, { seed: SEED, startMs: START, only }).advance(END)) {
    const list = out.get(r.device);
    if (list) list.push(r);
    else out.set(r.device, [r]);
  }
  return out;
}

const faulty = run(true);
const clean = run(false);
const truth = createTownSimulation(DEMO, { seed: SEED, startMs: START, only: () => false }).groundTruth();

const inWindow = (f: GroundTruthFault, ts: number) => ts >= Date.parse(f.start) && ts < Date.parse(f.end);
const num = (r: DeviceReport, m: string) => r.values[m] as number;
const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const byTs = (rs: readonly DeviceReport[]) => [...rs].sort((a, b) => a.ts - b.ts);

function checkWaterLeak(f: GroundTruthFault, got: DeviceReport[], ref: DeviceReport[]): void {
  // the sector's inflow rises by the leak's flow in the window, night flow included, and only there
  const night = (rs: DeviceReport[]) =>
    rs.filter(
      (r) => inWindow(f, r.ts) && new Date(r.ts).getUTCHours() >= 1 && new Date(r.ts).getUTCHours() < 3,
    );
  const step =
    mean(night(got).map((r) => num(r, 'flow_m3h'))) - mean(night(ref).map((r) => num(r, 'flow_m3h')));
  expect(step).toBeCloseTo(f.magnitude, 1);
  // a report covers the interval before it: the one at the end still saw the leak
  const outside = (rs: DeviceReport[]) =>
    rs.filter((r) => r.ts <= Date.parse(f.start) || r.ts > Date.parse(f.end)).map((r) => num(r, 'flow_m3h'));
  expect(outside(got)).toEqual(outside(ref));
}

function checkLampFailure(f: GroundTruthFault, got: DeviceReport[], ref: DeviceReport[]): void {
  const inside = got.filter((r) => inWindow(f, r.ts));
  expect(
    inside.every(
      (r) => r.values['lamp_failure'] === true && r.values['lamp_on'] === false && num(r, 'power_w') === 0,
    ),
  ).toBe(true);
  expect(ref.filter((r) => inWindow(f, r.ts)).some((r) => r.values['lamp_on'] === true)).toBe(true);
  expect(got.filter((r) => !inWindow(f, r.ts)).every((r) => r.values['lamp_failure'] === false)).toBe(true);
}

function checkLampLitInDaylight(f: GroundTruthFault, got: DeviceReport[], ref: DeviceReport[]): void {
  const device = createTownSimulation(DEMO, {
    seed: SEED,
    startMs: START,
    only: () => false,
  }).town.devices.find((d) => d.id === f.subject);
  const { lat, lon } = device?.location ?? { lat: 0, lon: 0 };
  const lit = (rs: DeviceReport[]): number => {
    const states: OnOffState[] = rs
      .filter((r) => inWindow(f, r.ts))
      .map((r) => ({ ts: r.ts, on: r.values['lamp_on'] as boolean }));
    return minutesLitInDaylight(states, lat, lon, 15, { maxGapMs: 1_800_000 }).reduce(
      (a, d) => a + d.minutes,
      0,
    );
  };
  expect(lit(ref)).toBe(0);
  expect(lit(got)).toBeGreaterThan(2 * 8 * 60); // two winter days lit from dawn to dusk
  const noon = got.find((r) => inWindow(f, r.ts) && solarPosition(r.ts, lat, lon).elevationDeg > 15);
  expect(noon?.values).toMatchObject({ lamp_on: true, power_w: expect.any(Number), dim_pct: 100 });
}

function checkHeatingOnInHoliday(f: GroundTruthFault, got: DeviceReport[], ref: DeviceReport[]): void {
  const energy = (rs: DeviceReport[]) =>
    intervalConsumption(rs.map((r) => ({ ts: r.ts, value: num(r, 'energy_kwh') })))
      .filter((iv) => inWindow(f, iv.ts))
      .reduce((a, iv) => a + iv.delta, 0);
  expect(energy(got)).toBeGreaterThan(1.15 * energy(ref));
}

function checkWaterRunning(f: GroundTruthFault, got: DeviceReport[], ref: DeviceReport[]): void {
  // Every report in the window flows the magnitude (L/h) more than without the fault, closed hours included.
  const flow = (rs: DeviceReport[]) =>
    new Map(rs.filter((r) => inWindow(f, r.ts)).map((r) => [r.ts, num(r, 'flow_m3h')]));
  const clean = flow(ref);
  const extra = [...flow(got)].map(([ts, v]) => v - (clean.get(ts) ?? Number.NaN));
  expect(extra.length).toBeGreaterThan(2000);
  for (const x of extra) expect(x).toBeCloseTo(f.magnitude / 1000, 3);
  expect(Math.min(...[...flow(got).values()])).toBeCloseTo(f.magnitude / 1000, 4);
}

function checkBinOverflow(f: GroundTruthFault, got: DeviceReport[]): void {
  const inside = got.filter((r) => inWindow(f, r.ts)).map((r) => num(r, 'fill_pct'));
  expect(Math.max(...inside)).toBeGreaterThanOrEqual(f.magnitude - 2);
  expect(inside.filter((v) => v >= 100).length).toBeGreaterThan(inside.length / 2);
  const after = got.find((r) => r.ts >= Date.parse(f.end));
  expect(after && num(after, 'fill_pct')).toBeLessThan(10);
}

function checkBinFire(f: GroundTruthFault, got: DeviceReport[], ref: DeviceReport[]): void {
  const inside = got.filter((r) => inWindow(f, r.ts)).map((r) => num(r, 'temperature_c'));
  expect(Math.max(...inside)).toBeGreaterThanOrEqual(60); // K7 fire threshold
  expect(Math.max(...inside)).toBeCloseTo(f.magnitude, -1);
  expect(Math.max(...ref.map((r) => num(r, 'temperature_c')))).toBeLessThan(40);
}

function checkDeviceSilent(f: GroundTruthFault, got: DeviceReport[], ref: DeviceReport[]): void {
  expect(got.filter((r) => inWindow(f, r.ts))).toEqual([]);
  expect(ref.filter((r) => inWindow(f, r.ts)).length).toBe(parseDurationMs('36h') / 900_000);
  expect(got.length).toBe(ref.length - ref.filter((r) => inWindow(f, r.ts)).length);
}

function checkMeterIndexReset(f: GroundTruthFault, got: DeviceReport[]): void {
  const samples = got.map((r) => ({ ts: r.ts, value: num(r, 'energy_kwh') }));
  const { resets } = indexConsumption(samples);
  expect(resets).toHaveLength(1);
  expect(inWindow(f, resets[0])).toBe(true);
  const first = got.find((r) => r.ts === resets[0]);
  expect(first && num(first, 'energy_kwh')).toBeLessThan(f.magnitude + 50);
}

function checkDuplicatedMessages(f: GroundTruthFault, got: DeviceReport[]): void {
  expect(got.filter((r) => inWindow(f, r.ts)).every((r) => r.copies === f.magnitude)).toBe(true);
  expect(got.filter((r) => inWindow(f, r.ts)).length).toBe(96);
  expect(got.filter((r) => !inWindow(f, r.ts)).every((r) => r.copies === undefined)).toBe(true);
}

function checkOutOfOrderMessages(f: GroundTruthFault, got: DeviceReport[], ref: DeviceReport[]): void {
  const swaps = got.filter((r, i) => i > 0 && r.ts < got[i - 1].ts);
  expect(swaps.length).toBeGreaterThan(10);
  expect(swaps.every((r) => inWindow(f, r.ts))).toBe(true);
  expect(byTs(got)).toEqual(ref);
}

function checkClockSkew(f: GroundTruthFault, got: DeviceReport[], ref: DeviceReport[]): void {
  expect(got).toHaveLength(ref.length);
  const skewed = got.filter((r, i) => r.ts !== ref[i].ts);
  expect(skewed.length).toBe(96);
  got.forEach((r, i) => {
    if (r.ts !== ref[i].ts) {
      expect(inWindow(f, ref[i].ts)).toBe(true);
      expect(r.ts - ref[i].ts).toBe(f.magnitude * 1000);
    }
    expect(r.values).toEqual(ref[i].values);
  });
}

function checkMalformedPayloads(f: GroundTruthFault, got: DeviceReport[]): void {
  const inside = got.filter((r) => inWindow(f, r.ts));
  const share = inside.filter((r) => r.malformed).length / inside.length;
  expect(share).toBeGreaterThan(f.magnitude - 0.2);
  expect(share).toBeLessThan(f.magnitude + 0.2);
  expect(got.filter((r) => !inWindow(f, r.ts)).some((r) => r.malformed)).toBe(false);
}

/** One check per fault kind: what a KPI or an alert would see in the reports. */
function check(f: GroundTruthFault, got: DeviceReport[], ref: DeviceReport[]): void {
  switch (f.kind) {
    case 'water_leak':
      return checkWaterLeak(f, got, ref);
    case 'lamp_failure':
      return checkLampFailure(f, got, ref);
    case 'lamp_lit_in_daylight':
      return checkLampLitInDaylight(f, got, ref);
    case 'heating_on_in_holiday':
      return checkHeatingOnInHoliday(f, got, ref);
    case 'water_running':
      return checkWaterRunning(f, got, ref);
    case 'bin_overflow':
      return checkBinOverflow(f, got);
    case 'bin_fire':
      return checkBinFire(f, got, ref);
    case 'device_silent':
      return checkDeviceSilent(f, got, ref);
    case 'meter_index_reset':
      return checkMeterIndexReset(f, got);
    case 'duplicated_messages':
      return checkDuplicatedMessages(f, got);
    case 'out_of_order_messages':
      return checkOutOfOrderMessages(f, got, ref);
    case 'clock_skew':
      return checkClockSkew(f, got, ref);
    case 'malformed_payloads':
      return checkMalformedPayloads(f, got);
  }
}

describe('faults of the demo town', () => {
  it('lists every scheduled fault in the ground truth, with absolute times', () => {
    expect(truth).toHaveLength(DEMO.faults.length);
    truth.forEach((t, i) => {
      const f = DEMO.faults[i];
      expect(t).toMatchObject({ kind: f.kind, subject: f.subject });
      expect(Date.parse(t.start)).toBe(resolveInstant(f.start, START));
      expect(Date.parse(t.end) - Date.parse(t.start)).toBe(parseDurationMs(f.duration));
      expect(Number.isFinite(t.magnitude)).toBe(true);
      expect(Date.parse(t.end)).toBeLessThanOrEqual(END);
    });
  });

  it.each(truth.map((t) => [`${t.kind} on ${t.subject}`, t] as const))(
    'shows %s in the reports',
    (_, fault) => {
      const device = witness(fault.subject, fault.kind);
      const got = faulty.get(device) ?? [];
      const ref = clean.get(device) ?? [];
      expect(ref.length).toBeGreaterThan(2000);
      check(fault, got, ref);
    },
  );
});

describe('durations', () => {
  it.each([
    ['30d', 30 * 86_400_000],
    ['12h', 12 * 3_600_000],
    ['90m', 90 * 60_000],
    ['45s', 45_000],
    ['1d12h', 36 * 3_600_000],
    ['2d6h30m', (54 * 60 + 30) * 60_000],
  ])('reads %s', (text, ms) => expect(parseDurationMs(text)).toBe(ms));

  it.each(['', '30', '3w', '-1d', 'd', '1h2d'])('refuses %j and says how to write one', (text) => {
    expect(() => parseDurationMs(text)).toThrow(`'${text}' is not a duration: write it like 30d, 12h`);
  });
});

describe('transport faults leave the device itself alone', () => {
  it.each(['malformed_payloads', 'duplicated_messages', 'clock_skew', 'out_of_order_messages'])(
    '%s: after its window, the device reports exactly what it would have without the fault',
    (kind) => {
      const f = truth.find((t) => t.kind === kind);
      if (!f) throw new Error(`no ${kind} in the demo town`);
      const after = (rs: readonly DeviceReport[] | undefined) =>
        byTs(rs ?? []).filter((r) => r.ts >= Date.parse(f.end) + 3_600_000);
      const got = after(faulty.get(f.subject));
      expect(got.length).toBeGreaterThan(10);
      expect(got).toEqual(after(clean.get(f.subject)));
    },
  );
});
