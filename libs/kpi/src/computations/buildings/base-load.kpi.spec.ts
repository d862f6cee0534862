import { RawSample } from '../../influx-readings.reader';
import { KpiDevice, KpiSite } from '../../kpi-engine.types';
import { parsePeriod, weekWindows } from '../../kpi-windows.utils';
import { baseLoadPoints, hourlyEnergy, isOpen, parseOpeningHours } from './base-load.kpi';

const TZ = 'Europe/Paris';
const H = 3_600_000;
const iso = (s: string) => Date.parse(s);
const meter = (id: string, site?: string, intervalS = 3600): KpiDevice => ({
  id,
  kind: 'energy-meter',
  intervalS,
  ...(site ? { site } : {}),
});
const sites = (entries: [string, Record<string, string>][]): Map<string, KpiSite> =>
  new Map(entries.map(([id, attributes]) => [id, { id, attributes }]));
const idx = (ts: number, value: number): RawSample => ({ ts, value });

describe('B5 base load', () => {
  // The simulator's line (town.layout describeHours).
  const SCHOOL =
    'mon 08:30-12:00,13:30-16:30; tue 08:30-16:30; wed 08:30-12:00; thu 08:30-16:30; fri 08:30-16:30; sat closed; sun closed';

  it('parses the simulator’s opening hours and tells open from closed in local time', () => {
    const hours = parseOpeningHours(SCHOOL).hours ?? [];
    expect(hours[0]).toEqual([
      [510, 720],
      [810, 990],
    ]);
    expect(hours[5]).toEqual([]);
    // Monday 2026-03-23, CET (+01:00): 08:29 closed, 08:30 open, 12:00 closed (end exclusive), Sunday closed.
    expect(isOpen(hours, iso('2026-03-23T07:29:00Z'), TZ)).toBe(false);
    expect(isOpen(hours, iso('2026-03-23T07:30:00Z'), TZ)).toBe(true);
    expect(isOpen(hours, iso('2026-03-23T11:00:00Z'), TZ)).toBe(false);
    expect(isOpen(hours, iso('2026-03-29T10:00:00Z'), TZ)).toBe(false);
    expect(parseOpeningHours('')).toEqual({});
    expect(parseOpeningHours(undefined)).toEqual({});
    for (const bad of ['mon 08:30-12:00', 'mon 12:00-08:00; ' + SCHOOL.slice(26), 'weekdays 08:00-18:00'])
      expect(parseOpeningHours(bad).problem).toContain(`attribute hours='`);
  });

  it('spreads each index interval over the clock hours it covers, leaving gaps out', () => {
    const t = (s: string) => iso(`2026-03-23T${s}:00Z`);
    const hourly = hourlyEnergy(
      [
        // Hour 10: 100 → 106 over four 15-min intervals = 6 kWh, fully covered.
        idx(t('10:00'), 100),
        idx(t('10:15'), 101),
        idx(t('10:30'), 102),
        idx(t('10:45'), 104),
        idx(t('11:00'), 106),
        // 11:00 → 11:30 (30 min ≤ 2 × 15 min): 1 kWh, 30 min known; 11:30 → 12:30 is a gap (60 min > 30).
        idx(t('11:30'), 107),
        idx(t('12:30'), 110),
        // 13:50 → 14:05 (15 min, 3 kWh): 10/15 → 2 kWh in hour 13, 5/15 → 1 kWh in hour 14.
        idx(t('13:50'), 200),
        idx(t('14:05'), 203),
      ],
      900,
    );
    const get = (s: string) => {
      const e = hourly.get(t(s));
      return e && [Number(e.kwh.toFixed(9)), e.coveredMs / 60_000];
    };
    expect(get('10:00')).toEqual([6, 60]);
    expect(get('11:00')).toEqual([1, 30]);
    expect(get('12:00')).toBeUndefined();
    expect(get('13:00')).toEqual([2, 10]);
    expect(get('14:00')).toEqual([1, 5]);
  });

  it('takes the 5th percentile of the complete hours, its share of the energy and the out-of-hours share', () => {
    // Week of Monday 2026-03-23 (167 h: spring forward on Sunday the 29th). Hourly index on Monday 00:00 →
    // 24:00 CET (22nd 23:00Z → 23rd 23:00Z), local hour h using: 0 kWh at 03, 1 kWh at 04, 10 kWh 08–17, else 2.
    const use = (h: number) => (h === 3 ? 0 : h === 4 ? 1 : h >= 8 && h < 18 ? 10 : 2);
    const start = iso('2026-03-22T23:00:00Z');
    const readings: RawSample[] = [idx(start, 0)];
    let index = 0;
    for (let h = 0; h < 24; h++) readings.push(idx(start + (h + 1) * H, (index += use(h))));
    const weeks = weekWindows(parsePeriod('2026-03-23', '2026-03-29'), TZ);
    const { points, skipped } = baseLoadPoints(
      [meter('m', 'school')],
      new Map([['m', readings]]),
      weeks,
      sites([
        [
          'school',
          {
            hours: 'mon 08:00-18:00; tue closed; wed closed; thu closed; fri closed; sat closed; sun closed',
          },
        ],
      ]),
      TZ,
    );
    expect(skipped).toEqual([]);
    // 24 hourly kW sorted: 0, 1, 2 × 12, 10 × 10. Rank (24 − 1) × 0.05 = 1.15 → 1 + 0.15 × (2 − 1) = 1.15 kW.
    // E = 0 + 1 + 12 × 2 + 10 × 10 = 125 kWh; share = 1.15 × 24 / 125 = 0.2208. Open 08:00–18:00 (mid-points
    // 08:30 … 17:30): 100 kWh; out of hours 25 / 125 = 0.2. Completeness 24 / 167.
    expect(
      points.map((p) => [
        p.kpi,
        p.window,
        new Date(p.ts).toISOString(),
        Number(p.value.toFixed(9)),
        p.completeness,
      ]),
    ).toEqual([
      ['B5.base_load_kw', 'week', '2026-03-22T23:00:00.000Z', 1.15, 24 / 167],
      ['B5.base_load_share', 'week', '2026-03-22T23:00:00.000Z', 0.2208, 24 / 167],
      ['B5.out_of_hours_share', 'week', '2026-03-22T23:00:00.000Z', 0.2, 24 / 167],
      // Closing at 18:00: hours 19–21 (2 + 2 kWh) over hours 16–18 (10 + 10 kWh), for the local day of Monday.
      ['B5.after_closing_load_ratio', 'day', '2026-03-22T23:00:00.000Z', 0.2, 1],
    ]);
  });

  it('counts closed days (holidays) as out of hours, and does not judge a week closed throughout', () => {
    // Two days of hourly readings, Monday 23 and Tuesday 24 March 2026 (CET), 10 kWh an hour 08–18, else 2.
    const use = (h: number) => (h >= 8 && h < 18 ? 10 : 2);
    const start = iso('2026-03-22T23:00:00Z');
    const readings: RawSample[] = [idx(start, 0)];
    let index = 0;
    for (let h = 0; h < 48; h++) readings.push(idx(start + (h + 1) * H, (index += use(h % 24))));
    const weeks = weekWindows(parsePeriod('2026-03-23', '2026-03-29'), TZ);
    const hours =
      'mon 08:00-18:00; tue 08:00-18:00; wed closed; thu closed; fri closed; sat closed; sun closed';
    const share = (attributes: Record<string, string>) =>
      baseLoadPoints(
        [meter('m', 'school')],
        new Map([['m', readings]]),
        weeks,
        sites([['school', attributes]]),
        TZ,
      );
    // Open both days: out of hours 2 × 14 h × 2 kWh = 56 of 2 × (100 + 28) = 256 kWh.
    const open = share({ hours });
    expect(open.points.find((p) => p.kpi === 'B5.out_of_hours_share')?.value).toBeCloseTo(56 / 256, 12);
    // One after-closing ratio per open day (4 kWh after / 20 kWh before); none on the holiday.
    const closings = (r: ReturnType<typeof share>) =>
      r.points
        .filter((p) => p.kpi === 'B5.after_closing_load_ratio')
        .map((p) => [new Date(p.ts).toISOString(), p.value]);
    expect(closings(open)).toEqual([
      ['2026-03-22T23:00:00.000Z', 0.2],
      ['2026-03-23T23:00:00.000Z', 0.2],
    ]);
    expect(closings(share({ hours, closed_days: '2026-03-24' }))).toEqual([
      ['2026-03-22T23:00:00.000Z', 0.2],
    ]);
    // Tuesday a holiday: its 128 kWh are out of hours too: (28 + 128) / 256.
    const holiday = share({ hours, closed_days: '2026-03-24' });
    expect(holiday.skipped).toEqual([]);
    expect(holiday.points.find((p) => p.kpi === 'B5.out_of_hours_share')?.value).toBeCloseTo(156 / 256, 12);
    // Both days closed: no open hour in the week, the share is not judged (base load still is).
    const closed = share({ hours, closed_days: '2026-03-23..2026-03-29' });
    expect(closed.points.map((p) => p.kpi)).toEqual(['B5.base_load_kw', 'B5.base_load_share']);
    expect(closed.skipped).toEqual([
      {
        subject: 'school',
        reason: 'not_computable',
        detail: 'closed all the week of 2026-03-23 (closed_days, hours): B5.out_of_hours_share not judged',
      },
    ]);
    // A malformed list is said, like malformed hours, and the hours-based output is not computed.
    const bad = share({ hours, closed_days: '2026-02-30' });
    expect(bad.points.map((p) => p.kpi)).toEqual(['B5.base_load_kw', 'B5.base_load_share']);
    expect(bad.skipped[0]?.detail).toMatch(/^attribute closed_days: '2026-02-30' is not a date/);
  });

  it('computes base load only without opening hours, and skips sites it cannot compute, saying why', () => {
    const start = iso('2026-03-22T23:00:00Z');
    // Two meters on one site: hour 0 known on both (3 + 1 = 4 kWh), hour 1 only on `a`: not complete.
    const samples = new Map([
      ['a', [idx(start, 0), idx(start + H, 3), idx(start + 2 * H, 6)]],
      ['b', [idx(start, 0), idx(start + H, 1)]],
      ['day', [idx(start, 0), idx(start + 24 * H, 50)]],
    ]);
    const weeks = weekWindows(parsePeriod('2026-03-23', '2026-03-29'), TZ);
    const { points, skipped } = baseLoadPoints(
      [meter('a', 'hall'), meter('b', 'hall'), meter('day', 'depot', 86400), meter('loose')],
      samples,
      weeks,
      sites([['hall', { type: 'building' }]]),
      TZ,
    );
    // One complete hour of 4 kWh: P_base = 4 kW, share 4 × 1 / 4 = 1.
    expect(points.map((p) => [p.kpi, p.subject, p.value, p.completeness])).toEqual([
      ['B5.base_load_kw', 'hall', 4, 1 / 167],
      ['B5.base_load_share', 'hall', 1, 1 / 167],
    ]);
    expect(skipped).toEqual([
      {
        subject: 'loose',
        reason: 'missing_inputs',
        detail: 'energy meter loose has no site: B5 is per building',
      },
      {
        subject: 'depot',
        reason: 'missing_inputs',
        detail: 'B5 needs readings at least hourly; day reports every 86400 s',
      },
      {
        subject: 'hall',
        reason: 'missing_inputs',
        detail: 'site hall has no hours attribute: B5.out_of_hours_share not computed',
      },
    ]);
  });
});
