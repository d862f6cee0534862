import { IndexWindowDelta, PerDeviceWindows } from '../../influx-readings.reader';
import { KpiDevice, KpiSite, KpiSkipReason } from '../../kpi-engine.types';
import { dayWindows, parsePeriod } from '../../kpi-windows.utils';
import { waterBalanceFormula } from './water-balance.kpi';
import { waterSectors } from './water-efficiency.kpi';
import {
  grenelleFormula,
  ILP_KPI,
  ilpFormula,
  ILVNC_KPI,
  ilvncFormula,
  sectorIndexPoints,
  sectorWindowVolumes,
  SectorFormula,
} from './water-network-indices.kpi';

const TZ = 'Europe/Paris';
const site = (id: string, attributes: Record<string, string>): [string, KpiSite] => [id, { id, attributes }];
const meter = (id: string, s: string): KpiDevice => ({ id, kind: 'water-meter', site: s, intervalS: 86400 });
const d = (delta: number): IndexWindowDelta => ({ delta, intervals: 1, resets: 0 });

// Four days, 2026-01-01 … 04, taken as the "year" window. Production meter p: 1,000, 1,000, 1,200, 1,000 m³;
// customer meter c: 800, 700, (silent), 900 m³. Day 2 is not covered (c has no interval): D = 3 covered days of 4.
// V1 = 3,000; V7 = 2,400; unmetered 3,650 m³/yr → V6 = 2,400 + 3,650 × 3 / 365 = 2,430; V3 = 0 → V4 = 3,000.
const days = dayWindows(parsePeriod('2026-01-01', '2026-01-04'), TZ);
const year = { key: '2026', start: days[0].start, end: days[3].end };
const deltas: PerDeviceWindows<IndexWindowDelta> = new Map([
  [
    'p',
    new Map([
      [0, d(1000)],
      [1, d(1000)],
      [2, d(1200)],
      [3, d(1000)],
    ]),
  ],
  [
    'c',
    new Map([
      [0, d(800)],
      [1, d(700)],
      [3, d(900)],
    ]),
  ],
]);
const sectorAttrs = {
  type: 'water-sector',
  unmetered_m3_yr: '3650',
  network_length_km: '10',
  connections: '1200',
  pressure_m: '30',
  apparent_losses_share: '0.1',
};
const sitesOf = (attrs: Record<string, string>) =>
  new Map([
    site('north', attrs),
    site('north-production', { role: 'production', sector: 'north' }),
    site('north-customers', { role: 'customer', sector: 'north' }),
  ]);
const meters = [meter('p', 'north-production'), meter('c', 'north-customers')];

function run(attrs: Record<string, string>, formula: SectorFormula) {
  const sites = sitesOf(attrs);
  const { sectors } = waterSectors(sites, meters);
  return sectorIndexPoints({ sectors, days, years: [year], months: [], deltas }, sites, year, {
    year: formula,
  });
}

describe('W2–W4, W6 sector volumes over covered days', () => {
  it('sums the covered days only and brings V6 to them', () => {
    const { sectors } = waterSectors(sitesOf(sectorAttrs), meters);
    expect(sectorWindowVolumes(sectors[0], deltas, days, year)).toEqual({
      v1: 3000,
      v2: 0,
      v3: 0,
      v4: 3000,
      v7: 2400,
      v6: 2430,
      coveredDays: 3,
      completeness: 0.75,
    });
  });

  it('W2 and W3 write a yearly and a monthly output', () => {
    expect(ILVNC_KPI.outputs).toEqual(['W2.ilvnc_m3_km_day', 'W2.ilvnc_monthly_m3_km_day']);
    expect(ILP_KPI.outputs).toEqual(['W3.ilp_m3_km_day', 'W3.ilp_monthly_m3_km_day']);
  });

  it('W4: R = 2,430 / 3,000 = 81 % < threshold 65 + ILC/5 = 81.2 % → not compliant', () => {
    // ILC = (2,430 + 0) / (10 km × 3 days) = 81 m³/km/day; threshold min(85, 65 + 16.2) = 81.2.
    const { points } = run(sectorAttrs, grenelleFormula);
    expect(points.map((p) => [p.kpi, p.value, p.completeness, p.window])).toEqual([
      ['W4.efficiency_pct', 81, 0.75, 'year'],
      ['W4.ilc_m3_km_day', 81, 0.75, 'year'],
      ['W4.threshold_pct', 81.2, 0.75, 'year'],
      ['W4.compliant', 0, 0.75, 'year'],
    ]);
    // ZRE: 70 + 16.2 = 86.2 → capped at 85.
    expect(run({ ...sectorAttrs, zre: 'true' }, grenelleFormula).points[2].value).toBe(85);
    const bad = run({ ...sectorAttrs, zre: 'maybe' }, grenelleFormula);
    expect(bad.points).toEqual([]);
    expect(bad.skipped[0]).toMatchObject({ subject: 'north', reason: KpiSkipReason.MissingInputs });
    expect(bad.skipped[0].detail).toContain("zre='maybe'");
  });

  it('W6: CARL = 570 × 0.9 / 3 = 171 m³/day, UARL = (180 + 960) × 30 / 1000 = 34.2, ILI = 5', () => {
    const { points, skipped } = run(sectorAttrs, waterBalanceFormula);
    expect(skipped).toEqual([]);
    expect(points.map((p) => p.kpi)).toEqual(['W6.carl_m3_day', 'W6.uarl_m3_day', 'W6.ili']);
    expect(points[0].value).toBeCloseTo(171, 9);
    expect(points[1].value).toBeCloseTo(34.2, 9);
    expect(points[2].value).toBeCloseTo(5, 9);
  });

  it('W6 gives no ILI below 1,000 connections, and only CARL without pressure', () => {
    const small = run({ ...sectorAttrs, connections: '800' }, waterBalanceFormula);
    // UARL = (180 + 640) × 30 / 1000 = 24.6 m³/day.
    expect(small.points.map((p) => [p.kpi, Math.round(p.value * 1000) / 1000])).toEqual([
      ['W6.carl_m3_day', 171],
      ['W6.uarl_m3_day', 24.6],
    ]);
    expect(small.skipped).toEqual([
      {
        subject: 'north',
        reason: KpiSkipReason.NotComputable,
        detail: 'ILI not valid below 1000 connections and 25 m: sector has 800 connections at 30 m',
      },
    ]);
    // The minimum is a setting: 500 connections accepted.
    expect(
      run({ ...sectorAttrs, connections: '800', ili_min_connections: '500' }, waterBalanceFormula).points,
    ).toHaveLength(3);
    const { pressure_m: _omit, ...noPressure } = sectorAttrs;
    void _omit;
    const partial = run(noPressure, waterBalanceFormula);
    expect(partial.points.map((p) => p.kpi)).toEqual(['W6.carl_m3_day']);
    expect(partial.skipped[0].detail).toBe(
      'water sector north has no pressure_m attribute (a number > 0): no UARL nor ILI',
    );
  });

  it('skips a sector without network length once, and a window with no covered day as no readings', () => {
    const { network_length_km: _l, ...noLength } = sectorAttrs;
    void _l;
    const r = run(noLength, ilvncFormula('W2.ilvnc_m3_km_day'));
    expect(r.points).toEqual([]);
    expect(r.skipped).toEqual([
      {
        subject: 'north',
        reason: KpiSkipReason.MissingInputs,
        detail: 'water sector north has no network_length_km attribute (a number > 0)',
      },
    ]);
    // (V4 − V7) / (L × D) = (3,000 − 2,400) / (10 × 3) = 20 m³/km/day.
    expect(run(sectorAttrs, ilvncFormula('W2.ilvnc_m3_km_day')).points[0].value).toBe(20);
    // (V4 − V6) / (L × D) = (3,000 − 2,430) / 30 = 19 m³/km/day.
    expect(run(sectorAttrs, ilpFormula('W3.ilp_m3_km_day')).points[0].value).toBeCloseTo(19, 12);
    const empty = sectorIndexPoints(
      {
        sectors: waterSectors(sitesOf(sectorAttrs), meters).sectors,
        days,
        years: [year],
        months: [],
        deltas: new Map(),
      },
      sitesOf(sectorAttrs),
      year,
      { year: ilvncFormula('W2.ilvnc_m3_km_day') },
    );
    expect(empty.skipped.map((s) => s.reason)).toEqual([KpiSkipReason.NoReadings]);
  });
});
