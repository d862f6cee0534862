import { kpiHarness, TestReading } from './kpi-harness';

/**
 * Waste (K1, K4, K5, K6, K7) and lighting (L2, L3, L4, L6) KPIs end to end: readings of 2 bins, 2 light points
 * and a cabinet meter published with mosquitto_pub to a real broker, stored in a real InfluxDB, computed by
 * `vigie kpi compute` for 2026-03-28 → 2026-03-30 (the 29th is the 23-hour spring-forward day: 00:00 CET =
 * 2026-03-28T23:00Z to 00:00 CEST = 2026-03-29T22:00Z) and read back from the `kpi` measurement; every expected
 * value is worked by hand in the comments. March 2026 lasts 743 h.
 */

const H = 3_600_000;
const DAY = 86_400_000;
const iso = (s: string) => Date.parse(s);
const TENANT = 'wastelight';
/** Local midnights starting the 28th, 29th and 30th; the month of March; the night of the 29th (12:00 CEST). */
const D28 = iso('2026-03-27T23:00:00Z');
const D29 = iso('2026-03-28T23:00:00Z');
const D30 = iso('2026-03-29T22:00:00Z');
const MARCH = iso('2026-02-28T23:00:00Z');
const N29 = iso('2026-03-29T10:00:00Z');

describe('vigie kpi compute: waste and lighting KPIs', () => {
  const { addSite: site, addDevice: device, publish, stored, kpiRows, one, compute } = kpiHarness(TENANT);

  beforeAll(async () => {
    await site('bins-a', 'type=bin-district', 'collection_schedule=mon,thu');
    await site('street-1', 'type=street', 'cabinet=cab-1', 'nominal_w=100');
    await site('cab-1', 'type=lighting-cabinet');
    await device('bin-1', 'bin-sensor', 'bins-a', 21600);
    await device('bin-2', 'bin-sensor', 'bins-a', 21600);
    await device('lp-1', 'light-controller', 'street-1', 3600);
    await device('lp-2', 'light-controller', 'street-1', 3600);
    await device('cab-1-meter', 'cabinet-meter', 'cab-1', 3600);

    // bin-1, every 6 h: 90 at 12:00Z on the 28th, collected to 10 at 18:00Z, then +3 per 6 h (12 %/day) up to
    // 34 at 18:00Z on the 30th; 15 °C except 70 °C at 12:00Z and 20 °C at 18:00Z on the 30th.
    const bin1: TestReading[] = [
      { ts: iso('2026-03-28T12:00:00Z'), values: { fill_pct: 90, temperature_c: 15 } },
      ...Array.from({ length: 9 }, (_, k) => ({
        ts: iso('2026-03-28T18:00:00Z') + k * 6 * H,
        values: { fill_pct: 10 + 3 * k, temperature_c: k === 7 ? 70 : k === 8 ? 20 : 15 },
      })),
    ];
    // bin-2, fill only: 96, 97 then 50 (a collection: drop 47) on the 29th; 101 at 06:00Z on the 30th.
    const bin2: TestReading[] = [
      ['2026-03-29T00:00:00Z', 96],
      ['2026-03-29T06:00:00Z', 97],
      ['2026-03-29T12:00:00Z', 50],
      ['2026-03-30T06:00:00Z', 101],
    ].map(([ts, fill]) => ({ ts: iso(ts as string), values: { fill_pct: fill as number } }));
    // lp-1, hourly k = 0..24 from 10:00Z on the 29th (12:00 CEST) to 10:00Z on the 30th: lit at k = 8..17
    // (18:00Z → 03:00Z), at 100 % (100 W) for k = 8..11 and 50 % (50 W) for k = 12..17. Its index adds each
    // reading's power over the hour after it: E(k) = 1000 + Σ_{j<k} P_j / 1000, 0.4 + 0.3 = 0.7 kWh in all.
    const power = (k: number) => (k >= 8 && k <= 11 ? 100 : k >= 12 && k <= 17 ? 50 : 0);
    let index = 1000;
    const lp1: TestReading[] = Array.from({ length: 25 }, (_, k) => {
      const r = {
        ts: N29 + k * H,
        values: {
          lamp_on: power(k) > 0,
          power_w: power(k),
          dim_pct: power(k) === 50 ? 50 : 100,
          lamp_failure: false,
          energy_kwh: index,
        },
      };
      index += power(k) / 1000;
      return r;
    });
    // lp-2: lit at 3 W (< 10 % of 100 W) at 20:00Z and 21:00Z on the 29th, 0.003 kWh between them.
    const lp2: TestReading[] = [0, 1].map((k) => ({
      ts: iso('2026-03-29T20:00:00Z') + k * H,
      values: { lamp_on: true, power_w: 3, dim_pct: 100, lamp_failure: false, energy_kwh: 500 + 0.003 * k },
    }));
    // Cabinet meter, hourly k = 0..24 over the same night: +0.04 kWh per hour up to k = 20: 0.8 kWh.
    const cabinet: TestReading[] = Array.from({ length: 25 }, (_, k) => ({
      ts: N29 + k * H,
      values: { energy_kwh: 2000 + 0.04 * Math.min(k, 20) },
    }));
    await publish('bin-1', bin1);
    await publish('bin-2', bin2);
    await publish('lp-1', lp1);
    await publish('lp-2', lp2);
    await publish('cab-1-meter', cabinet);
    await stored('bin_sensor', 14);
    await stored('light_controller', 27);
    await stored('cabinet_meter', 25);
  });

  it('computes every waste and lighting output, and says what it skipped', async () => {
    const kpis = 'K1,K4,K5,K6,K7,L2,L3,L4,L6';
    const status = await compute('2026-03-28', '2026-03-30', ['--kpi', kpis]);
    expect(status.kpis.map((k) => [k.kpi, k.status])).toEqual(
      ['K1', 'K4', 'K5', 'K6', 'K7', 'L2', 'L3', 'L4', 'L6'].map((k) => [k, 'computed']),
    );
    expect(Object.fromEntries(status.kpis.map((k) => [k.kpi, k.points]))).toEqual({
      K1: { 'K1.fill_pct': 5, 'K1.district_mean_fill_pct': 3 },
      K4: {
        'K4.overflow_events': 2,
        'K4.overflow_bin_hours': 2,
        'K4.district_overflow_events': 1,
        'K4.district_overflow_bin_hours': 1,
      },
      K5: { 'K5.collections_avoided': 1, 'K5.collections_avoided_share': 1 },
      K6: { 'K6.fill_rate_pct_day': 2, 'K6.days_to_threshold': 2, 'K6.forecast_ts': 2 },
      K7: { 'K7.fire_alerts': 3, 'K7.max_temperature_c': 3 },
      L2: { 'L2.point_energy_kwh': 2, 'L2.cabinet_energy_kwh': 1, 'L2.unmetered_share': 1 },
      L3: { 'L3.mean_power_on_w': 2, 'L3.power_vs_nominal': 2 },
      L4: { 'L4.failing_points': 1, 'L4.failure_rate': 1, 'L4.failure_rate_month': 1 },
      L6: { 'L6.dimming_saved_kwh': 2, 'L6.dimming_saving_share': 2 },
    });
    const skipped = Object.fromEntries(status.kpis.map((k) => [k.kpi, k.skipped]));
    expect(skipped['K6']).toEqual([
      {
        subject: 'bin-1',
        reason: 'not_computable',
        detail: 'fewer than 3 readings since the last collection on 2026-03-28',
      },
      {
        subject: 'bin-2',
        reason: 'not_computable',
        detail: 'fewer than 3 readings since the last collection on 2026-03-29, 2026-03-30',
      },
    ]);
    expect(skipped['K7']).toEqual([
      {
        subject: 'bin-2',
        reason: 'no_readings',
        detail: 'no temperature_c reading from bin-2 in the period',
      },
    ]);
    // K1 5 + 3, K4 6, K5 2, K6 6, K7 6, L2 4, L3 4, L4 3, L6 4 = 43.
    expect(status.pointsWritten).toBe(43);
    expect(await kpiRows()).toHaveLength(43);
  });

  it('K1: the median of the day’s last 3 readings, and the district mean', async () => {
    // bin-1: the 28th 90, 10 → their mean 50, 2 readings / 4 expected; the 29th 13, 16, 19, 22 → median of the
    // last three 19 (4 readings of 23 h / 6 h = 3.83 → 1); the 30th 25, 28, 31, 34 → 31, 4 / 4.
    expect(await one('K1.fill_pct', 'bin-1', D28)).toMatchObject({
      window: 'day',
      value: 50,
      completeness: 0.5,
    });
    expect(await one('K1.fill_pct', 'bin-1', D29)).toMatchObject({ value: 19, completeness: 1 });
    expect(await one('K1.fill_pct', 'bin-1', D30)).toMatchObject({ value: 31, completeness: 1 });
    // bin-2: the 29th 96, 97, 50 → 96, 3 × 6 / 23; the 30th 101, 1 / 4.
    const b2 = await one('K1.fill_pct', 'bin-2', D29);
    expect(b2.value).toBe(96);
    expect(b2.completeness).toBeCloseTo(18 / 23, 9);
    expect(await one('K1.fill_pct', 'bin-2', D30)).toMatchObject({ value: 101, completeness: 0.25 });
    // bins-a: the 28th bin-1 only (50, 1 of 2 bins); the 29th (19 + 96) / 2; the 30th (31 + 101) / 2.
    expect(await one('K1.district_mean_fill_pct', 'bins-a', D28)).toMatchObject({
      value: 50,
      completeness: 0.5,
    });
    expect(await one('K1.district_mean_fill_pct', 'bins-a', D29)).toMatchObject({
      value: 57.5,
      completeness: 1,
    });
    expect(await one('K1.district_mean_fill_pct', 'bins-a', D30)).toMatchObject({
      value: 66,
      completeness: 1,
    });
  });

  it('K4 and K5: overflow episodes and collections avoided in March', async () => {
    // bin-2: 96, 97 from 00:00Z (6 h apart ≤ 2 × 6 h, held) until the 50 at 12:00Z = 12 h ≥ 2 h: an event; 101
    // at 06:00Z on the 30th, then nothing (not held past 12 h): an event of 0 h. 4 readings / (743 / 6).
    const e2 = await one('K4.overflow_events', 'bin-2', MARCH);
    expect(e2).toMatchObject({ window: 'month', value: 2 });
    expect(e2.completeness).toBeCloseTo(24 / 743, 9);
    expect((await one('K4.overflow_bin_hours', 'bin-2', MARCH)).value).toBe(12);
    // bin-1 never reaches 95: 0 events, 0 h, 10 readings / (743 / 6).
    const e1 = await one('K4.overflow_events', 'bin-1', MARCH);
    expect(e1.value).toBe(0);
    expect(e1.completeness).toBeCloseTo(60 / 743, 9);
    expect((await one('K4.overflow_bin_hours', 'bin-1', MARCH)).value).toBe(0);
    // bins-a: 2 events, 12 bin·h; completeness (60 + 24) / 743 / 2.
    const de = await one('K4.district_overflow_events', 'bins-a', MARCH);
    expect(de.value).toBe(2);
    expect(de.completeness).toBeCloseTo(42 / 743, 9);
    expect((await one('K4.district_overflow_bin_hours', 'bins-a', MARCH)).value).toBe(12);

    // K5, bins-a (mon,thu): rounds on the days each bin reported: bin-1 Sat 28th, Sun 29th, Mon 30th → 1;
    // bin-2 Sun 29th, Mon 30th → 1. N_fixed 2, detected 2 (bin-1 90 → 10, bin-2 97 → 50): 0 avoided.
    const avoided = await one('K5.collections_avoided', 'bins-a', MARCH);
    expect(avoided.value).toBe(0);
    expect(avoided.completeness).toBeCloseTo(42 / 743, 9);
    expect((await one('K5.collections_avoided_share', 'bins-a', MARCH)).value).toBe(0);
  });

  it('K6 and K7: fill rate, forecast and fire alerts per day', async () => {
    // bin-1 on the 29th: since the collection 10, 13, 16, 19, 22 at 0…1 day: slope 12 %/day, ŷ(t_last) = 22;
    // to 80 %: 58 / 12 days after 18:00Z on the 29th; 5 readings of 5 expected. The 30th: 10 … 34 (9
    // readings), (80 − 34) / 12 days after 18:00Z on the 30th.
    const rate = await one('K6.fill_rate_pct_day', 'bin-1', D29);
    expect(rate.value).toBeCloseTo(12, 9);
    expect(rate.completeness).toBe(1);
    expect((await one('K6.days_to_threshold', 'bin-1', D29)).value).toBeCloseTo(58 / 12, 9);
    expect((await one('K6.forecast_ts', 'bin-1', D29)).value).toBeCloseTo(
      iso('2026-03-29T18:00:00Z') + (58 / 12) * DAY,
      -1,
    );
    expect((await one('K6.fill_rate_pct_day', 'bin-1', D30)).value).toBeCloseTo(12, 9);
    expect((await one('K6.days_to_threshold', 'bin-1', D30)).value).toBeCloseTo(46 / 12, 9);
    expect((await one('K6.forecast_ts', 'bin-1', D30)).value).toBeCloseTo(
      iso('2026-03-30T18:00:00Z') + (46 / 12) * DAY,
      -1,
    );
    // K7, bin-1: 15 °C on the 28th (2 readings / 4) and the 29th; 70 °C at 12:00Z on the 30th ≥ 60: 1 alert.
    expect(await one('K7.fire_alerts', 'bin-1', D28)).toMatchObject({ value: 0, completeness: 0.5 });
    expect(await one('K7.max_temperature_c', 'bin-1', D29)).toMatchObject({ value: 15, completeness: 1 });
    expect(await one('K7.fire_alerts', 'bin-1', D30)).toMatchObject({ value: 1, completeness: 1 });
    expect(await one('K7.max_temperature_c', 'bin-1', D30)).toMatchObject({ value: 70 });
  });

  it('L2, L3, L4 and L6: energy, power, failures and dimming savings', async () => {
    // L2, March: lp-1 0.7 kWh over 24 intervals / 743; lp-2 0.003 kWh, 1 / 743; cab-1 0.8 kWh, 24 / 743;
    // unmetered (0.8 − 0.703) / 0.8 = 0.12125, completeness 24/743 × (24 + 1) / 743 / 2.
    const p1 = await one('L2.point_energy_kwh', 'lp-1', MARCH);
    expect(p1.window).toBe('month');
    expect(p1.value).toBeCloseTo(0.7, 9);
    expect(p1.completeness).toBeCloseTo(24 / 743, 9);
    expect((await one('L2.point_energy_kwh', 'lp-2', MARCH)).value).toBeCloseTo(0.003, 9);
    const cab = await one('L2.cabinet_energy_kwh', 'cab-1', MARCH);
    expect(cab.value).toBeCloseTo(0.8, 9);
    expect(cab.completeness).toBeCloseTo(24 / 743, 9);
    const unmetered = await one('L2.unmetered_share', 'cab-1', MARCH);
    expect(unmetered.value).toBeCloseTo(0.12125, 9);
    expect(unmetered.completeness).toBeCloseTo((24 / 743) * (25 / 743 / 2), 12);

    // L3, night of the 29th: lp-1 lit 10 readings, (4 × 100 + 6 × 50) / 10 = 70 W at a mean level 70 %:
    // 70 / (100 × 0.7) = 1; 24 reports / 24. lp-2: 3 W at 100 %: 0.03; 2 / 24.
    expect(await one('L3.mean_power_on_w', 'lp-1', N29)).toMatchObject({
      window: 'night',
      value: 70,
      completeness: 1,
    });
    expect((await one('L3.power_vs_nominal', 'lp-1', N29)).value).toBeCloseTo(1, 9);
    const lp2Power = await one('L3.mean_power_on_w', 'lp-2', N29);
    expect(lp2Power.value).toBe(3);
    expect(lp2Power.completeness).toBeCloseTo(2 / 24, 9);
    expect((await one('L3.power_vs_nominal', 'lp-2', N29)).value).toBeCloseTo(0.03, 9);

    // L4, 23:00 CEST on the 29th = 21:00Z, look-back 2 h: lp-1 lit at 100 W (fine), lp-2 lit at 3 W twice
    // (failing): 1 of 2 in service. March: that night only, 0.5 over 1 of 31 nights.
    expect(await one('L4.failing_points', 'street-1', N29)).toMatchObject({ value: 1, completeness: 1 });
    expect(await one('L4.failure_rate', 'street-1', N29)).toMatchObject({ window: 'night', value: 0.5 });
    const month = await one('L4.failure_rate_month', 'street-1', MARCH);
    expect(month).toMatchObject({ window: 'month', value: 0.5 });
    expect(month.completeness).toBeCloseTo(1 / 31, 9);

    // L6, night of the 29th: lp-1 burns 10 h (L1) at 100 W = 1 kWh reference, 0.7 metered: 0.3 kWh and 30 %
    // saved; 24 / 24 samples and intervals. lp-2: 1 h held (20:00Z → 21:00Z) = 0.1 kWh reference, 0.003 kWh:
    // 0.097 kWh, 97 %; completeness min(2 / 24, 1 / 24).
    const saved = await one('L6.dimming_saved_kwh', 'lp-1', N29);
    expect(saved.value).toBeCloseTo(0.3, 9);
    expect(saved.completeness).toBe(1);
    expect((await one('L6.dimming_saving_share', 'lp-1', N29)).value).toBeCloseTo(0.3, 9);
    const saved2 = await one('L6.dimming_saving_share', 'lp-2', N29);
    expect(saved2.value).toBeCloseTo(0.97, 9);
    expect(saved2.completeness).toBeCloseTo(1 / 24, 9);
  });

  it('replaces its points on a recompute', async () => {
    const before = await kpiRows();
    await compute('2026-03-28', '2026-03-30', ['--kpi', 'K1,K4,K5,K6,K7,L2,L3,L4,L6']);
    expect(await kpiRows()).toEqual(before);
  });
});
