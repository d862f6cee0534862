import { kpiHarness, TestReading } from './kpi-harness';

/**
 * B2, B7, B8, L8 and X3 end to end: hourly energy readings published over MQTT, `vigie kpi compute` run, `kpi`
 * rows read back and compared with hand-computed values. Days: 2026-03-28 (CET, 24 h) and the spring-forward day
 * 2026-03-29 (23 h: 00:00 CET = 2026-03-28T23:00Z → 00:00 CEST = 2026-03-29T22:00Z).
 */

const H = 3_600_000;
const iso = (s: string) => Date.parse(s);
const MAR1 = iso('2026-02-28T23:00:00Z');
const MAR28 = iso('2026-03-27T23:00:00Z');
const MAR29 = iso('2026-03-28T23:00:00Z');
const YEAR_2026 = iso('2025-12-31T23:00:00Z');
/** March 2026: 31 days less the hour lost on the 29th = 743 h. */
const MARCH_H = 743;
const TOL = 1e-9;

// Tariff of the hall: base 0.20 €/kWh until the 28th, HP/HC from the 29th (HC 22:00–06:00) with 1.5 €/day.
const HALL_TARIFF = '2026-01-01 base 0.20; 2026-03-29 hp 0.25 hc 0.15 hc=22:00-06:00 sub 1.5';

/**
 * Hall meter, hourly, t_k = MAR28 + k h, k = 0..47 (47 intervals; k = 47 is 00:00 CEST on the 30th).
 * 28th (k = 0..23 → intervals 1..24): 2 kWh each = 48 kWh.
 * 29th, interval j = 0..22 opening at MAR29 + j h, local hour j (j < 2, CET) or j + 1 (CEST): HC (local 00, 01,
 * 03, 04, 05 = j 0..4; 22, 23 = j 21, 22) 1 kWh each = 7 kWh; HP (j 5..20) 3 kWh each, but 9 kWh at j = 11
 * (12:00–13:00 CEST) = 15 × 3 + 9 = 54 kWh. Day total 61 kWh.
 */
const hallKwh = (interval: number): number => {
  if (interval < 24) return 2;
  const j = interval - 24;
  if (j <= 4 || j >= 21) return 1;
  return j === 11 ? 9 : 3;
};
const hallReadings: TestReading[] = [];
for (let k = 0, index = 1000; k <= 47; k++) {
  hallReadings.push({ ts: MAR28 + k * H, values: { energy_kwh: index } });
  index += k < 47 ? hallKwh(k) : 0;
}

describe('cost KPIs (B2, B7, B8, L8, X3)', () => {
  const { addSite: site, addDevice: device, publish, stored, one, kpiRows, compute } = kpiHarness('costtown');

  beforeAll(async () => {
    await site(
      'hall',
      'type=building',
      'surface_m2=500',
      `tariff=${HALL_TARIFF}`,
      'subscribed_kva=36',
      'demand_interval_min=60',
    );
    await site('annex', 'type=building', 'surface_m2=100', 'tariff=2026-01-01 flat 0.2');
    await site('cab-1', 'type=lighting-cabinet', 'tariff=2026-01-01 hp 0.25 hc 0.15 hc=22:00-06:00');
    await site('street-a', 'type=street', 'cabinet=cab-1');
    await device('hall-energy', 'energy-meter', 'hall', 3600);
    await device('annex-energy', 'energy-meter', 'annex', 3600);
    await device('cab-1-meter', 'cabinet-meter', 'cab-1', 3600);
    await device('lp-a1', 'light-controller', 'street-a', 3600);
    await device('lp-a2', 'light-controller', 'street-a', 3600);

    await publish('hall-energy', hallReadings);
    await publish('annex-energy', [
      { ts: MAR28, values: { energy_kwh: 10 } },
      { ts: MAR28 + H, values: { energy_kwh: 12 } },
    ]);
    // Cabinet, hourly from 17:00Z on the 28th (18:00 CET) to 06:00Z on the 29th (08:00 CEST): 13 intervals of 4 kWh.
    await publish(
      'cab-1-meter',
      Array.from({ length: 14 }, (_, k) => ({
        ts: iso('2026-03-28T17:00:00Z') + k * H,
        values: { energy_kwh: 500 + 4 * k },
      })),
    );
    await stored('energy_meter', 50);
    await stored('cabinet_meter', 14);
  });

  it('computes EUI, peak demand, costs and lighting costs, and says why X3 and a bad tariff are skipped', async () => {
    const status = await compute('2026-03-01', '2026-03-31', ['--kpi', 'B1,B2,B7,B8,L8,X3']);
    const byKpi = Object.fromEntries(status.kpis.map((k) => [k.kpi, k]));
    expect(status.kpis.map((k) => [k.kpi, k.status])).toEqual([
      ['B1', 'computed'],
      ['B2', 'computed'],
      ['B7', 'computed'],
      ['B8', 'computed'],
      ['L8', 'computed'],
      ['X3', 'skipped'],
    ]);
    expect(byKpi['X3'].skipped[0].detail).toContain('no stored B6.avoided_kwh month point in 2026-03');
    expect(byKpi['B8'].skipped).toContainEqual({
      subject: 'annex',
      reason: 'missing_inputs',
      detail: expect.stringContaining("unknown word 'flat'"),
    });
    expect(byKpi['B7'].skipped).toContainEqual({
      subject: 'annex',
      reason: 'missing_inputs',
      // the default 30-min demand interval cannot be drawn from hourly readings
      detail:
        'B7: a 30-min demand interval needs readings at least every 30 min; annex-energy reports every 3600 s',
    });

    // B1: 48 kWh on the 28th, 61 kWh on the 29th.
    expect((await one('B1.consumption_kwh', 'hall', MAR28)).value).toBeCloseTo(48, 9);
    expect((await one('B1.consumption_kwh', 'hall', MAR29)).value).toBeCloseTo(61, 9);

    // B2: (48 + 61) / 500 m² = 0.218 kWh/m² for 2026, from 2 days of 365; rolling 12 months ending March 2026
    // (April 2025 → March 2026, 365 days): the same 0.218, 2/365.
    const eui = await one('B2.eui_kwh_m2', 'hall', YEAR_2026);
    expect(Math.abs(eui.value - 0.218)).toBeLessThan(TOL);
    expect(Math.abs(eui.completeness - 2 / 365)).toBeLessThan(TOL);
    const rolling = await one('B2.eui_rolling_12m_kwh_m2', 'hall', MAR1);
    expect(Math.abs(rolling.value - 0.218)).toBeLessThan(TOL);
    expect(Math.abs(rolling.completeness - 2 / 365)).toBeLessThan(TOL);
    // The annex (2 kWh on the 28th, 100 m²): 0.02 kWh/m².
    expect((await one('B2.eui_kwh_m2', 'annex', YEAR_2026)).value).toBeCloseTo(0.02, 12);

    // B7, 60-min demand intervals: peak 9 kW (12:00–13:00 CEST on the 29th); mean 109 kWh / 47 h; load factor
    // = 109 / (47 × 9) = 0.25768…; 9 / 36 kVA = 0.25; 47 complete hours of 743.
    const peak = await one('B7.peak_kw', 'hall', MAR1);
    expect(peak.value).toBeCloseTo(9, 9);
    expect(Math.abs(peak.completeness - 47 / MARCH_H)).toBeLessThan(TOL);
    expect(Math.abs((await one('B7.load_factor', 'hall', MAR1)).value - 109 / 423)).toBeLessThan(TOL);
    expect((await one('B7.peak_share_of_subscribed', 'hall', MAR1)).value).toBeCloseTo(0.25, 9);

    // B8 day: 28th: 48 kWh × 0.20 = 9.60 €; 29th (DST day): 7 kWh HC × 0.15 + 54 kWh HP × 0.25 = 1.05 + 13.50 =
    // 14.55 € + 1.5 €/day = 16.05 €. Month: 9.60 + 16.05 = 25.65 €; mean variable price (9.60 + 14.55) / 109.
    const d28 = await one('B8.cost_eur', 'hall', MAR28);
    expect(Math.abs(d28.value - 9.6)).toBeLessThan(TOL);
    expect(d28.completeness).toBeCloseTo(1, 12);
    const d29 = await one('B8.cost_eur', 'hall', MAR29);
    expect(Math.abs(d29.value - 16.05)).toBeLessThan(TOL);
    expect(d29.completeness).toBeCloseTo(1, 12); // 23 h covered of a 23 h day
    const month = await one('B8.cost_eur_month', 'hall', MAR1);
    expect(Math.abs(month.value - 25.65)).toBeLessThan(TOL);
    expect(Math.abs(month.completeness - 47 / MARCH_H)).toBeLessThan(TOL);
    expect(Math.abs((await one('B8.mean_price_eur_kwh', 'hall', MAR1)).value - 24.15 / 109)).toBeLessThan(
      TOL,
    );
    expect(await kpiRows("kpi = 'B8.cost_eur' AND subject = 'hall'")).toHaveLength(2);

    // L8: 13 intervals of 4 kWh, UTC 17:00 on the 28th → 06:00 on the 29th. HP: 18–22 CET (4 h) and 06–08 CEST
    // (2 h) = 6 × 4 × 0.25 = 6 €; HC: 22:00 CET → 06:00 CEST (7 real hours) = 7 × 4 × 0.15 = 4.2 €. 10.2 € for 2
    // light points = 5.1 €/point.
    const l8 = await one('L8.cost_eur', 'cab-1', MAR1);
    expect(Math.abs(l8.value - 10.2)).toBeLessThan(TOL);
    expect(Math.abs(l8.completeness - 13 / MARCH_H)).toBeLessThan(TOL);
    expect(Math.abs((await one('L8.cost_per_point_eur', 'cab-1', MAR1)).value - 5.1)).toBeLessThan(TOL);

    expect(await kpiRows("kpi = 'X3.savings_eur'")).toEqual([]);
  });
});
