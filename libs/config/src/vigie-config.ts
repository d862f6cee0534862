import { hostname } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { readEnvFile } from './env-file';

const int = (def: number, min = 0, max = Number.MAX_SAFE_INTEGER) =>
  z.coerce.number().int().min(min).max(max).default(def);
const port = (def: number) => int(def, 0, 65535);
const url = (def: string, protocols: string[]) =>
  z
    .string()
    .default(def)
    .refine(
      (v) => {
        try {
          return protocols.includes(new URL(v).protocol);
        } catch {
          return false;
        }
      },
      `must be a URL starting with ${protocols.map((p) => `${p}//`).join(' or ')}`,
    );

/** Every variable Vigie reads, with its default. `.env.example` documents the same list. */
export const vigieEnvSchema = z.object({
  INFLUX_URL: url('http://127.0.0.1:8086', ['http:', 'https:']),
  INFLUX_DB: z
    .string()
    .regex(/^[A-Za-z0-9_-]+$/, 'letters, digits, - and _ only')
    .default('vigie'),
  INFLUX_RP: z
    .string()
    .regex(/^[A-Za-z0-9_-]*$/, 'letters, digits, - and _ only')
    .default(''),
  INFLUX_TOKEN: z.string().default(''),
  INFLUX_ORG: z.string().default(''),
  REDIS_URL: url('redis://127.0.0.1:6379', ['redis:', 'rediss:']),
  REDIS_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9:_-]*$/)
    .default('vigie:'),
  MQTT_HOST: z.string().default('0.0.0.0'),
  MQTT_PORT: port(1883),
  MQTT_WS_PORT: port(0),
  MQTT_MAX_PACKET_BYTES: int(65536, 128, 256 * 1024 * 1024),
  MQTT_CONNECT_TIMEOUT_MS: int(10000, 100),
  DEVICE_PUBLISH_RATE: z.coerce.number().min(0).default(20),
  DEVICE_PUBLISH_BURST: int(100, 1),
  ACCOUNT_PUBLISH_RATE: z.coerce.number().min(0).default(0),
  AUTH_FAIL_LIMIT: int(10, 1),
  AUTH_FAIL_WINDOW_S: int(60, 1),
  CREDENTIAL_KEY: z.string().min(32, 'must be at least 32 characters (e.g. `openssl rand -hex 32`)'),
  METRICS_HOST: z.string().default('127.0.0.1'),
  METRICS_PORT: port(9464),
  INGEST_MAX_READINGS: int(1000, 1, 100000),
  INGEST_MAX_PAST_DAYS: int(400, 1),
  INGEST_MAX_FUTURE_S: int(600, 0),
  SPOOL_MAX_LINES: int(1_000_000, 100),
  WRITE_BATCH_LINES: int(5000, 1, 100000),
  WRITE_CONCURRENCY: int(2, 1, 16),
  WRITE_LINGER_MS: int(50, 0, 5000),
  WRITER_ENABLED: z
    .enum(['true', 'false'])
    .default('true')
    .transform((v) => v === 'true'),
  DEADLETTER_MAX_PER_TENANT: int(10000, 10),
  ALERT_SAMPLES_MAX: int(200000, 0),
  INSTANCE_ID: z
    .string()
    .regex(/^[A-Za-z0-9._-]+$/)
    .default(hostname().replace(/[^A-Za-z0-9._-]/g, '-') || 'vigie'),
  HTTP_PORT: port(3000),
  VIGIE_ROLE: z.enum(['all', 'api', 'worker']).default('all'),
  KPI_WORKER_CONCURRENCY: int(2, 1, 64),
  SMTP_URL: z
    .string()
    .optional()
    .refine((v) => {
      if (v === undefined) return true;
      try {
        return ['smtp:', 'smtps:'].includes(new URL(v).protocol);
      } catch {
        return false;
      }
    }, 'must be a URL like smtp://user:pass@host:port (or smtps://)'),
  SMTP_FROM: z.string().min(3).default('vigie@localhost'),
  NOTIFY_CONCURRENCY: int(10, 1, 256),
  WEBHOOK_TIMEOUT_MS: int(10000, 100, 300000),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  LOG_FORMAT: z.enum(['json', 'pretty']).default('json'),
});

export type VigieEnv = z.infer<typeof vigieEnvSchema>;

/** What a `vigie api` process does: `api` serves HTTP and enqueues, `worker` runs the KPI jobs, `all` both. */
export type VigieRole = VigieEnv['VIGIE_ROLE'];

/** The variables `vigie api` reads (validated once at boot). */
export const API_CONFIG_KEYS = [
  'INFLUX_URL',
  'INFLUX_DB',
  'INFLUX_RP',
  'INFLUX_TOKEN',
  'INFLUX_ORG',
  'REDIS_URL',
  'REDIS_PREFIX',
  'CREDENTIAL_KEY',
  'HTTP_PORT',
  'VIGIE_ROLE',
  'KPI_WORKER_CONCURRENCY',
  'SMTP_URL',
  'SMTP_FROM',
  'NOTIFY_CONCURRENCY',
  'WEBHOOK_TIMEOUT_MS',
  'DEADLETTER_MAX_PER_TENANT',
  'ALERT_SAMPLES_MAX',
  'LOG_LEVEL',
  'LOG_FORMAT',
] as const satisfies readonly (keyof VigieEnv)[];
export type ApiConfig = Pick<VigieEnv, (typeof API_CONFIG_KEYS)[number]>;

export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** The environment Vigie runs with: `.env` and `.data/stack.env` under `cwd`, overridden by real variables. */
export function gatherEnv(
  env: NodeJS.ProcessEnv = process.env,
  cwd = process.cwd(),
): Record<string, string | undefined> {
  return { ...readEnvFile(join(cwd, '.data', 'stack.env')), ...readEnvFile(join(cwd, '.env')), ...env };
}

/**
 * Validates the variables `keys` of the schema once (a command validates only what it uses); a bad or
 * missing variable stops with the list of problems, never printing a value.
 */
export function loadConfig<K extends keyof VigieEnv>(
  keys: readonly K[],
  env = gatherEnv(),
): Pick<VigieEnv, K> {
  const mask = Object.fromEntries(keys.map((k) => [k, true])) as Record<K, true>;
  const schema = vigieEnvSchema.pick(mask as never);
  const parsed = schema.safeParse(
    Object.fromEntries(keys.map((k) => [k, emptyToUndefined(env[k as string])])),
  );
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
  }
  return parsed.data as Pick<VigieEnv, K>;
}

/**
 * Runs `load` (the boot-time validation of a process's config); on a ConfigError, prints `<program>: <problems>`
 * and where every variable is documented to stderr, and exits with code 2. Other errors are thrown.
 */
export function configOrExit<T>(program: string, load: () => T): T {
  try {
    return load();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${program}: ${err.message}\nSee .env.example for every variable.\n`);
      process.exit(2);
    }
    throw err;
  }
}

function emptyToUndefined(v: string | undefined): string | undefined {
  return v === undefined || v === '' ? undefined : v;
}

export function loadFullConfig(env = gatherEnv()): VigieEnv {
  return loadConfig(Object.keys(vigieEnvSchema.shape) as (keyof VigieEnv)[], env) as VigieEnv;
}
