import { InfluxClient } from '@vigie/adapters';
import { LIGHT_CONTROLLER } from '@vigie/devices';
import { serviceUrls, uniqueName } from '@vigie/testing';
import { InfluxReadingsReader } from '../../influx-readings.reader';
import { KpiComputation, KpiContext, KpiDevice, KpiSite } from '../../kpi-engine.types';
import { dayWindows, monthWindows, nightWindows, parsePeriod } from '../../kpi-windows.utils';
import { lightEnergyDeltas } from './lamp-states.utils';
import { windowsOfMonths } from './light-nominal.utils';
import { BURNING_HOURS_KPI } from './burning-hours.kpi';
import { DIMMING_SAVINGS_KPI } from './dimming-savings.kpi';
import { LIT_IN_DAYLIGHT_KPI } from './lit-in-daylight.kpi';
import { SWITCH_OFF_KPI } from './switch-off.kpi';

const TZ = 'Europe/Paris';
const H = 3_600_000;

/**
 * The lamp KPIs share one read of the light points per run (the run's days, nights and months), each cutting its own
 * span out of it: what each computes must be what it computes alone, with readings on both sides of the run; and the
 * index consumption computed from that read must be InfluxDB's (the reader's reductions), resets and gaps included.
 */
describe('lamp KPIs sharing one read of the light points', () => {
  const { influxUrl } = serviceUrls();
  const influx = new InfluxClient({
    url: influxUrl,
    db: uniqueName('kpi_lamps'),
    rp: '',
    token: '',
    org: '',
  });
  const period = parsePeriod('2026-03-28', '2026-03-29');
  const days = dayWindows(period, TZ);
  const nights = nightWindows(period, TZ);
  const months = monthWindows(period, TZ);
  const lights: KpiDevice[] = [
    { id: 'lp-1', kind: LIGHT_CONTROLLER.id, site: 'street', intervalS: 3600 },
    { id: 'lp-2', kind: LIGHT_CONTROLLER.id, site: 'street', intervalS: 900 },
  ];
  const sites = new Map<string, KpiSite>([
    [
      'street',
      {
        id: 'street',
        attributes: { switch_off: '23:00-05:00', nominal_w: '100', lat: '48.85', lon: '2.35' },
      },
    ],
  ]);
  const ctxWith = (readings: InfluxReadingsReader) =>
    ({
      tenant: 't1',
      timeZone: TZ,
      period,
      days,
      nights,
      months,
      sites,
      devices: lights,
      readings,
    }) as unknown as KpiContext;

  beforeAll(async () => {
    await influx.ensureDatabase();
    // Hourly from two days before the period to two days after it: lit from 19:00 to 07:00 UTC, 100 W, with an
    // energy index.
    const lines: string[] = [];
    let kwh = 100;
    for (let ts = days[0].start - 48 * H; ts < days[1].end + 48 * H; ts += H) {
      const hour = new Date(ts).getUTCHours();
      const on = hour >= 19 || hour < 7;
      kwh += on ? 0.1 : 0;
      lines.push(
        `light_controller,device=lp-1,tenant=t1 lamp_on=${on},power_w=${on ? 100 : 0},energy_kwh=${kwh.toFixed(3)} ${ts}`,
      );
    }
    // lp-2 every 15 min over March (the 29th is 23 h long): its index resets to 0 on the 10th at 14:00 UTC and in
    // the night of the 28th (02:00 UTC on the 29th, in CEST), is silent from the 20th 10:00 to 16:00 UTC, and one of its reports
    // carries power only.
    const march = Date.UTC(2026, 2, 1);
    kwh = 5000;
    for (let ts = march - 3 * H; ts < Date.UTC(2026, 3, 1) + 3 * H; ts += H / 4) {
      if (ts >= Date.UTC(2026, 2, 20, 10) && ts < Date.UTC(2026, 2, 20, 16)) continue;
      const hour = new Date(ts).getUTCHours();
      const on = hour >= 19 || hour < 7;
      kwh += on ? 0.025 : 0.001;
      if (ts === Date.UTC(2026, 2, 10, 14) || ts === Date.UTC(2026, 2, 29, 2)) kwh = 0.5;
      const fields =
        ts === Date.UTC(2026, 2, 15, 3) ? 'power_w=80' : `lamp_on=${on},energy_kwh=${kwh.toFixed(3)}`;
      lines.push(`light_controller,device=lp-2,tenant=t1 ${fields} ${ts}`);
    }
    await influx.write(lines.join('\n'));
  });

  it("gives each light point's index consumption per day and per night as InfluxDB's reductions do", async () => {
    const reader = new InfluxReadingsReader(influx);
    const scope = { tenant: 't1', measurement: LIGHT_CONTROLLER.measurement, timeZone: TZ };
    const marchDays = windowsOfMonths(months, TZ, 'days');
    const ctx = ctxWith(reader);
    const daily = await lightEnergyDeltas(ctx, marchDays);
    expect(daily).toEqual(await reader.dailyIndexDeltas(scope, 'energy_kwh', marchDays));
    const nightly = await lightEnergyDeltas(ctx, nights);
    // lp-2's night of the 28th (12:00 CET → 12:00 CEST = 11:00Z → 10:00Z, 23 h): 92 intervals, 48 closing lit
    // (19:15 → 07:00Z) and 44 unlit, the reset at 02:00Z counting its new value 0.5 instead of 0.025:
    // 47 × 0.025 + 0.5 + 44 × 0.001 = 1.175 + 0.5 + 0.044 = 1.719.
    expect(nightly.get('lp-2')?.get(0)).toEqual({
      delta: expect.closeTo(1.719, 6),
      intervals: 92,
      resets: 1,
    });
    // By hand, lp-2 on the 10th (CET, 00:00 → 24:00 = 23:00 UTC the 9th → 23:00 UTC the 10th): 96 intervals closing
    // in the day, 48 of them closing lit (23:15 → 07:00 and 19:15 → 23:00 UTC: 0.025 kWh each) and 48 unlit
    // (0.001 each), the reset at 14:00 counting its new value 0.5 instead of 0.001:
    // 48 × 0.025 + 47 × 0.001 + 0.5 = 1.2 + 0.047 + 0.5 = 1.747.
    const tenth = marchDays.findIndex((d) => d.start === Date.UTC(2026, 2, 9, 23));
    const d10 = daily.get('lp-2')?.get(tenth);
    expect(d10?.intervals).toBe(96);
    expect(d10?.resets).toBe(1);
    expect(d10?.delta).toBeCloseTo(1.747, 6);
    // The silent 20th: 6 h without reports is one interval, bridged (a silence under INDEX_LOOKBACK_MS).
    const twentieth = marchDays.findIndex((d) => d.start === Date.UTC(2026, 2, 19, 23));
    expect(daily.get('lp-2')?.get(twentieth)?.intervals).toBe(96 - 24);
  });

  it('computes each lamp KPI as it does alone', async () => {
    const kpis: KpiComputation[] = [
      BURNING_HOURS_KPI,
      LIT_IN_DAYLIGHT_KPI,
      SWITCH_OFF_KPI,
      DIMMING_SAVINGS_KPI,
    ];
    const shared = ctxWith(new InfluxReadingsReader(influx));
    for (const kpi of kpis) {
      const together = await kpi.compute(shared, lights);
      const alone = await kpi.compute(ctxWith(new InfluxReadingsReader(influx)), lights);
      expect(together).toEqual(alone);
      expect(together.points.length).toBeGreaterThan(0);
    }
    // L1, night of the 28th (12:00 CET → 12:00 CEST): lit 19:00 → 07:00 UTC = 12 h.
    const l1 = await BURNING_HOURS_KPI.compute(shared, lights);
    expect(l1.points.find((p) => p.ts === nights[0].start)?.value).toBe(12);
  });
});
