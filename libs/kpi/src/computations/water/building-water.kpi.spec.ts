import { RawSample } from '../../influx-readings.reader';
import { KpiDevice, KpiSite, KpiSkipReason } from '../../kpi-engine.types';
import { dayWindows, parsePeriod } from '../../kpi-windows.utils';
import { buildingWaterMeters, buildingWaterPoints } from './building-water.kpi';

const TZ = 'Europe/Paris';
const H = 3_600_000;
const HOURS = 'mon 08:00-20:00; tue closed; wed closed; thu closed; fri closed; sat closed; sun closed';
const sites = new Map<string, KpiSite>([
  ['gym', { id: 'gym', attributes: { type: 'building', hours: HOURS } }],
  ['school', { id: 'school', attributes: { type: 'building' } }],
  ['sector-customers', { id: 'sector-customers', attributes: { role: 'customer', sector: 's' } }],
]);
const meter = (id: string, site: string, intervalS = 3600): KpiDevice => ({
  id,
  kind: 'water-meter',
  site,
  intervalS,
});

// Monday 2026-01-05, 00:00 local = 2026-01-04T23:00Z. Hourly index readings 00:00 … 24:00 local (25 readings).
// Local hour h (0–23) uses 0.5 m³ when open (08–20 local), else 0.01 m³, except 03:00–04:00: 0.005 m³ (5 L).
const day = dayWindows(parsePeriod('2026-01-05', '2026-01-05'), TZ);
const t0 = Date.parse('2026-01-04T23:00:00Z');
const perHour = (h: number) => (h >= 8 && h < 20 ? 0.5 : h === 3 ? 0.005 : 0.01);
const index = (): RawSample[] => {
  const out: RawSample[] = [{ ts: t0, value: 100 }];
  let v = 100;
  for (let h = 0; h < 24; h++) {
    v += perHour(h);
    out.push({ ts: t0 + (h + 1) * H, value: v });
  }
  return out;
};

describe('W7 building water', () => {
  it('keeps the water meters of building sites only', () => {
    const meters = [meter('g', 'gym'), meter('n', 'sector-customers')];
    expect(buildingWaterMeters(meters, sites).map((m) => m.id)).toEqual(['g']);
  });

  it('volume, closed-hours share and closed-hours minimum flow of a day', () => {
    const { points, skipped } = buildingWaterPoints(
      [meter('g', 'gym')],
      new Map([['g', index()]]),
      day,
      sites,
      TZ,
    );
    expect(skipped).toEqual([]);
    // Volume: 12 open hours × 0.5 = 6 m³ + 11 closed hours × 0.01 + 0.005 = 0.115 m³ → 6.115 m³.
    // Closed share: 0.115 / 6.115 = 0.0188062…; minimum closed-hours flow: 0.005 m³ in 03:00–04:00 = 5 L/h.
    expect(points.map((p) => [p.kpi, p.window, p.ts, p.completeness])).toEqual([
      ['W7.volume_m3', 'day', t0, 1],
      ['W7.closed_hours_share', 'day', t0, 1],
      ['W7.closed_min_flow_lh', 'day', t0, 1],
    ]);
    expect(points[0].value).toBeCloseTo(6.115, 9);
    expect(points[1].value).toBeCloseTo(0.115 / 6.115, 9);
    expect(points[2].value).toBeCloseTo(5, 9);
  });

  it('a building without opening hours gets its volume only; a coarse meter is refused', () => {
    const { points, skipped } = buildingWaterPoints(
      [meter('s', 'school'), meter('g', 'gym', 86400)],
      new Map([['s', index()]]),
      day,
      sites,
      TZ,
    );
    expect(points.map((p) => [p.kpi, p.subject])).toEqual([['W7.volume_m3', 'school']]);
    expect(skipped.map((s) => [s.subject, s.reason])).toEqual([
      ['gym', KpiSkipReason.MissingInputs],
      ['school', KpiSkipReason.MissingInputs],
    ]);
    expect(skipped[0].detail).toBe('W7 needs readings at least hourly; g reports every 86400 s');
    expect(skipped[1].detail).toBe(
      'site school has no hours attribute: W7 closed-hours outputs not computed',
    );
  });
});
