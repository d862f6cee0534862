import { createHash } from 'node:crypto';
import {
  createRedis,
  DeadLetterRepository,
  LorawanUplinkState,
  RedisKeys,
  RedisSpool,
  RegistryRepository,
} from '@vigie/adapters';
import { encodeChirpstackUplink, encodeTtsUplink, LorawanNetwork, UplinkSpec } from '@vigie/contracts';
import { findDeviceKind } from '@vigie/devices';
import { loadGoldenCases, LORAWAN_GOLDEN_DIR, serviceUrls, uniqueName } from '@vigie/testing';
import { Redis } from 'ioredis';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ingestOptions } from './ingest-options';
import { LorawanCounters, LorawanIngestor } from './lorawan.ingestor';
import { ReadingsIngestor } from './readings.ingestor';

describe('LorawanIngestor against real Redis', () => {
  const keys = new RedisKeys(`${uniqueName('lorawan')}:`);
  let redis: Redis;
  let spool: RedisSpool;
  let registry: RegistryRepository;
  let lorawan: LorawanIngestor;
  const counts: Record<string, number> = {};
  const bump = (key: string, n = 1) => (counts[key] = (counts[key] ?? 0) + n);
  const counters: LorawanCounters = {
    event: (network, event) => bump(`event:${network}:${event}`),
    uplink: (network, outcome) => bump(`uplink:${network}:${outcome}`),
    lost: (network, n) => bump(`lost:${network}`, n),
  };
  const noop = () => undefined;
  const now = Date.now();
  const spec = (fCnt: number, extra: Partial<UplinkSpec> = {}): UplinkSpec => ({
    devEui: '70B3D57ED0001234',
    deviceName: 'bin-42',
    applicationId: 'waste',
    fCnt,
    time: now - 60_000 + fCnt,
    object: { fillingLevel: 0.5, temperature: 9 },
    rssiDbm: -100,
    snrDb: 4,
    ...extra,
  });
  const send = (network: LorawanNetwork, msg: { topic: string; payload: string }, tenant = 'lyon') =>
    lorawan.ingest({ tenant, network }, msg.topic, Buffer.from(msg.payload), now);
  const spooled = async () =>
    (await redis.xrange(keys.spool(), '-', '+')).flatMap(([, fields]) => (fields[1] ?? '').split('\n'));

  beforeAll(async () => {
    redis = createRedis(serviceUrls().redisUrl, { name: 'test' });
    spool = new RedisSpool(redis, keys, 100);
    registry = new RegistryRepository(redis, keys, 'k'.repeat(32), findDeviceKind);
    const readings = new ReadingsIngestor(
      spool,
      { message: noop, accepted: noop, rejected: noop, deadLettered: noop, committed: noop },
      ingestOptions({ INGEST_MAX_READINGS: 1000, INGEST_MAX_PAST_DAYS: 400, INGEST_MAX_FUTURE_S: 600 }),
    );
    lorawan = new LorawanIngestor(
      readings,
      registry,
      new LorawanUplinkState(redis, keys),
      counters,
      findDeviceKind,
    );
    await registry.addTenant('lyon');
    await registry.addTenant('nice');
    await registry.addSite('lyon', 'north');
    await registry.addDevice({
      tenant: 'lyon',
      id: 'bin-42',
      kind: 'bin-sensor',
      site: 'north',
      devEui: '70b3d57ed0001234',
    });
  });
  afterAll(async () => redis.quit());

  it('counts the same dedup id again as a duplicate; its copy is the same point, which InfluxDB keeps once', async () => {
    const input = readFileSync(join(LORAWAN_GOLDEN_DIR, 'chirpstack-full-uplink', 'input.json'), 'utf8');
    const doc = JSON.parse(input) as { time: string };
    doc.time = new Date(now - 1000).toISOString();
    const msg = { topic: 'application/a/device/70b3d57ed0001234/event/up', payload: JSON.stringify(doc) };
    const first = await send('chirpstack', msg);
    const second = await send('chirpstack', msg);
    expect([first.outcome, first.device?.id, first.ingest?.accepted]).toEqual(['stored', 'bin-42', 4]);
    expect(second).toMatchObject({ outcome: 'duplicate', lost: 0 });
    const line = `bin_sensor,device=bin-42,site=north,tenant=lyon fill_pct=62,temperature_c=14.5,rssi_dbm=-97,snr_db=6.5 ${now - 1000}`;
    expect(await spooled()).toEqual([line, line]);
    expect(counts['uplink:chirpstack:duplicate']).toBe(1);
    await redis.del(keys.spool());
  });

  it('stores a copy redelivered after a crash between the dedup marker and the spool write', async () => {
    const uplink = spec(150, { dedupId: 'crash-copy' });
    const message = encodeChirpstackUplink(uplink);
    // The first attempt set the marker, then the broker died before the spool write (no PUBACK was sent).
    const fingerprint = createHash('sha1').update(Buffer.from(message.payload)).digest('base64');
    await new LorawanUplinkState(redis, keys).record('lyon', 'bin-42', 'crash-copy', 150, fingerprint);
    const redelivered = await send('chirpstack', message);
    expect(redelivered.outcome).toBe('duplicate');
    expect(await spooled()).toEqual([
      `bin_sensor,device=bin-42,site=north,tenant=lyon fill_pct=50,temperature_c=9,rssi_dbm=-100,snr_db=4 ${uplink.time}`,
    ]);
    await redis.del(keys.spool());
  });

  it('does not spool another copy of the uplink (other gateway metadata): it would change the point', async () => {
    const original = spec(155, { dedupId: 'two-gateways' });
    expect((await send('chirpstack', encodeChirpstackUplink(original))).outcome).toBe('stored');
    const other = await send('chirpstack', encodeChirpstackUplink({ ...original, rssiDbm: -118, snrDb: -3 }));
    expect(other.outcome).toBe('duplicate');
    expect(await spooled()).toEqual([
      `bin_sensor,device=bin-42,site=north,tenant=lyon fill_pct=50,temperature_c=9,rssi_dbm=-100,snr_db=4 ${original.time}`,
    ]);
    await redis.del(keys.spool());
  });

  it('does not spool a copy whose time the server did not state (it would be a new point)', async () => {
    const { topic, payload } = encodeChirpstackUplink(spec(160, { dedupId: 'no-time' }));
    const doc = JSON.parse(payload) as Record<string, unknown> & { rxInfo: Record<string, unknown>[] };
    delete doc['time'];
    for (const g of doc.rxInfo) delete g['nsTime'];
    const msg = { topic, payload: JSON.stringify(doc) };
    expect((await send('chirpstack', msg)).outcome).toBe('stored');
    expect((await send('chirpstack', msg)).outcome).toBe('duplicate');
    expect(await spooled()).toEqual([
      `bin_sensor,device=bin-42,site=north,tenant=lyon fill_pct=50,temperature_c=9,rssi_dbm=-100,snr_db=4 ${now}`,
    ]);
    await redis.del(keys.spool());
  });

  it('counts fCnt gaps as lost uplinks, for both networks sharing the device state', async () => {
    // the previous tests' last uplink had fCnt 160 (118, then 150 — recorded by the 'crashed' attempt, so not
    // in this broker's counters — 155 and 160: 31 + 4 + 4 frames missing)
    expect((await send('tts', encodeTtsUplink(spec(200)))).lost).toBe(39);
    expect((await send('chirpstack', encodeChirpstackUplink(spec(203)))).lost).toBe(2);
    expect((await send('tts', encodeTtsUplink(spec(204)))).lost).toBe(0);
    expect([counts['lost:tts'], counts['lost:chirpstack']]).toEqual([39, 4 + 4 + 2]);
    expect(await new LorawanUplinkState(redis, keys).lostUplinks('lyon')).toEqual({
      'bin-42': 31 + 4 + 4 + 39 + 2,
    });
  });

  it('dead-letters an unknown DevEUI, and an uplink of another tenant never finds this one', async () => {
    const stranger = await send(
      'chirpstack',
      encodeChirpstackUplink(spec(1, { devEui: '0000000000000abc' })),
    );
    const otherTenant = await send('tts', encodeTtsUplink(spec(300)), 'nice');
    expect(stranger.ingest?.rejections.map((r) => r.reason)).toEqual(['unknown_dev_eui']);
    expect(otherTenant.ingest?.rejections.map((r) => r.reason)).toEqual(['unknown_dev_eui']);
    const letters = await new DeadLetterRepository(redis, keys).list({ tenant: 'lyon', limit: 10 });
    expect(letters.map((l) => [l.device, l.reasons])).toEqual([
      ['dev_eui:0000000000000abc', ['unknown_dev_eui']],
    ]);
    expect(letters[0].detail).toContain('--dev-eui 0000000000000abc');
  });

  it.each(
    loadGoldenCases(LORAWAN_GOLDEN_DIR)
      .filter((c) => c.duplicateOf)
      .map((c) => [c.name, c] as const),
  )('golden duplicate %s: counted as a copy, spools what expected.lp says', async (_name, c) => {
    const original = loadGoldenCases(LORAWAN_GOLDEN_DIR).find((o) => o.name === c.duplicateOf);
    if (!original) throw new Error(`no case ${c.duplicateOf}`);
    const tenant = `golden-${c.name}`.slice(0, 60);
    await registry.addTenant(tenant);
    await registry.addSite(tenant, 's1');
    await registry.addDevice({ tenant, id: 'd1', kind: c.kind, site: 's1', devEui: '70b3d57ed0001234' });
    const network = c.network as LorawanNetwork;
    const at = (x: typeof c) => lorawan.ingest({ tenant, network }, x.topic ?? '', x.input, x.receivedAt);
    // Each message is ingested at its case's receive time, as in the pure golden test.
    await redis.del(keys.spool());
    const first = await at(original);
    const afterFirst = await spooled();
    const copy = await at(c);
    expect(first.outcome).not.toBe('duplicate');
    expect(copy.outcome).toBe('duplicate');
    const added = (await spooled()).slice(afterFirst.length);
    const tenantLines = (lines: readonly string[]) =>
      lines.map((l) => l.replace(/tenant=t1/, `tenant=${tenant}`));
    expect(added).toEqual(tenantLines(c.expectedLines));
    await redis.del(keys.spool());
  });

  it('acknowledges and ignores other events', async () => {
    const r = await send('chirpstack', {
      topic: 'application/a/device/70b3d57ed0001234/event/status',
      payload: '{"margin":7,"batteryLevel":80}',
    });
    expect(r).toEqual({ outcome: 'ignored', event: 'status', lost: 0 });
    expect(counts['event:chirpstack:status']).toBe(1);
  });
});
