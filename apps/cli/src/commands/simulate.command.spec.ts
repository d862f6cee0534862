import { CliError } from '../output';
import { backfillEnd } from './simulate.command';

describe('backfillEnd (--until)', () => {
  const now = Date.parse('2026-12-01T12:00:00Z');

  it("takes a date as its local midnight in the town's zone", () => {
    // 2026-03-01 00:00 in Paris (CET, UTC+1) = 2026-02-28T23:00Z; in summer (CEST) 2026-07-01 = 06-30T22:00Z.
    expect(new Date(backfillEnd('2026-03-01', 'Europe/Paris', now)).toISOString()).toBe(
      '2026-02-28T23:00:00.000Z',
    );
    expect(new Date(backfillEnd('2026-07-01', 'Europe/Paris', now)).toISOString()).toBe(
      '2026-06-30T22:00:00.000Z',
    );
  });

  it('takes an ISO date-time with its zone as it is', () => {
    expect(backfillEnd('2026-03-01T06:30:00+01:00', 'Europe/Paris', now)).toBe(
      Date.parse('2026-03-01T05:30:00Z'),
    );
  });

  it('refuses what is not a date, a date-time without zone, and the future', () => {
    const refused = (text: string) => {
      try {
        backfillEnd(text, 'Europe/Paris', now);
      } catch (err) {
        return err instanceof CliError ? err.message : String(err);
      }
      return 'accepted';
    };
    expect(refused('yesterday')).toBe(
      "--until: 'yesterday' is neither a YYYY-MM-DD date nor an ISO date-time with a zone",
    );
    expect(refused('2026-02-30')).toContain('is neither a YYYY-MM-DD date');
    expect(refused('2026-03-01T06:30:00')).toContain('with a zone');
    expect(refused('2027-01-01')).toBe('--until: 2027-01-01 is in the future; a backfill sends past history');
  });
});
