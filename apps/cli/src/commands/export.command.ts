import { AlertRepository, AlertRoutesRepository, InfluxClient, influxOptionsOf } from '@vigie/adapters';
import { loadConfig } from '@vigie/config';
import { DEVICE_KINDS } from '@vigie/devices';
import {
  ArchiveStores,
  DEFAULT_LICENCE,
  ExportError,
  ExportErrorCode,
  exportTenant,
  importArchive,
  KNOWN_LICENCES,
} from '@vigie/export';
import { Command } from 'commander';
import { withRegistry } from '../context';
import { CliError } from '../output';

/** Runs `fn` with the stores an archive is read from or written to; ExportErrors become CliErrors. */
async function withArchiveStores<T>(fn: (stores: ArchiveStores) => Promise<T>): Promise<T> {
  const config = loadConfig(['INFLUX_URL', 'INFLUX_DB', 'INFLUX_RP', 'INFLUX_TOKEN', 'INFLUX_ORG']);
  const influx = new InfluxClient(influxOptionsOf(config, 60_000));
  try {
    return await withRegistry(({ registry, redis, keys }) =>
      fn({
        registry,
        alerts: new AlertRepository(redis, keys),
        routes: new AlertRoutesRepository(redis, keys),
        influx,
        kinds: DEVICE_KINDS,
      }),
    );
  } catch (err) {
    if (err instanceof ExportError) {
      const usage = err.code === ExportErrorCode.InvalidPeriod || err.code === ExportErrorCode.OutputExists;
      throw new CliError(err.message, usage ? 2 : 1);
    }
    throw err;
  }
}

const stamp = (d: Date) =>
  d
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');

export function exportCommand(): Command {
  return new Command('export')
    .description(
      "Write a tenant's complete archive — registry, alert rules, routes, silences, alerts, readings, refusals, KPIs, " +
        'alert events — as CSV and JSON files described by a Frictionless Data Package (datapackage.json)',
    )
    .requiredOption('--tenant <tenant>', 'tenant id')
    .option(
      '--from <YYYY-MM-DD>',
      "first local day of the time series (tenant's time zone); default: the first",
    )
    .option('--to <YYYY-MM-DD>', 'last local day of the time series (inclusive); default: the last')
    .option('--out <dir>', 'archive directory to create (default: ./vigie-export-<tenant>-<UTC time>)')
    .option(
      '--licence <id>',
      `licence of the data (${Object.keys(KNOWN_LICENCES).join(', ')}, or any SPDX id)`,
      DEFAULT_LICENCE,
    )
    .option(
      '--no-credential-hashes',
      'leave out registry/credentials.csv (the devices need new secrets after an import)',
    )
    .option('--no-progress', 'no progress lines on stderr')
    .option('--json', 'print the summary as JSON')
    .addHelpText(
      'after',
      '\nThe archive is a directory: datapackage.json, registry/ (tenant.json, sites.csv, devices.csv, accounts.json,\n' +
        'credentials.csv), alerts/ (rules.json, routes.json, silences.json, alerts.json, alert-events.csv),\n' +
        'readings/<measurement>.csv and readings/rejected.csv, kpi/kpi.csv. Times are ISO 8601 UTC.\n' +
        'No secret travels in clear: devices and accounts only as their keyed hashes, webhook secrets not at all.\n' +
        'Layout and schemas: docs/export.md. Restore with `vigie import <dir>`.\n' +
        'Example: vigie export --tenant demo --from 2026-01-01 --to 2026-03-31 --out ./demo-q1',
    )
    .action(
      async (o: {
        tenant: string;
        from?: string;
        to?: string;
        out?: string;
        licence: string;
        credentialHashes: boolean;
        progress: boolean;
        json?: boolean;
      }) => {
        const summary = await withArchiveStores((stores) =>
          exportTenant(stores, {
            tenant: o.tenant,
            from: o.from,
            to: o.to,
            out: o.out ?? `vigie-export-${o.tenant}-${stamp(new Date())}`,
            licence: o.licence,
            credentialHashes: o.credentialHashes,
            onProgress: o.progress ? (line) => process.stderr.write(`${line}\n`) : undefined,
          }),
        );
        if (o.json) {
          process.stdout.write(JSON.stringify(summary, null, 2) + '\n');
          return;
        }
        const c = summary.counts;
        process.stdout.write(
          `${summary.path}\n` +
            `tenant ${summary.tenant}: ${c.sites} sites, ${c.devices} devices, ${c.accounts} accounts, ` +
            `${c.ruleOverrides} rule overrides, ${c.routes} routes, ${c.silences} silences, ${c.alerts} alerts; ` +
            `${c.readings} readings, ${c.rejected} refusals, ${c.kpiPoints} KPI points, ${c.alertEvents} alert events ` +
            `in ${summary.files.length} files (${summary.durationMs} ms)\n`,
        );
      },
    );
}

export function importCommand(): Command {
  return new Command('import')
    .description(
      "Restore an archive written by 'vigie export' into this platform, which must not have its tenant yet",
    )
    .argument('<archive>', 'the archive directory (holding datapackage.json)')
    .option('--no-progress', 'no progress lines on stderr')
    .option('--json', 'print the summary as JSON')
    .addHelpText(
      'after',
      '\nEverything is checked before anything is written: datapackage.json, every file against its schema\n' +
        '(header, types, row counts), the references between files; the first problems are printed with their\n' +
        'file and line. The import refuses when the tenant exists here (in Redis, or with points in InfluxDB).\n' +
        'Devices and accounts keep their ids, kinds, sites, intervals, DevEUIs and ACLs; they keep their\n' +
        "passwords when the archive has credential hashes and CREDENTIAL_KEY is the exporting platform's.\n" +
        'Webhook secrets are not in archives: set them again (the summary lists the routes).\n' +
        'Example: vigie import ./demo-q1',
    )
    .action(async (archive: string, o: { progress: boolean; json?: boolean }) => {
      const summary = await withArchiveStores((stores) =>
        importArchive(stores, {
          archive,
          onProgress: o.progress ? (line) => process.stderr.write(`${line}\n`) : undefined,
        }),
      );
      if (o.json) {
        process.stdout.write(JSON.stringify(summary, null, 2) + '\n');
        return;
      }
      const c = summary.counts;
      const points = Object.entries(c.points)
        .map(([m, n]) => `${m} ${n}`)
        .join(', ');
      process.stdout.write(
        `imported tenant ${summary.tenant} from ${summary.archive} (${summary.durationMs} ms)\n` +
          `registry: ${c.sites} sites, ${c.devices} devices, ${c.accounts} accounts, ${c.credentialHashes} credential hashes\n` +
          `alerting: ${c.ruleOverrides} rule overrides, ${c.routes} routes, ${c.silences} silences, ${c.alerts} alerts\n` +
          `points: ${points || 'none'}\n` +
          summary.warnings.map((w) => `note: ${w}\n`).join(''),
      );
    });
}
