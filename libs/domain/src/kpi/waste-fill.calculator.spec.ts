import { kpiErrorCodeOf } from './kpi-error.spec-helper';
import { Sample } from './kpi-inputs.model';
import { KpiErrorCode } from './kpi.errors';
import {
  averageFillAtCollection,
  binsAboveThreshold,
  collectionEvents,
  collectionsAvoided,
  filteredFillLevel,
  fireAlerts,
  overflowEpisodes,
  parseCollectionSchedule,
  scheduledCollections,
  fillRate,
  fillTrend,
  prematureCollectionShare,
  timeToThreshold,
} from './waste-fill.calculator';

const DAY = 86_400_000;
const daily = (...values: number[]): Sample[] => values.map((value, i) => ({ ts: i * DAY, value }));

describe('K3 collection events', () => {
  it.each<[string, Sample[], number, { ts: number; fillBefore: number; fillAfter: number }[]]>([
    ['no reading', [], 30, []],
    ['one reading', daily(50), 30, []],
    // 85 → 5 is an 80-point drop at day 5
    ['one collection', daily(10, 25, 40, 60, 85, 5, 12), 30, [{ ts: 5 * DAY, fillBefore: 85, fillAfter: 5 }]],
    // 60 → 31 is 29 points: noise, not a collection; 61 → 31 is exactly 30: a collection
    ['29 points is not enough', daily(60, 31), 30, []],
    ['30 points is enough', daily(61, 31), 30, [{ ts: DAY, fillBefore: 61, fillAfter: 31 }]],
    // with minDropPts 50 only the 90 → 10 drop counts
    ['a custom drop', daily(70, 35, 90, 10), 50, [{ ts: 3 * DAY, fillBefore: 90, fillAfter: 10 }]],
    // a NaN reading is skipped: 80 → (NaN) → 20 is a drop between consecutive valid readings
    [
      'an invalid reading in between',
      daily(80, NaN, 20),
      30,
      [{ ts: 2 * DAY, fillBefore: 80, fillAfter: 20 }],
    ],
  ])('%s', (_case, fill, drop, events) => {
    expect(collectionEvents(fill, drop)).toEqual(events);
  });

  it('averages the fill at collection and the premature share', () => {
    const events = [
      { ts: 1, fillBefore: 85, fillAfter: 3 },
      { ts: 2, fillBefore: 75, fillAfter: 2 },
      { ts: 3, fillBefore: 40, fillAfter: 1 },
    ];
    // (85 + 75 + 40) / 3 = 66.666…; premature (< 50 %): 1 of 3
    expect(averageFillAtCollection(events)).toBeCloseTo(200 / 3, 12);
    expect(prematureCollectionShare(events)).toBeCloseTo(1 / 3, 12);
    expect(averageFillAtCollection([])).toBeUndefined();
    expect(prematureCollectionShare([])).toBeUndefined();
  });
});

describe('K2 bins above threshold', () => {
  it.each<[number[], number, number, number]>([
    // 90 and 80 are ≥ 80 (the threshold counts); NaN is not a valid bin → 2 of 4
    [[90, 80, 79.9, 10, NaN], 80, 2, 0.5],
    [[90, 80, 79.9, 10], 70, 3, 0.75], // Grenoble's 70 %: 90, 80, 79.9 → 3 of 4
    [[5], 80, 0, 0],
  ])('%j at %d %% → %d bins, share %d', (latest, threshold, count, share) => {
    expect(binsAboveThreshold(latest, threshold)).toEqual({ count, share });
  });

  it('refuses an empty fleet', () => {
    expect(kpiErrorCodeOf(() => binsAboveThreshold([]))).toBe(KpiErrorCode.EmptyInput);
  });
});

describe('K6 fill rate and time to threshold', () => {
  // After the collection at day 5: days 5..8 → x = 0, 1, 2, 3 days; y = 5, 12, 20, 28 %.
  // x̄ = 1.5, ȳ = 16.25; Sxy = (−1.5)(−11.25) + (−0.5)(−4.25) + (0.5)(3.75) + (1.5)(11.75) = 38.5; Sxx = 5
  // slope = 7.7 %/day; ŷ(t_last) = 16.25 + 7.7 × 1.5 = 27.8 %; time to 80 % = (80 − 27.8) / 7.7 = 6.779… days.
  const fill = daily(10, 25, 40, 60, 85, 5, 12, 20, 28);

  it('fits the readings since the last collection', () => {
    const trend = fillTrend(fill);
    expect(trend?.points).toBe(4);
    expect([trend?.firstTs, trend?.lastTs]).toEqual([5 * DAY, 8 * DAY]);
    expect(trend?.slopePctPerDay).toBeCloseTo(7.7, 12);
    expect(trend?.fittedLast).toBeCloseTo(27.8, 12);
    expect(fillRate(fill)).toBeCloseTo(7.7, 12);
  });

  it('forecasts the day the bin reaches the threshold', () => {
    const f = timeToThreshold(fill, 80);
    expect(f?.days).toBeCloseTo(52.2 / 7.7, 12);
    expect(f?.forecastTs).toBeCloseTo(8 * DAY + (52.2 / 7.7) * DAY, 0);
    // fitted value already above the threshold → 0 days
    expect(timeToThreshold(fill, 20)?.days).toBe(0);
  });

  it.each<[string, Sample[]]>([
    ['two points since collection', daily(90, 5, 12)],
    ['no reading', []],
    ['all readings at the same instant', [0, 1, 2].map((v) => ({ ts: 1000, value: v }))],
  ])('has no fill rate with %s', (_case, series) => {
    expect(fillRate(series)).toBeUndefined();
    expect(timeToThreshold(series)).toBeUndefined();
  });

  it('gives no forecast for a flat or emptying bin', () => {
    expect(fillRate(daily(40, 40, 40))).toBe(0);
    expect(timeToThreshold(daily(40, 40, 40))).toBeUndefined();
    expect(timeToThreshold(daily(40, 35, 30))).toBeUndefined();
  });
});

const H = 3_600_000;
const MIN = 60_000;
const hourly = (...values: number[]): Sample[] => values.map((value, i) => ({ ts: i * H, value }));

describe('K1 filtered fill level', () => {
  it.each<[string, Sample[], number | undefined]>([
    ['no reading', [], undefined],
    ['one reading: itself', hourly(42), 42],
    ['two readings: their mean (40 + 50) / 2', hourly(40, 50), 45],
    // last three are 50, 110 (a spurious echo), 52 → sorted 50, 52, 110 → median 52; the 10 before is ignored
    ['an outlier among the last three is filtered', hourly(10, 50, 110, 52), 52],
    // NaN is not a valid reading: the last three valid are 30, 31, 29 → median 30
    ['invalid readings are skipped', hourly(30, 31, NaN, 29), 30],
  ])('%s', (_case, fill, expected) => {
    expect(filteredFillLevel(fill)).toBe(expected);
  });
});

describe('K4 overflow episodes', () => {
  const opts = { maxGapMs: 2 * H };
  it('counts a reading ≥ 100 at once and a run ≥ 95 only when it lasts 2 h', () => {
    // 0 h 90, 1 h 101, 2 h 96, 3 h 80: run of ≥ 95 from 1 h held to 3 h (the next reading, below 95): [1 h, 3 h),
    //   peak 101 → an episode of 2 h.
    // 4 h 96, 5 h 97, 6 h 60: run [4 h, 6 h) = 2 h ≥ 2 h sustained → an episode, peak 97.
    // 7 h 96, 8 h 50: run [7 h, 8 h) = 1 h < 2 h, peak 96 < 100 → not an episode.
    const fill = hourly(90, 101, 96, 80, 96, 97, 60, 96, 50);
    expect(overflowEpisodes(fill, opts)).toEqual([
      { start: 1 * H, end: 3 * H, peakPct: 101 },
      { start: 4 * H, end: 6 * H, peakPct: 97 },
    ]);
  });

  it('does not bridge a gap longer than maxGapMs, and holds the last level until endTs', () => {
    // 96 at 0 h and 1 h, then silent until 5 h (4 h > 2 h gap): the run [0 h, 1 h] stops at 1 h (1 h long, no
    // episode). 96 at 5 h, 6 h, then the window ends at 7.5 h: held 6 h → 7.5 h (1.5 h ≤ 2 h): [5 h, 7.5 h)
    // = 2.5 h → an episode.
    const fill = [0, 1, 5, 6].map((h) => ({ ts: h * H, value: 96 }));
    expect(overflowEpisodes(fill, { maxGapMs: 2 * H, endTs: 7.5 * H })).toEqual([
      { start: 5 * H, end: 7.5 * H, peakPct: 96 },
    ]);
  });

  it('refuses a high level above the full level', () => {
    expect(kpiErrorCodeOf(() => overflowEpisodes([], { maxGapMs: H, highPct: 101 }))).toBe(
      KpiErrorCode.InvalidParameter,
    );
  });
});

describe('K5 collections avoided', () => {
  it('parses a schedule and counts its rounds over local dates', () => {
    expect(parseCollectionSchedule('mon, THU,mon')).toEqual({ weekdays: [1, 4] });
    expect(parseCollectionSchedule('monday').problem).toBe(
      "'monday' is not a list of weekdays such as mon,thu",
    );
    expect(parseCollectionSchedule(' ').problem).toBeDefined();
    // March 2026: the 1st is a Sunday (day number 20513). Mondays 2, 9, 16, 23, 30 and Thursdays 5, 12, 19, 26:
    // 9 rounds in the 31 days.
    const first = Date.UTC(2026, 2, 1) / 86_400_000;
    const march = Array.from({ length: 31 }, (_, i) => first + i);
    expect(scheduledCollections(march, [1, 4])).toBe(9);
    // observed on Sunday 1st, Monday 2nd (twice listed) and Thursday 5th only: 2 rounds
    expect(scheduledCollections([first, first + 1, first + 1, first + 4], [1, 4])).toBe(2);
    expect(scheduledCollections([first], [7])).toBe(1);
    expect(scheduledCollections([], [1])).toBe(0);
  });

  it('is N_fixed − N_actual and its share of N_fixed; none without a scheduled round', () => {
    // 9 rounds scheduled, 6 collections detected: 3 avoided, 3 / 9 = 1/3.
    expect(collectionsAvoided(9, 6)).toEqual({ avoided: 3, share: 1 / 3 });
    // more collections than rounds: negative (extra collections)
    expect(collectionsAvoided(4, 5)).toEqual({ avoided: -1, share: -0.25 });
    expect(collectionsAvoided(0, 2)).toBeUndefined();
  });
});

describe('K7 fire alerts', () => {
  it('raises one alert per alarm, on the threshold or a 10 °C rise within 10 min', () => {
    // Every 5 min: 20, 22, 33 (33 − 20 = 13 ≥ 10 within 10 min: rise alert at 10 min), 35 (still alarming: 35 − 22
    // = 13 within 10 min, no new alert), 36 (36 − 33 = 3: calm), 61 (≥ 60: threshold alert at 25 min),
    // 70 (alarming, same alert), 40 (calm).
    const t = [20, 22, 33, 35, 36, 61, 70, 40].map((value, i) => ({ ts: i * 5 * MIN, value }));
    expect(fireAlerts(t)).toEqual([
      { ts: 10 * MIN, temperatureC: 33, cause: 'rise' },
      { ts: 25 * MIN, temperatureC: 61, cause: 'threshold' },
    ]);
  });

  it('ignores a rise spread over more than 10 min, and honours a custom threshold', () => {
    // hourly 20 → 35: +15 °C but over 60 min, and 35 < 60: no alert; with a 30 °C threshold: one at 1 h.
    expect(fireAlerts(hourly(20, 35))).toEqual([]);
    expect(fireAlerts(hourly(20, 35), { thresholdC: 30 })).toEqual([
      { ts: H, temperatureC: 35, cause: 'threshold' },
    ]);
    // the first reading can alarm on its own
    expect(fireAlerts(hourly(85))).toEqual([{ ts: 0, temperatureC: 85, cause: 'threshold' }]);
  });
});
