import { findExecutable, freePort, LocalService, startInfluxd, startRedis } from '@vigie/local-services';
import { runBrokerUntilSignal } from '@vigie/broker';
import { gatherEnv, readEnvFile } from '@vigie/config';
import { Command } from 'commander';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { appendFileSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { CliError } from '../output';
import { loadApiApp } from './api.command';

const PACKAGES: Record<string, string> = {
  influxd: 'influxdb',
  'redis-server': 'redis-server',
  mosquitto_pub: 'mosquitto-clients',
};

/** Installs the Debian packages Vigie runs on when missing (as root), or says exactly what to install. */
function ensurePackages(needed: string[]): void {
  const missing = needed.filter((bin) => !findExecutable(bin));
  if (missing.length === 0) return;
  const pkgs = [...new Set(missing.map((bin) => PACKAGES[bin]))];
  const isRoot = process.getuid?.() === 0;
  if (!isRoot || !findExecutable('apt-get')) {
    throw new CliError(
      `missing programs: ${missing.join(', ')}. Install them with:\n  sudo apt-get update && sudo apt-get install -y ${pkgs.join(' ')}`,
    );
  }
  process.stderr.write(`Installing ${pkgs.join(', ')} with apt-get…\n`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const update = spawnSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
  const install = spawnSync('apt-get', ['install', '-y', '-qq', ...pkgs], { stdio: 'inherit', env });
  if (update.status !== 0 || install.status !== 0)
    throw new CliError(`apt-get could not install ${pkgs.join(' ')}`);
}

/** Makes sure `.env` has a CREDENTIAL_KEY (generated once, kept for later runs). */
function ensureCredentialKey(cwd: string): void {
  if (gatherEnv(process.env, cwd)['CREDENTIAL_KEY']) return;
  const file = join(cwd, '.env');
  const key = randomBytes(32).toString('hex');
  const header = existsSync(file)
    ? ''
    : '# Created by `vigie stack`. Every variable is described in .env.example.\n';
  appendFileSync(file, `${header}CREDENTIAL_KEY=${key}\n`);
  process.stderr.write(
    `Generated CREDENTIAL_KEY in ${file} (keep it: device passwords are checked with it).\n`,
  );
}

export function stackCommand(): Command {
  return new Command('stack')
    .description(
      'Run Vigie locally: InfluxDB and Redis from the system packages with data under ./.data (unless INFLUX_URL / REDIS_URL are given), then the broker and the API with its KPI worker',
    )
    .option('--data <dir>', 'data directory', '.data')
    .action(async (o: { data: string }) => {
      const cwd = process.cwd();
      const dataDir = resolve(cwd, o.data);
      ensureCredentialKey(cwd);
      const given = { ...readEnvFile(join(cwd, '.env')), ...process.env };
      const needed = [
        ...(given['INFLUX_URL'] ? [] : ['influxd']),
        ...(given['REDIS_URL'] ? [] : ['redis-server']),
      ];
      ensurePackages(needed);
      mkdirSync(dataDir, { recursive: true });
      const services: LocalService[] = [];
      const stopServices = async () => {
        for (const s of services.reverse()) await s.stop();
      };
      try {
        const influxUrl =
          given['INFLUX_URL'] ??
          (await startLocal(services, () =>
            startInfluxd({ dataDir: join(dataDir, 'influxdb'), port: 8086 }),
          ));
        const redisUrl =
          given['REDIS_URL'] ??
          (await startLocal(services, () => startRedis({ dataDir: join(dataDir, 'redis'), port: 6379 })));
        const mqttPort = given['MQTT_PORT'] ? Number(given['MQTT_PORT']) : await freePort(1883);
        const metricsPort = given['METRICS_PORT'] ? Number(given['METRICS_PORT']) : await freePort(9464);
        const httpPort = given['HTTP_PORT'] ? Number(given['HTTP_PORT']) : await freePort(3000);
        writeFileSync(
          join(dataDir, 'stack.env'),
          `# Written by 'vigie stack' for the other vigie commands; removed when it stops.\nINFLUX_URL=${influxUrl}\nREDIS_URL=${redisUrl}\nMQTT_PORT=${mqttPort}\nMETRICS_PORT=${metricsPort}\nHTTP_PORT=${httpPort}\n`,
        );
        process.env['INFLUX_URL'] = influxUrl;
        process.env['REDIS_URL'] = redisUrl;
        process.env['MQTT_PORT'] = String(mqttPort);
        process.env['METRICS_PORT'] = String(metricsPort);
        process.env['HTTP_PORT'] = String(httpPort);
        process.env['LOG_FORMAT'] ??= 'pretty';
        // The broker and the API (REST + KPI worker and schedules) run side by side until Ctrl-C stops both.
        await Promise.all([
          runBrokerUntilSignal({}, (broker) => {
            process.stderr.write(
              banner(
                influxUrl,
                broker.influxVersion,
                redisUrl,
                broker.mqttPort,
                httpPort,
                broker.metricsPort,
              ),
            );
          }),
          loadApiApp().runApiUntilSignal(),
        ]);
      } finally {
        await stopServices();
        try {
          writeFileSync(join(dataDir, 'stack.env'), '');
        } catch {
          // nothing to clean
        }
      }
    });
}

async function startLocal(services: LocalService[], start: () => Promise<LocalService>): Promise<string> {
  const service = await start();
  services.push(service);
  process.stderr.write(`Started ${service.name} at ${service.url} (data: ${service.dataDir})\n`);
  return service.url;
}

function banner(
  influx: string,
  influxVersion: string,
  redis: string,
  mqttPort: number,
  httpPort: number,
  metricsPort?: number,
): string {
  const mqtt = `127.0.0.1 -p ${mqttPort}`;
  return `
Vigie is running.
  MQTT      mqtt://127.0.0.1:${mqttPort}
  InfluxDB  ${influx}  (${influxVersion})
  Redis     ${redis}
  Metrics   http://127.0.0.1:${metricsPort}/metrics
  API       http://127.0.0.1:${httpPort}/api/docs  (Swagger UI; a key: npm run -s vigie -- apikeys add --role platform-operator --name me)

Connect a device, from another terminal in this folder:
  npm run -s vigie -- tenants add demo
  npm run -s vigie -- devices add --tenant demo --id meter-1 --kind energy-meter
  mosquitto_pub -h ${mqtt} -q 1 -u demo:meter-1 -P '<password printed above>' \\
    -t vigie/demo/devices/meter-1/readings -m '{"values":{"energy_kwh":1234.5,"power_w":830}}'

Stop with Ctrl-C (readings not yet in InfluxDB stay in the Redis spool).
`;
}
