import { serviceUrls, uniqueName } from '@vigie/testing';
import { createRedis, Redis, RedisKeys } from '../redis/redis-connection';
import { AlertRepository, StoredAlert } from './alert.repository';

const alert = (id: string, since: number, subject = 'bin-1'): StoredAlert => ({
  id,
  tenant: 'town',
  rule: 'waste.overflow',
  subject,
  severity: 'major',
  state: 'firing',
  since,
  firedAt: since,
  value: 101,
  threshold: 100,
  domain: 'waste',
});

describe('AlertRepository against a real Redis', () => {
  let redis: Redis;
  let repo: AlertRepository;

  beforeAll(() => {
    redis = createRedis(serviceUrls().redisUrl, { name: 'alert-repo-test' });
    repo = new AlertRepository(redis, new RedisKeys(`${uniqueName('alertrepo')}:`));
  });

  afterAll(async () => {
    await redis.quit();
  });

  it('keeps one open alert per rule and subject, even when two processes fire at once', async () => {
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) => repo.fire(alert(`a${i}`, 1000 + i))),
    );
    expect(results.filter((r) => r.created)).toHaveLength(1);
    const winner = results.find((r) => r.created)?.alert.id;
    expect(new Set(results.map((r) => r.alert.id))).toEqual(new Set([winner]));
    expect((await repo.listOpen('town')).map((a) => a.id)).toEqual([winner]);
    // Another subject has its own slot.
    expect((await repo.fire(alert('b0', 5000, 'bin-2'))).created).toBe(true);
  });

  it('records every transition once when people act at the same time, and frees the slot when resolved', async () => {
    const open = (await repo.findOpen('town', 'waste.overflow', 'bin-2')) as StoredAlert;
    const [acked, assigned] = await Promise.all([
      repo.act('town', open.id, { type: 'acknowledge', by: 'tech', at: 6000 }),
      repo.act('town', open.id, { type: 'assign', to: 'astreinte', at: 6001 }),
    ]);
    expect(acked?.event?.type).toBe('acknowledged');
    expect(assigned?.event?.type).toBe('assigned');
    // Acknowledging again changes nothing and records nothing.
    expect(
      (await repo.act('town', open.id, { type: 'acknowledge', by: 'x', at: 6500 }))?.event,
    ).toBeUndefined();
    const resolved = await repo.act('town', open.id, { type: 'resolve', by: 'manager', at: 7000 });
    expect(resolved?.alert).toMatchObject({
      state: 'resolved',
      acknowledgedBy: 'tech',
      assignee: 'astreinte',
      resolvedBy: 'manager',
      resolvedAt: 7000,
    });
    expect((await repo.history('town', open.id)).map((e) => e.type).sort()).toEqual(
      ['acknowledged', 'assigned', 'fired', 'resolved'].sort(),
    );
    expect(await repo.findOpen('town', 'waste.overflow', 'bin-2')).toBeUndefined();
    // A new breach of the same rule and subject opens a new alert; the same breach (same id) does not.
    expect((await repo.fire(alert('b0', 5000, 'bin-2'))).created).toBe(false);
    expect((await repo.fire(alert('b1', 8000, 'bin-2'))).created).toBe(true);
    expect(await repo.act('town', 'nope', { type: 'resolve', by: 'x', at: 1 })).toBeUndefined();
  });

  it('lists by filter, newest first', async () => {
    const all = await repo.list('town');
    expect(all.map((a) => a.firedAt)).toEqual([...all.map((a) => a.firedAt)].sort((a, b) => b - a));
    expect((await repo.list('town', { subject: 'bin-2', state: 'resolved' })).map((a) => a.id)).toEqual([
      'b0',
    ]);
    expect((await repo.list('town', { state: 'open', subject: 'bin-2' })).map((a) => a.id)).toEqual(['b1']);
    expect((await repo.list('town', { from: 4000, to: 9000 })).map((a) => a.id)).toEqual(['b1', 'b0']);
  });
});
