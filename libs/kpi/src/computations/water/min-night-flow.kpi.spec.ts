import { RawSample } from '../../influx-readings.reader';
import { KpiDevice, KpiSite } from '../../kpi-engine.types';
import { nightWindows, parsePeriod } from '../../kpi-windows.utils';
import { districtInflowMeters, minNightFlowPoints, mnfWindow } from './min-night-flow.kpi';

const TZ = 'Europe/Paris';
const Q = 900_000;
const iso = (s: string) => Date.parse(s);
const meter = (id: string, site: string, intervalS = 900): KpiDevice => ({
  id,
  kind: 'water-meter',
  site,
  intervalS,
});
/** Index readings every 15 min from `start`, the k-th interval adding `deltas[k]` m³ (null = reading missing). */
const series = (start: string, deltas: (number | null)[]): RawSample[] => {
  const out: RawSample[] = [{ ts: iso(start), value: 1000 }];
  let v = 1000;
  deltas.forEach((d, k) => {
    if (d === null) return;
    v += d;
    out.push({ ts: iso(start) + (k + 1) * Q, value: v });
  });
  return out;
};

describe('W5 minimum night flow', () => {
  // Nights of the 30th and 31st of March 2026 (CEST, +02:00): windows 02:00 → 04:00 local = 00:00Z → 02:00Z.
  const nights = nightWindows(parsePeriod('2026-03-30', '2026-03-31'), TZ);

  it('places the window at 02:00–04:00 local on the night’s morning', () => {
    expect(mnfWindow(nights[0], TZ)).toEqual({
      start: iso('2026-03-31T00:00:00Z'),
      end: iso('2026-03-31T02:00:00Z'),
    });
  });

  it('takes the minimum of the rolling 60-min mean, not of a single interval, and counts unknown windows', () => {
    const samples = new Map([
      [
        'inflow',
        [
          // Night of the 30th: 15-min volumes of the intervals closing 00:00Z (4, before the window), 00:15 … 02:00:
          // 3, 3, 2, 2, 1, 2, 2, 3. Rolling hours closing at 01:00, 01:15, 01:30, 01:45, 02:00:
          // 3+3+2+2 = 10, 3+2+2+1 = 8, 2+2+1+2 = 7, 2+1+2+2 = 7, 1+2+2+3 = 8 m³ → MNF 7 m³/h (a single
          // interval would say 1 m³ / 15 min = 4 m³/h). 5 of 5 windows known.
          ...series('2026-03-30T23:45:00Z', [4, 3, 3, 2, 2, 1, 2, 2, 3]),
          // Night of the 31st: 1 m³ per 15 min, readings of 01:30Z and 01:45Z lost: 01:15 → 02:00 (45 min > 2 ×
          // 15 min) is a gap. Windows closing at 01:00 and 01:15 known (4 m³/h each), 02:00 not: 2 of 5.
          ...series('2026-04-01T00:00:00Z', [1, 1, 1, 1, 1, null, null, 3]),
        ],
      ],
    ]);
    const { points, skipped } = minNightFlowPoints([meter('inflow', 'a-inflow')], samples, nights, TZ);
    expect(skipped).toEqual([]);
    expect(
      points.map((p) => [p.kpi, p.window, new Date(p.ts).toISOString(), p.value, p.completeness]),
    ).toEqual([
      ['W5.min_night_flow_m3h', 'night', '2026-03-30T10:00:00.000Z', 7, 1],
      ['W5.min_night_flow_m3h', 'night', '2026-03-31T10:00:00.000Z', 4, 2 / 5],
    ]);
  });

  it('reads only district-inflow meters and skips those too coarse or silent, saying why', () => {
    const sites = new Map<string, KpiSite>([
      ['a-inflow', { id: 'a-inflow', attributes: { role: 'district-inflow', sector: 'a' } }],
      ['a-customers', { id: 'a-customers', attributes: { role: 'customer', sector: 'a' } }],
    ]);
    const meters = [meter('in', 'a-inflow'), meter('daily', 'a-inflow', 86400), meter('c', 'a-customers')];
    expect(districtInflowMeters(meters, sites).map((m) => m.id)).toEqual(['in', 'daily']);
    expect(minNightFlowPoints(districtInflowMeters(meters, sites), new Map(), nights, TZ)).toEqual({
      points: [],
      skipped: [
        {
          subject: 'in',
          reason: 'no_readings',
          detail:
            "no complete 60-min window of volume_m3 from in between 02:00 and 04:00 in the period's nights",
        },
        {
          subject: 'daily',
          reason: 'missing_inputs',
          detail: 'W5 needs readings at least hourly; daily reports every 86400 s',
        },
      ],
    });
  });
});
