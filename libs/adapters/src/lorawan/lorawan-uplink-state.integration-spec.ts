import { serviceUrls, uniqueName } from '@vigie/testing';
import { Redis } from 'ioredis';
import { createRedis, RedisKeys } from '../redis/redis-connection';
import { LORAWAN_MAX_FCNT_GAP, LorawanUplinkState, UplinkRecord } from './lorawan-uplink-state';

describe('LorawanUplinkState against real Redis', () => {
  let redis: Redis;
  let other: Redis;
  let state: LorawanUplinkState;
  let secondBroker: LorawanUplinkState;
  const keys = new RedisKeys(`${uniqueName('lora')}:`);

  beforeAll(() => {
    redis = createRedis(serviceUrls().redisUrl, { name: 'test' });
    other = createRedis(serviceUrls().redisUrl, { name: 'test-2' });
    state = new LorawanUplinkState(redis, keys);
    secondBroker = new LorawanUplinkState(other, keys);
  });
  afterAll(async () => {
    await redis.quit();
    await other.quit();
  });

  it('counts fCnt gaps as lost uplinks and refuses a dedup id seen before, across brokers', async () => {
    const steps: [LorawanUplinkState, string, number, UplinkRecord][] = [
      [state, 'u1', 10, { duplicate: false, lost: 0, sameMessage: false }],
      [state, 'u2', 11, { duplicate: false, lost: 0, sameMessage: false }],
      [secondBroker, 'u2', 11, { duplicate: true, lost: 0, sameMessage: true }],
      [secondBroker, 'u5', 14, { duplicate: false, lost: 2, sameMessage: false }],
      [state, 'u5', 14, { duplicate: true, lost: 0, sameMessage: true }],
      [state, 'u5b', 14, { duplicate: false, lost: 0, sameMessage: false }],
      [state, 'u6', 20, { duplicate: false, lost: 5, sameMessage: false }],
      // a reset (rejoin): counter goes down, nothing lost
      [state, 'r0', 0, { duplicate: false, lost: 0, sameMessage: false }],
      [state, 'r1', 1, { duplicate: false, lost: 0, sameMessage: false }],
      // a jump beyond MAX_FCNT_GAP is a new session, not a loss
      [state, 'big', 2 + LORAWAN_MAX_FCNT_GAP + 1, { duplicate: false, lost: 0, sameMessage: false }],
    ];
    for (const [s, dedup, fCnt, expected] of steps) {
      expect([dedup, fCnt, await s.record('lyon', 'bin-1', dedup, fCnt)]).toEqual([dedup, fCnt, expected]);
    }
    expect(await state.lostUplinks('lyon')).toEqual({ 'bin-1': 7 });
  });

  it('keeps devices and tenants apart, and expires dedup markers', async () => {
    expect(await state.record('lyon', 'bin-2', 'x1', 5)).toEqual({
      duplicate: false,
      lost: 0,
      sameMessage: false,
    });
    expect(await state.record('lyon', 'bin-2', 'x2', 7)).toEqual({
      duplicate: false,
      lost: 1,
      sameMessage: false,
    });
    expect(await state.record('nice', 'bin-2', 'x1', 9)).toEqual({
      duplicate: false,
      lost: 0,
      sameMessage: false,
    });
    expect(await state.lostUplinks('nice')).toEqual({});
    expect(await redis.ttl(keys.lorawanSeen('lyon', 'x1'))).toBeGreaterThan(86_000);
  });

  it('forgets a marker so that a redelivery after a failed spool write is stored', async () => {
    expect(await state.record('lyon', 'bin-3', 'f1', 1)).toEqual({
      duplicate: false,
      lost: 0,
      sameMessage: false,
    });
    await state.forget('lyon', 'f1');
    expect(await state.record('lyon', 'bin-3', 'f1', 1)).toEqual({
      duplicate: false,
      lost: 0,
      sameMessage: false,
    });
  });

  it('tells a redelivery of the same message from another copy of the uplink', async () => {
    expect(await state.record('lyon', 'bin-5', 'm1', 1, 'sha-a')).toEqual({
      duplicate: false,
      lost: 0,
      sameMessage: false,
    });
    expect(await secondBroker.record('lyon', 'bin-5', 'm1', 1, 'sha-a')).toEqual({
      duplicate: true,
      lost: 0,
      sameMessage: true,
    });
    expect(await state.record('lyon', 'bin-5', 'm1', 1, 'sha-b')).toEqual({
      duplicate: true,
      lost: 0,
      sameMessage: false,
    });
  });

  it('runs concurrent copies of one uplink atomically: exactly one is new', async () => {
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => (i % 2 ? state : secondBroker).record('lyon', 'bin-4', 'c1', 3)),
    );
    expect(results.filter((r) => !r.duplicate)).toHaveLength(1);
  });
});
