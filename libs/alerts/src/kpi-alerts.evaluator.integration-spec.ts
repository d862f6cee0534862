import {
  AlertRepository,
  createRedis,
  InfluxClient,
  Redis,
  RedisKeys,
  RedisSpool,
  RegistryRepository,
} from '@vigie/adapters';
import { KPI_IDS, KpiOutputId, KpiWindow } from '@vigie/contracts';
import { findDeviceKind } from '@vigie/devices';
import { AlertEvent, alertIdOf, localWallToUtc, nightBounds, RESOLVED_BY_CONDITION } from '@vigie/domain';
import { KpiPointsReader, toInfluxPoint } from '@vigie/kpi';
import { serviceUrls, uniqueName } from '@vigie/testing';
import { AlertNotifyPort, AlertService } from './alert.service';
import { KpiAlertEvaluator } from './kpi-alerts.evaluator';

const TZ = 'Europe/Paris';
const TENANT = 'lyon';
const LEAK = 'water.night_flow_leak';
const OUT_OF_HOURS = 'energy.out_of_hours_share';

/** Start of the night named by its evening's date (12:00 local). */
const night = (day: string) => nightBounds(day, TZ).start;
const nightEnd = (day: string) => nightBounds(day, TZ).end;
/** 00:00 local of a date. */
const midnight = (day: string) => localWallToUtc(Date.parse(`${day}T00:00:00Z`), TZ);
const feb = (d: number) => `2026-02-${String(d).padStart(2, '0')}`;

/** Records every dispatched event (the notification routes are another feature's). */
class RecordingNotify implements AlertNotifyPort {
  readonly events: AlertEvent[] = [];
  async dispatch(event: AlertEvent): Promise<void> {
    this.events.push(event);
  }
}

describe('KpiAlertEvaluator against real InfluxDB and Redis', () => {
  const { influxUrl, redisUrl } = serviceUrls();
  const influx = new InfluxClient({
    url: influxUrl,
    db: uniqueName('kpi_alerts'),
    rp: '',
    token: '',
    org: '',
  });
  const keys = new RedisKeys(`${uniqueName('kpialerts')}:`);
  const notify = new RecordingNotify();
  let redis: Redis;
  let repository: AlertRepository;
  let evaluator: KpiAlertEvaluator;

  const write = (kpi: KpiOutputId, subject: string, window: KpiWindow, rows: [number, number, number][]) =>
    influx.writePoints(
      rows.map(([ts, value, completeness]) =>
        toInfluxPoint(TENANT, { kpi, subject, window, ts, value, completeness }),
      ),
    );

  beforeAll(async () => {
    redis = createRedis(redisUrl, { name: 'test' });
    await influx.ensureDatabase();
    const registry = new RegistryRepository(redis, keys, 'k'.repeat(32), findDeviceKind);
    await registry.addTenant(TENANT, 'Ville de Lyon', TZ);
    await registry.addSite(TENANT, 'sector-nord', 'Secteur Nord', { sector: 'nord' });
    await registry.addDevice({ tenant: TENANT, id: 'dmc-1', kind: 'water-meter', site: 'sector-nord' });
    await registry.addSite(TENANT, 'mairie', 'Hôtel de ville', { hours: 'Mo-Fr 08:00-18:00' });
    // A library: open 40 h a week, above 30 % out of hours by its hours alone; the rule's default is for offices,
    // schools and town halls, so it is not judged.
    await registry.addSite(TENANT, 'mediatheque', 'Médiathèque', { use: 'library' });
    repository = new AlertRepository(redis, keys);
    const alerts = new AlertService(repository, notify, new RedisSpool(redis, keys, 100));
    evaluator = new KpiAlertEvaluator({ alerts, points: new KpiPointsReader(influx), registry });

    // W5 minimum night flow of the sector's district-inflow meter dmc-1 (m³/h, completeness):
    // nights Feb 1–7 at 2.0 (the baseline: median 2.0, threshold 1.2 × 2.0 = 2.4, clear level 2.2);
    // Feb 8 at 6.5 (breach 1); Feb 9 at 0.3 but 40 % complete (< 80 %: not judged, does not break the run);
    // Feb 10 at 6.4 (breach 2 → fires at the end of night Feb 10, since the start of night Feb 8);
    // Feb 11–14 still leaking at 6.5 (firing; none of them feeds the baseline).
    const w5: [number, number, number][] = [];
    for (let d = 1; d <= 7; d++) w5.push([night(feb(d)), 2.0, 0.95]);
    w5.push([night(feb(8)), 6.5, 0.95], [night(feb(9)), 0.3, 0.4], [night(feb(10)), 6.4, 0.95]);
    for (let d = 11; d <= 14; d++) w5.push([night(feb(d)), 6.5, 0.95]);
    await write(KPI_IDS.W5_MIN_NIGHT_FLOW_M3H, 'dmc-1', 'night', w5);
    // B5 out-of-hours share of the town hall, weekly (weeks start on Monday: Jan 19, Jan 26, Feb 2, Feb 9): 0.2 for
    // three weeks (before the period: the rule reads the weeks its baseline needs), then 0.35 > max(0.3 floor,
    // 1.25 × 0.2) → fires at the end of the week of Feb 9 (Feb 16 00:00), since Feb 9 00:00, threshold 0.3.
    await write(KPI_IDS.B5_OUT_OF_HOURS_SHARE, 'mairie', 'week', [
      [midnight('2026-01-19'), 0.2, 0.9],
      [midnight('2026-01-26'), 0.2, 0.9],
      [midnight(feb(2)), 0.2, 0.9],
      [midnight(feb(9)), 0.35, 0.9],
    ]);
    await write(KPI_IDS.B5_OUT_OF_HOURS_SHARE, 'mediatheque', 'week', [
      [midnight(feb(2)), 0.5, 0.9],
      [midnight(feb(9)), 0.52, 0.9],
    ]);
  });
  afterAll(async () => {
    await redis.quit();
  });

  const leakId = alertIdOf({ tenant: TENANT, rule: LEAK, subject: 'dmc-1', since: night(feb(8)) });
  const b5Id = alertIdOf({ tenant: TENANT, rule: OUT_OF_HOURS, subject: 'mairie', since: midnight(feb(9)) });

  it('raises the leak and the out-of-hours share once, however often the period is evaluated', async () => {
    const first = await evaluator.evaluate(TENANT, feb(1), feb(14));
    expect(first.rules[LEAK]).toEqual({ subjects: 1, raised: 1, cleared: 0, notJudged: 1, disabled: 0 });
    // The library is out of the rule's uses: counted as disabled, no alert.
    expect(first.rules[OUT_OF_HOURS]).toEqual({
      subjects: 1,
      raised: 1,
      cleared: 0,
      notJudged: 0,
      disabled: 1,
    });

    const open = await repository.listOpen(TENANT);
    expect(open.map((a) => a.id).sort()).toEqual([leakId, b5Id].sort());
    expect(await repository.get(TENANT, leakId)).toMatchObject({
      rule: LEAK,
      subject: 'dmc-1',
      site: 'sector-nord',
      state: 'firing',
      severity: 'major',
      since: night(feb(8)),
      firedAt: nightEnd(feb(10)),
      value: 6.4,
      threshold: expect.closeTo(2.4, 9),
      unit: 'm³/h',
      window: 'night',
      completeness: 0.95,
    });
    expect(await repository.get(TENANT, b5Id)).toMatchObject({
      rule: OUT_OF_HOURS,
      subject: 'mairie',
      site: 'mairie',
      state: 'firing',
      since: midnight(feb(9)),
      firedAt: midnight(feb(16)),
      value: 0.35,
      threshold: 0.3,
      window: 'week',
      completeness: 0.9,
    });
    expect(notify.events.map((e) => e.id).sort()).toEqual([`${leakId}:fired`, `${b5Id}:fired`].sort());

    // The same period again, and a later one overlapping it: nothing new, nothing re-notified.
    const second = await evaluator.evaluate(TENANT, feb(1), feb(14));
    const third = await evaluator.evaluate(TENANT, feb(12), feb(14));
    for (const run of [second, third]) {
      expect(run.rules[LEAK]).toMatchObject({ raised: 0, cleared: 0 });
      expect(run.rules[OUT_OF_HOURS]).toMatchObject({ raised: 0, cleared: 0 });
    }
    expect(await repository.list(TENANT)).toHaveLength(2);
    expect((await repository.history(TENANT, leakId)).map((e) => e.type)).toEqual(['fired']);
    expect(notify.events).toHaveLength(2);
  });

  it('resolves both when later windows come back to normal', async () => {
    // Nights Feb 15–16 at 2.1 ≤ 2.2 (1.1 × the pre-leak baseline 2.0): the leak clears at the end of night Feb 15.
    await write(KPI_IDS.W5_MIN_NIGHT_FLOW_M3H, 'dmc-1', 'night', [
      [night(feb(15)), 2.1, 0.95],
      [night(feb(16)), 2.1, 0.95],
    ]);
    // Week of Feb 16 at 0.2 ≤ 1.1 × the baseline 0.2: the share clears at its end (Feb 23 00:00).
    await write(KPI_IDS.B5_OUT_OF_HOURS_SHARE, 'mairie', 'week', [[midnight(feb(16)), 0.2, 0.9]]);

    const run = await evaluator.evaluate(TENANT, feb(15), feb(16));
    expect(run.rules[LEAK]).toMatchObject({ raised: 0, cleared: 1 });
    expect(run.rules[OUT_OF_HOURS]).toMatchObject({ raised: 0, cleared: 1 });
    expect(await repository.listOpen(TENANT)).toEqual([]);
    expect(await repository.get(TENANT, leakId)).toMatchObject({
      state: 'resolved',
      resolvedAt: nightEnd(feb(15)),
      resolvedBy: RESOLVED_BY_CONDITION,
    });
    expect(await repository.get(TENANT, b5Id)).toMatchObject({
      state: 'resolved',
      resolvedAt: midnight(feb(23)),
      resolvedBy: RESOLVED_BY_CONDITION,
    });
    expect(
      notify.events
        .filter((e) => e.type === 'resolved')
        .map((e) => e.alert.id)
        .sort(),
    ).toEqual([leakId, b5Id].sort());

    // Evaluating again changes nothing: the breach stays one resolved alert.
    const again = await evaluator.evaluate(TENANT, feb(1), feb(16));
    expect(again.rules[LEAK]).toMatchObject({ raised: 0, cleared: 0 });
    expect(await repository.list(TENANT)).toHaveLength(2);
  });

  it('keeps judging a leak open longer than the look-back against the nights before it', async () => {
    // Tenant grenoble: nights from 2026-01-01, 7 at 2.0 then 80 leaking at 6.5 (Jan 8 → Mar 28). Evaluated over
    // Jan 1–10 it fires (since Jan 8). Evaluated over Mar 27–28 only, the look-back (2 × (28 + 2) = 60 nights)
    // would hold leak nights alone — their median 6.5 as baseline, 6.5 ≤ 1.1 × 6.5 reading as cleared; the read
    // reaches back before the open alert instead, so the baseline stays 2.0 and the alert stays open.
    const registry = new RegistryRepository(redis, keys, 'k'.repeat(32), findDeviceKind);
    await registry.addTenant('grenoble', 'Grenoble', TZ);
    await registry.addSite('grenoble', 'sector-sud', 'Secteur Sud', {});
    await registry.addDevice({ tenant: 'grenoble', id: 'dmc-g', kind: 'water-meter', site: 'sector-sud' });
    const day = (i: number) => new Date(Date.UTC(2026, 0, 1 + i)).toISOString().slice(0, 10);
    const rows: [number, number, number][] = [];
    for (let i = 0; i < 87; i++) rows.push([night(day(i)), i < 7 ? 2.0 : 6.5, 1]);
    await influx.writePoints(
      rows.map(([ts, value, completeness]) =>
        toInfluxPoint('grenoble', {
          kpi: KPI_IDS.W5_MIN_NIGHT_FLOW_M3H,
          subject: 'dmc-g',
          window: 'night',
          ts,
          value,
          completeness,
        }),
      ),
    );
    expect((await evaluator.evaluate('grenoble', day(0), day(9))).rules[LEAK]).toMatchObject({ raised: 1 });
    expect(day(86)).toBe('2026-03-28');
    const late = await evaluator.evaluate('grenoble', day(85), day(86));
    expect(late.rules[LEAK]).toMatchObject({ raised: 0, cleared: 0 });
    expect(await repository.listOpen('grenoble')).toEqual([
      expect.objectContaining({ rule: LEAK, subject: 'dmc-g', since: night(day(7)), state: 'firing' }),
    ]);
  });

  it('skips a rule disabled for a site, and judges nothing below an overridden completeness', async () => {
    await repository.putOverride(TENANT, { rule: OUT_OF_HOURS, site: 'mairie', enabled: false });
    await repository.putOverride(TENANT, { rule: LEAK, params: { minCompleteness: 0.99 } });
    const run = await evaluator.evaluate(TENANT, feb(1), feb(16));
    expect(run.rules[OUT_OF_HOURS]).toMatchObject({ subjects: 0, disabled: 2, raised: 0 });
    // Every W5 night of the period is below 99 %: 16 nights not judged, no alert.
    expect(run.rules[LEAK]).toMatchObject({ subjects: 1, raised: 0, cleared: 0, notJudged: 16 });
    expect(await repository.list(TENANT)).toHaveLength(2);
  });
});
