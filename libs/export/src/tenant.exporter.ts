import {
  AlertRepository,
  AlertRoutesRepository,
  InfluxClient,
  RegistryRepository,
  summarizeRoute,
} from '@vigie/adapters';
import { KPI_FIELDS, KPI_MEASUREMENT, KPI_TAGS } from '@vigie/contracts';
import { dayStringToNumber, DeviceKind, localDayBounds } from '@vigie/domain';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import {
  ACCOUNTS_SCHEMA,
  ALERTS_SCHEMA,
  ARCHIVE_PATHS,
  CREDENTIALS_SCHEMA,
  devicesSchema,
  InfluxFieldType,
  MeasurementColumns,
  measurementColumns,
  measurementSchema,
  readingsPath,
  ROUTES_SCHEMA,
  RULES_SCHEMA,
  SILENCES_SCHEMA,
  SITES_SCHEMA,
  TENANT_SCHEMA,
} from './archive.schemas';
import { csvRecord } from './csv';
import {
  buildDataPackage,
  DataPackage,
  DataResource,
  DEFAULT_LICENCE,
  describeResource,
  TableSchema,
} from './datapackage';
import { ExportError, ExportErrorCode } from './export.errors';
import { FileSink } from './file.sink';
import { fieldKeys, influxRows, InfluxRow, tagKeys, tagValues } from './influx-rows.reader';

/** The stores an export reads (and an import writes): the same adapters the CLI and the API use. */
export interface ArchiveStores {
  readonly registry: RegistryRepository;
  readonly alerts: AlertRepository;
  readonly routes: AlertRoutesRepository;
  readonly influx: InfluxClient;
  /** The device-kind catalogue (measurement and metrics of each kind). */
  readonly kinds: readonly DeviceKind[];
}

export interface ExportOptions {
  readonly tenant: string;
  /** First and last local day (YYYY-MM-DD, inclusive, in the tenant's time zone) of the time series; absent: all. */
  readonly from?: string;
  readonly to?: string;
  /** The archive directory to create (must not exist, or be empty). */
  readonly out: string;
  readonly licence?: string;
  /** Include the devices' and accounts' secret hashes (registry/credentials.csv). Default true. */
  readonly credentialHashes?: boolean;
  /** Points per InfluxDB query (default 10,000). */
  readonly pageSize?: number;
  readonly now?: () => Date;
  /** Progress for people (one line per file written). */
  readonly onProgress?: (line: string) => void;
}

export interface ArchiveFileSummary {
  readonly path: string;
  readonly rows: number;
  readonly bytes: number;
}

export interface ExportSummary {
  readonly tenant: string;
  /** Absolute path of the archive directory. */
  readonly path: string;
  readonly from: string | null;
  readonly to: string | null;
  readonly files: readonly ArchiveFileSummary[];
  readonly counts: {
    readonly sites: number;
    readonly devices: number;
    readonly accounts: number;
    readonly ruleOverrides: number;
    readonly routes: number;
    readonly silences: number;
    readonly alerts: number;
    readonly readings: number;
    readonly rejected: number;
    readonly kpiPoints: number;
    readonly alertEvents: number;
  };
  readonly durationMs: number;
}

/** `alert` events (libs/alerts): tags and fields every export describes, even when none are stored yet. */
const ALERT_EVENT_TAGS = ['tenant', 'site', 'domain', 'event', 'rule', 'severity', 'subject'];
const ALERT_EVENT_FIELDS: { name: string; type: InfluxFieldType }[] = [
  { name: 'alert_id', type: 'string' },
  { name: 'title', type: 'string' },
  { name: 'text', type: 'string' },
  { name: 'state', type: 'string' },
  { name: 'value', type: 'number' },
  { name: 'threshold', type: 'number' },
  { name: 'completeness', type: 'number' },
];
const REJECTED_MEASUREMENT = 'rejected';
const ALERT_EVENT_MEASUREMENT = 'alert';

/** The period as epoch-ms bounds of local days; throws ExportError for a bad date or period. */
export function exportPeriod(
  from: string | undefined,
  to: string | undefined,
  timeZone: string,
): { from?: number; to?: number } {
  const day = (what: string, v: string) => {
    try {
      dayStringToNumber(v);
      return localDayBounds(v, timeZone);
    } catch {
      throw new ExportError(
        ExportErrorCode.InvalidPeriod,
        `--${what} '${v.slice(0, 32)}' is not a YYYY-MM-DD date`,
      );
    }
  };
  const start = from === undefined ? undefined : day('from', from).start;
  const end = to === undefined ? undefined : day('to', to).end;
  if (start !== undefined && end !== undefined && end <= start) {
    throw new ExportError(ExportErrorCode.InvalidPeriod, `--to ${to} is before --from ${from}`);
  }
  return { from: start, to: end };
}

const iso = (ms: number | undefined) =>
  ms === undefined || !Number.isFinite(ms) ? null : new Date(ms).toISOString();

/** A cell of a point's CSV row: numbers and booleans as InfluxDB returned them, null as a missing value. */
function cellOf(v: unknown): string | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string') return v;
  return String(v);
}

/**
 * Writes a tenant's archive: a directory with `datapackage.json` and one file per resource (see ARCHIVE_PATHS and
 * docs/export.md). Files are written into `<out>.partial` and the directory renamed at the end, so an interrupted
 * export never leaves something that looks complete. Time series are read in pages per device (readings,
 * refusals), per KPI output and per alert rule, and streamed to their files.
 */
export async function exportTenant(stores: ArchiveStores, opts: ExportOptions): Promise<ExportSummary> {
  const started = Date.now();
  const { registry, influx } = stores;
  const tenant = await registry.getTenant(opts.tenant);
  if (!tenant) {
    throw new ExportError(
      ExportErrorCode.UnknownTenant,
      `tenant '${opts.tenant}' does not exist (see 'vigie tenants list')`,
    );
  }
  const period = exportPeriod(opts.from, opts.to, tenant.timeZone);
  const out = resolve(opts.out);
  if (existsSync(out) && readdirSync(out).length > 0) {
    throw new ExportError(
      ExportErrorCode.OutputExists,
      `${out} exists and is not empty: choose another --out`,
    );
  }
  const work = `${out}.partial`;
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  const progress = (line: string) => opts.onProgress?.(`${line} (${Date.now() - started} ms)`);
  const resources: DataResource[] = [];
  const files: ArchiveFileSummary[] = [];
  const fileOf = (path: string) => {
    const full = join(work, path);
    mkdirSync(dirname(full), { recursive: true });
    return full;
  };
  const addResource = (
    path: string,
    schema: TableSchema,
    rows: number,
    bytes: number,
    title: string,
    extra = {},
  ) => {
    resources.push({ ...describeResource(path, schema, { rows, bytes, title }), ...extra });
    files.push({ path, rows, bytes });
  };
  const writeJson = (path: string, schema: TableSchema, rows: readonly object[], title: string) => {
    const text = `[\n${rows.map((r) => JSON.stringify(r)).join(',\n')}${rows.length ? '\n' : ''}]\n`;
    writeFileSync(fileOf(path), text);
    addResource(path, schema, rows.length, Buffer.byteLength(text), title);
  };
  const writeCsv = async (
    path: string,
    schema: TableSchema,
    rows: readonly (string | null)[][],
    title: string,
  ) => {
    const sink = new FileSink(fileOf(path));
    await sink.write(csvRecord(schema.fields.map((f) => f.name)));
    for (const r of rows) await sink.write(csvRecord(r));
    await sink.close();
    addResource(path, schema, rows.length, sink.bytes, title);
  };

  // Registry.
  writeJson(
    ARCHIVE_PATHS.tenant,
    TENANT_SCHEMA,
    [
      {
        id: tenant.id,
        name: tenant.name,
        timeZone: tenant.timeZone,
        ...(tenant.createdAt ? { createdAt: tenant.createdAt } : {}),
      },
    ],
    'Tenant',
  );
  const sites = await registry.listSites(tenant.id);
  await writeCsv(
    ARCHIVE_PATHS.sites,
    SITES_SCHEMA,
    sites.map((s) => [s.id, s.name, JSON.stringify(s.attributes), s.createdAt || null]),
    'Sites',
  );
  const devices = await registry.listDevices(tenant.id);
  const kindIds = stores.kinds.map((k) => k.id);
  await writeCsv(
    ARCHIVE_PATHS.devices,
    devicesSchema(kindIds),
    devices.map((d) => [
      d.id,
      d.kind,
      d.site ?? null,
      String(d.intervalS),
      d.devEui ?? null,
      d.createdAt || null,
      iso(d.lastSeen),
      d.location ? String(d.location.lat) : null,
      d.location ? String(d.location.lon) : null,
    ]),
    'Devices',
  );
  const accounts = await registry.listAccounts(tenant.id);
  writeJson(
    ARCHIVE_PATHS.accounts,
    ACCOUNTS_SCHEMA,
    accounts.map((a) => ({
      username: a.username,
      id: a.id,
      acl: a.acl,
      ...(a.lorawan ? { lorawan: a.lorawan } : {}),
      ...(a.createdAt ? { createdAt: a.createdAt } : {}),
    })),
    'Integration accounts',
  );
  const withHashes = opts.credentialHashes ?? true;
  if (withHashes) {
    const hashes = await registry.credentialHashes(tenant.id);
    await writeCsv(
      ARCHIVE_PATHS.credentials,
      CREDENTIALS_SCHEMA,
      [...hashes].map(([u, h]) => [u, h]),
      'Credential hashes',
    );
  }
  progress(`registry: ${sites.length} sites, ${devices.length} devices, ${accounts.length} accounts`);

  // Alerting state.
  const overrides = await stores.alerts.listOverrides(tenant.id);
  writeJson(ARCHIVE_PATHS.rules, RULES_SCHEMA, overrides, 'Alert rule overrides');
  const routes = (await stores.routes.routesOf(tenant.id)).map(summarizeRoute);
  writeJson(ARCHIVE_PATHS.routes, ROUTES_SCHEMA, routes, 'Notification routes');
  const silences = await stores.alerts.listSilences(tenant.id);
  writeJson(ARCHIVE_PATHS.silences, SILENCES_SCHEMA, silences, 'Silences and maintenance windows');
  const alerts = (await stores.alerts.list(tenant.id)).sort(
    (a, b) => a.firedAt - b.firedAt || a.id.localeCompare(b.id),
  );
  const alertRows: object[] = [];
  for (const a of alerts)
    alertRows.push({ id: a.id, alert: a, history: await stores.alerts.history(tenant.id, a.id) });
  writeJson(ARCHIVE_PATHS.alerts, ALERTS_SCHEMA, alertRows, 'Alerts with their history');
  progress(
    `alerts: ${overrides.length} rule overrides, ${routes.length} routes, ${silences.length} silences, ${alerts.length} alerts`,
  );

  // Time series.
  const series = async (
    path: string,
    title: string,
    columns: MeasurementColumns,
    partitions: { tag: string; values: readonly string[] },
    primaryKey?: readonly string[],
  ): Promise<number> => {
    const schema = measurementSchema(columns, primaryKey);
    const sink = new FileSink(fileOf(path));
    await sink.write(csvRecord(schema.fields.map((f) => f.name)));
    let rows = 0;
    const toRecord = (r: InfluxRow) => [
      new Date(r.time).toISOString(),
      ...columns.tags.map((t) => cellOf(r[t])),
      ...columns.fields.map((f) => cellOf(r[f.name])),
    ];
    for (const value of partitions.values) {
      for await (const page of influxRows(influx, {
        measurement: columns.measurement,
        tenant: tenant.id,
        partition: { tag: partitions.tag, value },
        ...period,
        pageSize: opts.pageSize,
      })) {
        let text = '';
        for (const r of page) text += csvRecord(toRecord(r));
        await sink.write(text);
        rows += page.length;
      }
    }
    await sink.close();
    addResource(path, schema, rows, sink.bytes, title, {
      vigie: { measurement: columns.measurement, tags: columns.tags },
    });
    progress(
      `${path}: ${rows} rows (${partitions.values.length} ${partitions.tag}${partitions.values.length === 1 ? '' : 's'})`,
    );
    return rows;
  };

  const byMeasurement = new Map<string, { kinds: DeviceKind[]; devices: string[] }>();
  for (const d of devices) {
    const kind = stores.kinds.find((k) => k.id === d.kind);
    if (!kind) continue;
    const entry = byMeasurement.get(kind.measurement) ?? { kinds: [], devices: [] };
    if (!entry.kinds.includes(kind)) entry.kinds.push(kind);
    entry.devices.push(d.id);
    byMeasurement.set(kind.measurement, entry);
  }
  let readings = 0;
  for (const [measurement, entry] of [...byMeasurement].sort(([a], [b]) => a.localeCompare(b))) {
    const profileFields = entry.kinds.flatMap((k) =>
      Object.entries(k.metrics).map(([name, m]) => ({
        name,
        type: (m.type === 'boolean' ? 'boolean' : 'number') as InfluxFieldType,
      })),
    );
    const columns = measurementColumns(
      measurement,
      ['tenant', 'site', 'device', ...(await tagKeys(influx, measurement))],
      [...(await fieldKeys(influx, measurement)), ...profileFields],
    );
    readings += await series(readingsPath(measurement), `Readings: ${measurement}`, columns, {
      tag: 'device',
      values: entry.devices,
    });
  }

  const rejectedColumns = measurementColumns(
    REJECTED_MEASUREMENT,
    ['tenant', 'site', 'device', 'reason', ...(await tagKeys(influx, REJECTED_MEASUREMENT))],
    [{ name: 'readings', type: 'number' }, ...(await fieldKeys(influx, REJECTED_MEASUREMENT))],
  );
  const rejected = await series(
    ARCHIVE_PATHS.rejected,
    'Refused readings (counts per payload and reason)',
    rejectedColumns,
    {
      tag: 'device',
      values: await tagValues(influx, REJECTED_MEASUREMENT, 'device', tenant.id),
    },
  );

  const kpiColumns = measurementColumns(
    KPI_MEASUREMENT,
    [...Object.values(KPI_TAGS), ...(await tagKeys(influx, KPI_MEASUREMENT))],
    [
      { name: KPI_FIELDS.value, type: 'number' },
      { name: KPI_FIELDS.completeness, type: 'number' },
      ...(await fieldKeys(influx, KPI_MEASUREMENT)),
    ],
  );
  const kpiPoints = await series(ARCHIVE_PATHS.kpi, 'KPI values', kpiColumns, {
    tag: KPI_TAGS.kpi,
    values: await tagValues(influx, KPI_MEASUREMENT, KPI_TAGS.kpi, tenant.id),
  });

  const alertColumns = measurementColumns(
    ALERT_EVENT_MEASUREMENT,
    [...ALERT_EVENT_TAGS, ...(await tagKeys(influx, ALERT_EVENT_MEASUREMENT))],
    [...ALERT_EVENT_FIELDS, ...(await fieldKeys(influx, ALERT_EVENT_MEASUREMENT))],
  );
  const alertEvents = await series(ARCHIVE_PATHS.alertEvents, 'Alert events', alertColumns, {
    tag: 'rule',
    values: await tagValues(influx, ALERT_EVENT_MEASUREMENT, 'rule', tenant.id),
  });

  const descriptor: DataPackage = buildDataPackage({
    tenant: tenant.id,
    tenantName: tenant.name,
    created: (opts.now ?? (() => new Date()))(),
    licence: opts.licence ?? DEFAULT_LICENCE,
    from: period.from,
    to: period.to,
    credentialHashes: withHashes,
    resources,
  });
  writeFileSync(join(work, 'datapackage.json'), JSON.stringify(descriptor, null, 2) + '\n');
  if (existsSync(out)) rmSync(out, { recursive: true });
  renameSync(work, out);
  return {
    tenant: tenant.id,
    path: out,
    from: descriptor.vigie.from,
    to: descriptor.vigie.to,
    files: [...files].sort((a, b) => a.path.localeCompare(b.path)),
    counts: {
      sites: sites.length,
      devices: devices.length,
      accounts: accounts.length,
      ruleOverrides: overrides.length,
      routes: routes.length,
      silences: silences.length,
      alerts: alerts.length,
      readings,
      rejected,
      kpiPoints,
      alertEvents,
    },
    durationMs: Date.now() - started,
  };
}
