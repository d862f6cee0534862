import { Command } from 'commander';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { CliError } from '../output';

/** What the API app's bundle exports (apps/api/src/main.ts). */
export interface ApiApp {
  runApiUntilSignal(onStarted?: (api: { role: string; httpPort?: number }) => void): Promise<void>;
}

/**
 * Loads the API app, bundled next to this CLI by `npm run build:cli` (dist/apps/api/main.js). Apps never import
 * each other's sources, so the CLI loads the app's build, in this process.
 */
export function loadApiApp(): ApiApp {
  const file = join(__dirname, '..', 'api', 'main.js');
  if (!existsSync(file)) throw new CliError(`${file} is missing: build it with 'npm run build:cli'`);
  return require(file) as ApiApp;
}

export function apiCommand(): Command {
  return new Command('api')
    .description(
      'Run the REST API and the KPI worker (NestJS + BullMQ). VIGIE_ROLE=api serves HTTP only, VIGIE_ROLE=worker ' +
        'runs KPI jobs and schedules only (start several; its HTTP_PORT serves only health and metrics), all ' +
        '(default) both; HTTP_PORT (3000). Routes need an API key (vigie apikeys add)',
    )
    .addHelpText(
      'after',
      '\nEndpoints:\n' +
        '  /api/v1/…  registry, readings, KPIs, alerts, API keys, audit, open data: Authorization: Bearer <key>\n' +
        '  /api/docs  Swagger UI (the OpenAPI document at /api/docs-json); docs/api.md has roles and errors\n' +
        '  POST /api/v1/tenants/:tenant/kpis/compute  {"from":"YYYY-MM-DD","to":"YYYY-MM-DD","kpis":["B1"]} → 202 {"jobId"}\n' +
        '  GET  /api/health, /api/health/live, /api/health/ready (503 naming what is down), /api/metrics (Prometheus)\n' +
        'Schedules (worker): hourly at :05 (today), daily at 00:15 (yesterday and the day before), monthly on the 1st,\n' +
        'yearly on 1 January; cron in Europe/Paris, periods in each tenant’s time zone.',
    )
    .action(() => loadApiApp().runApiUntilSignal());
}
