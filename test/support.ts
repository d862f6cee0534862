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

/**
 * Publishes one message at QoS 1 with mosquitto_pub (a real third-party MQTT client) to a broker on 127.0.0.1;
 * resolves with its exit code and stderr.
 */
export function mosquittoPub(pub: {
  port: number;
  username: string;
  password: string;
  topic: string;
  message: string;
  clientId?: string;
}): Promise<{ code: number; stderr: string }> {
  const args = ['-h', '127.0.0.1', '-p', String(pub.port), '-q', '1', '-u', pub.username, '-P', pub.password];
  if (pub.clientId) args.push('-i', pub.clientId);
  args.push('-t', pub.topic, '-m', pub.message);
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
