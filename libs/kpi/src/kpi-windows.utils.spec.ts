import { KpiEngineError } from './kpi-engine.errors';
import {
  completenessShare,
  dayWindows,
  expectedSamples,
  monthWindows,
  nightWindows,
  parsePeriod,
  weekWindows,
  yearWindows,
  windowIndexOf,
} from './kpi-windows.utils';

const TZ = 'Europe/Paris';
const H = 3_600_000;
const iso = (s: string) => Date.parse(s);

describe('parsePeriod', () => {
  it('takes two inclusive local dates', () => {
    // 2026-03-29 is day 20,541 since 1970-01-01 (56 years, 14 of them leap: 56 × 365 + 14 = 20,454; + 87 days).
    expect(parsePeriod('2026-03-29', '2026-03-30')).toEqual({
      from: '2026-03-29',
      to: '2026-03-30',
      firstDay: 20541,
      lastDay: 20542,
    });
  });

  it.each([
    ['2026-02-30', '2026-03-01', 'invalid date: --from "2026-02-30" is not a YYYY-MM-DD date'],
    ['2026-03-01', '01/03/2026', 'invalid date: --to "01/03/2026" is not a YYYY-MM-DD date'],
    ['2026-03-02', '2026-03-01', 'invalid period: --to 2026-03-01 is before --from 2026-03-02'],
    [
      '2020-01-01',
      '2026-01-01',
      'invalid period: 2193 days from 2020-01-01 to 2026-01-01; at most 1096 days per run',
    ],
  ])('refuses %s → %s', (from, to, message) => {
    expect(() => parsePeriod(from, to)).toThrow(KpiEngineError);
    expect(() => parsePeriod(from, to)).toThrow(message);
  });
});

describe('local windows', () => {
  it('gives days their real length: 23 h on 2026-03-29, 25 h on 2026-10-25', () => {
    const spring = dayWindows(parsePeriod('2026-03-28', '2026-03-30'), TZ);
    expect(spring.map((w) => [w.key, new Date(w.start).toISOString(), (w.end - w.start) / H])).toEqual([
      ['2026-03-28', '2026-03-27T23:00:00.000Z', 24],
      ['2026-03-29', '2026-03-28T23:00:00.000Z', 23],
      ['2026-03-30', '2026-03-29T22:00:00.000Z', 24],
    ]);
    const autumn = dayWindows(parsePeriod('2026-10-25', '2026-10-25'), TZ);
    expect(autumn.map((w) => [new Date(w.start).toISOString(), (w.end - w.start) / H])).toEqual([
      ['2026-10-24T22:00:00.000Z', 25],
    ]);
  });

  it('gives each month touched by the period, whole: March 2026 has 31 × 24 − 1 = 743 h', () => {
    const months = monthWindows(parsePeriod('2026-02-27', '2026-03-02'), TZ);
    expect(months.map((w) => [w.key, new Date(w.start).toISOString(), (w.end - w.start) / H])).toEqual([
      ['2026-02', '2026-01-31T23:00:00.000Z', 28 * 24],
      ['2026-03', '2026-02-28T23:00:00.000Z', 743],
    ]);
    expect(monthWindows(parsePeriod('2026-12-31', '2027-01-01'), TZ).map((w) => w.key)).toEqual([
      '2026-12',
      '2027-01',
    ]);
  });

  it('names nights by their evening: 12:00 → 12:00 local, 23 h across the spring change', () => {
    const nights = nightWindows(parsePeriod('2026-03-28', '2026-03-29'), TZ);
    expect(nights.map((w) => [w.key, new Date(w.start).toISOString(), (w.end - w.start) / H])).toEqual([
      ['2026-03-28', '2026-03-28T11:00:00.000Z', 23],
      ['2026-03-29', '2026-03-29T10:00:00.000Z', 24],
    ]);
  });

  it('finds the window of an instant, start inclusive, end exclusive', () => {
    const days = dayWindows(parsePeriod('2026-03-28', '2026-03-30'), TZ);
    expect(windowIndexOf(days, iso('2026-03-28T23:00:00Z'))).toBe(1);
    expect(windowIndexOf(days, iso('2026-03-29T21:59:59.999Z'))).toBe(1);
    expect(windowIndexOf(days, iso('2026-03-29T22:00:00Z'))).toBe(2);
    expect(windowIndexOf(days, iso('2026-03-27T22:59:59.999Z'))).toBe(-1);
    expect(windowIndexOf(days, iso('2026-03-30T22:00:00Z'))).toBe(-1);
    expect(windowIndexOf([], 0)).toBe(-1);
  });

  it('expects samples over the real length and caps completeness to [0, 1]', () => {
    // 23 h at 15 min = 92 expected; 25 h = 100.
    expect(expectedSamples(23 * H, 900)).toBe(92);
    expect(expectedSamples(25 * H, 900)).toBe(100);
    expect(completenessShare(46, 92)).toBe(0.5);
    expect(completenessShare(101, 100)).toBe(1);
    expect(completenessShare(3, 0)).toBe(0);
  });
});

describe('weekWindows', () => {
  it('lists the whole ISO weeks the period touches, Monday to Monday local, DST weeks 167 h', () => {
    const weeks = weekWindows(parsePeriod('2026-03-25', '2026-03-30'), 'Europe/Paris');
    expect(weeks.map((w) => [w.key, new Date(w.start).toISOString(), (w.end - w.start) / 3_600_000])).toEqual(
      [
        ['2026-03-23', '2026-03-22T23:00:00.000Z', 167],
        ['2026-03-30', '2026-03-29T22:00:00.000Z', 168],
      ],
    );
    // A period starting on a Monday starts its first week.
    expect(weekWindows(parsePeriod('2026-03-30', '2026-03-30'), 'Europe/Paris')[0].key).toBe('2026-03-30');
  });
});

describe('yearWindows', () => {
  it('returns every local calendar year the period touches, whole', () => {
    // 2025-12-30 → 2026-01-02 touches 2025 and 2026. Paris is UTC+1 in winter:
    // 2025-01-01 00:00 local = 2024-12-31T23:00Z; 2026-01-01 00:00 local = 2025-12-31T23:00Z.
    const years = yearWindows(parsePeriod('2025-12-30', '2026-01-02'), 'Europe/Paris');
    expect(years.map((y) => y.key)).toEqual(['2025', '2026']);
    expect(new Date(years[0].start).toISOString()).toBe('2024-12-31T23:00:00.000Z');
    expect(new Date(years[0].end).toISOString()).toBe('2025-12-31T23:00:00.000Z');
    expect(years[1].start).toBe(years[0].end);
    // 365 days: the spring-forward and fall-back hours cancel.
    expect((years[0].end - years[0].start) / 86_400_000).toBe(365);
  });
});
