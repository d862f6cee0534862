import { sunTimes } from '../solar';
import { kpiErrorCodeOf } from './kpi-error.spec-helper';
import { OnOffState } from './kpi-inputs.model';
import { KpiErrorCode } from './kpi.errors';
import { minutesLitInDaylight, switchOffCompliance } from './lighting-schedule.calculator';

const MIN = 60_000;
const t = (iso: string): number => Date.parse(iso);
const st = (iso: string, on: boolean): OnOffState => ({ ts: t(iso), on });
const PARIS = { lat: 48.8566, lon: 2.3522 };

describe('L5 minutes lit in daylight', () => {
  // NOAA for Paris 2025-06-21: sunrise 03:46:58Z (05:46:58 CEST), sunset 19:57:56Z (21:57:56 CEST), see solar tests.
  const sun = sunTimes({ year: 2025, month: 6, day: 21 }, PARIS.lat, PARIS.lon);
  const sunrise = sun.sunrise as number;
  const sunset = sun.sunset as number;

  it('counts the morning overrun beyond sunrise + 15 min', () => {
    // Lamp on 03:00Z → 05:00Z. Daylight window opens at sunrise + 15 min ≈ 04:01:58Z → 05:00Z − 04:01:58Z ≈ 58.0 min.
    const states = [st('2025-06-21T03:00:00Z', true), st('2025-06-21T05:00:00Z', false)];
    const [day] = minutesLitInDaylight(states, PARIS.lat, PARIS.lon);
    expect(day.day).toBe('2025-06-21');
    expect(Math.abs(day.minutes - (t('2025-06-21T05:00:00Z') - (sunrise + 15 * MIN)) / MIN)).toBeLessThan(
      1e-9,
    );
    expect(Math.abs(day.minutes - 58.03)).toBeLessThan(1.5); // ±1 min of NOAA vs published, ±0.5 rounding
  });

  it('counts the whole day between sunrise and sunset with the strict tolerance 0', () => {
    // On from 00:00 CEST to 23:59 CEST (21:59Z): daylight = sunset − sunrise ≈ 16 h 10 min 58 s = 970.97 min
    const states = [st('2025-06-20T22:00:00Z', true), st('2025-06-21T21:59:00Z', false)];
    const [day] = minutesLitInDaylight(states, PARIS.lat, PARIS.lon, 0);
    expect(Math.abs(day.minutes - (sunset - sunrise) / MIN)).toBeLessThan(1e-9);
    expect(Math.abs(day.minutes - 970.97)).toBeLessThan(2);
  });

  it('lists every day of the span, with 0 when the lamp stayed off in daylight', () => {
    // Lamp on at night only, two nights: evening on at 20:30Z (22:30 CEST), off at 03:00Z (before sunrise).
    const states = [
      st('2025-06-20T20:30:00Z', true),
      st('2025-06-21T03:00:00Z', false),
      st('2025-06-21T20:30:00Z', true),
      st('2025-06-22T03:00:00Z', false),
    ];
    expect(minutesLitInDaylight(states, PARIS.lat, PARIS.lon)).toEqual([
      { day: '2025-06-20', minutes: 0 },
      { day: '2025-06-21', minutes: 0 },
      { day: '2025-06-22', minutes: 0 },
    ]);
  });

  it('treats a polar day as all daylight and a polar night as none', () => {
    // Lat 70° N, lamp on for all of 2025-06-21 (Paris time): 24 h = 1,440 min lit in (midnight-sun) daylight.
    const summer = [st('2025-06-20T22:00:00Z', true), st('2025-06-21T22:00:00Z', false)];
    expect(minutesLitInDaylight(summer, 70, 20)[0]).toEqual({ day: '2025-06-21', minutes: 1440 });
    const winter = [st('2025-12-20T23:00:00Z', true), st('2025-12-21T23:00:00Z', false)];
    expect(minutesLitInDaylight(winter, 70, 20)[0]).toEqual({ day: '2025-12-21', minutes: 0 });
  });

  it('returns nothing for no state and refuses a negative tolerance', () => {
    expect(minutesLitInDaylight([], PARIS.lat, PARIS.lon)).toEqual([]);
    expect(kpiErrorCodeOf(() => minutesLitInDaylight([], PARIS.lat, PARIS.lon, -1))).toBe(
      KpiErrorCode.InvalidParameter,
    );
  });
});

describe('L7 switch-off compliance', () => {
  const window = { startHour: 23, endHour: 5 };

  it.each<[string, OnOffState[], string, number, number, number]>([
    // On 22:00 CEST (20:00Z) → off 00:30 CEST (22:30Z): 90 min inside 23:00–05:00 (360 min) → 1 − 90/360 = 0.75
    [
      'a late switch-off',
      [
        st('2025-06-10T20:00:00Z', true),
        st('2025-06-10T22:30:00Z', false),
        st('2025-06-11T10:00:00Z', false),
      ],
      '2025-06-10',
      360,
      90,
      0.75,
    ],
    // Night of the October change: 23:00 CEST (21:00Z) → 05:00 CET (04:00Z) lasts 7 h = 420 min; on all night → 0
    [
      'the 25-hour night, lit throughout',
      [st('2025-10-25T17:00:00Z', true), st('2025-10-26T07:00:00Z', false)],
      '2025-10-25',
      420,
      420,
      0,
    ],
    // Night of the March change: 23:00 CET (22:00Z) → 05:00 CEST (03:00Z) lasts 5 h = 300 min; on 02:00Z–03:00Z
    // (04:00–05:00 CEST) → 60 min → 1 − 60/300 = 0.8
    [
      'the 23-hour night, relit before dawn',
      [
        st('2025-03-29T18:00:00Z', true),
        st('2025-03-29T21:00:00Z', false),
        st('2025-03-30T02:00:00Z', true),
        st('2025-03-30T06:00:00Z', false),
      ],
      '2025-03-29',
      300,
      60,
      0.8,
    ],
  ])('%s', (_case, states, night, windowMinutes, onMinutes, compliance) => {
    const nights = switchOffCompliance(states, window);
    expect(nights).toHaveLength(1);
    expect(nights[0].night).toBe(night);
    expect(nights[0].windowMinutes).toBe(windowMinutes);
    expect(nights[0].onMinutes).toBe(onMinutes);
    expect(nights[0].observedMinutes).toBe(windowMinutes);
    expect(Math.abs(nights[0].compliance - compliance)).toBeLessThan(1e-12);
  });

  it('reports unobserved minutes when the data stop inside the window', () => {
    // Hourly readings 20:00Z–23:00Z, all off, no endTs: the last reading is not held, so the state is known from
    // 20:00Z to 23:00Z; the window 21:00Z–03:00Z (23:00–05:00 CEST) is observed 21:00Z–23:00Z = 120 of 360 min.
    const states = [
      st('2025-06-10T20:00:00Z', false),
      st('2025-06-10T21:00:00Z', false),
      st('2025-06-10T22:00:00Z', false),
      st('2025-06-10T23:00:00Z', false),
    ];
    const [n] = switchOffCompliance(states, window, { maxGapMs: 3_600_000 });
    expect(n.observedMinutes).toBe(120);
    expect(n.onMinutes).toBe(0);
    expect(n.compliance).toBe(1);
  });

  it.each<[string, { startHour: number; endHour: number }]>([
    ['an hour of 24', { startHour: 24, endHour: 5 }],
    ['a window that runs backwards', { startHour: 5, endHour: 23 }],
  ])('refuses %s', (_what, w) => {
    expect(kpiErrorCodeOf(() => switchOffCompliance([], w))).toBe(KpiErrorCode.InvalidParameter);
  });
});
