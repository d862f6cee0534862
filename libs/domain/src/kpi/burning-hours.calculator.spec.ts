import {
  burningHours,
  burningHoursByNight,
  nightBounds,
  nightOf,
  stateSegments,
} from './burning-hours.calculator';
import { kpiErrorCodeOf } from './kpi-error.spec-helper';
import { OnOffState } from './kpi-inputs.model';
import { KpiErrorCode } from './kpi.errors';

const MIN = 60_000;
const H = 3_600_000;
const t = (iso: string): number => Date.parse(iso);
const st = (iso: string, on: boolean): OnOffState => ({ ts: t(iso), on });

describe('L1 burning hours', () => {
  it.each<[string, OnOffState[], { maxGapMs: number; endTs?: number }, number]>([
    ['no state', [], { maxGapMs: H }, 0],
    ['a single state without end', [st('2025-01-10T17:00:00Z', true)], { maxGapMs: H }, 0],
    // on 17:00Z → off 07:00Z next day = 14 h, gap of 14 h allowed
    [
      'one night, on-change reports',
      [st('2025-01-10T17:00:00Z', true), st('2025-01-11T07:00:00Z', false)],
      { maxGapMs: 24 * H },
      14,
    ],
    // same readings but only 1 h may be bridged: the 14 h gap is unknown → 0
    [
      'one night, gap not bridged',
      [st('2025-01-10T17:00:00Z', true), st('2025-01-11T07:00:00Z', false)],
      { maxGapMs: H },
      0,
    ],
    // on @0, on @15, on @30, (120-min gap) on @150, off @165; maxGap 30 min → 15 + 15 + 15 = 45 min = 0.75 h
    [
      '15-min reports with a 2-hour hole',
      [
        { ts: 0, on: true },
        { ts: 15 * MIN, on: true },
        { ts: 30 * MIN, on: true },
        { ts: 150 * MIN, on: true },
        { ts: 165 * MIN, on: false },
      ],
      { maxGapMs: 30 * MIN },
      0.75,
    ],
    // last state held until endTs (30 min ≤ maxGap 1 h) → 0.5 h
    ['held until endTs', [{ ts: 0, on: true }], { maxGapMs: H, endTs: 30 * MIN }, 0.5],
    // endTs 2 h after the last state, maxGap 1 h → not bridged → 0
    ['endTs beyond maxGap', [{ ts: 0, on: true }], { maxGapMs: H, endTs: 2 * H }, 0],
    // off for 1 h, on for 1 h → 1 h
    [
      'off then on',
      [
        { ts: 0, on: false },
        { ts: H, on: true },
        { ts: 2 * H, on: false },
      ],
      { maxGapMs: H },
      1,
    ],
  ])('%s → %d h', (_case, states, opts, hours) => {
    expect(Math.abs(burningHours(states, opts) - hours)).toBeLessThan(1e-12);
  });

  it('merges adjacent segments of the same state', () => {
    const segs = stateSegments(
      [
        { ts: 0, on: true },
        { ts: 10, on: true },
        { ts: 20, on: false },
        { ts: 30, on: false },
        { ts: 40, on: true },
      ],
      { maxGapMs: 100, endTs: 50 },
    );
    expect(segs).toEqual([
      { start: 0, end: 20, on: true },
      { start: 20, end: 40, on: false },
      { start: 40, end: 50, on: true },
    ]);
  });

  it.each<[string, string]>([
    ['2025-03-29T22:00:00Z', '2025-03-29'], // 23:00 CET Saturday evening
    ['2025-03-30T04:00:00Z', '2025-03-29'], // 06:00 CEST the next morning, same night
    ['2025-03-30T09:59:59Z', '2025-03-29'], // 11:59:59 CEST
    ['2025-03-30T10:00:00Z', '2025-03-30'], // 12:00 CEST starts the next night
    ['2025-01-01T10:59:00Z', '2024-12-31'], // 11:59 CET on New Year's Day → night of 31 Dec
  ])('nightOf(%s) = %s', (iso, night) => {
    expect(nightOf(t(iso))).toBe(night);
  });

  it.each<[string, number]>([
    ['2025-03-29', 23], // 12:00 CET 29th → 12:00 CEST 30th
    ['2025-10-25', 25],
    ['2025-06-10', 24],
  ])('night %s lasts %d h', (night, hours) => {
    const b = nightBounds(night);
    expect(b.end - b.start).toBe(hours * H);
  });

  it('splits burning time per night, including the 25-hour DST night', () => {
    // On 2025-10-25 19:00 CEST (17:00Z) → off 2025-10-26 08:00 CET (07:00Z): 14 real hours in night 2025-10-25.
    // On 2025-10-26 10:00 CET (09:00Z) → 14:00 CET (13:00Z): 11:00Z is noon CET, so 2 h in night 2025-10-25
    // and 2 h in night 2025-10-26.
    const states = [
      st('2025-10-25T17:00:00Z', true),
      st('2025-10-26T07:00:00Z', false),
      st('2025-10-26T09:00:00Z', true),
      st('2025-10-26T13:00:00Z', false),
    ];
    expect(burningHoursByNight(states, { maxGapMs: 24 * H })).toEqual([
      { night: '2025-10-25', hours: 16 },
      { night: '2025-10-26', hours: 2 },
    ]);
  });

  it.each<[string, () => unknown, KpiErrorCode]>([
    [
      'unsorted states',
      () =>
        burningHours(
          [
            { ts: 5, on: true },
            { ts: 1, on: false },
          ],
          { maxGapMs: 10 },
        ),
      KpiErrorCode.UnsortedInput,
    ],
    ['a negative maxGap', () => burningHours([], { maxGapMs: -1 }), KpiErrorCode.InvalidParameter],
    [
      'endTs before the last state',
      () => burningHours([{ ts: 5, on: true }], { maxGapMs: 10, endTs: 4 }),
      KpiErrorCode.InvalidParameter,
    ],
  ])('refuses %s', (_what, fn, code) => {
    expect(kpiErrorCodeOf(fn)).toBe(code);
  });
});
