import { LocalService, startInfluxd, startRedis } from '@vigie/local-services';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Real InfluxDB and Redis for a test run, or the ones named by INFLUX_URL / REDIS_URL. */
export interface TestServices {
  readonly influxUrl: string;
  readonly redisUrl: string;
  stop(): Promise<void>;
}

export async function startTestServices(env: NodeJS.ProcessEnv = process.env): Promise<TestServices> {
  const dir = mkdtempSync(join(tmpdir(), 'vigie-test-'));
  const started: LocalService[] = [];
  const influxUrl =
    env['INFLUX_URL'] ||
    (started.push(await startInfluxd({ dataDir: join(dir, 'influxdb') })), started[started.length - 1].url);
  const redisUrl =
    env['REDIS_URL'] ||
    (started.push(await startRedis({ dataDir: join(dir, 'redis') })), started[started.length - 1].url);
  return {
    influxUrl,
    redisUrl,
    async stop() {
      for (const s of started.reverse()) await s.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A fresh temporary directory, removed by the returned function. */
export function tempDir(prefix = 'vigie-'): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
