// Realism on one simulated year of the demo town (faults left out), each figure within the range the issue
// and the KPI catalogue state, computed with the domain's KPI calculators from the simulated readings.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  averageFillAtCollection,
  burningHours,
  collectionEvents,
  dailyDegreeDays,
  indexConsumption,
  intervalConsumption,
  networkEfficiency,
  outOfHoursShare,
  Sample,
  sumDegreeDays,
} from '@vigie/domain';
import { LocalClock } from './local-clock';
import { OccupancySchedule } from './occupancy';
import { parseScenario } from './scenario.parser';
import { createTownSimulation } from './town.simulation';
import { DeviceReport } from './town.types';

const DEMO = parseScenario(
  readFileSync(join(__dirname, '../../scenarios/demo-town.yaml'), 'utf8'),
  'demo-town.yaml',
);
const SCENARIO = { ...DEMO, faults: [] };
const START = Date.parse('2025-01-01T00:00:00+01:00');
const END = Date.parse('2026-01-01T00:00:00+01:00');
const SCHOOL = 'ecole-jean-jaures';
const ALL_NIGHT = ['lp-avenue-de-la-republique-001', 'lp-avenue-de-la-gare-001'];
const BINS = /^bin-(nord|gare)-0[01]\d$/;

const wanted = (id: string) =>
  id === 'meteo-hotel-de-ville' ||
  id === `${SCHOOL}-energy` ||
  id.startsWith('secteur-') ||
  ALL_NIGHT.includes(id) ||
  BINS.test(id);

/** Printed at the end, for the report of the simulator. */
const figures: Record<string, string> = {};

describe('a simulated year of the demo town', () => {
  // the year starts at local midnight: the first report is 00:15
  const sim = createTownSimulation(SCENARIO, { seed: 2025, startMs: START, only: (d) => wanted(d.id) });
  const reports = new Map<string, DeviceReport[]>();
  for (const r of sim.advance(END)) {
    const list = reports.get(r.device);
    if (list) list.push(r);
    else reports.set(r.device, [r]);
  }
  const series = (device: string, metric: string): Sample[] =>
    (reports.get(device) ?? []).map((r) => ({ ts: r.ts, value: r.values[metric] as number }));

  afterAll(() => {
    console.log(
      `realism figures (seed 2025, year 2025):\n${Object.entries(figures)
        .map(([k, v]) => `  ${k}: ${v}`)
        .join('\n')}`,
    );
  });

  it('has a Paris-like climate: 2,200–2,800 heating degree days base 18 °C', () => {
    const temps = series('meteo-hotel-de-ville', 'temperature_c');
    expect(temps).toHaveLength(365 * 96);
    const meteo = sumDegreeDays(dailyDegreeDays(temps, 'meteo'));
    const costic = sumDegreeDays(dailyDegreeDays(temps, 'costic'));
    const rain = series('meteo-hotel-de-ville', 'rain_mm').reduce((a, s) => a + s.value, 0);
    figures['DJU base 18 (météo / COSTIC)'] = `${meteo.toFixed(0)} / ${costic.toFixed(0)}`;
    figures['rain'] = `${rain.toFixed(0)} mm`;
    expect(meteo).toBeGreaterThanOrEqual(2200);
    expect(meteo).toBeLessThanOrEqual(2800);
    expect(costic).toBeGreaterThanOrEqual(2200);
    expect(costic).toBeLessThanOrEqual(2800);
    expect(rain).toBeGreaterThan(450);
    expect(rain).toBeLessThan(900);
  });

  it.each(ALL_NIGHT)('burns %s 4,000–4,300 h a year at 48.85° N', (id) => {
    const states = (reports.get(id) ?? []).map((r) => ({ ts: r.ts, on: r.values['lamp_on'] as boolean }));
    const hours = burningHours(states, { maxGapMs: 2 * 900_000, endTs: END });
    figures[`burning hours ${id}`] = `${hours.toFixed(0)} h`;
    expect(hours).toBeGreaterThanOrEqual(4000);
    expect(hours).toBeLessThanOrEqual(4300);
  });

  it("has a school's out-of-hours share of consumption between 20 and 40 %", () => {
    const building = SCENARIO.buildings.find((b) => b.id === SCHOOL);
    if (!building?.calendar) throw new Error('no school');
    const schedule = new OccupancySchedule(
      building.hours,
      SCENARIO.calendars[building.calendar],
      new LocalClock('Europe/Paris'),
    );
    const index = series(`${SCHOOL}-energy`, 'energy_kwh');
    const intervals = intervalConsumption(index).map((iv) => ({
      ts: (iv.startTs + iv.ts) / 2,
      kwh: iv.delta,
    }));
    const share = outOfHoursShare(intervals, (ts) => schedule.isOccupied(ts));
    const total = indexConsumption(index).consumption;
    figures['school out-of-hours share'] = `${(share * 100).toFixed(1)} %`;
    figures['school consumption'] = `${total.toFixed(0)} kWh (reference ${building.reference_kwh_yr})`;
    expect(share).toBeGreaterThanOrEqual(0.2);
    expect(share).toBeLessThanOrEqual(0.4);
    // the reference year scales the model: a normal year's weather keeps within 10 %
    expect(Math.abs(total / building.reference_kwh_yr - 1)).toBeLessThan(0.1);
  });

  it.each(SCENARIO.water_sectors.map((s) => s.id))(
    'has %s network efficiency P104.3 within ±1 point of the scenario value',
    (id) => {
      const sector = SCENARIO.water_sectors.find((s) => s.id === id);
      if (!sector) throw new Error('no sector');
      const volume = (device: string) =>
        reports.has(device) ? indexConsumption(series(device, 'volume_m3')).consumption : 0;
      const v1 = volume(`${id}-production-meter`);
      const v2 = volume(`${id}-import-meter`);
      const v3 = volume(`${id}-export-meter`);
      let v7 = 0;
      for (const [device] of reports) if (device.startsWith(`${id}-customer-`)) v7 += volume(device);
      const days = (END - START) / 86_400_000;
      const v6 = v7 + (sector.unmetered_m3_yr * days) / 365;
      const r = networkEfficiency({ v1, v2, v3, v6 });
      figures[`P104.3 ${id}`] =
        `${r.toFixed(2)} % (target ${sector.target_efficiency_pct} %; V1 ${v1.toFixed(0)}, V2 ${v2.toFixed(0)}, V3 ${v3.toFixed(0)}, V7 ${v7.toFixed(0)} m³)`;
      expect(Math.abs(r - sector.target_efficiency_pct)).toBeLessThanOrEqual(1);
      expect(v2 > 0).toBe(sector.production_share < 1);
      expect(v3 > 0).toBe(sector.export_m3_day > 0);
      // the district inflow meter sees V4 = V1 + V2 − V3
      expect(volume(`${id}-inflow-meter`) / (v1 + v2 - v3)).toBeCloseTo(1, 5);
    },
  );

  it('has an average bin fill at fixed-schedule collection of 40–60 %', () => {
    const fills: number[] = [];
    for (const [id] of reports) {
      if (!BINS.test(id)) continue;
      const avg = averageFillAtCollection(collectionEvents(series(id, 'fill_pct')));
      if (avg !== undefined) fills.push(avg);
    }
    expect(fills.length).toBeGreaterThanOrEqual(20);
    const mean = fills.reduce((a, b) => a + b, 0) / fills.length;
    figures['average fill at collection'] = `${mean.toFixed(1)} % over ${fills.length} bins`;
    expect(mean).toBeGreaterThanOrEqual(40);
    expect(mean).toBeLessThanOrEqual(60);
  });
});
