import { Redis } from 'ioredis';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findExecutable, freePort, startInfluxd, startRedis } from './local-services';

describe('local services (the processes `vigie stack` and the test harness start)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigie-ls-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('finds installed programs and says when one is missing', () => {
    expect(findExecutable('influxd')).toMatch(/\/influxd$/);
    expect(findExecutable('surely-not-a-program-xyz')).toBeUndefined();
  });

  it('gives the preferred port when free, another when taken', async () => {
    const taken = createServer();
    await new Promise<void>((r) => taken.listen(0, '127.0.0.1', () => r()));
    const port = (taken.address() as { port: number }).port;
    const other = await freePort(port);
    expect(other).not.toBe(port);
    taken.close();
    expect(await freePort(other)).toBe(other);
  });

  it('starts influxd, keeps its data across a stop and start on the same port', async () => {
    const influx = await startInfluxd({ dataDir: join(dir, 'influx') });
    try {
      expect((await fetch(`${influx.url}/ping`)).status).toBe(204);
      await fetch(`${influx.url}/query`, {
        method: 'POST',
        body: new URLSearchParams({ q: 'CREATE DATABASE kept' }),
      });
      await influx.stop();
      await expect(fetch(`${influx.url}/ping`)).rejects.toThrow();
      await influx.start();
      const res = (await (await fetch(`${influx.url}/query?q=SHOW%20DATABASES`)).json()) as {
        results: { series: { values: string[][] }[] }[];
      };
      expect(res.results[0].series[0].values.flat()).toContain('kept');
    } finally {
      await influx.stop();
    }
  });

  it('starts redis-server with append-only durability and noeviction', async () => {
    const redis = await startRedis({ dataDir: join(dir, 'redis') });
    const client = new Redis(redis.url);
    try {
      expect(redis.url).toMatch(/^redis:\/\/127\.0\.0\.1:\d+$/);
      expect(await client.config('GET', 'appendonly')).toEqual(['appendonly', 'yes']);
      expect(await client.config('GET', 'maxmemory-policy')).toEqual(['maxmemory-policy', 'noeviction']);
    } finally {
      client.disconnect();
      await redis.stop();
    }
  });
});
