import { cadencePeriod, canonicalTimeZone, isKpiCadence } from './kpi-cadence.utils';

const at = (iso: string) => Date.parse(iso);

describe('cadencePeriod', () => {
  it.each([
    // hourly: the local day in progress.
    ['hourly', '2026-06-15T09:05:00Z', 'Europe/Paris', '2026-06-15', '2026-06-15'],
    // 23:05 UTC on 15 June is 01:05 CEST on 16 June: already the 16th in Paris.
    ['hourly', '2026-06-15T23:05:00Z', 'Europe/Paris', '2026-06-16', '2026-06-16'],
    // …and still the 15th in UTC and in New York (19:05 EDT).
    ['hourly', '2026-06-15T23:05:00Z', 'UTC', '2026-06-15', '2026-06-15'],
    ['hourly', '2026-06-15T23:05:00Z', 'America/New_York', '2026-06-15', '2026-06-15'],
    // daily at 00:15 local: yesterday and the day before.
    ['daily', '2026-06-15T22:15:00Z', 'Europe/Paris', '2026-06-14', '2026-06-15'],
    // DST: 29 March 2026 is the 23 h day in Paris. 00:15 CEST on 30 March = 22:15 UTC on the 29th.
    ['daily', '2026-03-29T22:15:00Z', 'Europe/Paris', '2026-03-28', '2026-03-29'],
    // 00:15 CET on 29 March = 23:15 UTC on the 28th (clocks change at 02:00 local, later that night).
    ['daily', '2026-03-28T23:15:00Z', 'Europe/Paris', '2026-03-27', '2026-03-28'],
    // 25 October 2026 is the 25 h day. 00:15 CET on 26 October = 23:15 UTC on the 25th.
    ['daily', '2026-10-25T23:15:00Z', 'Europe/Paris', '2026-10-24', '2026-10-25'],
    // Month boundary: 00:15 on 1 March (non-leap 2026) covers 27–28 February.
    ['daily', '2026-02-28T23:15:00Z', 'Europe/Paris', '2026-02-27', '2026-02-28'],
    // Leap year: 00:15 on 1 March 2028 covers 28–29 February.
    ['daily', '2028-02-29T23:15:00Z', 'Europe/Paris', '2028-02-28', '2028-02-29'],
    // Year boundary: 00:15 on 1 January 2027 (CET, 23:15 UTC on 31 December) covers 30–31 December 2026.
    ['daily', '2026-12-31T23:15:00Z', 'Europe/Paris', '2026-12-30', '2026-12-31'],
    // monthly on the 1st: the previous month, whole.
    ['monthly', '2026-04-01T00:30:00Z', 'Europe/Paris', '2026-03-01', '2026-03-31'],
    ['monthly', '2026-03-01T00:30:00Z', 'Europe/Paris', '2026-02-01', '2026-02-28'],
    ['monthly', '2028-03-01T00:30:00Z', 'Europe/Paris', '2028-02-01', '2028-02-29'],
    // 23:30 UTC on 31 January is 00:30 on 1 February in Paris: January is the previous month there…
    ['monthly', '2026-01-31T23:30:00Z', 'Europe/Paris', '2026-01-01', '2026-01-31'],
    // …while in UTC it is still 31 January: the previous month is December 2025.
    ['monthly', '2026-01-31T23:30:00Z', 'UTC', '2025-12-01', '2025-12-31'],
    // monthly on 1 January: December of the year before.
    ['monthly', '2027-01-01T00:30:00Z', 'Europe/Paris', '2026-12-01', '2026-12-31'],
    // yearly on 1 January: the previous year, whole.
    ['yearly', '2027-01-01T02:00:00Z', 'Europe/Paris', '2026-01-01', '2026-12-31'],
    // 23:00 UTC on 31 December 2026 is already 2027 in Paris (CET, +1 h)…
    ['yearly', '2026-12-31T23:00:00Z', 'Europe/Paris', '2026-01-01', '2026-12-31'],
    // …and still 2026 in UTC.
    ['yearly', '2026-12-31T23:00:00Z', 'UTC', '2025-01-01', '2025-12-31'],
  ] as const)('%s at %s in %s covers %s … %s', (cadence, instant, zone, from, to) => {
    expect(cadencePeriod(cadence, at(instant), zone)).toEqual({ from, to });
  });

  it('uses Europe/Paris by default', () => {
    expect(cadencePeriod('hourly', at('2026-06-15T23:05:00Z'))).toEqual({
      from: '2026-06-16',
      to: '2026-06-16',
    });
  });
});

describe('isKpiCadence and canonicalTimeZone', () => {
  it('knows the cadences', () => {
    expect(['hourly', 'daily', 'monthly', 'yearly', 'weekly'].map(isKpiCadence)).toEqual([
      true,
      true,
      true,
      true,
      false,
    ]);
  });

  it('canonicalises IANA zones and refuses unknown ones', () => {
    expect(canonicalTimeZone('Europe/Paris')).toBe('Europe/Paris');
    expect(canonicalTimeZone('europe/paris')).toBe('Europe/Paris');
    expect(canonicalTimeZone('America/Guadeloupe')).toBe('America/Guadeloupe');
    expect(canonicalTimeZone('UTC')).toBe('UTC');
    expect(canonicalTimeZone('Europe/Atlantis')).toBeUndefined();
    expect(canonicalTimeZone('')).toBeUndefined();
    expect(canonicalTimeZone('Europe/Paris; DROP')).toBeUndefined();
  });
});
