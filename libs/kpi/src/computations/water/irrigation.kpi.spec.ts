import { DailyStats, IndexWindowDelta, RawSample } from '../../influx-readings.reader';
import { KpiDevice, KpiSite, KpiSkipReason } from '../../kpi-engine.types';
import { dayWindows, parsePeriod, weekWindows } from '../../kpi-windows.utils';
import { dailyEt0, irrigationPoints, irrigationRuns, irrigationZones } from './irrigation.kpi';

const TZ = 'Europe/Paris';
const iso = (s: string) => Date.parse(s);
const dev = (id: string, kind: string, site: string, intervalS: number): KpiDevice => ({
  id,
  kind,
  site,
  intervalS,
});
const sites = new Map<string, KpiSite>([
  ['lawn', { id: 'lawn', attributes: { type: 'irrigation-zone', area_m2: '1000', kc: '0.8' } }],
  ['beds', { id: 'beds', attributes: { type: 'irrigation-zone', kc: '0.5', rain_gauge: 'nope' } }],
  ['ws-site', { id: 'ws-site', attributes: { type: 'weather', lat: '48.85' } }],
  ['rg-site', { id: 'rg-site', attributes: { type: 'weather' } }],
]);
const valve = dev('valve', 'irrigation-controller', 'lawn', 900);
const gauge = dev('rg', 'rain-gauge', 'rg-site', 3600);
const station = dev('ws', 'weather-station', 'ws-site', 3600);

// ISO week of Monday 2026-06-01 (CEST, 00:00 local = 22:00Z the day before).
const period = parsePeriod('2026-06-01', '2026-06-07');
const days = dayWindows(period, TZ);
const weeks = weekWindows(period, TZ);
const sample = (ts: string, value: number | boolean): RawSample => ({ ts: iso(ts), value });

describe('W8 irrigation', () => {
  it('resolves zones: the only gauge and station by default, a named one otherwise', () => {
    const { zones, skipped } = irrigationZones(
      [valve, dev('v2', 'irrigation-controller', 'beds', 900)],
      sites,
      [gauge],
      [station],
    );
    expect(zones[1]).toMatchObject({
      id: 'lawn',
      crop: { areaM2: 1000, kc: 0.8 },
      gauge,
      station: { device: station, latitudeDeg: 48.85 },
      effectiveRain: { share: 0.8, minMm: 2 },
      rainSkip: { mm: 2, hours: 24 },
    });
    expect(zones[0].crop).toBeUndefined();
    expect(skipped).toEqual([
      {
        subject: 'beds',
        reason: KpiSkipReason.MissingInputs,
        detail:
          "zone beds has no area_m2 attribute; attribute rain_gauge='nope' is not a rain-gauge device: no need, ratio nor watering-in-rain",
      },
    ]);
  });

  it('a run spans its open readings; its volume runs from the closed reading before to the one after', () => {
    const valves = [
      sample('2026-06-01T02:45:00Z', false),
      sample('2026-06-01T03:00:00Z', true),
      sample('2026-06-01T03:15:00Z', true),
      sample('2026-06-01T03:30:00Z', true),
      sample('2026-06-01T03:45:00Z', false),
    ];
    const volumes = [100, 100, 102, 104, 105].map((v, i) => ({ ts: valves[i].ts, value: v }));
    expect(irrigationRuns('valve', valves, volumes)).toEqual([
      { device: 'valve', start: iso('2026-06-01T03:00:00Z'), end: iso('2026-06-01T03:45:00Z'), volumeM3: 5 },
    ]);
  });

  it('ET0 (Hargreaves) of 2026-06-01 at 48.85° N with Tmin 12, Tmax 24', () => {
    // NOAA declination at 12:00Z: 22.0949°; J = 152 → Ra = 40.9549 MJ m⁻² day⁻¹ (FAO-56 eq. 21);
    // ET0 = 0.0023 × (18 + 17.8) × √12 × 0.408 × 40.9549 = 0.08234 × 3.46410 × 16.70965 = 4.76615 mm.
    const stats: DailyStats = { min: 12, max: 24, count: 24, last: 15 };
    expect(dailyEt0(days[0], 48.85, stats)).toBeCloseTo(4.76615, 4);
  });

  it('applied per day; need, ratio and watering in rain per week', () => {
    const { zones } = irrigationZones([valve], sites, [gauge], [station]);
    const d = (delta: number, intervals = 96): IndexWindowDelta => ({ delta, intervals, resets: 0 });
    // Two runs of 5 m³: Monday 03:00Z (no rain before) and Wednesday 03:00Z, 7 h after 3 mm of rain.
    const runAt = (day: string, v0: number) => {
      const at = (hm: string, open: boolean) => sample(`${day}T${hm}:00Z`, open);
      const valves = [
        at('02:45', false),
        at('03:00', true),
        at('03:15', true),
        at('03:30', true),
        at('03:45', false),
      ];
      return { valves, volumes: [0, 0, 2, 4, 5].map((dv, i) => ({ ts: valves[i].ts, value: v0 + dv })) };
    };
    const mon = runAt('2026-06-01', 100);
    const wed = runAt('2026-06-03', 105);
    const readings = {
      applied: new Map([
        [
          'valve',
          new Map([
            [0, d(5)],
            [1, d(0)],
            [2, d(5)],
          ]),
        ],
      ]),
      // Tmin/Tmax on Monday (12/24) and Tuesday (14/28) only.
      temperatures: new Map([
        [
          'ws',
          new Map([
            [0, { min: 12, max: 24, count: 24, last: 15 }],
            [1, { min: 14, max: 28, count: 24, last: 20 }],
          ]),
        ],
      ]),
      // Rain gauge: 0 mm at 12:00Z on Monday, 3 mm at 20:00Z on Tuesday (22:00 local).
      rain: new Map([['rg', [sample('2026-06-01T12:00:00Z', 0), sample('2026-06-02T20:00:00Z', 3)]]]),
      valves: new Map([['valve', [...mon.valves, ...wed.valves]]]),
      volumes: new Map([['valve', [...mon.volumes, ...wed.volumes]]]),
    };
    const { points, skipped } = irrigationPoints(zones, readings, days, weeks);
    expect(skipped).toEqual([]);
    const byKpi = (kpi: string) => points.filter((p) => p.kpi === kpi);
    // Applied: 5, 0, 5 m³ on Monday, Tuesday, Wednesday (96 of 96 intervals: completeness 1).
    expect(byKpi('W8.applied_m3').map((p) => [p.ts, p.value, p.completeness])).toEqual([
      [days[0].start, 5, 1],
      [days[1].start, 0, 1],
      [days[2].start, 5, 1],
    ]);
    // Need: Monday ET0 4.76615 mm (above); Tuesday: δ 22.2255°, J 153, Ra 41.0440 → 0.0023 × 38.8 × √14 × 0.408 ×
    // 41.0440 = 5.59157 mm. ETc = 0.8 × (4.76615 + 5.59157) = 8.28618 mm; Peff = 0 + 0.8 × 3 = 2.4 mm;
    // need = 5.88618 mm × 1,000 m² / 1,000 = 5.88618 m³, over 2 known days of 7.
    const need = byKpi('W8.need_m3');
    expect(need).toHaveLength(1);
    expect(need[0].value).toBeCloseTo(5.88618, 4);
    expect(need[0].completeness).toBeCloseTo(2 / 7, 12);
    // Ratio: 10 m³ applied / 5.88618 = 1.69890; completeness min(2/7, (1 + 1 + 1) / 7) = 2/7.
    const ratio = byKpi('W8.irrigation_ratio');
    expect(ratio[0].value).toBeCloseTo(10 / 5.88618, 3);
    expect(ratio[0].completeness).toBeCloseTo(2 / 7, 12);
    // Watering in rain: Wednesday's run (3 mm ≥ 2 mm in the 24 h before), 5 m³; gauge 2 of 168 readings.
    expect(byKpi('W8.watering_in_rain_events').map((p) => [p.value, p.completeness])).toEqual([[1, 2 / 168]]);
    expect(byKpi('W8.watering_in_rain_m3').map((p) => p.value)).toEqual([5]);
  });
});
