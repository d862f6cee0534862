import {
  dailyCountQuery,
  dailyIndexQuery,
  dailyStatsQuery,
  edgeReadingQuery,
  rawQuery,
  seriesRows,
} from './influx-readings.reader';

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
});
