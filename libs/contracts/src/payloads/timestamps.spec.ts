import { parseTimestamp } from './timestamps';

const T0 = Date.UTC(2025, 2, 1, 6, 0, 0); // 2025-03-01T06:00:00Z

describe('parseTimestamp', () => {
  describe('epoch milliseconds', () => {
    it.each([
      [T0, T0],
      [0, 0],
      [-1000, -1000],
      [1, 1],
      [T0 + 0.4, T0],
      [T0 + 0.5, T0 + 1],
      [T0 + 0.6, T0 + 1],
      [1.2, 1],
      [1.5, 2],
      [8.64e15, 8.64e15],
    ])('%p → %p', (ts, expected) => {
      expect(parseTimestamp(ts)).toBe(expected);
    });

    it.each([[NaN], [Infinity], [-Infinity]])('refuses %p', (ts) => {
      expect(parseTimestamp(ts)).toBeUndefined();
    });
  });

  describe('ISO 8601 strings with a time zone', () => {
    it.each([
      ['2025-03-01T06:00:00Z', T0],
      ['2025-03-01T06:00Z', T0],
      ['2025-03-01T06:00:00.000Z', T0],
      ['2025-03-01T06:00:00.5Z', T0 + 500],
      ['2025-03-01T06:00:00.123Z', T0 + 123],
      ['2025-03-01T06:00:00.123456Z', T0 + 123],
      ['2025-03-01T06:00:00.123456789Z', T0 + 123],
      ['2025-03-01T07:00:00+01:00', T0],
      ['2025-03-01T07:30:00.250+01:30', T0 + 250],
      ['2025-03-01T01:00:00-05:00', T0],
      ['2025-03-01T06:00:00+00:00', T0],
      ['2025-03-01T06:00:00-00:00', T0],
      ['2025-03-02T01:00:00+19:00', T0],
      ['2024-02-29T00:00:00Z', Date.UTC(2024, 1, 29)],
      ['2025-12-31T23:59:59Z', Date.UTC(2025, 11, 31, 23, 59, 59)],
      ['1970-01-01T00:00:00Z', 0],
    ])('%s → %p', (ts, expected) => {
      expect(parseTimestamp(ts)).toBe(expected);
    });
  });

  describe('strings that are not a zoned ISO 8601 date-time', () => {
    it.each([
      ['', 'empty'],
      ['2025-03-01T06:00:00', 'no zone'],
      ['2025-03-01T06:00:00.123', 'no zone, with fraction'],
      ['2025-03-01', 'date only'],
      ['2025-03-01 06:00:00Z', 'space instead of T'],
      ['2025-03-01t06:00:00z', 'lowercase t and z'],
      ['2025-03-01T06:00:00+0100', 'offset without colon'],
      ['2025-03-01T06:00:00+01', 'offset hours only'],
      ['2025-03-01T06:00:00 Z', 'space before zone'],
      ['2025-03-01T06:00:00.Z', 'empty fraction'],
      ['2025-03-01T06:00:00.1234567890Z', 'fraction of 10 digits'],
      ['25-03-01T06:00:00Z', 'two-digit year'],
      ['2025-3-1T06:00:00Z', 'one-digit month and day'],
      ['1740808800000', 'epoch ms as a string'],
      ['Sat, 01 Mar 2025 06:00:00 GMT', 'RFC 7231 date'],
      [' 2025-03-01T06:00:00Z', 'leading space'],
      ['2025-03-01T06:00:00Z ', 'trailing space'],
      ['now', 'a word'],
    ])('refuses %j (%s)', (ts) => {
      expect(parseTimestamp(ts)).toBeUndefined();
    });
  });

  describe('impossible dates and times', () => {
    it.each([
      ['2025-00-01T00:00:00Z', 'month 0'],
      ['2025-13-01T00:00:00Z', 'month 13'],
      ['2025-01-00T00:00:00Z', 'day 0'],
      ['2025-01-32T00:00:00Z', 'day 32'],
      ['2025-01-01T24:00:00Z', 'hour 24'],
      ['2025-01-01T00:60:00Z', 'minute 60'],
      ['2025-01-01T00:00:60Z', 'second 60 (no leap seconds)'],
      ['2025-01-01T00:00:61Z', 'second 61'],
      ['2025-01-01T00:00:00+25:00', 'offset of 25 hours'],
      ['2025-01-01T00:00:00+01:60', 'offset minutes 60'],
      ['2024-02-30T00:00:00Z', 'February 30th'],
      ['2025-02-29T00:00:00Z', 'February 29th of a common year'],
      ['2025-04-31T00:00:00Z', 'April 31st'],
      ['2025-06-31T12:00:00+02:00', 'June 31st'],
    ])('refuses %j (%s)', (ts) => {
      expect(parseTimestamp(ts)).toBeUndefined();
    });
  });

  it.each([[null], [undefined], [true], [false], [{}], [[T0]], [{ ts: T0 }], [BigInt(T0)]])(
    'refuses the non-string, non-number %p',
    (ts) => {
      expect(parseTimestamp(ts)).toBeUndefined();
    },
  );
});
