import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, loadConfig, loadFullConfig, vigieEnvSchema } from './vigie-config';

const KEY = 'x'.repeat(32);

describe('configuration', () => {
  it('.env.example documents exactly the variables of the schema', () => {
    const example = readFileSync(join(__dirname, '..', '..', '..', '.env.example'), 'utf8');
    const documented = [...example.matchAll(/^#? ?([A-Z][A-Z0-9_]+)=/gm)].map((m) => m[1]).sort();
    expect(documented).toEqual(Object.keys(vigieEnvSchema.shape).sort());
  });

  it('applies the documented defaults', () => {
    const c = loadFullConfig({ CREDENTIAL_KEY: KEY });
    expect(c).toMatchObject({
      INFLUX_URL: 'http://127.0.0.1:8086',
      INFLUX_DB: 'vigie',
      REDIS_URL: 'redis://127.0.0.1:6379',
      MQTT_PORT: 1883,
      MQTT_MAX_PACKET_BYTES: 65536,
      METRICS_PORT: 9464,
      WRITER_ENABLED: true,
      HTTP_PORT: 3000,
      VIGIE_ROLE: 'all',
      KPI_WORKER_CONCURRENCY: 2,
    });
  });

  it('lists every problem at once and never echoes a value', () => {
    let error: unknown;
    try {
      loadConfig(['MQTT_PORT', 'REDIS_URL', 'CREDENTIAL_KEY', 'WRITER_ENABLED'], {
        MQTT_PORT: '70000',
        REDIS_URL: 'postgres://secret@host',
        CREDENTIAL_KEY: 'tooshort-secret',
        WRITER_ENABLED: 'maybe',
      });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems;
    expect(problems.map((p) => p.split(':')[0]).sort()).toEqual([
      'CREDENTIAL_KEY',
      'MQTT_PORT',
      'REDIS_URL',
      'WRITER_ENABLED',
    ]);
    expect((error as ConfigError).message).not.toContain('tooshort-secret');
    expect((error as ConfigError).message).not.toContain('postgres://secret');
  });

  it('refuses an unknown role, naming the allowed ones', () => {
    expect(() => loadConfig(['VIGIE_ROLE'], { VIGIE_ROLE: 'boss' })).toThrow(
      /VIGIE_ROLE: .*"all".*"api".*"worker"/,
    );
    expect(loadConfig(['VIGIE_ROLE', 'HTTP_PORT'], { VIGIE_ROLE: 'worker', HTTP_PORT: '0' })).toEqual({
      VIGIE_ROLE: 'worker',
      HTTP_PORT: 0,
    });
  });

  it('validates only the variables a command asks for', () => {
    expect(loadConfig(['INFLUX_DB'], { CREDENTIAL_KEY: '' })).toEqual({ INFLUX_DB: 'vigie' });
    expect(() => loadConfig(['CREDENTIAL_KEY'], {})).toThrow(ConfigError);
  });
});
