import { kpiErrorCodeOf } from './kpi-error.spec-helper';
import { KpiErrorCode } from './kpi.errors';
import {
  localDay,
  localDayBounds,
  localHour,
  localTimeOfDayMs,
  localWallToUtc,
  localWeekday,
  startOfLocalDay,
  timeZoneOffsetMs,
} from './local-time.utils';

const H = 3_600_000;
const t = (iso: string): number => Date.parse(iso);

describe('local calendar (Europe/Paris by default)', () => {
  // Paris: UTC+1 in winter; UTC+2 from 2025-03-30 01:00Z (02:00 → 03:00 local) to 2025-10-26 01:00Z (03:00 → 02:00).
  it.each<[string, string]>([
    ['2025-03-29T22:59:59.999Z', '2025-03-29'], // 23:59:59.999 CET
    ['2025-03-29T23:00:00Z', '2025-03-30'], // 00:00 CET
    ['2025-03-30T21:59:59Z', '2025-03-30'], // 23:59:59 CEST
    ['2025-03-30T22:00:00Z', '2025-03-31'], // 00:00 CEST
    ['2025-10-25T22:00:00Z', '2025-10-26'], // 00:00 CEST
    ['2025-10-26T22:59:59Z', '2025-10-26'], // 23:59:59 CET
    ['2025-10-26T23:00:00Z', '2025-10-27'],
    ['2024-12-31T23:00:00Z', '2025-01-01'],
  ])('localDay(%s) = %s', (iso, day) => {
    expect(localDay(t(iso))).toBe(day);
  });

  it.each<[string, number]>([
    ['2025-03-30T00:59:59Z', 1], // 01:59:59 CET
    ['2025-03-30T01:00:00Z', 3], // 03:00 CEST: hour 2 does not exist that day
    ['2025-10-26T00:30:00Z', 2], // 02:30 CEST
    ['2025-10-26T01:30:00Z', 2], // 02:30 CET: hour 2 occurs twice
    ['2025-07-14T10:00:00Z', 12],
  ])('localHour(%s) = %d', (iso, hour) => {
    expect(localHour(t(iso))).toBe(hour);
  });

  it.each<[string, number]>([
    ['2025-01-01T12:00:00Z', 3], // Wednesday
    ['2025-03-30T12:00:00Z', 7], // Sunday
    ['2025-03-30T22:30:00Z', 1], // 00:30 CEST Monday 31st (still Sunday in UTC)
    ['2025-10-26T23:30:00Z', 1], // Monday 27th, 00:30 CET
  ])('localWeekday(%s) = %d (ISO)', (iso, wd) => {
    expect(localWeekday(t(iso))).toBe(wd);
  });

  it.each<[string, string]>([
    ['2025-03-30T12:00:00Z', '2025-03-29T23:00:00.000Z'],
    ['2025-10-26T12:00:00Z', '2025-10-25T22:00:00.000Z'],
    ['2025-10-26T23:30:00Z', '2025-10-26T23:00:00.000Z'],
    ['2025-07-01T00:00:00Z', '2025-06-30T22:00:00.000Z'],
  ])('startOfLocalDay(%s) = %s', (iso, start) => {
    expect(new Date(startOfLocalDay(t(iso))).toISOString()).toBe(start);
  });

  it.each<[string, number]>([
    ['2025-03-30', 23],
    ['2025-10-26', 25],
    ['2025-06-15', 24],
    ['2024-02-29', 24],
  ])('localDayBounds(%s) lasts %d h', (day, hours) => {
    const b = localDayBounds(day);
    expect(b.lengthMs).toBe(hours * H);
    expect(b.end - b.start).toBe(b.lengthMs);
    expect(localDay(b.start)).toBe(day);
    expect(localDay(b.end - 1)).toBe(day);
  });

  it.each<[string, string, string]>([
    ['2025-03-30T02:30:00Z', '2025-03-30T01:30:00.000Z', 'non-existent 02:30 → 03:30 CEST'],
    ['2025-10-26T02:30:00Z', '2025-10-26T00:30:00.000Z', 'ambiguous 02:30 → the earlier (CEST)'],
    ['2025-10-26T03:00:00Z', '2025-10-26T02:00:00.000Z', '03:00 CET'],
    ['2025-01-15T08:00:00Z', '2025-01-15T07:00:00.000Z', 'plain winter time'],
  ])('localWallToUtc(wall %s) = %s (%s)', (wallIso, utc) => {
    expect(new Date(localWallToUtc(t(wallIso))).toISOString()).toBe(utc);
  });

  it('reports the time of day on the wall clock', () => {
    // 2025-10-26T01:30Z = 02:30 CET → 2.5 h after local midnight on the wall clock
    expect(localTimeOfDayMs(t('2025-10-26T01:30:00Z'))).toBe(2.5 * H);
  });

  it.each<[string, string, number]>([
    ['2025-03-30T00:59:59.999Z', 'Europe/Paris', 1 * H],
    ['2025-03-30T01:00:00Z', 'Europe/Paris', 2 * H],
    ['2025-03-09T06:59:59Z', 'America/New_York', -5 * H],
    ['2025-03-09T07:00:00Z', 'America/New_York', -4 * H],
    ['2025-06-01T00:00:00Z', 'Asia/Kathmandu', 5.75 * H],
    ['2025-06-01T00:00:00Z', 'UTC', 0],
  ])('offset at %s in %s is %d ms', (iso, zone, offset) => {
    expect(timeZoneOffsetMs(t(iso), zone)).toBe(offset);
  });

  it.each(['Europe/Paris', 'America/New_York', 'Australia/Lord_Howe'])(
    'agrees with Intl for every half hour of 2025 in %s',
    (zone) => {
      const fmt = new Intl.DateTimeFormat('en-CA', {
        timeZone: zone,
        year: 'numeric',
        month: '2-digit',
        day: '2-digit',
        hour: '2-digit',
        hourCycle: 'h23',
      });
      let mismatches = 0;
      for (let ts = t('2025-01-01T00:00:00Z'); ts < t('2026-01-01T00:00:00Z'); ts += H / 2) {
        const parts = Object.fromEntries(fmt.formatToParts(ts).map((p) => [p.type, p.value]));
        const day = `${parts.year}-${parts.month}-${parts.day}`;
        if (localDay(ts, zone) !== day || localHour(ts, zone) !== Number(parts.hour)) mismatches++;
      }
      expect(mismatches).toBe(0);
    },
  );

  it('is fast: one million look-ups over a year in under 500 ms', () => {
    const start = performance.now();
    let acc = 0;
    const base = t('2025-01-01T00:00:00Z');
    for (let i = 0; i < 1_000_000; i++) {
      const ts = base + i * 31_536; // spans 2025
      acc += localHour(ts) + (localDay(ts).length === 10 ? 1 : 0);
    }
    const elapsed = performance.now() - start;
    expect(acc).toBeGreaterThan(0);
    expect(elapsed).toBeLessThan(500); // ≈ 75 ms measured; 1,500 ms before caching globals (see local-time.utils)
  });

  it.each<[string, () => unknown, KpiErrorCode]>([
    ['an unknown time zone', () => localDay(0, 'Mars/Olympus_Mons'), KpiErrorCode.InvalidTimeZone],
    ['a day that does not exist', () => localDayBounds('2025-02-30'), KpiErrorCode.InvalidParameter],
    ['a malformed day', () => localDayBounds('30/03/2025'), KpiErrorCode.InvalidParameter],
    ['a NaN timestamp', () => localDay(NaN), KpiErrorCode.NonFiniteValue],
  ])('refuses %s', (_what, fn, code) => {
    expect(kpiErrorCodeOf(fn)).toBe(code);
  });
});
