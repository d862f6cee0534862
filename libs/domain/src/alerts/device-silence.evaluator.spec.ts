import { isOffline, judgeable, offlineAt } from './device-silence.evaluator';

describe('device silence', () => {
  it('is offline k × the expected interval after the last report', () => {
    // Last report 10:00:00, every 900 s, k = 3 → offline from 10:45:00.
    const last = Date.parse('2026-03-01T10:00:00Z');
    expect(new Date(offlineAt(last, 900)).toISOString()).toBe('2026-03-01T10:45:00.000Z');
    expect(isOffline(last, Date.parse('2026-03-01T10:44:59Z'), 900)).toBe(false);
    expect(isOffline(last, Date.parse('2026-03-01T10:45:00Z'), 900)).toBe(true);
    // k = 2 for a critical device: 10:30.
    expect(isOffline(last, Date.parse('2026-03-01T10:30:00Z'), 900, 2)).toBe(true);
    expect(() => offlineAt(last, 0)).toThrow('positive interval');
  });

  it('judges KPI values only from complete enough data', () => {
    expect(judgeable(0.79)).toBe(false);
    expect(judgeable(0.8)).toBe(true);
    expect(judgeable(Number.NaN)).toBe(false);
    expect(judgeable(0.5, 0.5)).toBe(true);
  });
});
