import { InfluxClient } from '@vigie/adapters';
import { LIGHT_CONTROLLER, WATER_METER } from '@vigie/devices';
import { seededRandom, serviceUrls, uniqueName } from '@vigie/testing';
import { InfluxReadingsReader } from '../../influx-readings.reader';
import { KpiContext, KpiDevice } from '../../kpi-engine.types';
import { dayWindows, monthWindows, nightWindows, parsePeriod } from '../../kpi-windows.utils';
import { availabilityPoints, DEVICE_AVAILABILITY_KPI } from './device-availability.kpi';

const TZ = 'Europe/Paris';
const MIN = 60_000;

/**
 * Water meters have their whole days told by InfluxDB's gaps; light points by the run's shared read of some of their
 * fields (`lamp_on`, `energy_kwh`). Either way, a report holding none of those fields still counts.
 */
describe.each([
  { kind: WATER_METER, field: 'volume_m3=1', other: 'rssi_dbm=-90' },
  { kind: LIGHT_CONTROLLER, field: 'lamp_on=true,energy_kwh=1', other: 'power_w=5' },
])('X2 availability of $kind.id against a real InfluxDB', ({ kind, field: fields, other }) => {
  const { influxUrl } = serviceUrls();
  const influx = new InfluxClient({ url: influxUrl, db: uniqueName('kpi_x2'), rp: '', token: '', org: '' });
  const reader = new InfluxReadingsReader(influx);
  // 2026-10-23 .. 2026-10-27, the 25th lasting 25 h; readings from two days before to one day after.
  const period = parsePeriod('2026-10-23', '2026-10-27');
  const days = dayWindows(period, TZ);
  const devices: KpiDevice[] = ['w1', 'w2', 'w3', 'w4'].map((id) => ({
    id,
    kind: kind.id,
    intervalS: 900,
  }));

  beforeAll(async () => {
    await influx.ensureDatabase();
    const rnd = seededRandom(7);
    const lines: string[] = [];
    for (const d of devices) {
      // w1 reports every 15 min without fail; the others with jitter, and silences of 40 min to 5 h now and then
      // (longer or shorter than the 45 min after which a device is offline); w4 also skips the field some times
      // (a report with another field only: the gap of volume_m3 looks longer than the device's).
      for (let ts = days[0].start - 2 * 86_400_000; ts < days[4].end + 86_400_000;) {
        const field = d.id === 'w4' && rnd() < 0.05 ? other : fields;
        lines.push(`${kind.measurement},device=${d.id},tenant=t1 ${field} ${ts}`);
        const r = rnd();
        const silence = d.id !== 'w1' && r > 0.985 ? (40 + Math.floor(rnd() * 260)) * MIN : 0;
        ts += silence || 15 * MIN + (d.id === 'w1' ? 0 : Math.floor(rnd() * 3) * MIN);
      }
    }
    await influx.write(lines.join('\n'));
  });

  it('gives, with the whole days told apart first, what every report gives', async () => {
    const ctx = {
      tenant: 't1',
      timeZone: TZ,
      days,
      nights: nightWindows(period, TZ),
      months: monthWindows(period, TZ),
      devices,
      readings: reader,
    } as unknown as KpiContext;
    const got = await DEVICE_AVAILABILITY_KPI.compute(ctx, devices);
    // The reference: every report of the period (and before it, as far as a report keeps a device online).
    const hold = 3 * 900_000;
    const reports = await reader.reportTimes(
      { tenant: 't1', measurement: kind.measurement, timeZone: TZ },
      days[0].start - hold,
      days[4].end,
    );
    const expected = availabilityPoints(devices, reports, days, Date.now());
    const key = (p: { subject: string; ts: number }) => `${p.subject} ${p.ts}`;
    const sort = <T extends { subject: string; ts: number }>(ps: readonly T[]) =>
      [...ps].sort((a, b) => key(a).localeCompare(key(b)));
    expect(sort(got.points).map((p) => [key(p), p.value])).toEqual(
      sort(expected).map((p) => [key(p), expect.closeTo(p.value, 9)]),
    );
    // The data has both kinds of day: whole ones (w1 every day) and ones with silences.
    expect(got.points.filter((p) => p.value === 1).length).toBeGreaterThanOrEqual(5);
    expect(got.points.filter((p) => p.value < 1).length).toBeGreaterThanOrEqual(3);
  });
});
