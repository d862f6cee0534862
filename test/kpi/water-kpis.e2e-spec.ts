import { kpiHarness, TestReading } from './kpi-harness';

/**
 * Water KPIs W2, W3, W4, W6 (sector indices over a year and a month), W7 (building water) and W8 (irrigation)
 * end to end: readings published over MQTT with mosquitto_pub, `vigie kpi compute` run, `kpi` rows read back and
 * compared with values computed by hand. Dates: April 2025 (CEST all month: local midnight = 22:00Z the day
 * before, every day 24 h) and the ISO week of Monday 2025-06-02.
 */

const H = 3_600_000;
const D = 24 * H;
const iso = (s: string) => Date.parse(s);
/** Local midnight starting 2025-04-01. */
const APR1 = iso('2025-03-31T22:00:00Z');
/** Local midnight starting 2025-01-01 (CET): the year window's timestamp. */
const YEAR = iso('2024-12-31T23:00:00Z');
/** Local midnight starting Monday 2025-06-02. */
const JUN2 = iso('2025-06-01T22:00:00Z');

const TENANT = 'watertown';

describe('vigie kpi compute: water W2–W4, W6, W7, W8', () => {
  const { addSite: site, addDevice: device, publish, stored, one, kpiRows, compute } = kpiHarness(TENANT);

  // Sector meters, one index reading per local midnight from April 1st to May 1st (31 readings, 30 intervals,
  // one closing in each day of April): production +900, import +100, export +50, customer +700 m³/day.
  const daily = (start: number, perDay: number): TestReading[] =>
    Array.from({ length: 31 }, (_, i) => ({ ts: APR1 + i * D, values: { volume_m3: start + perDay * i } }));

  // Gym water meter, hourly on Tuesday 2025-04-08 from 00:00 to 24:00 local (25 readings): 0.5 m³ in each open
  // hour (08:00–20:00), 0.01 m³ in the closed ones except 03:00–04:00, 0.005 m³.
  const TUE = APR1 + 7 * D;
  const perHour = (h: number) => (h >= 8 && h < 20 ? 0.5 : h === 3 ? 0.005 : 0.01);
  const gym: TestReading[] = [{ ts: TUE, values: { volume_m3: 100 } }];
  for (let h = 0, v = 100; h < 24; h++) {
    v += perHour(h);
    gym.push({ ts: TUE + (h + 1) * H, values: { volume_m3: Math.round(v * 1000) / 1000 } });
  }

  // Irrigation valve, hourly from Monday 00:00 local to the next Monday 00:00 (169 readings). Runs on Monday and
  // Wednesday: open at the 05:00 and 06:00 readings, closed at 07:00; the index takes +5 at 06:00 and +5 at 07:00.
  const valve: TestReading[] = [];
  for (let k = 0, v = 500; k <= 168; k++) {
    const day = Math.floor(k / 24);
    const hour = k % 24;
    const runDay = day === 0 || day === 2;
    if (runDay && (hour === 6 || hour === 7)) v += 5;
    valve.push({
      ts: JUN2 + k * H,
      values: { volume_m3: v, valve_open: runDay && (hour === 5 || hour === 6) },
    });
  }
  // Rain gauge, hourly (k = 1..168, ending on the next Monday 00:00): 0 mm except 3 mm at Tuesday 22:00 local.
  const rain: TestReading[] = Array.from({ length: 168 }, (_, i) => ({
    ts: JUN2 + (i + 1) * H,
    values: { rain_mm: i + 1 === 24 + 22 ? 3 : 0 },
  }));
  // Weather station: Tmin/Tmax 12/24 on Monday, 14/28 on Tuesday (readings at 05:00 and 15:00 local).
  const temps: TestReading[] = [
    { ts: JUN2 + 5 * H, values: { temperature_c: 12 } },
    { ts: JUN2 + 15 * H, values: { temperature_c: 24 } },
    { ts: JUN2 + D + 5 * H, values: { temperature_c: 14 } },
    { ts: JUN2 + D + 15 * H, values: { temperature_c: 28 } },
  ];

  beforeAll(async () => {
    await site(
      'sect',
      'type=water-sector',
      'network_length_km=10',
      'connections=1200',
      'pressure_m=30',
      'unmetered_m3_yr=3650',
      'apparent_losses_share=0.1',
      'zre=true',
    );
    for (const role of ['production', 'import', 'export', 'customer'])
      await site(`sect-${role}`, `role=${role}`, 'sector=sect');
    await site(
      'gym',
      'type=building',
      'hours=mon 08:00-20:00; tue 08:00-20:00; wed closed; thu closed; fri closed; sat closed; sun closed',
    );
    await site('lawn', 'type=irrigation-zone', 'area_m2=1000', 'kc=0.8', 'rain_gauge=rg-1');
    await site('ws-site', 'type=weather', 'lat=48.85', 'lon=2.3');
    await site('rg-site', 'type=weather');
    await device('w-prod', 'water-meter', 'sect-production', 86400);
    await device('w-import', 'water-meter', 'sect-import', 86400);
    await device('w-export', 'water-meter', 'sect-export', 86400);
    await device('w-cust', 'water-meter', 'sect-customer', 86400);
    await device('gym-water', 'water-meter', 'gym', 3600);
    await device('lawn-valve', 'irrigation-controller', 'lawn', 3600);
    await device('rg-1', 'rain-gauge', 'rg-site', 3600);
    await device('ws-1', 'weather-station', 'ws-site', 3600);

    await publish('w-prod', daily(10_000, 900));
    await publish('w-import', daily(2_000, 100));
    await publish('w-export', daily(3_000, 50));
    await publish('w-cust', daily(4_000, 700));
    await publish('gym-water', gym);
    await publish('lawn-valve', valve);
    await publish('rg-1', rain);
    await publish('ws-1', temps);
    await stored('water_meter', 4 * 31 + 25);
    await stored('irrigation_controller', 169);
    await stored('rain_gauge', 168);
    await stored('weather_station', 4);
  });

  it('computes the sector indices of 2025 and of April from the covered days', async () => {
    const status = await compute('2025-04-01', '2025-04-30', ['--kpi', 'W2,W3,W4,W6,W7']);
    const points = Object.fromEntries(status.kpis.map((k) => [k.kpi, k.points]));
    expect(points).toEqual({
      W2: { 'W2.ilvnc_m3_km_day': 1, 'W2.ilvnc_monthly_m3_km_day': 1 },
      W3: { 'W3.ilp_m3_km_day': 1, 'W3.ilp_monthly_m3_km_day': 1 },
      W4: { 'W4.efficiency_pct': 1, 'W4.ilc_m3_km_day': 1, 'W4.threshold_pct': 1, 'W4.compliant': 1 },
      W6: { 'W6.carl_m3_day': 1, 'W6.uarl_m3_day': 1, 'W6.ili': 1 },
      W7: { 'W7.volume_m3': 1, 'W7.closed_hours_share': 1, 'W7.closed_min_flow_lh': 1 },
    });
    expect(status.kpis.every((k) => k.status === 'computed')).toBe(true);

    // 30 covered days (every meter has one interval closing in each day of April, none elsewhere in 2025):
    // V1 = 27,000, V2 = 3,000, V3 = 1,500, V7 = 21,000; V4 = 27,000 + 3,000 − 1,500 = 28,500;
    // V6 = 21,000 + 3,650 × 30 / 365 = 21,300. Per day: V4 950, V7 700, V6 710, V3 50; L = 10 km.
    // ILVNC = (950 − 700) / 10 = 25; ILP = (950 − 710) / 10 = 24 m³/km/day, for the year (30 of 365 days
    // covered) and for April (30 of 30).
    const year = async (kpi: string) => one(kpi, 'sect', YEAR);
    const ilvnc = await year('W2.ilvnc_m3_km_day');
    expect(ilvnc).toMatchObject({ window: 'year' });
    expect(ilvnc.value).toBeCloseTo(25, 9);
    expect(ilvnc.completeness).toBeCloseTo(30 / 365, 9);
    const monthly = await one('W2.ilvnc_monthly_m3_km_day', 'sect', APR1);
    expect(monthly).toMatchObject({ window: 'month', completeness: 1 });
    expect(monthly.value).toBeCloseTo(25, 9);
    expect((await year('W3.ilp_m3_km_day')).value).toBeCloseTo(24, 9);
    expect((await one('W3.ilp_monthly_m3_km_day', 'sect', APR1)).value).toBeCloseTo(24, 9);

    // W4: R = (710 + 50) / (900 + 100) × 100 = 76 %; ILC = (710 + 50) / 10 = 76 m³/km/day;
    // ZRE threshold min(85, 70 + 76/5 = 85.2) = 85 → 76 < 85: not compliant.
    expect((await year('W4.efficiency_pct')).value).toBeCloseTo(76, 9);
    expect((await year('W4.ilc_m3_km_day')).value).toBeCloseTo(76, 9);
    expect((await year('W4.threshold_pct')).value).toBeCloseTo(85, 9);
    expect((await year('W4.compliant')).value).toBe(0);

    // W6: CARL = (950 − 710) × (1 − 0.1) = 216 m³/day; UARL = (18 × 10 + 0.8 × 1,200 + 25 × 0) × 30 / 1,000
    // = 1,140 × 30 / 1,000 = 34.2 m³/day; ILI = 216 / 34.2 = 6.3158.
    expect((await year('W6.carl_m3_day')).value).toBeCloseTo(216, 9);
    expect((await year('W6.uarl_m3_day')).value).toBeCloseTo(34.2, 9);
    expect((await year('W6.ili')).value).toBeCloseTo(216 / 34.2, 9);

    // W7, Tuesday 8 April: 12 open hours × 0.5 = 6 m³ + 11 closed hours × 0.01 + 0.005 = 6.115 m³, 24 of 24 hours;
    // closed share 0.115 / 6.115 = 0.018806; smallest closed hour 0.005 m³ = 5 L/h.
    const volume = await one('W7.volume_m3', 'gym', TUE);
    expect(volume).toMatchObject({ window: 'day', completeness: 1 });
    expect(volume.value).toBeCloseTo(6.115, 6);
    expect((await one('W7.closed_hours_share', 'gym', TUE)).value).toBeCloseTo(0.115 / 6.115, 6);
    expect((await one('W7.closed_min_flow_lh', 'gym', TUE)).value).toBeCloseTo(5, 6);

    // A recompute replaces, never duplicates.
    const before = (await kpiRows('kpi =~ /^W[2-7]\\./')).length;
    await compute('2025-04-08', '2025-04-08', ['--kpi', 'W2,W3,W4,W6,W7']);
    expect(await kpiRows('kpi =~ /^W[2-7]\\./')).toHaveLength(before);
  });

  it('computes irrigation: applied, FAO-56 need, ratio and watering in rain', async () => {
    const status = await compute('2025-06-02', '2025-06-08', ['--kpi', 'W8']);
    expect(status.kpis[0]).toMatchObject({
      kpi: 'W8',
      status: 'computed',
      points: {
        'W8.applied_m3': 7,
        'W8.need_m3': 1,
        'W8.irrigation_ratio': 1,
        'W8.watering_in_rain_events': 1,
        'W8.watering_in_rain_m3': 1,
      },
      skipped: [],
    });
    // Applied: Monday and Wednesday 10 m³ (24 hourly intervals of 24), the other days 0.
    const monday = await one('W8.applied_m3', 'lawn', JUN2);
    expect(monday).toMatchObject({ value: 10, completeness: 1 });
    expect((await one('W8.applied_m3', 'lawn', JUN2 + D)).value).toBe(0);
    expect((await one('W8.applied_m3', 'lawn', JUN2 + 2 * D)).value).toBe(10);

    // Need: Monday (J = 153, NOAA δ 22.2562°, Ra 41.0678 MJ m⁻² day⁻¹) ET0 = 0.0023 × (18 + 17.8) × √12 × 0.408
    // × 41.0678 = 0.08234 × 3.464102 × 16.75566 = 4.77929 mm; Tuesday (J = 154, δ 22.3788°, Ra 41.1511) ET0 =
    // 0.0023 × 38.8 × √14 × 0.408 × 41.1511 = 0.08924 × 3.741657 × 16.78965 = 5.60616 mm. ETc = 0.8 × 10.38545
    // = 8.30836 mm; Peff = 0 (Monday) + 0.8 × 3 (Tuesday) = 2.4 mm → need 5.90836 mm × 1,000 m² / 1,000 =
    // 5.90836 m³; 2 days with temperature and rain of 7.
    const need = await one('W8.need_m3', 'lawn', JUN2);
    expect(need.window).toBe('week');
    expect(need.value).toBeCloseTo(5.90836, 4);
    expect(need.completeness).toBeCloseTo(2 / 7, 9);
    // Ratio: 20 m³ / 5.90836 = 3.38504 (over-watering); completeness min(2/7, 1).
    const ratio = await one('W8.irrigation_ratio', 'lawn', JUN2);
    expect(ratio.value).toBeCloseTo(3.38504, 4);
    expect(ratio.completeness).toBeCloseTo(2 / 7, 9);
    // Watering in rain: Wednesday's run started 7 h after 3 mm (≥ 2 mm in the 24 h before) → 1 run, 10 m³
    // (index 510 at Wednesday 04:00 → 520 at 07:00); Monday's had no rain. 168 gauge readings of 168.
    expect(await one('W8.watering_in_rain_events', 'lawn', JUN2)).toMatchObject({
      value: 1,
      completeness: 1,
    });
    expect((await one('W8.watering_in_rain_m3', 'lawn', JUN2)).value).toBe(10);
  });
});
