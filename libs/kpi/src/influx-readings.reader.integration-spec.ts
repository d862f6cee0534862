import { InfluxClient } from '@vigie/adapters';
import { KPI_IDS } from '@vigie/contracts';
import { dailyDegreeDays, dailyIndexConsumption, Sample } from '@vigie/domain';
import { seededRandom, serviceUrls, uniqueName } from '@vigie/testing';
import { indexDeltasOfSamples, INDEX_LOOKBACK_MS, InfluxReadingsReader } from './influx-readings.reader';
import { KpiPointsWriter } from './kpi-points.writer';
import { dayWindows, nightWindows, parsePeriod } from './kpi-windows.utils';

const TZ = 'Europe/Paris';
const MIN = 60_000;

describe('InfluxReadingsReader against a real InfluxDB', () => {
  const { influxUrl } = serviceUrls();
  const influx = new InfluxClient({
    url: influxUrl,
    db: uniqueName('kpi_reader'),
    rp: '',
    token: '',
    org: '',
  });
  const reader = new InfluxReadingsReader(influx);
  const scope = { tenant: 't1', measurement: 'energy_meter', timeZone: TZ };
  // 2026-10-24 .. 2026-10-26, the 25th lasting 25 h.
  const days = dayWindows(parsePeriod('2026-10-24', '2026-10-26'), TZ);
  const series = new Map<string, Sample[]>();

  beforeAll(async () => {
    await influx.ensureDatabase();
    const rnd = seededRandom(42);
    // Three meters from two days before the period to one after: readings every 15 min with jitter, gaps of up
    // to 6 h, resets (back to a small value) about once a day, one reading exactly at each local midnight.
    for (const device of ['m1', 'm2', 'm3']) {
      const samples: Sample[] = [];
      let value = 1000 * rnd();
      for (let ts = days[0].start - 2 * 86_400_000; ts < days[2].end + 86_400_000;) {
        samples.push({ ts, value: Math.round(value * 1000) / 1000 });
        const r = rnd();
        value = r < 0.01 ? 3 * rnd() : value + 5 * rnd();
        const step = r > 0.98 ? 6 * 60 * MIN : 15 * MIN;
        const next = ts + step;
        const midnight = days.map((d) => d.end).find((m) => m > ts && m < next);
        ts = midnight ?? next;
      }
      series.set(device, samples);
    }
    // m3 resets exactly on the first reading of the period (the interval opening it).
    const m3 = series.get('m3') as Sample[];
    const i = m3.findIndex((s) => s.ts > days[0].start);
    m3[i] = { ts: m3[i].ts, value: 0.5 };
    for (let k = i + 1; k < m3.length; k++) m3[k] = { ts: m3[k].ts, value: m3[k - 1].value + 1 };
    const lines = [...series].flatMap(([device, s]) =>
      s.map((x) => `energy_meter,device=${device},tenant=t1 energy_kwh=${x.value} ${x.ts}`),
    );
    await influx.write(lines.join('\n'));
  });

  it.each([7, 2, 1])(
    'gives the same daily consumption as the domain calculator on the raw readings, resets and DST included (%i-day queries)',
    async (chunkDays) => {
      const got = await reader.dailyIndexDeltas(scope, 'energy_kwh', days, undefined, chunkDays);
      let resets = 0;
      for (const [device, samples] of series) {
        const expected = new Map(dailyIndexConsumption(samples, {}, TZ).map((d) => [d.day, d]));
        days.forEach((day, i) => {
          const e = expected.get(day.key);
          const g = got.get(device)?.get(i);
          expect([device, day.key, g?.delta]).toEqual([
            device,
            day.key,
            expect.closeTo(e?.consumption ?? 0, 6),
          ]);
          expect(g?.resets ?? 0).toBe(e?.resets ?? 0);
          resets += g?.resets ?? 0;
        });
      }
      expect(resets).toBeGreaterThan(0);
    },
  );

  it("gives, from raw readings in the service, the consumption InfluxDB's daily reduction gives (resets and DST included)", async () => {
    // indexDeltasOfSamples (used where a KPI reads the raw index anyway: light points) on the raw readings from a
    // look back before the period must match dailyIndexDeltas.
    const daily = await reader.dailyIndexDeltas(scope, 'energy_kwh', days);
    const raw = await reader.rawSamples(
      scope,
      'energy_kwh',
      days[0].start - INDEX_LOOKBACK_MS,
      days[2].end + 1,
    );
    for (const device of series.keys()) {
      const samples = (raw.get(device) ?? []).map((x) => ({ ts: x.ts, value: x.value as number }));
      const windowed = indexDeltasOfSamples(samples, days);
      days.forEach((day, i) => {
        const d = daily.get(device)?.get(i);
        const w = windowed.get(i);
        expect([device, day.key, w?.delta, w?.intervals, w?.resets]).toEqual([
          device,
          day.key,
          expect.closeTo(d?.delta ?? 0, 6),
          d?.intervals,
          d?.resets,
        ]);
      });
    }
  });

  it('reduces per night, several nights per query but those across the clock change, as the readings say', async () => {
    // Nights of the 22nd to the 26th (noon to noon): the 24th's lasts 25 h and the 25th's starts at 12:00 CET, so
    // InfluxDB's day buckets are not those two nights: each is read alone, the others in day buckets.
    const nights = nightWindows(parsePeriod('2026-10-22', '2026-10-26'), TZ);
    const agg = await reader.windowAggregates(
      scope,
      nights,
      'count("energy_kwh") AS n, max("energy_kwh") AS mx',
      '"energy_kwh" >= 100',
    );
    for (const [device, samples] of series)
      nights.forEach((night, i) => {
        const high = samples.filter((x) => x.ts >= night.start && x.ts < night.end && x.value >= 100);
        const got = agg.get(device)?.get(i);
        const max = high.length ? Math.round(Math.max(...high.map((x) => x.value)) * 1e6) : undefined;
        const gotMax = got?.['mx'] === undefined ? undefined : Math.round(got['mx'] * 1e6);
        expect([device, night.key, got?.['n'], gotMax]).toEqual([
          device,
          night.key,
          high.length || undefined,
          max,
        ]);
      });
    expect(nights.map((n) => (n.end - n.start) / 3_600_000)).toEqual([24, 24, 25, 24, 24]);
  });

  it('reduces per window with a condition, and snapshots the newest reports before an instant', async () => {
    // m1 on the 25th (25 h): its readings ≥ the day's median, counted by InfluxDB and by hand; then its 2 newest
    // reports at or before the end of the 24th, newest first.
    const m1 = series.get('m1') as Sample[];
    const inDay = m1.filter((x) => x.ts >= days[1].start && x.ts < days[1].end);
    const limit = [...inDay].sort((a, b) => a.value - b.value)[inDay.length >> 1].value;
    const agg = await reader.windowAggregates(
      scope,
      [days[1]],
      'count("energy_kwh") AS n, max("energy_kwh") AS mx',
      `"energy_kwh" >= ${limit}`,
    );
    const high = inDay.filter((x) => x.value >= limit);
    expect(agg.get('m1')?.get(0)?.['n'] ?? 0).toBe(high.length);
    expect(high.length).toBeGreaterThan(0);
    expect(agg.get('m1')?.get(0)?.['mx']).toBeCloseTo(Math.max(...high.map((x) => x.value)), 9);
    const [snapshot] = await reader.latestReports(scope, ['energy_kwh'], [days[0].end], 86_400_000, 2);
    const before = m1
      .filter((x) => x.ts <= days[0].end)
      .slice(-2)
      .reverse();
    expect(snapshot.get('m1')?.map((r) => [r['time'], r['energy_kwh']])).toEqual(
      before.map((x) => [x.ts, x.value]),
    );
  });

  it('gives the day minimum and maximum of the domain calculator', async () => {
    const stats = await reader.dailyStats(scope, 'energy_kwh', days);
    const expected = dailyDegreeDays(series.get('m1') as Sample[], 'meteo', 18, TZ).filter((d) =>
      days.some((w) => w.key === d.day),
    );
    expect(days.map((_, i) => [stats.get('m1')?.get(i)?.min, stats.get('m1')?.get(i)?.max])).toEqual(
      expected.map((d) => [d.tn, d.tx]),
    );
  });

  it('replaces KPI points: a rewrite keeps one point per series and time, a vanished value is removed', async () => {
    const writer = new KpiPointsWriter(influx);
    const point = (subject: string, ts: number, value: number) => ({
      kpi: KPI_IDS.B1_CONSUMPTION_KWH,
      subject,
      window: 'day' as const,
      ts,
      value,
      completeness: 1,
    });
    const range = { start: days[0].start, end: days[2].end };
    await writer.replace('t1', [KPI_IDS.B1_CONSUMPTION_KWH], range, [
      point('a', days[0].start, 1),
      point('b', days[1].start, 2),
    ]);
    await writer.replace('t1', [KPI_IDS.B1_CONSUMPTION_KWH], range, [point('a', days[0].start, 3)]);
    const rows = await influx.query(`SELECT value, subject FROM kpi WHERE tenant = 't1'`);
    expect(rows[0].values).toEqual([[days[0].start, 3, 'a']]);
  });
});
