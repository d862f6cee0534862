import { kpiErrorCodeOf } from './kpi-error.spec-helper';
import { Sample } from './kpi-inputs.model';
import { KpiErrorCode } from './kpi.errors';
import {
  averageFillAtCollection,
  binsAboveThreshold,
  collectionEvents,
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
