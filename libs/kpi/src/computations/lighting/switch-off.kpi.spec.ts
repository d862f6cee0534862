import { RawSample } from '../../influx-readings.reader';
import { KpiDevice, KpiSite } from '../../kpi-engine.types';
import { nightWindows, parsePeriod } from '../../kpi-windows.utils';
import { parseSwitchOff, switchOffPoints } from './switch-off.kpi';

const TZ = 'Europe/Paris';
const iso = (s: string) => Date.parse(s);
const light = (id: string, site?: string): KpiDevice => ({
  id,
  kind: 'light-controller',
  intervalS: 3600,
  ...(site ? { site } : {}),
});
const sites = (entries: [string, Record<string, string>][]): Map<string, KpiSite> =>
  new Map(entries.map(([id, attributes]) => [id, { id, attributes }]));
const at = (s: string, on: boolean): RawSample => ({ ts: iso(s), value: on });

describe('L7 switch-off compliance', () => {
  // Nights of the 28th (12:00 CET → 12:00 CEST, spring forward inside) and of the 29th.
  const nights = nightWindows(parsePeriod('2026-03-28', '2026-03-29'), TZ);

  it('parses the simulator’s HH:MM-HH:MM window, refusing one that does not fit in a night', () => {
    expect(parseSwitchOff('23:00-05:00')).toEqual({ window: { startHour: 23, endHour: 5 } });
    expect(parseSwitchOff('22:30-05:30')).toEqual({ window: { startHour: 22.5, endHour: 5.5 } });
    expect(parseSwitchOff('01:00-05:00')).toEqual({ window: { startHour: 1, endHour: 5 } });
    expect(parseSwitchOff('')).toEqual({});
    expect(parseSwitchOff(undefined)).toEqual({});
    for (const bad of ['05:00-23:00', '25:00-01:00', '23:00', '23:00-05:00-06:00', 'midnight'])
      expect(parseSwitchOff(bad).problem).toBe(
        `attribute switch_off='${bad}' is not a HH:MM-HH:MM night window`,
      );
  });

  it('counts ON minutes in the window of each night and 1 − ON / window, on the real window length', () => {
    const samples = new Map([
      [
        'lp',
        [
          // Night of the 28th, window 23:00 CET (22:00Z) → 05:00 CEST (03:00Z) = 5 h real = 300 min (DST).
          // On 22:00Z → 00:00Z = 120 min, off until 03:00Z; every gap 1 h, so all 300 min known.
          // Compliance 1 − 120 / 300 = 0.6, completeness 300 / 300 = 1.
          at('2026-03-28T22:00:00Z', true),
          at('2026-03-28T23:00:00Z', true),
          at('2026-03-29T00:00:00Z', false),
          at('2026-03-29T01:00:00Z', false),
          at('2026-03-29T02:00:00Z', false),
          at('2026-03-29T03:00:00Z', true),
          // Night of the 29th, window 23:00 CEST (21:00Z) → 05:00 CEST (03:00Z) = 360 min. On at 21:00Z and
          // 22:00Z, then silent: the last state is not held over the > 2 h gap. Known 60 min, all ON:
          // compliance 1 − 60 / 360 = 5/6, completeness 60 / 360 = 1/6.
          at('2026-03-29T21:00:00Z', true),
          at('2026-03-29T22:00:00Z', true),
        ],
      ],
    ]);
    const { points, skipped } = switchOffPoints(
      [light('lp', 'street')],
      samples,
      nights,
      sites([['street', { switch_off: '23:00-05:00' }]]),
      TZ,
    );
    expect(skipped).toEqual([]);
    expect(
      points.map((p) => [p.kpi, p.window, new Date(p.ts).toISOString(), p.value, p.completeness]),
    ).toEqual([
      ['L7.switch_off_on_minutes', 'night', '2026-03-28T11:00:00.000Z', 120, 1],
      ['L7.switch_off_compliance', 'night', '2026-03-28T11:00:00.000Z', 0.6, 1],
      ['L7.switch_off_on_minutes', 'night', '2026-03-29T10:00:00.000Z', 60, 1 / 6],
      ['L7.switch_off_compliance', 'night', '2026-03-29T10:00:00.000Z', 5 / 6, 1 / 6],
    ]);
  });

  it('skips lights whose site has no window or a malformed one, and lights with no known state', () => {
    const samples = new Map([
      ['a', [at('2026-03-28T22:00:00Z', true)]],
      ['b', [at('2026-03-28T22:00:00Z', true)]],
    ]);
    const { points, skipped } = switchOffPoints(
      [light('a', 'plain'), light('b', 'typo'), light('c', 'ok'), light('d')],
      samples,
      nights,
      sites([
        ['plain', { switch_off: '' }],
        ['typo', { switch_off: '23h-5h' }],
        ['ok', { switch_off: '23:00-05:00' }],
      ]),
      TZ,
    );
    expect(points).toEqual([]);
    expect(skipped).toEqual([
      {
        subject: 'a',
        reason: 'missing_inputs',
        detail: 'a: its site plain has no switch_off window attribute',
      },
      {
        subject: 'b',
        reason: 'missing_inputs',
        detail: "attribute switch_off='23h-5h' is not a HH:MM-HH:MM night window",
      },
      {
        subject: 'c',
        reason: 'no_readings',
        detail: "no lamp_on state of c known in the period's switch-off windows",
      },
      {
        subject: 'd',
        reason: 'missing_inputs',
        detail: 'd: its site (none) has no switch_off window attribute',
      },
    ]);
  });
});
