import { DAY_MS, localWallToUtc } from '@vigie/domain';
import { KpiDevice, KpiPoint, KpiSite } from '../../kpi-engine.types';
import { monthWindows, parsePeriod, yearWindows } from '../../kpi-windows.utils';
import { buildingClimate, indexDailyPoints } from './building-energy.utils';
import { climateNormalisationPoints, parseMonthlyNormals } from './climate-normalisation.kpi';
import { decretTertiairePoints } from './decret-tertiaire.kpi';
import { ipmvpPoints, parseBaseline } from './ipmvp-savings.kpi';

const TZ = 'Europe/Paris';
const midnight = (day: string) => localWallToUtc(Date.parse(`${day}T00:00:00Z`), TZ);
const station = (id: string): KpiDevice => ({ id, kind: 'weather-station', intervalS: 86400 });
const sites = (entries: [string, Record<string, string>][]): Map<string, KpiSite> =>
  new Map(entries.map(([id, attributes]) => [id, { id, attributes }]));

// Days 2026-01-01 … 2026-02-14 (45 days). DJU: 12 on odd dates, 8 on even dates.
// January: 16 odd + 15 even → Σ DJU = 192 + 120 = 312; Feb 1–14: 7 + 7 → Σ = 84 + 56 = 140.
const DAYS = Array.from({ length: 45 }, (_, i) => {
  const date = new Date(Date.UTC(2026, 0, 1 + i));
  return { day: date.toISOString().slice(0, 10), dom: date.getUTCDate(), feb: date.getUTCMonth() === 1 };
});
const djuOf = (dom: number) => (dom % 2 === 1 ? 12 : 8);
const point = (
  kpi: KpiPoint['kpi'],
  subject: string,
  day: string,
  value: number,
  method?: string,
): KpiPoint => ({
  kpi,
  subject,
  window: 'day',
  ...(method ? { method } : {}),
  ts: midnight(day),
  value,
  completeness: 1,
});
// school: E = 100 + 5·DJU in January (baseline), E = 90 + 4·DJU from February 1st (after works).
// mairie: E = 200 + 10·DJU every day.
const B1 = DAYS.flatMap(({ day, dom, feb }) => [
  point('B1.consumption_kwh', 'school', day, feb ? 90 + 4 * djuOf(dom) : 100 + 5 * djuOf(dom)),
  point('B1.consumption_kwh', 'mairie', day, 200 + 10 * djuOf(dom)),
]);
const B3 = DAYS.flatMap(({ day, dom }) => [
  point('B3.dju', 'ws-1', day, djuOf(dom), 'costic'),
  // The météo series differs, to show the method is chosen: 0 every day.
  point('B3.dju', 'ws-1', day, 0, 'meteo'),
]);
const INDEX = indexDailyPoints(B1, B3);
const STATIONS = [station('ws-1')];
const NORMALS = '350,300,260,180,90,20,0,0,40,150,260,330';
const MONTHS = monthWindows(parsePeriod('2026-01-01', '2026-02-14'), TZ);
const YEARS = yearWindows(parsePeriod('2026-01-01', '2026-02-14'), TZ);
const JAN = midnight('2026-01-01');
const FEB = midnight('2026-02-01');
const byKpi = (points: readonly KpiPoint[], subject: string) =>
  Object.fromEntries(
    points
      .filter((p) => p.subject === subject)
      .map((p) => [`${p.kpi}@${p.ts === JAN ? 'jan' : p.ts === FEB ? 'feb' : p.ts}`, p]),
  );

describe('B6 IPMVP option C savings', () => {
  it('fits the January baseline and gives February’s savings over its valid days', () => {
    const { points, skipped } = ipmvpPoints(
      ['mairie', 'school'],
      sites([
        ['school', { baseline: '2026-01-01/2026-01-31', baseline_min_days: '28', weather_station: 'ws-1' }],
        ['mairie', {}],
      ]),
      STATIONS,
      INDEX,
      MONTHS,
      TZ,
    );
    // Baseline: 31 valid days on E = 100 + 5·DJU exactly → a = 100, b = 5, CV(RMSE) = NMBE = 0.
    // February (days after the baseline): 14 valid days of 28 → completeness 0.5; Σ DJU = 140;
    // adjusted = 100 × 14 + 5 × 140 = 2,100; actual = 90 × 14 + 4 × 140 = 1,260 + 560 = 1,820;
    // avoided = 280; savings = 280 / 2,100 = 0.1333…. January lies in the baseline: no point.
    const school = byKpi(points, 'school');
    expect(Object.keys(school).sort()).toEqual([
      'B6.adjusted_baseline_kwh@feb',
      'B6.avoided_kwh@feb',
      'B6.cv_rmse@feb',
      'B6.nmbe@feb',
      'B6.savings_fraction@feb',
    ]);
    expect(school['B6.adjusted_baseline_kwh@feb'].value).toBeCloseTo(2100, 9);
    expect(school['B6.avoided_kwh@feb'].value).toBeCloseTo(280, 9);
    expect(school['B6.savings_fraction@feb'].value).toBeCloseTo(280 / 2100, 12);
    expect(school['B6.cv_rmse@feb'].value).toBeCloseTo(0, 12);
    expect(school['B6.nmbe@feb'].value).toBeCloseTo(0, 12);
    expect(school['B6.avoided_kwh@feb']).toMatchObject({ window: 'month', completeness: 0.5 });
    expect(skipped).toEqual([
      { subject: 'mairie', reason: 'missing_inputs', detail: 'site mairie has no baseline attribute' },
    ]);
  });

  it('rolls a baseline of the N days before the month', () => {
    // '28d' for February: January 4–31 (28 days, all valid, exact line) → same model, same savings.
    const { points } = ipmvpPoints(
      ['school'],
      sites([['school', { baseline: '28d', baseline_min_days: '28' }]]),
      STATIONS,
      INDEX,
      MONTHS.slice(1),
      TZ,
    );
    expect(byKpi(points, 'school')['B6.avoided_kwh@feb'].value).toBeCloseTo(280, 9);
  });

  it.each<[string, Record<string, string>, string]>([
    [
      'a baseline shorter than the default 365 days',
      { baseline: '2026-01-01/2026-01-31' },
      'baseline 2026-01-01/2026-01-31 for 2026-02: the period has 31 days, at least 365 needed',
    ],
    [
      'a baseline with too few valid days (data from January 1st only)',
      { baseline: '2025-12-01/2026-01-31', baseline_min_days: '28' },
      'baseline 2025-12-01/2026-01-31 for 2026-02: 31 of 62 days have both energy and DJU, at least 90 % needed',
    ],
    [
      'a baseline with zero DJU (the météo series here)',
      { baseline: '2026-01-01/2026-01-31', baseline_min_days: '28', dju_method: 'meteo' },
      "baseline 2026-01-01/2026-01-31 for 2026-02: the KPI's denominator is zero: every day has DJU 0: the slope of E = a + b·DJU cannot be fitted",
    ],
    [
      'a malformed baseline',
      { baseline: '2026-01-31/2026-01-01' },
      "attribute baseline='2026-01-31/2026-01-01' is not 'YYYY-MM-DD/YYYY-MM-DD' or '<N>d'",
    ],
    [
      'an unknown station',
      { baseline: '28d', weather_station: 'ws-9' },
      "attribute weather_station='ws-9' is not a weather-station device of the tenant",
    ],
  ])('skips %s', (_what, attrs, detail) => {
    const { points, skipped } = ipmvpPoints(
      ['school'],
      sites([['school', attrs]]),
      STATIONS,
      INDEX,
      MONTHS,
      TZ,
    );
    expect(points).toEqual([]);
    expect(skipped.map((s) => s.detail)).toEqual([detail]);
  });

  it('parses both baseline forms', () => {
    expect(parseBaseline('90d')).toEqual({ baseline: { kind: 'rolling', days: 90 } });
    expect(parseBaseline(' 2025-01-01/2025-12-31 ').baseline).toMatchObject({ kind: 'fixed' });
    expect(parseBaseline(undefined)).toEqual({});
    expect(parseBaseline('0d').problem).toContain('baseline=');
    expect(parseBaseline('2025-02-30/2025-12-31').problem).toContain('baseline=');
  });
});

describe('B4 climate-normalised consumption', () => {
  const attrs = { dju_ref_months: NORMALS };
  const run = (s: Map<string, KpiSite>) =>
    climateNormalisationPoints(['mairie', 'school'], s, STATIONS, INDEX, YEARS, MONTHS, TZ);

  it('normalises each month and the year with the model fitted on their valid days', () => {
    const { points, skipped } = run(
      sites([
        ['school', attrs],
        ['mairie', { ...attrs, dju_ref_yr: '2400' }],
      ]),
    );
    const school = byKpi(points, 'school');
    const mairie = byKpi(points, 'mairie');
    // school January: exact (a, b) = (100, 5) → 100 × 31 + 5 × 350 = 3,100 + 1,750 = 4,850, signature 5.
    expect(school['B4.normalised_kwh@jan'].value).toBeCloseTo(4850, 9);
    expect(school['B4.kwh_per_dju@jan']).toMatchObject({ window: 'month', completeness: 1 });
    expect(school['B4.kwh_per_dju@jan'].value).toBeCloseTo(5, 12);
    // school February: 14 valid days of 28 on (90, 4) → 90 × 28 + 4 × 300 = 2,520 + 1,200 = 3,720.
    expect(school['B4.normalised_kwh@feb'].value).toBeCloseTo(3720, 9);
    expect(school['B4.normalised_kwh@feb'].completeness).toBe(0.5);
    // mairie: (200, 10) everywhere. January 200 × 31 + 10 × 350 = 9,700; February 200 × 28 + 10 × 300 = 8,600;
    // year 200 × 365 + 10 × 2,400 (dju_ref_yr wins over Σ months = 1,980) = 73,000 + 24,000 = 97,000, 45/365 days.
    expect(mairie['B4.normalised_kwh@jan'].value).toBeCloseTo(9700, 9);
    expect(mairie['B4.normalised_kwh@feb'].value).toBeCloseTo(8600, 9);
    expect(mairie['B4.normalised_kwh_year@jan']).toMatchObject({ window: 'year', completeness: 45 / 365 });
    expect(mairie['B4.normalised_kwh_year@jan'].value).toBeCloseTo(97000, 6);
    // school's year has no dju_ref_yr: Σ of the monthly normals, 1,980.
    expect(school['B4.normalised_kwh_year@jan']).toBeDefined();
    // March–December have no data and are not in the run: neither points nor skips.
    expect(points.filter((p) => p.window === 'month').length).toBe(8);
    expect(skipped).toEqual([]);
  });

  it('skips the normalised outputs without normals, keeping the signature', () => {
    const { points, skipped } = run(
      sites([
        ['school', {}],
        ['mairie', { dju_ref_months: '1,2,3' }],
      ]),
    );
    expect([...new Set(points.map((p) => `${p.subject} ${p.kpi}`))]).toEqual([
      'mairie B4.kwh_per_dju',
      'school B4.kwh_per_dju',
    ]);
    expect(skipped.map((s) => `${s.subject}: ${s.detail}`)).toEqual([
      "mairie: attribute dju_ref_months='1,2,3' is not 12 comma-separated numbers ≥ 0",
      'school: site school has no dju_ref_months attribute: B4.normalised_kwh not computed',
      'school: site school has neither dju_ref_yr nor dju_ref_months: B4.normalised_kwh_year not computed',
    ]);
  });

  it('skips a month with too few heating days', () => {
    // With the météo series every DJU is 0: no slope to fit.
    const { points, skipped } = run(
      sites([
        ['school', { ...attrs, dju_method: 'meteo' }],
        ['mairie', { dju_method: 'x' }],
      ]),
    );
    expect(points).toEqual([]);
    expect(skipped.map((s) => `${s.subject} ${s.reason}`)).toEqual([
      'mairie missing_inputs',
      'school not_computable',
      'school not_computable',
      'school not_computable',
    ]);
    expect(skipped[1].detail).toContain('2026-01: ');
    expect(parseMonthlyNormals('1,2,3,4,5,6,7,8,9,10,11,-1').problem).toContain('dju_ref_months=');
  });
});

describe('B9 décret tertiaire progress', () => {
  const year = (subject: string, value: number): KpiPoint => ({
    kpi: 'B4.normalised_kwh_year',
    subject,
    window: 'year',
    ts: YEARS[0].start,
    value,
    completeness: 45 / 365,
  });

  it('compares the normalised year with the reference and its trajectory', () => {
    const { points, skipped } = decretTertiairePoints(
      ['a', 'b', 'c', 'd'],
      sites([
        ['a', { reference_year: '2019', reference_kwh_yr: '140000' }],
        ['b', { reference_year: '2019', reference_kwh_yr: '120000' }],
        ['c', { reference_kwh_yr: '120000' }],
        ['d', { reference_year: '2019', reference_kwh_yr: '120000' }],
      ]),
      [year('a', 97000), year('b', 97000), year('c', 97000)],
      YEARS,
    );
    const v = (s: string, k: string) => points.find((p) => p.subject === s && p.kpi === k)?.value;
    // a: 1 − 97,000 / 140,000 = 0.307142…; gap = 97,000 − 0.6 × 140,000 = 13,000;
    // trajectory 2026 = 140,000 − 56,000 × 7/11 = 104,363.6 ≥ 97,000 → on track.
    expect(v('a', 'B9.relative_progress')).toBeCloseTo(43000 / 140000, 12);
    expect(v('a', 'B9.gap_to_2030_kwh')).toBeCloseTo(13000, 9);
    expect(v('a', 'B9.on_track')).toBe(1);
    // b: trajectory 2026 = 120,000 − 48,000 × 7/11 = 89,454.5 < 97,000 → not on track; gap 97,000 − 72,000.
    expect(v('b', 'B9.on_track')).toBe(0);
    expect(v('b', 'B9.gap_to_2030_kwh')).toBeCloseTo(25000, 9);
    expect(points.find((p) => p.subject === 'a')).toMatchObject({ window: 'year', completeness: 45 / 365 });
    expect(skipped.map((s) => `${s.subject} ${s.reason}: ${s.detail}`)).toEqual([
      'c missing_inputs: site c has no reference_year attribute',
      "d missing_inputs: no B4.normalised_kwh_year for 2026 (see B4's skips)",
    ]);
  });

  it('skips years before the reference year and bad references', () => {
    const { points, skipped } = decretTertiairePoints(
      ['a', 'b'],
      sites([
        ['a', { reference_year: '2027', reference_kwh_yr: '1000' }],
        ['b', { reference_year: '2031', reference_kwh_yr: '1000' }],
      ]),
      [year('a', 900), year('b', 900)],
      YEARS,
    );
    expect(points).toEqual([]);
    expect(skipped.map((s) => s.detail)).toEqual([
      '2026 is before the reference year 2027',
      "attribute reference_year='2031' is not a year before 2030",
    ]);
  });
});

describe('building climate', () => {
  it('takes the weather_station attribute, else the first station by id', () => {
    const stations = [station('ws-b'), station('ws-a')];
    expect(buildingClimate({ id: 's', attributes: {} }, stations).climate).toEqual({
      station: 'ws-a',
      method: 'costic',
    });
    expect(
      buildingClimate({ id: 's', attributes: { weather_station: 'ws-b', dju_method: 'meteo' } }, stations)
        .climate,
    ).toEqual({ station: 'ws-b', method: 'meteo' });
    expect(buildingClimate(undefined, []).problem).toContain('no weather-station');
    expect(DAY_MS).toBe(86_400_000);
  });
});
