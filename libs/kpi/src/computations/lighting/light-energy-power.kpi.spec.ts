import { IndexWindowDelta, PerDeviceWindows, RawSample } from '../../influx-readings.reader';
import { KpiDevice, KpiSite } from '../../kpi-engine.types';
import { monthWindows, nightWindows, parsePeriod } from '../../kpi-windows.utils';
import { burningHoursPoints } from './burning-hours.kpi';
import { dimmingSavingsPoints } from './dimming-savings.kpi';
import { failureRatePoints, snapshotInstant } from './failure-rate.kpi';
import { lightEnergyPoints } from './light-energy.kpi';
import { lightPowerPoints } from './light-power.kpi';
import { windowsOfMonths } from './light-nominal.utils';

const TZ = 'Europe/Paris';
const iso = (s: string) => Date.parse(s);
const dev = (id: string, kind: string, site?: string, intervalS = 900): KpiDevice => ({
  id,
  kind,
  intervalS,
  ...(site ? { site } : {}),
});
const light = (id: string, site?: string, intervalS = 900) => dev(id, 'light-controller', site, intervalS);
const sites = (entries: [string, Record<string, string>][]): Map<string, KpiSite> =>
  new Map(entries.map(([id, attributes]) => [id, { id, attributes }]));
const perDevice = <T>(entries: [string, [number, T][]][]): PerDeviceWindows<T> =>
  new Map(entries.map(([d, w]) => [d, new Map(w)]));
const delta = (d: number, intervals: number): IndexWindowDelta => ({ delta: d, intervals, resets: 0 });
const brief = (points: { kpi: string; subject: string; ts: number; value: number; completeness: number }[]) =>
  points.map((p) => [p.kpi, p.subject, new Date(p.ts).toISOString(), p.value, p.completeness]);

// March 2026 (743 h: spring forward on the 29th), its 31 days and nights; nights of the 28th (23 h) and 29th.
const march = monthWindows(parsePeriod('2026-03-10', '2026-03-10'), TZ);
const MARCH = '2026-02-28T23:00:00.000Z';
const marchDays = windowsOfMonths(march, TZ, 'days');
const marchNights = windowsOfMonths(march, TZ, 'nights');
const nights = nightWindows(parsePeriod('2026-03-28', '2026-03-29'), TZ);
const streets = sites([
  ['street-a', { cabinet: 'cab-1', nominal_w: '90' }],
  ['street-b', { cabinet: 'cab-1' }],
]);

describe('windows of whole months', () => {
  it('gives the 31 days and nights of March, the night of the 28th lasting 23 h', () => {
    expect([marchDays.length, marchNights.length]).toEqual([31, 31]);
    expect(marchDays[0].start).toBe(iso('2026-02-28T23:00:00Z'));
    expect(marchNights[27]).toEqual({
      key: '2026-03-28',
      start: iso('2026-03-28T11:00:00Z'),
      end: iso('2026-03-29T10:00:00Z'),
    });
  });
});

describe('L2 energy per light point and cabinet', () => {
  it('sums the days of the month, per point and per cabinet, and the cabinet’s unmetered share', () => {
    const lights = perDevice([
      // lp1: 1.2 kWh on March 1st (96 intervals of 15 min) + 1.1 kWh on the 29th (23 h: 92) = 2.3 kWh, 188 / 2972
      // (743 h × 4) intervals.
      [
        'lp1',
        [
          [0, delta(1.2, 96)],
          [28, delta(1.1, 92)],
        ],
      ],
      ['lp2', [[0, delta(0.8, 96)]]],
    ]);
    const cabinets = perDevice([
      [
        'cab-1-meter',
        [
          [0, delta(2.1, 96)],
          [28, delta(1.2, 92)],
        ],
      ],
      ['cab-2-meter', [[0, delta(0.5, 96)]]],
    ]);
    const { points, skipped } = lightEnergyPoints(
      [light('lp1', 'street-a'), light('lp2', 'street-b'), light('lp3', 'street-a')],
      [
        dev('cab-1-meter', 'cabinet-meter', 'cab-1'),
        dev('cab-2-meter', 'cabinet-meter', 'cab-2'),
        dev('m0', 'cabinet-meter'),
      ],
      streets,
      lights,
      cabinets,
      marchDays,
      march,
    );
    // cab-1: 3.3 kWh, 188 / 2972; fed lp1, lp2, lp3 = 2.3 + 0.8 + 0 = 3.1 kWh: (3.3 − 3.1) / 3.3;
    // completeness 188/2972 × (188 + 96 + 0) / 2972 / 3.
    const c = (n: number) => n / 2972;
    const rows = brief(points);
    expect(rows.map((r) => r.slice(0, 2))).toEqual([
      ['L2.point_energy_kwh', 'lp1'],
      ['L2.point_energy_kwh', 'lp2'],
      ['L2.cabinet_energy_kwh', 'cab-1'],
      ['L2.unmetered_share', 'cab-1'],
      ['L2.cabinet_energy_kwh', 'cab-2'],
    ]);
    expect(rows.every((r) => r[2] === MARCH)).toBe(true);
    expect(points[0].value).toBeCloseTo(2.3, 12);
    expect(points[0].completeness).toBeCloseTo(c(188), 12);
    expect(points[1]).toMatchObject({ value: 0.8, completeness: c(96) });
    expect(points[2].value).toBeCloseTo(3.3, 12);
    expect(points[3].value).toBeCloseTo(0.2 / 3.3, 12);
    expect(points[3].completeness).toBeCloseTo(c(188) * (c(284) / 3), 12);
    expect(points[4]).toMatchObject({ value: 0.5, completeness: c(96) });
    expect(skipped).toEqual([
      {
        subject: 'lp3',
        reason: 'no_readings',
        detail: "no energy_kwh interval from lp3 in the period's months",
      },
      {
        subject: 'm0',
        reason: 'missing_inputs',
        detail: 'cabinet meter m0 has no site: L2 is per cabinet site',
      },
      {
        subject: 'cab-2',
        reason: 'missing_inputs',
        detail: "no light point's site has cabinet=cab-2: no unmetered share",
      },
    ]);
  });
});

describe('L3 power per light point', () => {
  it('gives the mean power while lit and its ratio to nominal at the mean level', () => {
    const on = perDevice<Record<string, number>>([
      [
        'lp1',
        [
          // night of the 28th: 54 W at a mean 60 % → 54 / (90 × 0.6) = 1; 96 reports of 92 expected (23 h) → 1.
          [0, { p: 54, dim: 60, n: 40 }],
          // night of the 29th: 81 W, no dimming reported → 81 / 90 = 0.9; 48 reports of 96 → 0.5.
          [1, { p: 81, n: 10 }],
        ],
      ],
      ['lp2', [[0, { p: 70, dim: 100, n: 5 }]]],
    ]);
    const reports = perDevice([
      [
        'lp1',
        [
          [0, { n: 96 }],
          [1, { n: 48 }],
        ],
      ],
      ['lp2', [[0, { n: 46 }]]],
    ]);
    const { points, skipped } = lightPowerPoints(
      [light('lp1', 'street-a'), light('lp2', 'street-b'), light('lp3', 'street-a')],
      streets,
      on,
      reports,
      nights,
    );
    const [n0, n1] = ['2026-03-28T11:00:00.000Z', '2026-03-29T10:00:00.000Z'];
    expect(brief(points)).toEqual([
      ['L3.mean_power_on_w', 'lp1', n0, 54, 1],
      ['L3.power_vs_nominal', 'lp1', n0, 1, 1],
      ['L3.mean_power_on_w', 'lp1', n1, 81, 0.5],
      ['L3.power_vs_nominal', 'lp1', n1, 0.9, 0.5],
      ['L3.mean_power_on_w', 'lp2', n0, 70, 0.5],
    ]);
    expect(skipped).toEqual([
      {
        subject: 'lp2',
        reason: 'missing_inputs',
        detail: 'site street-b has no nominal_w attribute (nominal lamp power, W > 0)',
      },
      {
        subject: 'lp3',
        reason: 'no_readings',
        detail: "no power_w reading with lamp_on from lp3 in the period's nights",
      },
    ]);
  });
});

describe('L4 failure rate', () => {
  it('snapshots the points at 23:00 local and averages the nights of the month', () => {
    const instants = marchNights.map((n) => snapshotInstant(n, TZ));
    // 23:00 CET on the 28th = 22:00Z; 23:00 CEST on the 29th = 21:00Z.
    expect([instants[27], instants[28]].map((t) => new Date(t).toISOString())).toEqual([
      '2026-03-28T22:00:00.000Z',
      '2026-03-29T21:00:00.000Z',
    ]);
    const r = (ts: string, lamp_on: boolean, power_w: number, lamp_failure = false) => ({
      time: iso(ts),
      lamp_on,
      power_w,
      lamp_failure,
    });
    const snapshots = marchNights.map(() => new Map<string, Record<string, unknown>[]>());
    // Night of the 28th: lp1 flags lamp_failure; lp2 lit at 5 W (< 9 W = 10 % of 90) twice; lp3's newest report
    // is 21:00Z, outside (22:00Z − 30 min, 22:00Z]: not in service. 2 failing / 2 in service = 1, 2 of 3 points.
    snapshots[27].set('lp1', [r('2026-03-28T22:00:00Z', false, 0, true)]);
    snapshots[27].set('lp2', [r('2026-03-28T22:00:00Z', true, 5), r('2026-03-28T21:45:00Z', true, 5)]);
    snapshots[27].set('lp3', [r('2026-03-28T21:00:00Z', true, 90)]);
    // Night of the 29th: lp1 repaired (88 W); lp2 low once only (80 W before); lp3 fine: 0 / 3, all in service.
    snapshots[28].set('lp1', [r('2026-03-29T21:00:00Z', true, 88), r('2026-03-29T20:45:00Z', true, 88)]);
    snapshots[28].set('lp2', [r('2026-03-29T21:00:00Z', true, 5), r('2026-03-29T20:45:00Z', true, 80)]);
    snapshots[28].set('lp3', [r('2026-03-29T20:45:00Z', true, 90)]);
    snapshots[28].set('lp9', [r('2026-03-29T21:00:00Z', true, 0)]);
    const { points, skipped } = failureRatePoints(
      'town',
      [
        light('lp1', 'street-a'),
        light('lp2', 'street-a'),
        light('lp3', 'street-a'),
        light('lp9', 'street-b'),
      ],
      streets,
      snapshots,
      instants,
      marchNights,
      march,
    );
    const [n28, n29] = ['2026-03-28T11:00:00.000Z', '2026-03-29T10:00:00.000Z'];
    // Month: (1 + 0) / 2 = 0.5, 2 nights of 31 with a snapshot.
    expect(brief(points)).toEqual([
      ['L4.failing_points', 'street-a', n28, 2, 2 / 3],
      ['L4.failure_rate', 'street-a', n28, 1, 2 / 3],
      ['L4.failing_points', 'street-a', n29, 0, 1],
      ['L4.failure_rate', 'street-a', n29, 0, 1],
      ['L4.failure_rate_month', 'street-a', MARCH, 0.5, 2 / 31],
    ]);
    expect(skipped).toEqual([
      {
        subject: 'street-b',
        reason: 'missing_inputs',
        detail: 'site street-b has no nominal_w attribute (nominal lamp power, W > 0)',
      },
    ]);
  });
});

describe('L6 dimming savings', () => {
  it('compares the metered energy with P_nom × burning hours', () => {
    const at = (s: string, on: boolean): RawSample => ({ ts: iso(s), value: on });
    // Night of the 29th, hourly: lit 18:00Z → 22:00Z = 4 h (L1's rule), 5 samples of 24 expected.
    const lamp = new Map([
      [
        'lp1',
        ['18', '19', '20', '21']
          .map((h) => at(`2026-03-29T${h}:00:00Z`, true))
          .concat(at('2026-03-29T22:00:00Z', false)),
      ],
      ['lp2', [at('2026-03-29T18:00:00Z', false), at('2026-03-29T19:00:00Z', false)]],
    ]);
    // 0.27 kWh metered over 5 intervals; reference 90 W × 4 h = 0.36 kWh: saved 0.09, share 0.25;
    // completeness min(5/24, 5/24).
    const energy = perDevice([
      ['lp1', [[1, delta(0.27, 5)]]],
      ['lp2', [[1, delta(0, 2)]]],
    ]);
    const lights = [
      light('lp1', 'street-a', 3600),
      light('lp2', 'street-a', 3600),
      light('lp3', 'street-b', 3600),
    ];
    const { points, skipped } = dimmingSavingsPoints(
      lights,
      streets,
      burningHoursPoints(lights, lamp, nights).points,
      energy,
      nights,
    );
    const rows = brief(points);
    expect(rows.map((r) => r.slice(0, 3))).toEqual([
      ['L6.dimming_saved_kwh', 'lp1', '2026-03-29T10:00:00.000Z'],
      ['L6.dimming_saving_share', 'lp1', '2026-03-29T10:00:00.000Z'],
    ]);
    expect(points[0].value).toBeCloseTo(0.09, 12);
    expect(points[1].value).toBeCloseTo(0.25, 12);
    expect(points[0].completeness).toBeCloseTo(5 / 24, 12);
    expect(skipped).toEqual([
      {
        subject: 'lp2',
        reason: 'no_readings',
        detail: 'no lit night with lamp_on and energy_kwh readings from lp2 in the period',
      },
      {
        subject: 'lp3',
        reason: 'missing_inputs',
        detail: 'site street-b has no nominal_w attribute (nominal lamp power, W > 0)',
      },
    ]);
  });
});
