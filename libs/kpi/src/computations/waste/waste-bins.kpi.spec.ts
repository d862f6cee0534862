import { DailyStats, PerDeviceWindows, RawSample } from '../../influx-readings.reader';
import { KpiDevice, KpiSite } from '../../kpi-engine.types';
import { dayWindows, monthWindows, parsePeriod } from '../../kpi-windows.utils';
import { collectionsAvoidedPoints } from './collections-avoided.kpi';
import { fillForecastPoints } from './fill-forecast.kpi';
import { fillLevelPoints } from './fill-level.kpi';
import { fireAlertPoints, suspectBinDays } from './fire-alert.kpi';
import { overflowPoints } from './overflow.kpi';

const TZ = 'Europe/Paris';
const DAY = 86_400_000;
const iso = (s: string) => Date.parse(s);
const bin = (id: string, site?: string, intervalS = 3600): KpiDevice => ({
  id,
  kind: 'bin-sensor',
  intervalS,
  ...(site ? { site } : {}),
});
const at = (s: string, value: number): RawSample => ({ ts: iso(s), value });
const sites = (entries: [string, Record<string, string>][]): Map<string, KpiSite> =>
  new Map(entries.map(([id, attributes]) => [id, { id, attributes }]));
const brief = (points: { kpi: string; subject: string; ts: number; value: number; completeness: number }[]) =>
  points.map((p) => [p.kpi, p.subject, new Date(p.ts).toISOString(), p.value, p.completeness]);

// 2026-03-29 (23 h, spring forward: 2026-03-28T23:00Z → 2026-03-29T22:00Z) and 2026-03-30 (24 h).
const days = dayWindows(parsePeriod('2026-03-29', '2026-03-30'), TZ);
// March 2026: 2026-02-28T23:00Z → 2026-03-31T22:00Z, 743 h.
const march = monthWindows(parsePeriod('2026-03-15', '2026-03-15'), TZ);

describe('K1 fill level', () => {
  it('takes the median of the day’s last 3 readings per bin, and the mean per site', () => {
    const samples = new Map([
      [
        'b1',
        [
          // 29th: 40, 41, 95 (an echo), 42 → last three 41, 95, 42 → median 42; 4 readings / 23 expected.
          at('2026-03-29T10:00:00Z', 40),
          at('2026-03-29T11:00:00Z', 41),
          at('2026-03-29T20:00:00Z', 95),
          at('2026-03-29T21:00:00Z', 42),
          // 30th: one reading, 50; 1 / 24.
          at('2026-03-30T08:00:00Z', 50),
        ],
      ],
      ['b2', [at('2026-03-30T09:00:00Z', 70)]],
    ]);
    const { points, skipped } = fillLevelPoints(
      'town',
      [bin('b1', 'bins-a'), bin('b2', 'bins-a'), bin('b3', 'bins-a')],
      samples,
      days,
    );
    // Site: 29th b1 only → 42, 1 of 3 bins; 30th (50 + 70) / 2 = 60, 2 of 3.
    expect(brief(points)).toEqual([
      ['K1.fill_pct', 'b1', '2026-03-28T23:00:00.000Z', 42, 4 / 23],
      ['K1.fill_pct', 'b1', '2026-03-29T22:00:00.000Z', 50, 1 / 24],
      ['K1.fill_pct', 'b2', '2026-03-29T22:00:00.000Z', 70, 1 / 24],
      ['K1.district_mean_fill_pct', 'bins-a', '2026-03-28T23:00:00.000Z', 42, 1 / 3],
      ['K1.district_mean_fill_pct', 'bins-a', '2026-03-29T22:00:00.000Z', 60, 2 / 3],
    ]);
    expect(skipped).toEqual([
      { subject: 'b3', reason: 'no_readings', detail: 'no fill_pct reading from b3 in the period' },
    ]);
  });
});

describe('K4 overflow events', () => {
  it('counts episodes starting in the month and splits their hours at the month edge', () => {
    const samples = new Map([
      [
        'b1',
        [
          // An episode from 22:00 CET on Feb 28 (21:00Z) held to 2026-03-01T00:00Z: it starts in February (no
          // March event) and has 1 h in March (23:00Z → 00:00Z).
          at('2026-02-28T21:00:00Z', 100),
          at('2026-02-28T22:00:00Z', 100),
          at('2026-02-28T23:00:00Z', 100),
          at('2026-03-01T00:00:00Z', 50),
          // ≥ 95 from 10:00Z to 13:00Z = 3 h ≥ 2 h: an event of 3 h.
          at('2026-03-10T10:00:00Z', 96),
          at('2026-03-10T11:00:00Z', 97),
          at('2026-03-10T12:00:00Z', 96),
          at('2026-03-10T13:00:00Z', 60),
          // 96 for 1 h only, never 100: no event.
          at('2026-03-11T10:00:00Z', 96),
          at('2026-03-11T11:00:00Z', 50),
          // 101, then silent 10 h (> 2 h, not bridged): an event of 0 h.
          at('2026-03-12T10:00:00Z', 101),
          at('2026-03-12T20:00:00Z', 20),
        ],
      ],
    ]);
    const { points, skipped } = overflowPoints(
      'town',
      [bin('b1', 'bins-a'), bin('b2', 'bins-a')],
      samples,
      march,
    );
    // March: events 2, hours 1 + 3 + 0 = 4; 10 readings in March / 743 expected. Site: b2 silent → (10/743 + 0) / 2.
    const m = '2026-02-28T23:00:00.000Z';
    expect(brief(points)).toEqual([
      ['K4.overflow_events', 'b1', m, 2, 10 / 743],
      ['K4.overflow_bin_hours', 'b1', m, 4, 10 / 743],
      ['K4.district_overflow_events', 'bins-a', m, 2, 10 / 743 / 2],
      ['K4.district_overflow_bin_hours', 'bins-a', m, 4, 10 / 743 / 2],
    ]);
    expect(skipped).toEqual([
      { subject: 'b2', reason: 'no_readings', detail: "no fill_pct reading from b2 in the period's months" },
    ]);
  });
});

describe('K5 collections avoided', () => {
  it('compares the detected collections with the fixed rounds on the days the bins reported', () => {
    // b1, one reading a day at 12:00 CET, March 1st → 14th: 5 (after 90 on Feb 28: a collection on the 1st,
    // the look-back giving the reading before), +15 a day to 80, 10 on the 7th (a collection), +15 a day to 85,
    // 5 on the 13th (a collection), 20 on the 14th. 3 collections; 14 readings in March.
    const b1 = [90, 5, 20, 35, 50, 65, 80, 10, 25, 40, 55, 70, 85, 5, 20].map(
      (v, i) => ({ ts: iso('2026-02-28T11:00:00Z') + i * DAY, value: v }) as RawSample,
    );
    const samples = new Map([
      ['b1', b1],
      ['b2', [at('2026-03-05T11:00:00Z', 40)]],
      ['c1', [at('2026-03-05T11:00:00Z', 40)]],
    ]);
    const { points, skipped } = collectionsAvoidedPoints(
      [bin('b1', 'bins-a'), bin('b2', 'bins-a'), bin('c1', 'bins-b'), bin('d1', 'bins-c'), bin('e1')],
      sites([
        ['bins-a', { collection_schedule: 'mon,thu' }],
        ['bins-b', {}],
        ['bins-c', { collection_schedule: 'lundi' }],
      ]),
      samples,
      march,
      TZ,
    );
    // Rounds on the days reported: b1 1st → 14th holds Mondays 2, 9 and Thursdays 5, 12 = 4; b2 Thursday 5th = 1.
    // N_fixed 5, N_actual 3: 2 avoided, 2 / 5. Completeness (14 + 1) / 743 / 2 bins.
    const m = '2026-02-28T23:00:00.000Z';
    expect(brief(points)).toEqual([
      ['K5.collections_avoided', 'bins-a', m, 2, 15 / 743 / 2],
      ['K5.collections_avoided_share', 'bins-a', m, 0.4, 15 / 743 / 2],
    ]);
    expect(skipped).toEqual([
      {
        subject: 'e1',
        reason: 'missing_inputs',
        detail: "bin e1 has no site: K5 needs its site's collection_schedule",
      },
      {
        subject: 'bins-b',
        reason: 'missing_inputs',
        detail: 'site bins-b has no collection_schedule attribute (weekdays such as mon,thu)',
      },
      {
        subject: 'bins-c',
        reason: 'missing_inputs',
        detail: "attribute collection_schedule: 'lundi' is not a list of weekdays such as mon,thu",
      },
    ]);
  });

  it('gives no point when no scheduled round fell on the days reported', () => {
    // A Sunday reading only, on a mon,thu schedule: N_fixed = 0.
    const { points, skipped } = collectionsAvoidedPoints(
      [bin('b1', 'bins-a')],
      sites([['bins-a', { collection_schedule: 'mon,thu' }]]),
      new Map([['b1', [at('2026-03-01T11:00:00Z', 40)]]]),
      march,
      TZ,
    );
    expect(points).toEqual([]);
    expect(skipped).toEqual([
      {
        subject: 'bins-a',
        reason: 'not_computable',
        detail: 'no scheduled round on the days the bins reported in 2026-03',
      },
    ]);
  });
});

describe('K6 fill rate and time to threshold', () => {
  it('fits the readings since the last collection; no forecast when the slope ≤ 0', () => {
    const samples = new Map([
      [
        'b1',
        [
          // 90 → 10 at 18:00Z on the 28th: a collection. Since: 10, 13, 16, 19 at 0, 0.25, 0.5, 0.75 day:
          // slope 3 / 0.25 = 12 %/day, ŷ(t_last) = 19 (exact line); to 80 %: 61 / 12 days from 12:00Z on the 29th.
          // 4 readings over 18 h at 6 h = 4 expected → completeness 1. Nothing on the 30th: no point.
          at('2026-03-28T12:00:00Z', 90),
          at('2026-03-28T18:00:00Z', 10),
          at('2026-03-29T00:00:00Z', 13),
          at('2026-03-29T06:00:00Z', 16),
          at('2026-03-29T12:00:00Z', 19),
        ],
      ],
      [
        'b2',
        [
          // 50 → 10 (collection), then 9, 8 at 0.25-day steps: slope −4 %/day, no forecast.
          at('2026-03-29T00:00:00Z', 50),
          at('2026-03-29T06:00:00Z', 10),
          at('2026-03-29T12:00:00Z', 9),
          at('2026-03-29T18:00:00Z', 8),
        ],
      ],
      // two readings only: no fit
      ['b3', [at('2026-03-29T06:00:00Z', 20), at('2026-03-29T12:00:00Z', 25)]],
      ['b4', [at('2026-03-29T06:00:00Z', 20)]],
    ]);
    const { points, skipped } = fillForecastPoints(
      [
        bin('b1', 'bins-a', 21600),
        bin('b2', 'bins-a', 21600),
        bin('b3', 'bins-a', 21600),
        bin('b4', 'bins-x'),
      ],
      sites([
        ['bins-a', {}],
        ['bins-x', { fill_threshold_pct: 'full' }],
      ]),
      samples,
      days,
    );
    const d = '2026-03-28T23:00:00.000Z';
    const rows = brief(points);
    expect(rows.map((r) => r.slice(0, 3))).toEqual([
      ['K6.fill_rate_pct_day', 'b1', d],
      ['K6.days_to_threshold', 'b1', d],
      ['K6.forecast_ts', 'b1', d],
      ['K6.fill_rate_pct_day', 'b2', d],
    ]);
    expect(points[0].value).toBeCloseTo(12, 9);
    expect(points[1].value).toBeCloseTo(61 / 12, 9);
    expect(points[2].value).toBeCloseTo(iso('2026-03-29T12:00:00Z') + (61 / 12) * DAY, 0);
    expect(points[0].completeness).toBe(1);
    expect(points[3].value).toBeCloseTo(-4, 9);
    // b2: 3 readings over 12 h at 6 h = 3 expected
    expect(points[3].completeness).toBe(1);
    expect(skipped).toEqual([
      { subject: 'b2', reason: 'not_computable', detail: 'fill rate ≤ 0, no forecast on 2026-03-29' },
      {
        subject: 'b3',
        reason: 'not_computable',
        detail: 'fewer than 3 readings since the last collection on 2026-03-29',
      },
      {
        subject: 'b4',
        reason: 'missing_inputs',
        detail: "attribute fill_threshold_pct='full' is not a number ≥ 0",
      },
    ]);
  });
});

describe('K7 fire alerts', () => {
  const stats: PerDeviceWindows<DailyStats> = new Map([
    [
      'b1',
      new Map([
        [0, { min: 20, max: 70, count: 4, last: 40 }],
        [1, { min: 18, max: 22, count: 24, last: 20 }],
      ]),
    ],
    ['b2', new Map([[0, { min: 30, max: 55, count: 2, last: 55 }]])],
    ['b3', new Map([[1, { min: 60, max: 66, count: 2, last: 60 }]])],
  ]);
  const thresholds = new Map([
    ['b1', 60],
    ['b2', 50],
    ['b3', 60],
  ]);

  it('reads raw only the days whose max or spread may hold an alert', () => {
    // b1 day 0: 70 ≥ 60; day 1: 22 < 60 and 22 − 18 = 4 < 10 → no; b2 day 0: 55 ≥ 50 (its site's threshold).
    expect(suspectBinDays([bin('b1'), bin('b2'), bin('b3')], thresholds, stats)).toEqual([
      { bin: 'b1', day: 0 },
      { bin: 'b2', day: 0 },
      { bin: 'b3', day: 1 },
    ]);
  });

  it('counts alerts per day, not again for an alarm already on at midnight, with the day’s max', () => {
    const raw = new Map([
      // b1 on the 29th: 20, 61 (alert), 70 (same alarm), 40 → 1 alert.
      [
        'b1',
        new Map([
          [
            0,
            [
              at('2026-03-29T01:00:00Z', 20),
              at('2026-03-29T02:00:00Z', 61),
              at('2026-03-29T03:00:00Z', 70),
              at('2026-03-29T04:00:00Z', 40),
            ],
          ],
        ]),
      ],
      ['b2', new Map([[0, [at('2026-03-29T01:00:00Z', 30), at('2026-03-29T02:00:00Z', 55)]]])],
      // b3 on the 30th: 66 at 23:30 CEST on the 29th (the look-back) then 60 at 00:00 CEST: the alarm began the
      // day before → 0 alerts on the 30th.
      ['b3', new Map([[1, [at('2026-03-29T21:30:00Z', 66), at('2026-03-29T22:00:00Z', 60)]]])],
    ]);
    const { points, skipped } = fireAlertPoints(
      [bin('b1'), bin('b2'), bin('b3'), bin('b4')],
      new Map([...thresholds, ['b4', 60]]),
      stats,
      raw,
      days,
    );
    const [d0, d1] = ['2026-03-28T23:00:00.000Z', '2026-03-29T22:00:00.000Z'];
    expect(brief(points)).toEqual([
      ['K7.fire_alerts', 'b1', d0, 1, 4 / 23],
      ['K7.max_temperature_c', 'b1', d0, 70, 4 / 23],
      ['K7.fire_alerts', 'b1', d1, 0, 1],
      ['K7.max_temperature_c', 'b1', d1, 22, 1],
      ['K7.fire_alerts', 'b2', d0, 1, 2 / 23],
      ['K7.max_temperature_c', 'b2', d0, 55, 2 / 23],
      ['K7.fire_alerts', 'b3', d1, 0, 2 / 24],
      ['K7.max_temperature_c', 'b3', d1, 66, 2 / 24],
    ]);
    expect(skipped).toEqual([
      { subject: 'b4', reason: 'no_readings', detail: 'no temperature_c reading from b4 in the period' },
    ]);
  });
});
