import { createRedis, InfluxClient, RedisKeys, RedisSpool } from '@vigie/adapters';
import { expectEventually, serviceUrls, uniqueName } from '@vigie/testing';
import { Redis } from 'ioredis';
import { SpoolWriter, WriterObserver } from './spool.writer';

describe('SpoolWriter against real Redis and InfluxDB', () => {
  const { influxUrl, redisUrl } = serviceUrls();
  const name = uniqueName('writer');
  const keys = new RedisKeys(`${name}:`);
  let redis: Redis;
  let reader: Redis;
  let spool: RedisSpool;
  let influx: InfluxClient;
  let writer: SpoolWriter | undefined;
  const outcomes: string[] = [];
  let linesWritten = 0;
  const observer: WriterObserver = {
    batch: (o, lines) => {
      outcomes.push(o);
      if (o === 'ok') linesWritten += lines;
    },
    depth: () => undefined,
    warn: () => undefined,
  };

  beforeAll(async () => {
    redis = createRedis(redisUrl, { name: 'test' });
    reader = createRedis(redisUrl, { name: 'test-reader', blocking: true });
    spool = new RedisSpool(redis, keys, 100);
    influx = new InfluxClient({ url: influxUrl, db: name, rp: '', token: '', org: '' });
    await influx.ensureDatabase();
  });

  afterEach(async () => {
    await writer?.stop();
    writer = undefined;
  });

  afterAll(async () => {
    await redis.quit();
    await reader.quit();
  });

  const startWriter = async (consumer = 'w1', lingerMs = 0, concurrency = 2) => {
    writer = new SpoolWriter(new RedisSpool(reader, keys, 100), influx, observer, {
      consumer,
      batchLines: 1000,
      concurrency,
      lingerMs,
    });
    await writer.start();
  };

  it('with a linger, gathers entries spooled meanwhile into one InfluxDB write', async () => {
    await startWriter('w-linger', 400, 1);
    const okBefore = outcomes.filter((o) => o === 'ok').length;
    const linesBefore = linesWritten;
    // Five publishes 20 ms apart, all inside the writer's 400 ms linger after it sees the first.
    for (let i = 0; i < 5; i++) {
      await spool.append({ lines: [`linger,device=a v=${i} ${50_000 + i}`], deadLetters: [] });
      await new Promise((r) => setTimeout(r, 20));
    }
    await expectEventually(async () => expect(await spool.depth()).toBe(0));
    expect(outcomes.filter((o) => o === 'ok').length - okBefore).toBe(1);
    expect(linesWritten - linesBefore).toBe(5);
    expect((await influx.query('SELECT v FROM linger'))[0].values).toHaveLength(5);
  });

  it('does not linger when a read brings a tenth of a batch or more (a busy spool)', async () => {
    // batchLines is 1000: 200 lines in one entry are written at once, not after the 10 s linger.
    await startWriter('w-busy', 10_000, 1);
    const started = Date.now();
    const lines = Array.from({ length: 200 }, (_, i) => `busy,device=a v=${i} ${60_000 + i}`);
    await spool.append({ lines, deadLetters: [] });
    await expectEventually(async () => expect(await spool.depth()).toBe(0), 5000);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect((await influx.query('SELECT count(v) FROM busy'))[0].values[0][1]).toBe(200);
  });

  it('writes spooled lines to InfluxDB and empties the spool', async () => {
    await spool.append({ lines: ['m,device=a v=1 1000', 'm,device=a v=2 2000'], deadLetters: [] });
    await spool.append({ lines: ['m,device=b v=3 3000'], deadLetters: [] });
    expect(await spool.depth()).toBe(3);
    await startWriter();
    await expectEventually(async () => expect(await spool.depth()).toBe(0));
    const series = await influx.query('SELECT v FROM m');
    expect(series[0].values).toEqual([
      [1000, 1],
      [2000, 2],
      [3000, 3],
    ]);
  });

  it('counts the lines waiting, and takes an entry off the count only once', async () => {
    await spool.append({ lines: ['twice,device=a v=1 1', 'twice,device=a v=2 2'], deadLetters: [] });
    const reading = new RedisSpool(reader, keys, 100);
    await reading.ensureGroup();
    const entries = await reading.read('counter', 10, 100, '>');
    expect(await spool.depth()).toBe(2);
    await reading.remove(entries);
    await reading.remove(entries);
    expect(await spool.depth()).toBe(0);
  });

  it('finds a line InfluxDB refuses for good, dead-letters it alone and stores the rest of its batch', async () => {
    // `kind` is a float field of `conflict`; the string value of the third line conflicts with it.
    await influx.write('conflict,device=a kind=1 1000');
    const lines = [
      'conflict,device=a kind=2 2000',
      'conflict,device=a other=5 2500',
      'conflict,device=x kind="oops" 3000',
      'conflict,device=a kind=4 4000',
    ];
    await spool.append({ lines, deadLetters: [] });
    await startWriter();
    await expectEventually(async () => expect(await spool.depth()).toBe(0));
    const series = await influx.query('SELECT kind, other FROM conflict');
    expect(series[0].values).toEqual([
      [1000, 1, null],
      [2000, 2, null],
      [2500, null, 5],
      [4000, 4, null],
    ]);
    const letters = await redis.xrange(keys.deadLetters('_'), '-', '+');
    expect(letters).toHaveLength(1);
    const letter = JSON.parse(letters[0][1][1]) as {
      reasons: string[];
      payload: string;
      detail: string;
      device: string;
    };
    expect(letter).toMatchObject({
      reasons: ['write_rejected'],
      payload: 'conflict,device=x kind="oops" 3000',
      device: 'x',
    });
    expect(letter.detail).toMatch(/field type conflict/);
    expect(outcomes).toContain('split');
    expect(outcomes).toContain('rejected');
  });

  it('resumes the entries a crashed consumer had taken but not written', async () => {
    await spool.append({ lines: ['resume,device=a v=7 7000'], deadLetters: [] });
    // A consumer reads the entry, then dies before writing it.
    const crashed = new RedisSpool(reader, keys, 100);
    await crashed.ensureGroup();
    const taken = await crashed.read('w2', 10, 100, '>');
    expect(taken.map((e) => [e.text, e.count])).toEqual([['resume,device=a v=7 7000', 1]]);
    // The same consumer, restarted, reads its pending entries first.
    await startWriter('w2');
    await expectEventually(async () => expect(await spool.depth()).toBe(0));
    expect((await influx.query('SELECT v FROM resume'))[0].values).toEqual([[7000, 7]]);
  });

  it('after a restart writes its pending entries first, then new ones, each exactly once', async () => {
    for (let i = 0; i < 3; i++)
      await spool.append({ lines: [`order,device=a v=${i} ${10_000 + i}`], deadLetters: [] });
    const before = new RedisSpool(reader, keys, 100);
    expect(await before.read('w4', 10, 100, '>')).toHaveLength(3);
    for (let i = 3; i < 5; i++)
      await spool.append({ lines: [`order,device=a v=${i} ${10_000 + i}`], deadLetters: [] });
    const written = linesWritten;
    await startWriter('w4');
    await expectEventually(async () => expect(await spool.depth()).toBe(0));
    expect(linesWritten - written).toBe(5);
    expect((await influx.query('SELECT v FROM "order"'))[0].values.map((v) => v[1])).toEqual([0, 1, 2, 3, 4]);
  });

  it("takes over another consumer's entries once they are abandoned", async () => {
    await spool.append({ lines: ['abandoned,device=a v=9 9000'], deadLetters: [] });
    const dead = new RedisSpool(reader, keys, 100);
    expect(await dead.read('dead-one', 10, 100, '>')).toHaveLength(1);
    writer = new SpoolWriter(new RedisSpool(reader, keys, 100), influx, observer, {
      consumer: 'w3',
      batchLines: 1000,
      concurrency: 1,
      abandonedAfterMs: 200,
    });
    await writer.start();
    await expectEventually(async () => expect(await spool.depth()).toBe(0), 10_000, 100);
    expect((await influx.query('SELECT v FROM abandoned'))[0].values).toEqual([[9000, 9]]);
  });
});
