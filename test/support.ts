import { InfluxClient, InfluxSeries } from '@vigie/adapters';
import { execFile } from 'node:child_process';

/** An InfluxQL client on the test database. */
export function influxFor(env: Record<string, string>): InfluxClient {
  return new InfluxClient({ url: env['INFLUX_URL'], db: env['INFLUX_DB'], rp: '', token: '', org: '' });
}

/** Rows of a query as objects keyed by column. */
export function rows(series: InfluxSeries[]): Record<string, unknown>[] {
  return series.flatMap((s) => s.values.map((v) => Object.fromEntries(s.columns.map((c, i) => [c, v[i]]))));
}

/** Runs mosquitto_pub (a real third-party MQTT client); resolves with its exit code and stderr. */
export function mosquittoPub(args: string[]): Promise<{ code: number; stderr: string }> {
  return new Promise((resolve) => {
    execFile('mosquitto_pub', args, { timeout: 15_000 }, (err, _stdout, stderr) =>
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stderr }),
    );
  });
}

export interface DeviceCredentials {
  username: string;
  password: string;
  topic: string;
}
