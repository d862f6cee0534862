import {
  dailyCountQuery,
  dailyIndexQuery,
  dailyStatsQuery,
  dayBucketOffset,
  edgeReadingQuery,
  rawQuery,
  seriesRows,
  windowAggregateQuery,
} from './influx-readings.reader';
import { nightWindows, parsePeriod } from './kpi-windows.utils';

const scope = { tenant: "l'isle", measurement: 'energy_meter', timeZone: 'Europe/Paris' };
// 2026-03-29 local: [2026-03-28T23:00Z, 2026-03-29T22:00Z).
const S = 1774738800000;
const E = 1774821600000;

describe('InfluxQL of the readings reader', () => {
  it('sums index deltas per local day in InfluxDB, a reading at midnight closing the day before', () => {
    expect(dailyIndexQuery(scope, 'energy_kwh', S, E)).toBe(
      `SELECT sum(d) AS pos, min(d) AS mind, count(d) AS n FROM (` +
        `SELECT difference("energy_kwh") AS d FROM "energy_meter" ` +
        `WHERE "tenant" = 'l\\'isle' AND time > ${S}ms AND time <= ${E}ms GROUP BY "device") ` +
        `WHERE time > ${S}ms AND time <= ${E}ms GROUP BY time(1d, 1ms), "device" fill(none) tz('Europe/Paris')`,
    );
  });

  it('reduces per local day with min, max, count and last, and counts every field', () => {
    expect(dailyStatsQuery(scope, 'temperature_c', S, E)).toBe(
      `SELECT min("temperature_c") AS min, max("temperature_c") AS max, count("temperature_c") AS n, ` +
        `last("temperature_c") AS last FROM "energy_meter" WHERE "tenant" = 'l\\'isle' AND time >= ${S}ms ` +
        `AND time < ${E}ms GROUP BY time(1d), "device" fill(none) tz('Europe/Paris')`,
    );
    expect(dailyCountQuery(scope, S, E)).toBe(
      `SELECT count(*) FROM "energy_meter" WHERE "tenant" = 'l\\'isle' AND time >= ${S}ms AND time < ${E}ms ` +
        `GROUP BY time(1d), "device" fill(none) tz('Europe/Paris')`,
    );
  });

  it('reads edge and raw readings per device', () => {
    expect(edgeReadingQuery(scope, 'energy_kwh', 'last', S - 1000, S, 'm"1')).toBe(
      `SELECT last("energy_kwh") AS v FROM "energy_meter" WHERE "tenant" = 'l\\'isle' AND time > ${S - 1000}ms ` +
        `AND time <= ${S}ms AND "device" = 'm"1' GROUP BY "device"`,
    );
    expect(rawQuery(scope, ['lamp_on'], S, E)).toBe(
      `SELECT "lamp_on" FROM "energy_meter" WHERE "tenant" = 'l\\'isle' AND time >= ${S}ms AND time < ${E}ms ` +
        `GROUP BY "device"`,
    );
    expect(rawQuery(scope, ['lamp_on', 'energy_kwh'], S, E, 'l1')).toBe(
      `SELECT "lamp_on", "energy_kwh" FROM "energy_meter" WHERE "tenant" = 'l\\'isle' AND time >= ${S}ms ` +
        `AND time < ${E}ms AND "device" = 'l1' GROUP BY "device"`,
    );
  });

  it('flattens series into rows with their device', () => {
    expect(
      seriesRows([
        {
          name: 'm',
          tags: { device: 'a' },
          columns: ['time', 'v'],
          values: [
            [1, 2],
            [3, null],
          ],
        },
        { name: 'm', columns: ['time', 'v'], values: [[5, 6]] },
      ]),
    ).toEqual([
      { device: 'a', cells: { time: 1, v: 2 } },
      { device: 'a', cells: { time: 3, v: null } },
      { device: '', cells: { time: 5, v: 6 } },
    ]);
  });

  it("tells which nights are InfluxDB's day buckets with a 12 h offset: all but the two around a clock change", () => {
    // time(1d, 12h) in Europe/Paris draws [local midnight + 12 h, next local midnight + 12 h): the night of the 28th
    // March (12:00 CET → 12:00 CEST, 23 h) ends an hour before its bucket; the night of the 29th starts at 12:00
    // CEST = 10:00Z, its bucket at 00:00 CET + 12 h = 11:00Z. The same in October with the 24th (25 h) and 25th.
    const offsets = (from: string, to: string) =>
      nightWindows(parsePeriod(from, to), 'Europe/Paris').map((n) => dayBucketOffset(n, 'Europe/Paris'));
    const H12 = 12 * 3_600_000;
    expect(offsets('2026-03-27', '2026-03-30')).toEqual([H12, undefined, undefined, H12]);
    expect(offsets('2026-10-23', '2026-10-26')).toEqual([H12, undefined, undefined, H12]);
    expect(windowAggregateQuery(scope, 'count("lamp_on") AS n', S, E, '"lamp_on" = true', H12)).toBe(
      `SELECT count("lamp_on") AS n FROM "energy_meter" WHERE "tenant" = 'l\\'isle' AND time >= ${S}ms ` +
        `AND time < ${E}ms AND ("lamp_on" = true) GROUP BY time(1d, 43200000ms), "device" fill(none) ` +
        `tz('Europe/Paris')`,
    );
  });
});
