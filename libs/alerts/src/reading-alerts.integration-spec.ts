import {
  AlertRepository,
  createRedis,
  Redis,
  RedisKeys,
  RedisSpool,
  RegistryRepository,
} from '@vigie/adapters';
import { AlertSampleRecord } from '@vigie/contracts';
import { findDeviceKind } from '@vigie/devices';
import { AlertEvent } from '@vigie/domain';
import { serviceUrls, uniqueName } from '@vigie/testing';
import { AlertService } from './alert.service';
import { ReadingAlertEvaluator } from './reading-alerts.evaluator';

const MIN = 60_000;
const T0 = Date.parse('2026-06-15T08:00:00Z'); // 10:00 in Paris, June: broad daylight

describe('reading alerts against a real Redis', () => {
  let redis: Redis;
  let keys: RedisKeys;
  let registry: RegistryRepository;
  let repo: AlertRepository;
  let service: AlertService;
  let evaluator: ReadingAlertEvaluator;
  const events: AlertEvent[] = [];

  beforeAll(async () => {
    redis = createRedis(serviceUrls().redisUrl, { name: 'alerts-test' });
    keys = new RedisKeys(`${uniqueName('alerts')}:`);
    registry = new RegistryRepository(redis, keys, 'k'.repeat(32), findDeviceKind);
    await registry.addTenant('town');
    await registry.addSite('town', 'centre', 'Centre', { lat: '48.85', lon: '2.35' });
    await registry.addDevices([
      { tenant: 'town', id: 'bin-1', kind: 'bin-sensor', site: 'centre' },
      { tenant: 'town', id: 'bin-2', kind: 'bin-sensor', site: 'centre' },
      { tenant: 'town', id: 'lp-1', kind: 'light-controller', site: 'centre' },
    ]);
    repo = new AlertRepository(redis, keys);
    service = new AlertService(
      repo,
      { dispatch: async (e) => void events.push(e) },
      new RedisSpool(redis, keys, 100),
    );
    evaluator = new ReadingAlertEvaluator(service, registry);
  });

  afterAll(async () => {
    await redis.quit();
  });

  const bin = (d: string, ts: number, fill: number, temp: number): AlertSampleRecord => ({
    t: 'town',
    d,
    k: 'bin-sensor',
    s: 'centre',
    r: [ts],
    m: [
      ['fill_pct', ts, fill],
      ['temperature_c', ts, temp],
    ],
  });

  it('raises a bin fire once (threshold and fast rise), resolves it with hysteresis, and ignores a replay', async () => {
    // bin-1 every 5 min: 20 °C, 24, 36 (+16 in 10 min: rise fires, since the 20 °C sample), 61 (≥ 60: fire
    // temperature), 55 (between 50 and 60: still firing), 49 (≤ 50: clears the fire level; the rise over the
    // last 10 min is 49 − 49… window [10, 20] min = 61, 55, 49 → lowest 49, rise 0 ≤ 2: clears too).
    const temps = [20, 24, 36, 61, 55, 49];
    const records = temps.map((t, i) => bin('bin-1', T0 + i * 5 * MIN, 40, t));
    const first = await evaluator.evaluate(records.slice(0, 4));
    expect(first).toEqual({ samples: 8, raised: 2, cleared: 0 });
    const open = await repo.listOpen('town');
    expect(open.map((a) => [a.rule, a.subject, a.since, a.value, a.threshold, a.severity]).sort()).toEqual([
      ['waste.fire_temperature', 'bin-1', T0 + 15 * MIN, 61, 60, 'critical'],
      ['waste.temperature_rise', 'bin-1', T0, 36, 10, 'critical'],
    ]);
    // The same samples again (a replayed stream entry) change nothing.
    expect(await evaluator.evaluate(records.slice(0, 4))).toEqual({ samples: 8, raised: 0, cleared: 0 });
    expect(await evaluator.evaluate(records.slice(4))).toEqual({ samples: 4, raised: 0, cleared: 2 });
    expect(await repo.listOpen('town')).toEqual([]);
    const fired = events.filter((e) => e.type === 'fired' && e.alert.subject === 'bin-1');
    expect(fired).toHaveLength(2);
    const history = await repo.history('town', open[0].id);
    expect(history.map((e) => e.type)).toEqual(['fired', 'resolved']);
    // Every event went to the spool as an `alert` line, on its way to InfluxDB.
    const spooled = (await redis.xrange(keys.spool(), '-', '+')).map(([, f]) => f[1]);
    expect(spooled.filter((l) => l.startsWith('alert,') && l.includes('subject=bin-1'))).toHaveLength(4);
  });

  it('uses the overrides of the device over the tenant', async () => {
    await repo.putOverride('town', { rule: 'waste.overflow', params: { raise: 95, clear: 85 } });
    await repo.putOverride('town', { rule: 'waste.overflow', device: 'bin-2', enabled: false });
    await repo.putOverride('town', {
      rule: 'waste.fill_above_threshold',
      device: 'bin-2',
      params: { raise: 90 },
    });
    evaluator.invalidate('town');
    const r = await evaluator.evaluate([bin('bin-2', T0, 85, 20), bin('bin-2', T0 + 60 * MIN, 97, 20)]);
    expect(r.raised).toBe(1);
    const open = await repo.listOpen('town');
    expect(open.map((a) => [a.rule, a.value, a.threshold])).toEqual([['waste.fill_above_threshold', 97, 90]]);
  });

  it('raises a lamp lit in daylight after 30 min, and a lamp failure flag at once', async () => {
    const lamp = (ts: number, on: boolean, failure: boolean): AlertSampleRecord => ({
      t: 'town',
      d: 'lp-1',
      k: 'light-controller',
      s: 'centre',
      r: [ts],
      m: [
        ['lamp_on', ts, on],
        ['lamp_failure', ts, failure],
      ],
    });
    // Lit from 10:00 to 10:45 Paris time in June: fires at the sample 30 min after the first lit one.
    const recs = [0, 15, 30, 45].map((m) => lamp(T0 + m * MIN, true, false));
    const r = await evaluator.evaluate(recs);
    expect(r.raised).toBe(1);
    const lit = await repo.findOpen('town', 'lighting.lit_in_daylight', 'lp-1');
    expect(lit).toMatchObject({ since: T0, firedAt: T0 + 30 * MIN, value: 30, threshold: 30 });
    await evaluator.evaluate([lamp(T0 + 60 * MIN, false, true)]);
    expect(await repo.findOpen('town', 'lighting.lit_in_daylight', 'lp-1')).toBeUndefined();
    expect(await repo.findOpen('town', 'lighting.lamp_failure', 'lp-1')).toMatchObject({
      since: T0 + 60 * MIN,
    });
  });

  it('finds a silence between two reports in data time, and raises a real-time one only when nothing arrives', async () => {
    // bin-1 reports hourly; after its last sample (T0 + 25 min above), the next comes 5 h later: offline from
    // 3 h after the last report (k = 3) to the new one.
    const last = T0 + 25 * MIN;
    await evaluator.evaluate([bin('bin-1', last + 5 * 60 * MIN, 40, 20)]);
    const offline = (await repo.list('town', { rule: 'devices.offline' }))[0];
    expect(offline).toMatchObject({
      subject: 'bin-1',
      since: last + 3 * 60 * MIN,
      state: 'resolved',
      resolvedAt: last + 5 * 60 * MIN,
      value: 300,
      threshold: 180,
    });
    // Real time: bin-2's last data is T0 + 60 min; at T0 + 5 h it is due offline. Received recently (a backfill):
    // no alert; received long ago: raised once.
    const dueAt = T0 + 60 * MIN + 3 * 60 * MIN;
    await registry.touchDevices(
      new Map([['x', { tenant: 'town', device: 'bin-2', at: T0 + 4 * 60 * MIN + 30 * MIN }]]),
    );
    // (lp-1, last data at T0 + 60 min, every 15 min and never received through a broker here, is offline.)
    expect(await evaluator.sweepOffline('town', T0 + 5 * 60 * MIN)).toBe(1);
    expect(await repo.findOpen('town', 'devices.offline', 'lp-1')).toMatchObject({ since: T0 + 105 * MIN });
    expect(await repo.findOpen('town', 'devices.offline', 'bin-2')).toBeUndefined();
    await registry.touchDevices(new Map([['x', { tenant: 'town', device: 'bin-2', at: T0 + 60 * MIN }]]));
    expect(await evaluator.sweepOffline('town', T0 + 5 * 60 * MIN)).toBe(1);
    expect(await evaluator.sweepOffline('town', T0 + 5 * 60 * MIN + MIN)).toBe(0);
    expect(await repo.findOpen('town', 'devices.offline', 'bin-2')).toMatchObject({ since: dueAt });
    // A due time read before the evaluation moved on (a report after it) does not raise: the sweep judges the
    // rule's current state.
    await evaluator.evaluate([bin('bin-1', T0 + 10 * 60 * MIN, 40, 20)]);
    await repo.setOfflineDue('town', [[T0, 'bin-1']]);
    expect(await evaluator.sweepOffline('town', T0 + 11 * 60 * MIN)).toBe(0);
    // Its next report resolves the same alert (no second one).
    await evaluator.evaluate([bin('bin-2', T0 + 6 * 60 * MIN, 50, 20)]);
    const all = await repo.list('town', { rule: 'devices.offline', subject: 'bin-2' });
    expect(all.map((a) => [a.state, a.since])).toEqual([['resolved', dueAt]]);
  });
});
