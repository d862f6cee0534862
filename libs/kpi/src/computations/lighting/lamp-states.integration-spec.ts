import { InfluxClient } from '@vigie/adapters';
import { LIGHT_CONTROLLER } from '@vigie/devices';
import { serviceUrls, uniqueName } from '@vigie/testing';
import { InfluxReadingsReader } from '../../influx-readings.reader';
import { KpiComputation, KpiContext, KpiDevice, KpiSite } from '../../kpi-engine.types';
import { dayWindows, nightWindows, parsePeriod } from '../../kpi-windows.utils';
import { BURNING_HOURS_KPI } from './burning-hours.kpi';
import { DIMMING_SAVINGS_KPI } from './dimming-savings.kpi';
import { LIT_IN_DAYLIGHT_KPI } from './lit-in-daylight.kpi';
import { SWITCH_OFF_KPI } from './switch-off.kpi';

const TZ = 'Europe/Paris';
const H = 3_600_000;

/**
 * The lamp KPIs share one read of the lamp samples per run (the run's days and nights), each cutting its own span
 * out of it: what each computes must be what it computes alone, with readings on both sides of the run.
 */
describe('lamp KPIs sharing one read of the lamp samples', () => {
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
  const lights: KpiDevice[] = [{ id: 'lp-1', kind: LIGHT_CONTROLLER.id, site: 'street', intervalS: 3600 }];
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
    ({ tenant: 't1', timeZone: TZ, period, days, nights, sites, readings }) as unknown as KpiContext;

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
    await influx.write(lines.join('\n'));
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
