import { RawSample } from '../../influx-readings.reader';
import { KpiDevice, KpiSite } from '../../kpi-engine.types';
import { dayWindows, parsePeriod } from '../../kpi-windows.utils';
import { lightPosition, litInDaylightPoints, positionOf } from './lit-in-daylight.kpi';

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

describe('L5 lit-in-daylight minutes', () => {
  // 2026-03-29 (23 h, spring forward) and 2026-03-30 (24 h).
  const days = dayWindows(parsePeriod('2026-03-29', '2026-03-30'), TZ);
  const paris = { lat: '48.85', lon: '2.35' };

  it('counts ON minutes inside daylight only, per local day, with the day’s sample completeness', () => {
    const samples = new Map([
      [
        'lp',
        [
          // The 29th: on 11:00 → 13:00 CEST (09:00Z–11:00Z), well inside Paris daylight (sunrise ≈ 07:30,
          // sunset ≈ 20:20 CEST): 120 min. 3 samples / (23 h / 1 h).
          at('2026-03-29T09:00:00Z', true),
          at('2026-03-29T10:00:00Z', true),
          at('2026-03-29T11:00:00Z', false),
          // The 30th: on 22:00 → 00:00 CEST, night: 0 min. 2 samples on the 30th / 24; the 00:00 CEST reading
          // is the 31st, outside the period (no point).
          at('2026-03-30T20:00:00Z', true),
          at('2026-03-30T21:00:00Z', true),
          at('2026-03-30T22:00:00Z', false),
        ],
      ],
    ]);
    const { points, skipped } = litInDaylightPoints(
      [light('lp', 'street')],
      samples,
      days,
      sites([['street', paris]]),
      TZ,
    );
    expect(skipped).toEqual([]);
    expect(
      points.map((p) => [p.kpi, p.window, new Date(p.ts).toISOString(), p.value, p.completeness]),
    ).toEqual([
      ['L5.minutes_lit_in_daylight', 'day', '2026-03-28T23:00:00.000Z', 120, 3 / 23],
      ['L5.minutes_lit_in_daylight', 'day', '2026-03-29T22:00:00.000Z', 0, 2 / 24],
    ]);
  });

  it('uses the sun at the light’s position: polar day counts the night hours, polar night nothing', () => {
    // On 02:00 → 04:00 CEST on the 30th (00:00Z–02:00Z): dark in Paris (0 min); at 89° N a week after the
    // equinox the sun never sets (declination ≈ +3.4° > 90° − 89° − 0.833°): 120 min; at 89° S it never rises: 0.
    const samples = new Map([
      [
        'lp',
        [
          at('2026-03-30T00:00:00Z', true),
          at('2026-03-30T01:00:00Z', true),
          at('2026-03-30T02:00:00Z', false),
        ],
      ],
    ]);
    const minutes = (lat: string) =>
      litInDaylightPoints(
        [light('lp', 'street')],
        samples,
        days,
        sites([['street', { lat, lon: '2.35' }]]),
        TZ,
      ).points.map((p) => p.value);
    expect(minutes('48.85')).toEqual([0]);
    expect(minutes('89')).toEqual([120]);
    expect(minutes('-89')).toEqual([0]);
  });

  it('takes the position of another site when the light’s own has none, and skips without any', () => {
    const lights = [light('lp', 'street')];
    expect(
      lightPosition(
        lights[0],
        sites([
          ['street', {}],
          ['ws', paris],
        ]),
      ),
    ).toEqual({ lat: 48.85, lon: 2.35 });
    const samples = new Map([['lp', [at('2026-03-29T09:00:00Z', true)]]]);
    expect(litInDaylightPoints(lights, samples, days, sites([['street', { type: 'street' }]]), TZ)).toEqual({
      points: [],
      skipped: [
        {
          subject: 'lp',
          reason: 'missing_inputs',
          detail: 'no position for lp: neither its site nor any site of the tenant has lat/lon attributes',
        },
      ],
    });
    // A light that never reported is skipped for lack of readings.
    expect(litInDaylightPoints(lights, new Map(), days, sites([['street', paris]]), TZ).skipped).toEqual([
      { subject: 'lp', reason: 'no_readings', detail: "no lamp_on reading from lp in the period's days" },
    ]);
  });

  it('reads lat/lon attributes, refusing empty, unparsable or out-of-range values', () => {
    expect(positionOf({ lat: '48.85', lon: '2.35' })).toEqual({ lat: 48.85, lon: 2.35 });
    expect(positionOf({ lat: '', lon: '2.35' })).toBeUndefined();
    expect(positionOf({ lat: 'north', lon: '2.35' })).toBeUndefined();
    expect(positionOf({ lat: '91', lon: '2.35' })).toBeUndefined();
    expect(positionOf({ lat: '48', lon: '-181' })).toBeUndefined();
    expect(positionOf(undefined)).toBeUndefined();
  });
});
