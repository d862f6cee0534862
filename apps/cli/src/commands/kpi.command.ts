import { InfluxClient, influxOptionsOf } from '@vigie/adapters';
import { KPI_FAMILIES } from '@vigie/contracts';
import { loadConfig } from '@vigie/config';
import {
  KPI_COMPUTATIONS,
  KPI_INFLUX_TIMEOUT_MS,
  KpiEngine,
  KpiEngineError,
  KpiEngineErrorCode,
  KpiRunStatus,
} from '@vigie/kpi';
import { createLogger } from '@vigie/observability';
import { Command } from 'commander';
import { withRegistry } from '../context';
import { CliError } from '../output';

const collect = (value: string, previous: string[]) => [
  ...previous,
  ...value
    .split(',')
    .map((v) => v.trim())
    .filter(Boolean),
];

/** Skips printed per KPI in the text output (`--json` has them all). */
const MAX_SKIPS_SHOWN = 10;

/** The run's status for people: one row per KPI, then each skip with its reason. */
export function formatKpiStatus(status: KpiRunStatus): string {
  const lines = [
    `tenant ${status.tenant}, ${status.from} → ${status.to} (${status.timeZone}): ${status.pointsWritten} point(s) written in ${status.durationMs} ms`,
  ];
  for (const k of status.kpis) {
    const points = Object.entries(k.points)
      .map(([id, n]) => `${id} ${n}`)
      .join(', ');
    lines.push(`${k.kpi.padEnd(3)} ${k.status.padEnd(8)} ${points} (${k.durationMs} ms)`);
    for (const s of k.skipped.slice(0, MAX_SKIPS_SHOWN)) {
      lines.push(`      skipped${s.subject ? ` ${s.subject}` : ''}: ${s.detail} (${s.reason})`);
    }
    if (k.skipped.length > MAX_SKIPS_SHOWN) {
      lines.push(`      … and ${k.skipped.length - MAX_SKIPS_SHOWN} more skipped (--json lists them all)`);
    }
  }
  return lines.join('\n') + '\n';
}

export function kpiCommand(): Command {
  const cmd = new Command('kpi').description(
    'KPIs: compute them from stored readings into the `kpi` measurement',
  );
  const computed = KPI_COMPUTATIONS.map((c) => `${c.family} (${KPI_FAMILIES[c.family]})`).join(', ');
  cmd
    .command('compute')
    .description(
      "Compute KPIs of a tenant for a period of local days (in the tenant's time zone), and the whole months they touch; " +
        'a recompute replaces the stored values. Computed: ' +
        computed,
    )
    .requiredOption('--tenant <tenant>', 'tenant id')
    .requiredOption('--from <YYYY-MM-DD>', 'first local day (inclusive)')
    .requiredOption('--to <YYYY-MM-DD>', 'last local day (inclusive)')
    .option(
      '--kpi <id>',
      'a catalogue id (B1) or output id (B1.consumption_kwh), repeatable or comma-separated; default: all',
      collect,
      [],
    )
    .option('--json', 'print the run status as JSON')
    .addHelpText(
      'after',
      '\nOutputs: InfluxDB measurement `kpi`, tags tenant, kpi, subject, window, method; fields value, completeness.\n' +
        'Every output with its unit, window and formula: docs/kpis.md.\n' +
        'Example: vigie kpi compute --tenant demo --from 2026-03-01 --to 2026-03-31 --kpi B1 --kpi W1',
    )
    .action(async (o: { tenant: string; from: string; to: string; kpi: string[]; json?: boolean }) => {
      const config = loadConfig([
        'INFLUX_URL',
        'INFLUX_DB',
        'INFLUX_RP',
        'INFLUX_TOKEN',
        'INFLUX_ORG',
        'LOG_LEVEL',
      ]);
      const influx = new InfluxClient(influxOptionsOf(config, KPI_INFLUX_TIMEOUT_MS));
      // Logs go to stderr: stdout carries the status.
      const logger = createLogger({
        level: config.LOG_LEVEL,
        format: 'json',
        name: 'vigie-kpi',
        destination: 2,
      });
      let status: KpiRunStatus;
      try {
        status = await withRegistry(({ registry }) =>
          new KpiEngine({ registry, influx, logger }).run({
            tenant: o.tenant,
            from: o.from,
            to: o.to,
            kpis: o.kpi,
          }),
        );
      } catch (err) {
        if (err instanceof KpiEngineError) {
          throw new CliError(err.message, err.code === KpiEngineErrorCode.UnknownTenant ? 1 : 2);
        }
        throw err;
      }
      if (o.json) process.stdout.write(JSON.stringify(status, null, 2) + '\n');
      else process.stdout.write(formatKpiStatus(status));
    });
  return cmd;
}
