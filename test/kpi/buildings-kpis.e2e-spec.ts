import { kpiHarness } from './kpi-harness';

/**
 * B6 (IPMVP option C), B4 (climate normalisation) and B9 (décret tertiaire) end to end: daily energy indexes and
 * temperatures published over MQTT, B1 and B3 computed by `vigie kpi compute`, then B6, B4 and B9 derived from
 * the stored daily points, read back and compared with values computed by hand.
 *
 * Days 2026-01-01 … 2026-02-14 (45 days, CET: local midnight = 23:00Z the day before). DJU: 12 on odd dates,
 * 8 on even dates, from one temperature a day at 12:00 local, T = 18 − DJU (Tn = Tx = T ≤ 18 → both methods
 * give 18 − T). January: 16 odd + 15 even days → Σ DJU = 192 + 120 = 312; Feb 1–14: 7 + 7 → 84 + 56 = 140.
 * Energy, one index reading per local midnight (Jan 1 00:00 … Feb 15 00:00), so each day's B1 is one delta:
 * - school: E = 100 + 5·DJU in January (its baseline), E = 90 + 4·DJU from February 1st (after works);
 * - mairie: E = 200 + 10·DJU every day, no baseline.
 */

const H = 3_600_000;
/** Local midnight (CET) starting day `i` after 2026-01-01 (i = 0). */
const midnight = (i: number) => Date.parse('2025-12-31T23:00:00Z') + i * 24 * H;
const dom = (i: number) => new Date(Date.UTC(2026, 0, 1 + i)).getUTCDate();
const dju = (i: number) => (dom(i) % 2 === 1 ? 12 : 8);
const DAYS = 45;
const TENANT = 'energytown';
const NORMALS = '350,300,260,180,90,20,0,0,40,150,260,330';
const JAN = midnight(0);
const FEB = midnight(31);

describe('vigie kpi compute — B6, B4, B9', () => {
  const { addSite, addDevice, publish, stored, one, kpiRows, compute } = kpiHarness(TENANT);

  const index = (perDay: (i: number) => number) => {
    let value = 1000;
    return Array.from({ length: DAYS + 1 }, (_, i) => {
      const r = { ts: midnight(i), values: { energy_kwh: value } };
      if (i < DAYS) value += perDay(i);
      return r;
    });
  };

  beforeAll(async () => {
    await addSite(
      'school',
      'type=building',
      'baseline=2026-01-01/2026-01-31',
      'baseline_min_days=28',
      'weather_station=ws-1',
      `dju_ref_months=${NORMALS}`,
    );
    // mairie: the tenant's first (only) weather station, dju_ref_yr, and a décret-tertiaire reference.
    await addSite(
      'mairie',
      'type=building',
      `dju_ref_months=${NORMALS}`,
      'dju_ref_yr=2400',
      'reference_year=2019',
      'reference_kwh_yr=140000',
    );
    await addSite('ws-site', 'type=weather');
    await addDevice('school-energy', 'energy-meter', 'school', 86400);
    await addDevice('mairie-energy', 'energy-meter', 'mairie', 86400);
    await addDevice('ws-1', 'weather-station', 'ws-site', 86400);
    await publish(
      'school-energy',
      index((i) => (i >= 31 ? 90 + 4 * dju(i) : 100 + 5 * dju(i))),
    );
    await publish(
      'mairie-energy',
      index((i) => 200 + 10 * dju(i)),
    );
    await publish(
      'ws-1',
      Array.from({ length: DAYS }, (_, i) => ({
        ts: midnight(i) + 12 * H,
        values: { temperature_c: 18 - dju(i) },
      })),
    );
    await stored('energy_meter', 2 * (DAYS + 1));
    await stored('weather_station', DAYS);
  });

  it('computes the IPMVP savings, the normalised consumption and the décret-tertiaire progress', async () => {
    const status = await compute('2026-01-01', '2026-02-14', ['--kpi', 'B1,B3,B6,B4,B9']);
    expect(status.kpis.map((k) => [k.kpi, k.status])).toEqual([
      ['B1', 'computed'],
      ['B3', 'computed'],
      ['B6', 'computed'],
      ['B4', 'computed'],
      ['B9', 'computed'],
    ]);
    const value = async (kpi: string, subject: string, time: number) => (await one(kpi, subject, time)).value;

    // B6 school. Baseline January: 31 valid days exactly on E = 100 + 5·DJU → a = 100, b = 5, CV(RMSE) = NMBE = 0.
    // February (after the baseline): 14 valid days of 28 → completeness 0.5; Σ DJU = 140;
    // adjusted baseline = 100 × 14 + 5 × 140 = 2,100 kWh; actual = 90 × 14 + 4 × 140 = 1,820 kWh;
    // avoided = 280 kWh; savings = 280 / 2,100 = 0.13333….
    expect(await value('B6.adjusted_baseline_kwh', 'school', FEB)).toBeCloseTo(2100, 6);
    expect(await value('B6.avoided_kwh', 'school', FEB)).toBeCloseTo(280, 6);
    expect(await value('B6.savings_fraction', 'school', FEB)).toBeCloseTo(280 / 2100, 9);
    expect(await value('B6.cv_rmse', 'school', FEB)).toBeCloseTo(0, 9);
    expect(await value('B6.nmbe', 'school', FEB)).toBeCloseTo(0, 9);
    expect(await one('B6.avoided_kwh', 'school', FEB)).toMatchObject({ window: 'month', completeness: 0.5 });
    // January is the baseline, mairie has none: no other B6 point, and mairie's skip says why.
    expect((await kpiRows('kpi =~ /^B6/')).map((r) => `${r.subject} ${r.time}`)).toEqual(
      Array.from({ length: 5 }, () => `school ${FEB}`),
    );
    expect(status.kpis.find((k) => k.kpi === 'B6')?.skipped).toEqual([
      { subject: 'mairie', reason: 'missing_inputs', detail: 'site mairie has no baseline attribute' },
    ]);

    // B4, each window fitted on its own valid days (COSTIC = météo here).
    // school January (100, 5): 100 × 31 + 5 × 350 = 4,850 kWh; signature 5 kWh/DJU.
    // school February, 14 days on (90, 4): 90 × 28 + 4 × 300 = 2,520 + 1,200 = 3,720 kWh, completeness 0.5.
    // mairie (200, 10): January 200 × 31 + 10 × 350 = 9,700; February 200 × 28 + 10 × 300 = 8,600;
    // year 2026: 200 × 365 + 10 × 2,400 = 73,000 + 24,000 = 97,000 kWh, completeness 45/365.
    expect(await value('B4.normalised_kwh', 'school', JAN)).toBeCloseTo(4850, 6);
    expect(await value('B4.kwh_per_dju', 'school', JAN)).toBeCloseTo(5, 9);
    expect(await value('B4.kwh_per_dju', 'school', FEB)).toBeCloseTo(4, 9);
    expect(await one('B4.normalised_kwh', 'school', FEB)).toMatchObject({ completeness: 0.5 });
    expect(await value('B4.normalised_kwh', 'school', FEB)).toBeCloseTo(3720, 6);
    expect(await value('B4.normalised_kwh', 'mairie', JAN)).toBeCloseTo(9700, 6);
    expect(await value('B4.normalised_kwh', 'mairie', FEB)).toBeCloseTo(8600, 6);
    const year = await one('B4.normalised_kwh_year', 'mairie', JAN);
    expect(year).toMatchObject({ window: 'year' });
    expect(year.value).toBeCloseTo(97000, 4);
    expect(year.completeness).toBeCloseTo(45 / 365, 9);

    // B9 mairie 2026 (estimate): progress 1 − 97,000 / 140,000 = 0.30714…; gap = 97,000 − 0.6 × 140,000 = 13,000;
    // trajectory 2026 = 140,000 − 56,000 × (2026 − 2019) / (2030 − 2019) = 104,363.6 ≥ 97,000 → on track (1).
    expect(await value('B9.relative_progress', 'mairie', JAN)).toBeCloseTo(43000 / 140000, 9);
    expect(await value('B9.gap_to_2030_kwh', 'mairie', JAN)).toBeCloseTo(13000, 4);
    expect(await value('B9.on_track', 'mairie', JAN)).toBe(1);
    expect(status.kpis.find((k) => k.kpi === 'B9')?.skipped).toEqual([
      { subject: 'school', reason: 'missing_inputs', detail: 'site school has no reference_year attribute' },
    ]);

    // A recompute of February alone gives the same points, once (B4 recomputes the whole year from stored days).
    const before = await kpiRows('kpi =~ /^B[469]/');
    await compute('2026-02-01', '2026-02-14', ['--kpi', 'B6,B4,B9']);
    expect(await kpiRows('kpi =~ /^B[469]/')).toEqual(before);
  });
});
