import { runVigie, vigieJson } from '@vigie/testing';
import { KPI_COMPUTATIONS, KpiRunStatus } from '@vigie/kpi';
import { kpiHarness, KpiRow } from './kpi-harness';

/**
 * `vigie kpi compute` end to end: readings published over MQTT to a real broker and stored in a real InfluxDB,
 * KPIs computed by the command, read back from the `kpi` measurement and compared with values computed by hand
 * (working in the comments). Dates are fixed (March 2026, with the 2026-03-29 spring-forward day: 23 hours,
 * 00:00 CET = 2026-03-28T23:00Z to 00:00 CEST = 2026-03-29T22:00Z); INGEST_MAX_PAST_DAYS is raised so they stay
 * accepted.
 */

const H = 3_600_000;
const iso = (s: string) => Date.parse(s);
/** Local midnight starting 2026-03-29 (CET, +01:00). */
const MAR29 = iso('2026-03-28T23:00:00Z');
/** Local midnight starting 2026-03-30 (CEST, +02:00): 23 h after MAR29. */
const MAR30 = iso('2026-03-29T22:00:00Z');
/** Local midnight of day `d` of March 2026 (CET until the 29th, CEST from the 30th), or April 1st for d = 32. */
const marchMidnight = (d: number) =>
  d <= 29 ? iso('2026-02-28T23:00:00Z') + (d - 1) * 24 * H : MAR30 + (d - 30) * 24 * H;

const TENANT = 'kpitown';

describe('vigie kpi compute', () => {
  const {
    env,
    addSite: site,
    addDevice: device,
    publish,
    stored,
    kpiRows,
    one,
    compute: computeAll,
  } = kpiHarness(TENANT);
  /**
   * The KPIs this suite checks by hand (the first ones built; each domain's other KPIs have their own suite in
   * test/kpi/): its runs select them, so the points counted below are theirs only.
   */
  const CORE = ['B1', 'B3', 'B5', 'W1', 'W5', 'K2', 'K3', 'L1', 'L5', 'L7', 'X1', 'X2'];
  const compute = (from: string, to: string) => computeAll(from, to, ['--kpi', CORE.join(',')]);

  // Energy meter, hourly: t_k = MAR29 + k h. Index 1000 + 10k up to k = 12 (1120 at 11:00Z), then a reset:
  // 5 at k = 13, 5 + 10(k − 13) after. One reading the evening before (k = −1, 990, 23:00 CET on the 28th).
  // k = 23 (105, exactly local midnight starting the 30th: it closes the 29th) is held back as the late reading.
  const energyAt = (k: number) => ({
    ts: MAR29 + k * H,
    values: { energy_kwh: k < 13 ? 1000 + 10 * k : 5 + 10 * (k - 13) },
  });
  // Weather station, hourly on the 29th (k = 0..22, 00:00 CET to 23:00 CEST): T = max(8, 20 − 1.2 |k − 14|),
  // so Tn = 8 (k ≤ 4) and Tx = 20 (k = 14); plus 30 °C at 23:30 CET on the 28th and 0 °C at 00:30 CEST on the
  // 30th (still the 29th in UTC), which must not leak into the 29th.
  const tempAt = (k: number) => ({
    ts: MAR29 + k * H,
    values: { temperature_c: Math.max(8, 20 - 1.2 * Math.abs(k - 14)) },
  });

  beforeAll(async () => {
    await vigieJson(['tenants', 'add', 'empty'], env);
    await site(
      'school',
      'type=building',
      'surface_m2=1200',
      'hours=mon closed; tue closed; wed closed; thu closed; fri closed; sat closed; sun 10:00-12:00',
    );
    // At 89° N the sun does not set a week after the equinox: all of the day is daylight for L5 (street-1 has no
    // position of its own and takes this one).
    await site('ws-site', 'type=weather', 'lat=89', 'lon=2.35');
    await site('sector-a', 'type=water-sector', 'unmetered_m3_yr=8760');
    for (const role of ['production', 'import', 'export'])
      await site(`sector-a-${role}`, `role=${role}`, 'sector=sector-a');
    await site('sector-a-customers', 'role=customer', 'sector=sector-a');
    await site('sector-a-inflow', 'role=district-inflow', 'sector=sector-a');
    await site('street-1', 'type=street', 'switch_off=22:30-05:30');
    await site('bins-north', 'type=bin-district');
    await device('school-energy', 'energy-meter', 'school', 3600);
    await device('ws-1', 'weather-station', 'ws-site', 3600);
    await device('wa-prod', 'water-meter', 'sector-a-production', 86400);
    await device('wa-import', 'water-meter', 'sector-a-import', 86400);
    await device('wa-export', 'water-meter', 'sector-a-export', 86400);
    await device('wa-cust-1', 'water-meter', 'sector-a-customers', 86400);
    await device('wa-cust-2', 'water-meter', 'sector-a-customers', 86400);
    await device('wa-inflow', 'water-meter', 'sector-a-inflow', 900);
    await device('lp-1', 'light-controller', 'street-1', 3600);
    await device('bin-1', 'bin-sensor', 'bins-north', 86400);
    await device('bin-2', 'bin-sensor', 'bins-north', 86400);

    await publish(
      'school-energy',
      [-1, ...Array.from({ length: 23 }, (_, k) => k)].map((k) =>
        k === -1 ? { ts: MAR29 - H, values: { energy_kwh: 990 } } : energyAt(k),
      ),
    );
    await publish('ws-1', [
      { ts: iso('2026-03-28T22:30:00Z'), values: { temperature_c: 30 } },
      ...Array.from({ length: 23 }, (_, k) => tempAt(k)),
      { ts: iso('2026-03-29T22:30:00Z'), values: { temperature_c: 0 } },
    ]);
    // Water: one index reading per local midnight, March 1st 00:00 to April 1st 00:00 (32 readings, 31 intervals).
    const water = (start: number, perDay: number) =>
      Array.from({ length: 32 }, (_, i) => ({
        ts: marchMidnight(i + 1),
        values: { volume_m3: start + perDay * i },
      }));
    await publish('wa-prod', water(10000, 200));
    await publish('wa-import', water(500, 20));
    await publish('wa-export', water(300, 10));
    await publish('wa-cust-1', water(1000, 100));
    await publish('wa-cust-2', water(2000, 50));
    // District inflow, every 15 min from 23:45Z on the 29th (01:45 CEST on the 30th) to 02:00Z: the intervals
    // add 4 (closing 00:00Z), then 3, 3, 2, 2, 1, 2, 2, 3 m³.
    const inflow = [4, 3, 3, 2, 2, 1, 2, 2, 3];
    await publish('wa-inflow', [
      { ts: iso('2026-03-29T23:45:00Z'), values: { volume_m3: 500 } },
      ...inflow.map((_, k) => ({
        ts: iso('2026-03-29T23:45:00Z') + (k + 1) * 900_000,
        values: { volume_m3: 500 + inflow.slice(0, k + 1).reduce((a, b) => a + b, 0) },
      })),
    ]);
    // Light point, hourly from 12:00 CEST on the 29th to 12:00 on the 30th (25 readings): lit at 20, 21, 22 and
    // 5, 6 o'clock local, off otherwise.
    const night = iso('2026-03-29T10:00:00Z');
    await publish(
      'lp-1',
      Array.from({ length: 25 }, (_, k) => {
        const hour = (12 + k) % 24;
        return { ts: night + k * H, values: { lamp_on: [20, 21, 22, 5, 6].includes(hour), power_w: 0 } };
      }),
    );
    // Bins, one reading a day at 12:00 local (11:00Z in March before the 29th).
    const fills = [10, 30, 50, 70, 90, 5, 20, 40, 60, 0, 10];
    await publish(
      'bin-1',
      fills.map((f, i) => ({ ts: marchMidnight(i + 1) + 12 * H, values: { fill_pct: f } })),
    );
    await publish('bin-2', [{ ts: marchMidnight(5) + 12 * H, values: { fill_pct: 40 } }]);

    await stored('energy_meter', 24);
    await stored('weather_station', 25);
    await stored('water_meter', 170);
    await stored('light_controller', 25);
    await stored('bin_sensor', 12);
  });

  it('explains itself and refuses what it cannot run, with the reason', async () => {
    const help = await runVigie(['kpi', 'compute', '--help'], env);
    expect(help.code).toBe(0);
    for (const text of [
      '--tenant <tenant>',
      '--from <YYYY-MM-DD>',
      '--to <YYYY-MM-DD>',
      '--kpi <id>',
      'B1',
      'W1',
      'docs/kpis.md',
    ])
      expect(help.stdout).toContain(text);
    const run = (args: string[]) => runVigie(['kpi', 'compute', ...args], env);
    expect(await run(['--tenant', 'nowhere', '--from', '2026-03-01', '--to', '2026-03-02'])).toMatchObject({
      code: 1,
      stderr: "vigie: unknown tenant: tenant 'nowhere' does not exist (see 'vigie tenants list')\n",
    });
    expect(await run(['--tenant', TENANT, '--from', '2026-02-30', '--to', '2026-03-02'])).toMatchObject({
      code: 2,
      stderr: 'vigie: invalid date: --from "2026-02-30" is not a YYYY-MM-DD date\n',
    });
    expect(await run(['--tenant', TENANT, '--from', '2026-03-02', '--to', '2026-03-01'])).toMatchObject({
      code: 2,
      stderr: 'vigie: invalid period: --to 2026-03-01 is before --from 2026-03-02\n',
    });
    const unknown = await run([
      '--tenant',
      TENANT,
      '--from',
      '2026-03-01',
      '--to',
      '2026-03-01',
      '--kpi',
      'Z9',
    ]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("vigie: unknown KPI: 'Z9' is not a KPI id");
    const later = await run([
      '--tenant',
      TENANT,
      '--from',
      '2026-03-01',
      '--to',
      '2026-03-01',
      '--kpi',
      'X4',
    ]);
    expect(later.code).toBe(2);
    expect(later.stderr).toContain('X4 (Alert hygiene) is in the catalogue but not computed yet');
    expect(await kpiRows()).toEqual([]);
  });

  it('skips every KPI of a tenant without the inputs, saying why', async () => {
    const status = await vigieJson<KpiRunStatus>(
      ['kpi', 'compute', '--tenant', 'empty', '--from', '2026-03-01', '--to', '2026-03-31'],
      env,
    );
    expect(status.pointsWritten).toBe(0);
    // Every KPI of the engine, in run order, skipped with its reason.
    expect(status.kpis.map((k) => [k.kpi, k.status])).toEqual(
      KPI_COMPUTATIONS.map((c) => [c.family, 'skipped']),
    );
    expect(status.kpis[0].skipped).toEqual([
      { reason: 'no_input_devices', detail: 'tenant has no energy-meter device' },
    ]);
    for (const k of status.kpis) {
      expect(k.skipped.length).toBeGreaterThan(0);
      for (const s of k.skipped) expect(s.detail.length).toBeGreaterThan(10);
    }
  });

  let first: KpiRow[];

  it('computes the KPIs of March 2026 and writes them to the output contract', async () => {
    const status = await compute('2026-03-01', '2026-03-31');
    // Points: B1 2 days (28th, 29th); B3 3 days (28th–30th) × 2 methods; B5 1 week (23rd) × 3 outputs and 1 closing (29th); W1 1 month; W5 1 night (29th); K2 11 days × 2 outputs;
    // K3 1 bin-month; L1 2 nights (29th, 30th); L5 2 days (29th, 30th); L7 1 night (29th) × 2 outputs;
    // X1 and X2 11 devices × 31 days = 341 each. Total 725.
    const points = Object.fromEntries(status.kpis.map((k) => [k.kpi, k.points]));
    expect(points).toEqual({
      B1: { 'B1.consumption_kwh': 2 },
      B3: { 'B3.dju': 6 },
      B5: {
        'B5.base_load_kw': 1,
        'B5.base_load_share': 1,
        'B5.out_of_hours_share': 1,
        'B5.after_closing_load_ratio': 1,
      },
      W1: { 'W1.efficiency_pct': 1 },
      W5: { 'W5.min_night_flow_m3h': 1 },
      K2: { 'K2.share_above_threshold': 11, 'K2.count_above_threshold': 11 },
      K3: { 'K3.avg_fill_at_collection_pct': 1 },
      L1: { 'L1.burning_hours': 2 },
      L5: { 'L5.minutes_lit_in_daylight': 2 },
      L7: { 'L7.switch_off_on_minutes': 1, 'L7.switch_off_compliance': 1 },
      X1: { 'X1.completeness': 341 },
      X2: { 'X2.availability': 341 },
    });
    expect(status.pointsWritten).toBe(725);
    expect(status.kpis.every((k) => k.status === 'computed')).toBe(true);
    expect(status.kpis.find((k) => k.kpi === 'K3')?.skipped).toEqual([
      { subject: 'bin-2', reason: 'not_computable', detail: 'no collection detected in 2026-03' },
    ]);
    first = await kpiRows();
    expect(first).toHaveLength(725);

    // B1, the 29th (23 h): intervals closing in (MAR29, MAR30]: k = 1..12 → 12 × 10 = 120; k = 13 is the reset,
    // counted as its new value 5; k = 14..22 → 9 × 10 = 90. 120 + 5 + 90 = 215 kWh (k = 23 not sent yet).
    // Completeness: 22 intervals / (23 h / 1 h) = 0.9565.
    const b1 = await one('B1.consumption_kwh', 'school', MAR29);
    expect(b1).toMatchObject({ tenant: TENANT, window: 'day', method: null });
    expect(b1.value).toBeCloseTo(215, 9);
    expect(b1.completeness).toBeCloseTo(22 / 23, 9);
    // The 28th: one interval, 990 → 1000 closing at midnight exactly = 10 kWh; 1 / 24 of the expected.
    const b1Before = await one('B1.consumption_kwh', 'school', iso('2026-03-27T23:00:00Z'));
    expect(b1Before.value).toBeCloseTo(10, 9);
    expect(b1Before.completeness).toBeCloseTo(1 / 24, 9);

    // B3, the 29th: Tn 8, Tx 20 (mean 14). Météo: 18 − 14 = 4. COSTIC: 8 < 18 < 20 →
    // (18 − 8) × (0.08 + 0.42 × 10/12) = 10 × 0.43 = 4.30. 23 samples / 23 h.
    const meteo = await one('B3.dju', 'ws-1', MAR29, 'meteo');
    const costic = await one('B3.dju', 'ws-1', MAR29, 'costic');
    expect(meteo.value).toBeCloseTo(4, 9);
    expect(costic.value).toBeCloseTo(4.3, 9);
    expect(meteo.completeness).toBeCloseTo(1, 9);
    // The 28th (30 °C only: 18 ≤ Tn → 0 both ways) and the 30th (0 °C only: 18 − 0 = 18 both ways).
    expect((await one('B3.dju', 'ws-1', iso('2026-03-27T23:00:00Z'), 'costic')).value).toBe(0);
    expect((await one('B3.dju', 'ws-1', MAR30, 'meteo')).value).toBe(18);

    // B5, week of Monday the 23rd (167 h): complete hours from the energy intervals k = −1 → 0 … 21 → 22
    // (23 hours, Saturday 23:00 CET to Sunday 23:00 CEST): 22 × 10 kWh and the reset hour (k = 12 → 13) 5 kWh.
    // Sorted 5, 10 × 22: rank 22 × 0.05 = 1.1 → 10 + 0.1 × (10 − 10) = 10 kW. E = 225 kWh;
    // base-load share 10 × 23 / 225 = 1.0222 (the percentile is above the mean: one low hour in 23).
    // Open Sunday 10:00–12:00 CEST = hours k = 8, 9 (20 kWh): out of hours 205 / 225 = 41/45. 23 / 167 complete.
    const week = iso('2026-03-22T23:00:00Z');
    const b5 = await one('B5.base_load_kw', 'school', week);
    expect(b5).toMatchObject({ window: 'week' });
    expect(b5.value).toBeCloseTo(10, 9);
    expect(b5.completeness).toBeCloseTo(23 / 167, 9);
    expect((await one('B5.base_load_share', 'school', week)).value).toBeCloseTo(230 / 225, 9);
    expect((await one('B5.out_of_hours_share', 'school', week)).value).toBeCloseTo(41 / 45, 9);
    // Closing at 12:00 (hour k = 10, closed): after it hours k = 11, 12 (10 + the reset hour's 5 kWh), before it
    // k = 8, 9 (20 kWh): 15 / 20, for Sunday the 29th.
    const closing = await one('B5.after_closing_load_ratio', 'school', MAR29);
    expect(closing).toMatchObject({ window: 'day', completeness: 1 });
    expect(closing.value).toBeCloseTo(0.75, 9);

    // W1, March (743 h = 30.958 days): V1 = 31 × 200 = 6200, V2 = 31 × 20 = 620, V3 = 31 × 10 = 310,
    // V7 = 31 × (100 + 50) = 4650, V8 = 8760 m³/yr × 30.958 / 365 = 743; V6 = 5393.
    // R = (5393 + 310) / (6200 + 620) × 100 = 5703 / 6820 × 100 = 83.6217 %. 31 intervals per meter ≥ expected.
    const w1 = await one('W1.efficiency_pct', 'sector-a', marchMidnight(1));
    expect(w1.window).toBe('month');
    expect(w1.value).toBeCloseTo((5703 / 6820) * 100, 6);
    expect(w1.completeness).toBe(1);

    // W5, night of the 29th: window 02:00 → 04:00 CEST on the 30th = 00:00Z → 02:00Z. Rolling hours closing at
    // 01:00Z, 01:15, 01:30, 01:45, 02:00: 3+3+2+2 = 10, 3+2+2+1 = 8, 2+2+1+2 = 7, 2+1+2+2 = 7, 1+2+2+3 = 8 m³
    // → MNF 7 m³/h; 5 of 5 rolling windows known.
    expect(await one('W5.min_night_flow_m3h', 'wa-inflow', iso('2026-03-29T10:00:00Z'))).toMatchObject({
      window: 'night',
      value: 7,
      completeness: 1,
    });

    // L1, night of the 29th (12:00 CEST → 12:00 CEST on the 30th): lit 20:00 → 23:00 and 05:00 → 07:00 = 5 h;
    // 24 samples in the night / 24 expected. The 12:00 reading of the 30th opens the next night: 0 h, 1/24.
    const l1 = await one('L1.burning_hours', 'lp-1', iso('2026-03-29T10:00:00Z'));
    expect(l1).toMatchObject({ window: 'night', value: 5, completeness: 1 });
    const l1Next = await one('L1.burning_hours', 'lp-1', iso('2026-03-30T10:00:00Z'));
    expect(l1Next.value).toBe(0);
    expect(l1Next.completeness).toBeCloseTo(1 / 24, 9);

    // L5, polar day (ws-site's 89° N): every lit minute is in daylight. The 29th (23 h): lit 20:00 → 23:00 CEST
    // = 180 min, 12 samples (12:00 … 23:00) / 23. The 30th: lit 05:00 → 07:00 = 120 min, 13 samples (00:00 …
    // 12:00) / 24.
    const l5 = await one('L5.minutes_lit_in_daylight', 'lp-1', MAR29);
    expect(l5).toMatchObject({ window: 'day', value: 180 });
    expect(l5.completeness).toBeCloseTo(12 / 23, 9);
    const l5Next = await one('L5.minutes_lit_in_daylight', 'lp-1', MAR30);
    expect(l5Next.value).toBe(120);
    expect(l5Next.completeness).toBeCloseTo(13 / 24, 9);

    // L7, street-1's 22:30–05:30 window, night of the 29th: 420 min, lit 22:30 → 23:00 and 05:00 → 05:30 =
    // 60 min; compliance 1 − 60 / 420 = 6/7; every minute known (hourly readings), completeness 1. The next
    // night's window holds no reading: no point.
    const l7On = await one('L7.switch_off_on_minutes', 'lp-1', iso('2026-03-29T10:00:00Z'));
    expect(l7On).toMatchObject({ window: 'night', value: 60, completeness: 1 });
    const l7 = await one('L7.switch_off_compliance', 'lp-1', iso('2026-03-29T10:00:00Z'));
    expect(l7.value).toBeCloseTo(6 / 7, 9);
    expect(l7.completeness).toBe(1);

    // K3, bin-1 in March: drops 90 → 5 (6th) and 60 → 0 (10th): (90 + 60) / 2 = 75 %;
    // 11 samples / (30.958 days / 1 day) = 0.3553.
    const k3 = await one('K3.avg_fill_at_collection_pct', 'bin-1', marchMidnight(1));
    expect(k3.value).toBe(75);
    expect(k3.completeness).toBeCloseTo(11 / (743 / 24), 9);

    // K2, bins-north on the 5th: last fills 90 (bin-1) and 40 (bin-2): 1 of 2 ≥ 80 → share 0.5, both reported.
    // On the 1st only bin-1 reported (10): share 0, completeness 1/2.
    expect(await one('K2.share_above_threshold', 'bins-north', marchMidnight(5))).toMatchObject({
      value: 0.5,
      completeness: 1,
    });
    expect(await one('K2.count_above_threshold', 'bins-north', marchMidnight(5))).toMatchObject({
      value: 1,
      completeness: 1,
    });
    expect(await one('K2.share_above_threshold', 'bins-north', marchMidnight(1))).toMatchObject({
      value: 0,
      completeness: 0.5,
    });

    // X1: a water meter's one reading on the 29th over 23 h / 24 h expected = 24/23 (capped at 1 as completeness);
    // the energy meter's 23 hourly readings on the 29th / 23 = 1; a silent day = 0.
    const x1 = await one('X1.completeness', 'wa-prod', MAR29);
    expect(x1.value).toBeCloseTo(24 / 23, 9);
    expect(x1.completeness).toBe(1);
    expect((await one('X1.completeness', 'school-energy', MAR29)).value).toBeCloseTo(1, 9);
    expect((await one('X1.completeness', 'school-energy', marchMidnight(10))).value).toBe(0);

    // X2: online until the next report or 3 intervals after the last. wa-inflow (15 min) on the 30th: 23:45Z →
    // 02:00Z + 45 min = 02:45Z, 3 h / 24 h. lp-1 (hourly) on the 29th: 10:00Z → 22:00Z (the day's end) = 12 h /
    // 23 h; on the 30th: 22:00Z → 10:00Z + 3 h = 15 h / 24 h. school-energy on the 28th: 22:00Z → 23:00Z, 1 h.
    // A silent day: 0. Past days: completeness 1.
    expect(await one('X2.availability', 'wa-inflow', MAR30)).toMatchObject({ value: 0.125, completeness: 1 });
    expect((await one('X2.availability', 'lp-1', MAR29)).value).toBeCloseTo(12 / 23, 9);
    expect((await one('X2.availability', 'lp-1', MAR30)).value).toBe(0.625);
    expect((await one('X2.availability', 'school-energy', iso('2026-03-27T23:00:00Z'))).value).toBeCloseTo(
      1 / 24,
      9,
    );
    expect((await one('X2.availability', 'school-energy', marchMidnight(10))).value).toBe(0);
  });

  it('leaves exactly the same points when run again', async () => {
    const status = await compute('2026-03-01', '2026-03-31');
    expect(status.pointsWritten).toBe(725);
    expect(await kpiRows()).toEqual(first);
  });

  it('changes the affected windows after a late reading, and only them', async () => {
    // The held-back midnight index (k = 23, 105) and a 6 °C reading at 03:30 CEST on the 29th.
    await publish('school-energy', [energyAt(23)]);
    await publish('ws-1', [{ ts: iso('2026-03-29T01:30:00Z'), values: { temperature_c: 6 } }]);
    await stored('energy_meter', 25);
    await stored('weather_station', 26);
    const status = await computeAll('2026-03-29', '2026-03-29', ['--kpi', 'B1,B3', '--kpi', 'X1']);
    expect(status.kpis.map((k) => k.kpi)).toEqual(['B1', 'B3', 'X1']);

    // B1: 215 + (105 − 95) = 225 kWh, 23 intervals / 23 h = 1.
    const b1 = await one('B1.consumption_kwh', 'school', MAR29);
    expect(b1.value).toBeCloseTo(225, 9);
    expect(b1.completeness).toBeCloseTo(1, 9);
    // B3: Tn = 6 → météo 18 − (6 + 20)/2 = 5; COSTIC (18 − 6) × (0.08 + 0.42 × 12/14) = 12 × 0.44 = 5.28.
    expect((await one('B3.dju', 'ws-1', MAR29, 'meteo')).value).toBeCloseTo(5, 9);
    expect((await one('B3.dju', 'ws-1', MAR29, 'costic')).value).toBeCloseTo(5.28, 9);

    // Everything else is as it was: same series, same times, same values.
    const now = await kpiRows();
    expect(now).toHaveLength(first.length);
    const key = (r: KpiRow) => `${r.kpi}|${r.subject}|${r.method}|${r.time}`;
    const changed = now.filter((r, i) => JSON.stringify(r) !== JSON.stringify(first[i])).map(key);
    expect(now.map(key)).toEqual(first.map(key));
    expect(changed.sort()).toEqual(
      [
        `B1.consumption_kwh|school|null|${MAR29}`,
        `B3.dju|ws-1|costic|${MAR29}`,
        `B3.dju|ws-1|meteo|${MAR29}`,
        // 23 → 24 readings on the 29th (value 24/23; completeness stays 1)
        `X1.completeness|ws-1|null|${MAR29}`,
      ].sort(),
    );
  });
});
