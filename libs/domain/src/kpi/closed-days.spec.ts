import { CLOSED_DAYS_ATTRIBUTE, formatClosedDays, parseClosedDays } from './closed-days';
import { dayStringToNumber } from './local-time.utils';

const d = dayStringToNumber;

describe('closed days of a building', () => {
  it('reads dates and inclusive ranges, and writes them back compressed', () => {
    const raw = '2026-01-01, 2026-02-21..2026-02-23,2026-02-24';
    const { days, problem } = parseClosedDays(raw);
    expect(problem).toBeUndefined();
    expect([...days].sort()).toEqual([
      d('2026-01-01'),
      d('2026-02-21'),
      d('2026-02-22'),
      d('2026-02-23'),
      d('2026-02-24'),
    ]);
    expect(formatClosedDays(days)).toBe('2026-01-01,2026-02-21..2026-02-24');
    expect(parseClosedDays(undefined).days.size).toBe(0);
    expect(parseClosedDays(' ').days.size).toBe(0);
  });

  it.each([
    ['2026-02-30', "'2026-02-30' is not a date or a range of dates"],
    ['2026-13-01', "'2026-13-01' is not a date or a range of dates"],
    ['2026-01-01..2026-12-32', "'2026-01-01..2026-12-32' is not a date or a range of dates"],
    ['2026-03-08..2026-02-21', "'2026-03-08..2026-02-21' ends before it starts"],
    ['2026-01-01..2026-01-02..2026-01-03', 'has more than one ..'],
    ['2026-01-01..2062-01-01', 'spans more than 366 days'],
    ['mon', "'mon' is not a date"],
  ])('refuses %s, naming the item', (raw, why) => {
    const { days, problem } = parseClosedDays(raw);
    expect(days.size).toBe(0);
    expect(problem).toContain(`attribute ${CLOSED_DAYS_ATTRIBUTE}: `);
    expect(problem).toContain(why);
  });
});
