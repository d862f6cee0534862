import { KpiDevice, KpiSite } from '../kpi-engine.types';
import { IndexWindowDelta, PerDeviceWindows, RawSample } from '../influx-readings.reader';
import { dayWindows, monthWindows, nightWindows, parsePeriod } from '../kpi-windows.utils';
import { buildingConsumptionPoints } from './buildings/building-consumption.kpi';
import { burningHoursPoints } from './lighting/burning-hours.kpi';
import { completenessPoints } from './cross/data-completeness.kpi';
import { degreeDayPoints } from './buildings/degree-days.kpi';
import { binsAboveThresholdPoints, fillAtCollectionPoints } from './waste/waste-fill.kpi';
import { waterEfficiencyPoints, waterSectors } from './water/water-efficiency.kpi';

const TZ = 'Europe/Paris';
const iso = (s: string) => Date.parse(s);
const dev = (id: string, kind: string, site?: string, intervalS = 3600): KpiDevice => ({
  id,
  kind,
  intervalS,
  ...(site ? { site } : {}),
});
const perDevice = <T>(entries: [string, [number, T][]][]): PerDeviceWindows<T> =>
  new Map(entries.map(([d, w]) => [d, new Map(w)]));
const delta = (d: number, intervals: number, resets = 0): IndexWindowDelta => ({
  delta: d,
  intervals,
  resets,
});

describe('B1 building consumption', () => {
  // 2026-03-29 (23 h) and 2026-03-30 (24 h).
  const days = dayWindows(parsePeriod('2026-03-29', '2026-03-30'), TZ);

  it('sums the meters of a building and averages their completeness', () => {
    const meters = [
      dev('m1', 'energy-meter', 'school', 900),
      dev('m2', 'energy-meter', 'school', 3600),
      dev('m3', 'energy-meter'),
    ];
    const deltas = perDevice([
      // m1 every 15 min: 92 intervals expected on the 23-hour day, 46 received → 0.5; 120.5 kWh.
      ['m1', [[0, delta(120.5, 46)]]],
      // m2 hourly: 23 expected, 23 received → 1; 30 kWh on the 29th, 12 kWh on the 30th (24 of 24).
      [
        'm2',
        [
          [0, delta(30, 23, 1)],
          [1, delta(12, 24)],
        ],
      ],
    ]);
    const { points, skipped } = buildingConsumptionPoints(meters, deltas, days);
    // 29th: 120.5 + 30 = 150.5 kWh, completeness (0.5 + 1) / 2 = 0.75.
    // 30th: m1 silent (0), m2 complete (1): 12 kWh, completeness 0.5.
    expect(points).toEqual([
      {
        kpi: 'B1.consumption_kwh',
        subject: 'school',
        window: 'day',
        ts: days[0].start,
        value: 150.5,
        completeness: 0.75,
      },
      {
        kpi: 'B1.consumption_kwh',
        subject: 'school',
        window: 'day',
        ts: days[1].start,
        value: 12,
        completeness: 0.5,
      },
    ]);
    expect(skipped).toEqual([
      { subject: 'm3', reason: 'missing_inputs', detail: 'energy meter m3 has no site: B1 is per building' },
    ]);
  });

  it('skips a building none of whose meters reported', () => {
    const { points, skipped } = buildingConsumptionPoints(
      [dev('m1', 'energy-meter', 'gym')],
      new Map(),
      days,
    );
    expect(points).toEqual([]);
    expect(skipped).toEqual([
      { subject: 'gym', reason: 'no_readings', detail: 'no energy_kwh reading from m1 in the period' },
    ]);
  });
});

describe('B3 degree days', () => {
  it('gives both methods per station and day (TV1 day 5: Tn 8, Tx 20 → météo 4, COSTIC 4.30)', () => {
    const days = dayWindows(parsePeriod('2026-10-25', '2026-10-25'), TZ);
    const stats = perDevice([['ws', [[0, { min: 8, max: 20, count: 20, last: 9 }]]]]);
    const { points } = degreeDayPoints([dev('ws', 'weather-station')], stats, days);
    // 2026-10-25 lasts 25 h: 20 hourly samples / 25 = 0.8.
    expect(points.map((p) => [p.method, p.value, p.completeness])).toEqual([
      ['meteo', 4, 0.8],
      ['costic', expect.closeTo(4.3, 12), 0.8],
    ]);
    expect(points[0]).toMatchObject({
      kpi: 'B3.dju',
      subject: 'ws',
      window: 'day',
      ts: iso('2026-10-24T22:00:00Z'),
    });
  });
});

describe('W1 water efficiency', () => {
  const list: KpiSite[] = [
    { id: 'north', attributes: { type: 'water-sector', unmetered_m3_yr: '3650', service_m3_yr: '365' } },
    { id: 'north-prod', attributes: { role: 'production', sector: 'north' } },
    { id: 'north-exp', attributes: { role: 'export', sector: 'north' } },
    { id: 'north-cust', attributes: { role: 'customer', sector: 'north' } },
    { id: 'north-in', attributes: { role: 'district-inflow', sector: 'north' } },
    { id: 'south', attributes: { type: 'water-sector' } },
    { id: 'east', attributes: { type: 'water-sector', unmetered_m3_yr: 'lots' } },
    { id: 'east-imp', attributes: { role: 'import', sector: 'east' } },
    { id: 'east-cust', attributes: { role: 'customer', sector: 'east' } },
  ];
  const sites = new Map(list.map((s) => [s.id, s]));
  const meters = [
    dev('p', 'water-meter', 'north-prod', 86400),
    dev('x', 'water-meter', 'north-exp', 86400),
    dev('c1', 'water-meter', 'north-cust', 86400),
    dev('c2', 'water-meter', 'north-cust', 86400),
    dev('in', 'water-meter', 'north-in', 86400),
    dev('i', 'water-meter', 'east-imp', 86400),
    dev('ec', 'water-meter', 'east-cust', 86400),
  ];

  it('finds sectors from roles and refuses those lacking meters or with bad attributes', () => {
    const { sectors, skipped } = waterSectors(sites, meters);
    expect(
      sectors.map((s) => [
        s.id,
        s.meters.production.map((m) => m.id),
        s.meters.customer.map((m) => m.id),
        s.unmeteredM3Yr,
      ]),
    ).toEqual([['north', ['p'], ['c1', 'c2'], 4015]]);
    expect(skipped).toEqual([
      {
        subject: 'east',
        reason: 'missing_inputs',
        detail: "attribute unmetered_m3_yr='lots' is not a number ≥ 0",
      },
      {
        subject: 'south',
        reason: 'missing_inputs',
        detail:
          'water sector south has no a production or import meter (V1 + V2) and no customer meters (V7)',
      },
    ]);
  });

  it('computes P104.3 per month from the role meters and the unmetered volume', () => {
    // April 2026: 30 days of 24 h, all CEST.
    const period = parsePeriod('2026-04-01', '2026-04-30');
    const days = dayWindows(period, TZ);
    const months = monthWindows(period, TZ);
    const { sectors } = waterSectors(sites, meters);
    const everyDay = (m3: number): [number, IndexWindowDelta][] => days.map((_, i) => [i, delta(m3, 1)]);
    const deltas = perDevice([
      ['p', everyDay(100)], // V1 = 3000
      ['x', everyDay(5)], // V3 = 150
      ['c1', everyDay(40)], // V7 = 1200 + 600
      ['c2', everyDay(20).slice(0, 15)], // 15 days only: c2's completeness 15/30 = 0.5
      ['in', everyDay(1000)], // district inflow: not in the formula
    ]);
    // c2: 15 × 20 = 300 → V7 = 1200 + 300 = 1500. V8 + V9 = 4015 × 30 / 365 = 330.
    // R = (1500 + 330 + 150) / 3000 × 100 = 66 %. Completeness (1 + 1 + 1 + 0.5) / 4 = 0.875.
    const { points, skipped } = waterEfficiencyPoints(sectors, deltas, days, months);
    expect(skipped).toEqual([]);
    expect(points).toEqual([
      {
        kpi: 'W1.efficiency_pct',
        subject: 'north',
        window: 'month',
        ts: iso('2026-03-31T22:00:00Z'),
        value: expect.closeTo(66, 9),
        completeness: 0.875,
      },
    ]);
  });

  it('does not compute a month without any production or import volume', () => {
    const period = parsePeriod('2026-04-01', '2026-04-02');
    const { sectors } = waterSectors(sites, meters);
    const { points, skipped } = waterEfficiencyPoints(
      sectors,
      perDevice([['c1', [[0, delta(10, 1)]]]]),
      dayWindows(period, TZ),
      monthWindows(period, TZ),
    );
    expect(points).toEqual([]);
    expect(skipped).toEqual([
      {
        subject: 'north',
        reason: 'not_computable',
        detail: "2026-04: the KPI's denominator is zero: V1 + V2 = 0 (no volume produced or bought)",
      },
    ]);
  });
});

describe('L1 burning hours', () => {
  const nights = nightWindows(parsePeriod('2026-03-28', '2026-03-29'), TZ);

  it('holds states sample-and-hold within 2 intervals, splits at noon, does not bridge gaps', () => {
    const at = (s: string, on: boolean): RawSample => ({ ts: iso(s), value: on });
    const samples = new Map([
      [
        'lp',
        [
          // Night of the 28th (12:00 CET → 12:00 CEST, 23 h): on 19:00–23:00 CET = 4 h, off at 23:00 CET.
          at('2026-03-28T18:00:00Z', true),
          at('2026-03-28T19:00:00Z', true),
          at('2026-03-28T20:00:00Z', true),
          at('2026-03-28T21:00:00Z', true),
          at('2026-03-28T22:00:00Z', false),
          // On at 07:00 CEST on the 29th, next reading 4 h later: the gap (> 2 × 1 h) is not bridged.
          at('2026-03-29T05:00:00Z', true),
          // On at 11:00 CEST, off at 13:00 CEST: 1 h in the night of the 28th, 1 h in the night of the 29th.
          at('2026-03-29T09:00:00Z', true),
          at('2026-03-29T10:00:00Z', true),
          at('2026-03-29T11:00:00Z', false),
        ],
      ],
    ]);
    const { points } = burningHoursPoints([dev('lp', 'light-controller', 'street')], samples, nights);
    // Night 28: 4 + 1 = 5 h, 7 samples / 23 expected. Night 29: 1 h, 2 samples / 24.
    expect(points.map((p) => [new Date(p.ts).toISOString(), p.value, p.completeness])).toEqual([
      ['2026-03-28T11:00:00.000Z', 5, 7 / 23],
      ['2026-03-29T10:00:00.000Z', 1, 2 / 24],
    ]);
  });
});

describe('K2 and K3 waste fill', () => {
  it('averages the fill before each collection of the month (K3)', () => {
    const months = monthWindows(parsePeriod('2026-03-01', '2026-04-30'), TZ);
    const fill = (s: string, v: number): RawSample => ({ ts: iso(s), value: v });
    const samples = new Map([
      [
        'b1',
        [
          fill('2026-03-30T10:00:00Z', 85),
          // 85 → 10 on 1 April: a collection of April with the fill of March's last reading.
          fill('2026-04-01T10:00:00Z', 10),
          fill('2026-04-10T10:00:00Z', 55),
          // 55 → 30 is a 25-point drop: not a collection. 30 → 0 is one, at 30 %.
          fill('2026-04-11T10:00:00Z', 30),
          fill('2026-04-12T10:00:00Z', 0),
        ],
      ],
    ]);
    const { points, skipped } = fillAtCollectionPoints(
      [dev('b1', 'bin-sensor', 'north', 86400)],
      samples,
      months,
    );
    // April: (85 + 30) / 2 = 57.5 %; 4 samples / 30 days. March: 1 sample, no collection.
    expect(points).toEqual([
      {
        kpi: 'K3.avg_fill_at_collection_pct',
        subject: 'b1',
        window: 'month',
        ts: iso('2026-03-31T22:00:00Z'),
        value: 57.5,
        completeness: 4 / 30,
      },
    ]);
    expect(skipped).toEqual([
      { subject: 'b1', reason: 'not_computable', detail: 'no collection detected in 2026-03' },
    ]);
  });

  it('counts bins at or above the site threshold from their last fill of the day (K2)', () => {
    const days = dayWindows(parsePeriod('2026-04-01', '2026-04-01'), TZ);
    const sites = new Map<string, KpiSite>([
      ['north', { id: 'north', attributes: { fill_threshold_pct: '70' } }],
    ]);
    const bins = [
      dev('b1', 'bin-sensor', 'north'),
      dev('b2', 'bin-sensor', 'north'),
      dev('b3', 'bin-sensor', 'north'),
      dev('loose', 'bin-sensor'),
    ];
    const stats = perDevice([
      ['b1', [[0, { min: 10, max: 75, count: 5, last: 70 }]]],
      ['b2', [[0, { min: 10, max: 90, count: 5, last: 20 }]]],
      ['loose', [[0, { min: 80, max: 85, count: 5, last: 85 }]]],
    ]);
    const { points } = binsAboveThresholdPoints('town', bins, sites, stats, days);
    // north (threshold 70): b1 70 ≥ 70 yes, b2 20 no, b3 silent → 1 of 2, completeness 2/3.
    // town (bins without a site, threshold 80): loose 85 → 1 of 1.
    expect(points.map((p) => [p.subject, p.kpi, p.value, p.completeness])).toEqual([
      ['north', 'K2.share_above_threshold', 0.5, 2 / 3],
      ['north', 'K2.count_above_threshold', 1, 2 / 3],
      ['town', 'K2.share_above_threshold', 1, 1],
      ['town', 'K2.count_above_threshold', 1, 1],
    ]);
  });
});

describe('X1 completeness', () => {
  it('divides reports by the real day length, 0 for a silent device, capped completeness', () => {
    // 2026-10-25 lasts 25 h: a 15-min device expects 100 reports.
    const days = dayWindows(parsePeriod('2026-10-25', '2026-10-26'), TZ);
    const points = completenessPoints(
      [dev('a', 'energy-meter', 's', 900), dev('b', 'bin-sensor', 's', 3600)],
      perDevice([
        ['a', [[0, 95]]],
        ['b', [[1, 30]]],
      ]),
      days,
    );
    // a: 95/100 = 0.95 on the 25th, 0 on the 26th. b: 0 on the 25th, 30/24 = 1.25 on the 26th (capped at 1).
    expect(points.map((p) => [p.subject, new Date(p.ts).toISOString(), p.value, p.completeness])).toEqual([
      ['a', '2026-10-24T22:00:00.000Z', 0.95, 0.95],
      ['a', '2026-10-25T23:00:00.000Z', 0, 0],
      ['b', '2026-10-24T22:00:00.000Z', 0, 0],
      ['b', '2026-10-25T23:00:00.000Z', 1.25, 1],
    ]);
  });
});
