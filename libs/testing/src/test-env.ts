import { randomBytes } from 'node:crypto';

export const TEST_CREDENTIAL_KEY = 'test-credential-key-0123456789abcdef0123456789';

/** A name unique to this test (Redis prefix, InfluxDB database). */
export function uniqueName(prefix: string): string {
  return `${prefix}_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
}

export function serviceUrls(): { influxUrl: string; redisUrl: string } {
  const influxUrl = process.env['VIGIE_TEST_INFLUX_URL'];
  const redisUrl = process.env['VIGIE_TEST_REDIS_URL'];
  if (!influxUrl || !redisUrl)
    throw new Error('real services not started: run this test through its jest config (globalSetup)');
  return { influxUrl, redisUrl };
}

/** Environment for a Vigie process isolated from every other test: its own Redis prefix and database. */
export function isolatedEnv(overrides: Record<string, string> = {}): Record<string, string> {
  const { influxUrl, redisUrl } = serviceUrls();
  const name = uniqueName('t');
  return {
    INFLUX_URL: influxUrl,
    INFLUX_DB: name,
    REDIS_URL: redisUrl,
    REDIS_PREFIX: `${name}:`,
    CREDENTIAL_KEY: TEST_CREDENTIAL_KEY,
    MQTT_HOST: '127.0.0.1',
    MQTT_PORT: '0',
    METRICS_PORT: '0',
    INSTANCE_ID: name,
    LOG_LEVEL: 'info',
    ...overrides,
  };
}
