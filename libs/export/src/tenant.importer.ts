import { devEuiProblem, escapeLineProtocol, StoredAlert } from '@vigie/adapters';
import { accountAclProblem, idProblem, isLorawanNetwork, parseUsername, usernames } from '@vigie/contracts';
import { siteRoleProblem } from '@vigie/devices';
import {
  AlertEvent,
  AlertRoute,
  AlertRuleOverride,
  AlertSilence,
  canonicalTimeZone,
  GeoLocation,
  locationProblem,
  SITE_ROLE_ATTRIBUTE,
  SITE_SECTOR_ATTRIBUTE,
  validateAlertRoute,
  validateSilence,
} from '@vigie/domain';
import { createReadStream, existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { isAbsolute, join, normalize, relative, resolve, sep } from 'node:path';
import {
  ACCOUNTS_SCHEMA,
  ALERTS_SCHEMA,
  ARCHIVE_PATHS,
  CREDENTIALS_SCHEMA,
  devicesSchema,
  ROUTES_SCHEMA,
  RULES_SCHEMA,
  SILENCES_SCHEMA,
  SITES_SCHEMA,
  TENANT_SCHEMA,
} from './archive.schemas';
import { CsvParser, CsvSyntaxError } from './csv';
import {
  ARCHIVE_FORMAT_VERSION,
  castCell,
  DataPackage,
  DataResource,
  FieldType,
  jsonRowProblems,
  TableField,
  TableSchema,
} from './datapackage';
import { ExportError, ExportErrorCode } from './export.errors';
import { tenantHasPoints } from './influx-rows.reader';
import { ArchiveStores } from './tenant.exporter';

export interface ImportOptions {
  /** The archive directory (the one holding datapackage.json). */
  readonly archive: string;
  /** Lines per InfluxDB write (default 5,000). */
  readonly batchLines?: number;
  /** Problems reported at most (default 20). */
  readonly maxProblems?: number;
  readonly onProgress?: (line: string) => void;
}

export interface ImportSummary {
  readonly tenant: string;
  readonly archive: string;
  readonly counts: {
    readonly sites: number;
    readonly devices: number;
    readonly accounts: number;
    readonly credentialHashes: number;
    readonly ruleOverrides: number;
    readonly routes: number;
    readonly silences: number;
    readonly alerts: number;
    /** Points written per measurement. */
    readonly points: Readonly<Record<string, number>>;
  };
  /** What the import could not carry over and what to do about it. */
  readonly warnings: readonly string[];
  readonly durationMs: number;
}

const FIELD_TYPES: readonly FieldType[] = [
  'string',
  'number',
  'integer',
  'boolean',
  'datetime',
  'object',
  'array',
];

/** The files whose content the import restores into Redis, with the schema this version writes. */
const STATIC_RESOURCES: readonly {
  path: string;
  schema: (kinds: readonly string[]) => TableSchema;
  optional?: boolean;
}[] = [
  { path: ARCHIVE_PATHS.tenant, schema: () => TENANT_SCHEMA },
  { path: ARCHIVE_PATHS.sites, schema: () => SITES_SCHEMA },
  { path: ARCHIVE_PATHS.devices, schema: devicesSchema },
  { path: ARCHIVE_PATHS.accounts, schema: () => ACCOUNTS_SCHEMA },
  { path: ARCHIVE_PATHS.credentials, schema: () => CREDENTIALS_SCHEMA, optional: true },
  { path: ARCHIVE_PATHS.rules, schema: () => RULES_SCHEMA },
  { path: ARCHIVE_PATHS.routes, schema: () => ROUTES_SCHEMA },
  { path: ARCHIVE_PATHS.silences, schema: () => SILENCES_SCHEMA },
  { path: ARCHIVE_PATHS.alerts, schema: () => ALERTS_SCHEMA },
];

/** Collects problems up to a bound; `full` once it is reached. */
class Problems {
  readonly list: string[] = [];
  constructor(private readonly max: number) {}
  add(where: string, what: string): void {
    if (this.list.length < this.max) this.list.push(`${where}: ${what}`);
  }
  get full(): boolean {
    return this.list.length >= this.max;
  }
}

type Row = Record<string, unknown>;

/** Everything an archive holds but its time series, read and checked. */
interface ArchiveContent {
  readonly descriptor: DataPackage;
  readonly tenant: { id: string; name: string; timeZone: string };
  readonly sites: { id: string; name: string; attributes: Record<string, string> }[];
  readonly devices: {
    id: string;
    kind: string;
    site?: string;
    intervalS: number;
    devEui?: string;
    lastSeen?: number;
    location?: GeoLocation;
  }[];
  readonly accounts: { username: string; id: string; acl: string[]; lorawan?: string }[];
  readonly credentials: Map<string, string>;
  readonly overrides: AlertRuleOverride[];
  readonly routes: (AlertRoute & { hasSecret?: boolean })[];
  readonly silences: AlertSilence[];
  readonly alerts: { alert: StoredAlert; history: AlertEvent[] }[];
  /** Time-series files: resource and measurement. */
  readonly series: DataResource[];
}

function safePath(root: string, path: string): string | undefined {
  if (typeof path !== 'string' || path === '' || isAbsolute(path) || path.includes('\\')) return undefined;
  const full = resolve(root, normalize(path));
  const rel = relative(root, full);
  return rel.startsWith('..') || rel.split(sep).includes('..') ? undefined : full;
}

/** Problems of a resource descriptor (not its file). */
function descriptorProblems(r: unknown): string[] {
  if (typeof r !== 'object' || r === null) return ['a resource is not an object'];
  const d = r as Partial<DataResource>;
  const out: string[] = [];
  if (typeof d.name !== 'string' || !/^[-a-z0-9._/]+$/.test(d.name))
    out.push(`name '${String(d.name)}' is not a resource name`);
  if (d.profile !== 'tabular-data-resource') out.push(`profile is not tabular-data-resource`);
  if (d.format !== 'csv' && d.format !== 'json')
    out.push(`format '${String(d.format)}' is neither csv nor json`);
  if (typeof d.path === 'string' && d.format && !d.path.endsWith(`.${d.format}`))
    out.push(`path does not end in .${d.format}`);
  if (d.encoding !== undefined && String(d.encoding).toLowerCase() !== 'utf-8')
    out.push(`encoding '${String(d.encoding)}' is not utf-8`);
  if (!Number.isSafeInteger(d.rows)) out.push('rows is not a count');
  const fields = d.schema?.fields;
  if (!Array.isArray(fields) || fields.length === 0) out.push('schema.fields is missing');
  else {
    for (const f of fields as TableField[]) {
      if (typeof f?.name !== 'string' || !FIELD_TYPES.includes(f.type)) {
        out.push(`schema field ${JSON.stringify(f).slice(0, 60)} has no name or an unknown type`);
      }
    }
    if (new Set(fields.map((f) => f.name)).size !== fields.length) out.push('schema.fields repeats a name');
  }
  return out;
}

/**
 * Whether a file's columns are the schema's: all of them in order, or, as in an archive of an earlier Vigie, all
 * but trailing optional ones added since (the devices' `lat`, `lon`), which read as empty.
 */
function readableColumns(schema: TableSchema, columns: readonly (string | null)[]): boolean {
  const names = schema.fields.map((f) => f.name);
  return (
    columns.length > 0 &&
    columns.length <= names.length &&
    columns.every((c, i) => c === names[i]) &&
    schema.fields.slice(columns.length).every((f) => !f.constraints?.required)
  );
}

/** Reads a CSV file record by record, checking the header and every cell against the schema. */
async function readCsv(
  file: string,
  path: string,
  schema: TableSchema,
  problems: Problems,
  onRow: (row: Row, line: number) => void | Promise<void>,
): Promise<number> {
  const parser = new CsvParser();
  const names = schema.fields.map((f) => f.name);
  let header = true;
  let rows = 0;
  // Columns in the file: all of the schema's, or (an archive of an earlier Vigie) all but optional trailing ones.
  let columns = names.length;
  const handle = async (fields: (string | null)[], line: number): Promise<void> => {
    if (header) {
      header = false;
      columns = fields.length;
      if (!readableColumns(schema, fields)) {
        problems.add(
          `${path}:${line}`,
          `header '${fields.join(',').slice(0, 200)}' is not the schema's '${names.join(',')}'`,
        );
        throw new Error('stop');
      }
      return;
    }
    rows++;
    if (fields.length !== columns) {
      problems.add(`${path}:${line}`, `${fields.length} fields, the header has ${columns}`);
      return;
    }
    const row: Row = {};
    for (let i = 0; i < columns; i++) {
      try {
        row[names[i]] = castCell(schema.fields[i], fields[i]);
      } catch (err) {
        problems.add(`${path}:${line}`, (err as Error).message);
        return;
      }
    }
    const pending = onRow(row, line);
    if (pending) await pending;
  };
  try {
    for await (const chunk of createReadStream(file, { encoding: 'utf8' })) {
      for (const r of parser.push(chunk as string)) await handle(r.fields, r.line);
      if (problems.full) return rows;
    }
    for (const r of parser.end()) await handle(r.fields, r.line);
  } catch (err) {
    if (err instanceof CsvSyntaxError) problems.add(`${path}:${err.line}`, err.detail);
    else if ((err as Error).message !== 'stop') throw err;
  }
  if (header) problems.add(path, 'the file is empty (no header)');
  return rows;
}

function readJsonRows(file: string, path: string, schema: TableSchema, problems: Problems): Row[] {
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    problems.add(path, `not JSON: ${(err as Error).message.slice(0, 120)}`);
    return [];
  }
  if (!Array.isArray(data)) {
    problems.add(path, 'not a JSON array of rows');
    return [];
  }
  data.forEach((row, i) => {
    for (const p of jsonRowProblems(schema, row)) problems.add(`${path}:row ${i + 1}`, p);
  });
  return data as Row[];
}

const str = (v: unknown) => (typeof v === 'string' ? v : undefined);

/**
 * Reads and checks a whole archive without writing anything: the descriptor, every file against its schema (header,
 * types, row counts), the references between files (devices → sites, credentials → devices, …), and every time
 * series row's tenant. Throws ExportError InvalidArchive with the first problems, each with its file and line.
 */
export async function readArchive(
  archive: string,
  kinds: readonly string[],
  opts: { maxProblems?: number } = {},
): Promise<ArchiveContent> {
  const root = resolve(archive);
  const problems = new Problems(opts.maxProblems ?? 20);
  const fail = (detail: string) => {
    throw new ExportError(ExportErrorCode.InvalidArchive, detail, problems.list);
  };
  const descriptorFile = join(root, 'datapackage.json');
  if (!existsSync(descriptorFile))
    fail(`${root} has no datapackage.json (is it an archive written by 'vigie export'?)`);
  let descriptor: DataPackage;
  try {
    descriptor = JSON.parse(readFileSync(descriptorFile, 'utf8')) as DataPackage;
  } catch (err) {
    return fail(`datapackage.json is not JSON: ${(err as Error).message.slice(0, 120)}`);
  }
  if (descriptor?.profile !== 'tabular-data-package')
    problems.add('datapackage.json', 'profile is not tabular-data-package');
  if (descriptor?.vigie?.formatVersion !== ARCHIVE_FORMAT_VERSION) {
    problems.add(
      'datapackage.json',
      `vigie.formatVersion is not ${ARCHIVE_FORMAT_VERSION} (not an archive this Vigie reads)`,
    );
  }
  const tenantId = str(descriptor?.vigie?.tenant) ?? '';
  const idIssue = idProblem('tenant', tenantId);
  if (idIssue) problems.add('datapackage.json', `vigie.tenant: ${idIssue}`);
  if (!Array.isArray(descriptor?.resources)) problems.add('datapackage.json', 'resources is not a list');
  if (problems.list.length) fail('datapackage.json is not a Vigie archive descriptor');

  const byPath = new Map<string, DataResource>();
  descriptor.resources.forEach((r, i) => {
    for (const p of descriptorProblems(r)) problems.add(`datapackage.json:resources[${i}]`, p);
    const full = safePath(root, r?.path);
    if (!full)
      problems.add(
        `datapackage.json:resources[${i}]`,
        `path '${String(r?.path)}' is not a relative path inside the archive`,
      );
    else if (!existsSync(full) || !statSync(full).isFile())
      problems.add(`datapackage.json:resources[${i}]`, `${r.path} is missing`);
    if (byPath.has(r?.path)) problems.add(`datapackage.json:resources[${i}]`, `${r.path} is described twice`);
    byPath.set(r?.path, r);
  });
  for (const s of STATIC_RESOURCES) {
    const r = byPath.get(s.path);
    if (!r) {
      if (!s.optional) problems.add('datapackage.json', `no resource for ${s.path}`);
      continue;
    }
    const schema = s.schema(kinds);
    if (!readableColumns(schema, r.schema?.fields?.map((f) => f.name) ?? [])) {
      problems.add(
        `datapackage.json:${s.path}`,
        `schema fields are not ${schema.fields.map((f) => f.name).join(',')}`,
      );
    }
  }
  const series = descriptor.resources.filter((r) => r?.vigie?.measurement !== undefined);
  for (const r of series) {
    const names = r.schema?.fields?.map((f) => f.name) ?? [];
    const m = r.vigie?.measurement;
    if (typeof m !== 'string' || !/^[a-z][a-z0-9_]*$/.test(m))
      problems.add(`datapackage.json:${r.path}`, `measurement '${String(m)}' is not a measurement name`);
    if (r.format !== 'csv' || names[0] !== 'time' || !names.includes('tenant')) {
      problems.add(`datapackage.json:${r.path}`, 'a time series is a CSV file with columns time, tenant, …');
    }
    if (!Array.isArray(r.vigie?.tags) || r.vigie.tags.some((t) => !names.includes(t) || t === 'time')) {
      problems.add(`datapackage.json:${r.path}`, 'vigie.tags must name columns of the file');
    }
  }
  if (problems.list.length) fail('datapackage.json does not describe the archive');

  // Files restored into Redis.
  const file = (path: string) => join(root, path);
  const json = (path: string, schema: TableSchema) => readJsonRows(file(path), path, schema, problems);
  const countCheck = (path: string, n: number) => {
    const expected = byPath.get(path)?.rows;
    if (expected !== n) problems.add(path, `${n} rows, datapackage.json says ${String(expected)}`);
  };

  const tenantRows = json(ARCHIVE_PATHS.tenant, TENANT_SCHEMA);
  countCheck(ARCHIVE_PATHS.tenant, tenantRows.length);
  const t = tenantRows[0] ?? {};
  if (tenantRows.length !== 1)
    problems.add(ARCHIVE_PATHS.tenant, `${tenantRows.length} tenants, expected one`);
  if (t['id'] !== tenantId)
    problems.add(ARCHIVE_PATHS.tenant, `tenant '${String(t['id'])}' is not the archive's '${tenantId}'`);
  const timeZone = canonicalTimeZone(str(t['timeZone']) ?? '');
  if (!timeZone)
    problems.add(ARCHIVE_PATHS.tenant, `time zone '${String(t['timeZone'])}' is not an IANA time zone`);

  const sites: ArchiveContent['sites'] = [];
  const siteLines = new Map<string, number>();
  countCheck(
    ARCHIVE_PATHS.sites,
    await readCsv(file(ARCHIVE_PATHS.sites), ARCHIVE_PATHS.sites, SITES_SCHEMA, problems, (r, line) => {
      const id = r['id'] as string;
      const issue = idProblem('site', id);
      if (issue) problems.add(`${ARCHIVE_PATHS.sites}:${line}`, issue);
      if (siteLines.has(id)) problems.add(`${ARCHIVE_PATHS.sites}:${line}`, `site '${id}' appears twice`);
      siteLines.set(id, line);
      const attributes = (r['attributes'] ?? {}) as Record<string, unknown>;
      if (Object.values(attributes).some((v) => typeof v !== 'string')) {
        problems.add(`${ARCHIVE_PATHS.sites}:${line}`, 'attributes must be a JSON object of strings');
      }
      const role = attributes[SITE_ROLE_ATTRIBUTE];
      const roleIssue = typeof role === 'string' ? siteRoleProblem(role) : undefined;
      if (roleIssue) problems.add(`${ARCHIVE_PATHS.sites}:${line}`, roleIssue);
      sites.push({
        id,
        name: (r['name'] as string | null) ?? id,
        attributes: attributes as Record<string, string>,
      });
    }),
  );
  for (const s of sites) {
    const sector = s.attributes[SITE_SECTOR_ATTRIBUTE];
    if (sector !== undefined && (sector === s.id || !siteLines.has(sector))) {
      problems.add(
        `${ARCHIVE_PATHS.sites}:${siteLines.get(s.id)}`,
        `water sector '${sector}' is not another site of the archive`,
      );
    }
  }

  const devices: ArchiveContent['devices'] = [];
  const deviceIds = new Set<string>();
  const euis = new Set<string>();
  countCheck(
    ARCHIVE_PATHS.devices,
    await readCsv(
      file(ARCHIVE_PATHS.devices),
      ARCHIVE_PATHS.devices,
      devicesSchema(kinds),
      problems,
      (r, line) => {
        const where = `${ARCHIVE_PATHS.devices}:${line}`;
        const id = r['id'] as string;
        const issue = idProblem('device', id);
        if (issue) problems.add(where, issue);
        if (deviceIds.has(id)) problems.add(where, `device '${id}' appears twice`);
        deviceIds.add(id);
        const site = (r['site'] as string | null) ?? undefined;
        if (site !== undefined && !siteLines.has(site))
          problems.add(where, `site '${site}' is not in ${ARCHIVE_PATHS.sites}`);
        const intervalS = r['interval_s'] as number;
        if (intervalS < 1) problems.add(where, `interval_s ${intervalS} is below 1`);
        const devEui = (r['dev_eui'] as string | null) ?? undefined;
        if (devEui !== undefined) {
          const euiIssue = devEuiProblem(devEui);
          if (euiIssue) problems.add(where, euiIssue);
          if (euis.has(devEui.toLowerCase())) problems.add(where, `DevEUI ${devEui} appears twice`);
          euis.add(devEui.toLowerCase());
        }
        const lat = r['lat'] as number | null | undefined;
        const lon = r['lon'] as number | null | undefined;
        let location: GeoLocation | undefined;
        if ((lat ?? null) === null || (lon ?? null) === null) {
          if ((lat ?? null) !== null || (lon ?? null) !== null)
            problems.add(where, 'a position needs both lat and lon (or neither)');
        } else {
          const issue = locationProblem(lat as number, lon as number);
          if (issue) problems.add(where, issue);
          else location = { lat: lat as number, lon: lon as number };
        }
        devices.push({
          id,
          kind: r['kind'] as string,
          site,
          intervalS,
          devEui,
          lastSeen: (r['last_seen'] as number | null) ?? undefined,
          ...(location ? { location } : {}),
        });
      },
    ),
  );

  const accountRows = json(ARCHIVE_PATHS.accounts, ACCOUNTS_SCHEMA);
  countCheck(ARCHIVE_PATHS.accounts, accountRows.length);
  const accounts: ArchiveContent['accounts'] = accountRows.map((a, i) => {
    const where = `${ARCHIVE_PATHS.accounts}:row ${i + 1}`;
    const id = str(a['id']) ?? '';
    if (a['username'] !== usernames.account(tenantId, id))
      problems.add(where, `username '${String(a['username'])}' is not account:${tenantId}:${id}`);
    const acl = Array.isArray(a['acl']) ? (a['acl'] as unknown[]).map(String) : [];
    for (const p of acl) {
      const issue = accountAclProblem(tenantId, p);
      if (issue) problems.add(where, issue);
    }
    const lorawan = str(a['lorawan']);
    if (lorawan !== undefined && !isLorawanNetwork(lorawan))
      problems.add(where, `unknown LoRaWAN network server '${lorawan}'`);
    if (acl.length === 0 && lorawan === undefined)
      problems.add(where, 'an account needs ACL patterns or a LoRaWAN network');
    return { username: str(a['username']) ?? '', id, acl, lorawan };
  });

  const credentials = new Map<string, string>();
  if (byPath.has(ARCHIVE_PATHS.credentials)) {
    const names = new Set([
      ...[...deviceIds].map((d) => usernames.device(tenantId, d)),
      ...accounts.map((a) => a.username),
    ]);
    countCheck(
      ARCHIVE_PATHS.credentials,
      await readCsv(
        file(ARCHIVE_PATHS.credentials),
        ARCHIVE_PATHS.credentials,
        CREDENTIALS_SCHEMA,
        problems,
        (r, line) => {
          const u = r['username'] as string;
          const h = r['secret_hash'] as string;
          if (!names.has(u) || !parseUsername(u))
            problems.add(
              `${ARCHIVE_PATHS.credentials}:${line}`,
              `'${u}' is no device or account of the archive`,
            );
          if (!/^[0-9a-f]{64}$/.test(h))
            problems.add(`${ARCHIVE_PATHS.credentials}:${line}`, 'secret_hash is not 64 hex digits');
          credentials.set(u, h);
        },
      ),
    );
  }

  const overrides = json(ARCHIVE_PATHS.rules, RULES_SCHEMA) as unknown as AlertRuleOverride[];
  countCheck(ARCHIVE_PATHS.rules, overrides.length);
  overrides.forEach((o, i) => {
    if (o.site !== undefined && !siteLines.has(o.site))
      problems.add(`${ARCHIVE_PATHS.rules}:row ${i + 1}`, `site '${o.site}' is not in the archive`);
    if (o.device !== undefined && !deviceIds.has(o.device))
      problems.add(`${ARCHIVE_PATHS.rules}:row ${i + 1}`, `device '${o.device}' is not in the archive`);
  });
  const routes = json(ARCHIVE_PATHS.routes, ROUTES_SCHEMA) as unknown as ArchiveContent['routes'];
  countCheck(ARCHIVE_PATHS.routes, routes.length);
  routes.forEach((r, i) => {
    const route = withoutSecretFlag(r);
    if (route.tenant !== tenantId)
      problems.add(
        `${ARCHIVE_PATHS.routes}:row ${i + 1}`,
        `tenant '${String(route.tenant)}' is not '${tenantId}'`,
      );
    try {
      validateAlertRoute(route);
    } catch (err) {
      problems.add(`${ARCHIVE_PATHS.routes}:row ${i + 1}`, (err as Error).message);
    }
  });
  const silences = json(ARCHIVE_PATHS.silences, SILENCES_SCHEMA) as unknown as AlertSilence[];
  countCheck(ARCHIVE_PATHS.silences, silences.length);
  silences.forEach((s, i) => {
    if (s.tenant !== tenantId)
      problems.add(
        `${ARCHIVE_PATHS.silences}:row ${i + 1}`,
        `tenant '${String(s.tenant)}' is not '${tenantId}'`,
      );
    try {
      validateSilence(s);
    } catch (err) {
      problems.add(`${ARCHIVE_PATHS.silences}:row ${i + 1}`, (err as Error).message);
    }
  });
  const alertRows = json(ARCHIVE_PATHS.alerts, ALERTS_SCHEMA);
  countCheck(ARCHIVE_PATHS.alerts, alertRows.length);
  const alerts = alertRows.map((row, i) => {
    const alert = row['alert'] as StoredAlert;
    if (
      alert?.id !== row['id'] ||
      alert?.tenant !== tenantId ||
      typeof alert?.rule !== 'string' ||
      typeof alert?.subject !== 'string' ||
      !Number.isFinite(alert?.firedAt)
    ) {
      problems.add(
        `${ARCHIVE_PATHS.alerts}:row ${i + 1}`,
        `alert is not an alert '${String(row['id'])}' of tenant '${tenantId}'`,
      );
    }
    return { alert, history: (row['history'] ?? []) as AlertEvent[] };
  });

  // Time series: every cell against its schema, every row of the archive's tenant.
  for (const r of series) {
    if (problems.full) break;
    const n = await readCsv(file(r.path), r.path, r.schema, problems, (row, line) => {
      if (row['tenant'] !== tenantId)
        problems.add(`${r.path}:${line}`, `tenant '${String(row['tenant'])}' is not '${tenantId}'`);
    });
    countCheck(r.path, n);
  }

  // Files present but not described.
  const described = new Set(byPath.keys());
  const walk = (dir: string): string[] =>
    readdirSync(join(root, dir), { withFileTypes: true }).flatMap((e) =>
      e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name).split(sep).join('/')],
    );
  for (const f of walk('.').map((p) => p.replace(/^\.\//, ''))) {
    if (f !== 'datapackage.json' && !described.has(f)) problems.add(f, 'not described in datapackage.json');
  }

  if (problems.list.length) fail(`${root} has problems; nothing was written`);
  return {
    descriptor,
    tenant: { id: tenantId, name: str(t['name']) ?? tenantId, timeZone: timeZone as string },
    sites,
    devices,
    accounts,
    credentials,
    overrides,
    routes,
    silences,
    alerts,
    series,
  };
}

/** The tenant datapackage.json declares, if it can be read (readArchive reports what is wrong otherwise). */
function peekTenant(archive: string): string | undefined {
  try {
    const d = JSON.parse(readFileSync(join(resolve(archive), 'datapackage.json'), 'utf8')) as DataPackage;
    const t = d?.vigie?.tenant;
    return typeof t === 'string' && !idProblem('tenant', t) ? t : undefined;
  } catch {
    return undefined;
  }
}

/** A route as exported (hasSecret tells whether it had a webhook secret), as it is stored (no secret). */
function withoutSecretFlag(r: AlertRoute & { hasSecret?: boolean }): AlertRoute {
  const route: AlertRoute & { hasSecret?: boolean } = { ...r };
  delete route.hasSecret;
  return route;
}

const quoteField = (s: string) => `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;

/** One line of line protocol from a time-series row (typed by its schema); undefined when it has no field. */
export function seriesRowLine(
  measurement: string,
  tagNames: ReadonlySet<string>,
  schema: TableSchema,
  row: Row,
): string | undefined {
  const tags: string[] = [];
  const fields: string[] = [];
  for (const f of schema.fields) {
    const v = row[f.name];
    if (f.name === 'time' || v === null || v === undefined) continue;
    if (tagNames.has(f.name)) {
      if (v !== '') tags.push(`${escapeLineProtocol(f.name)}=${escapeLineProtocol(String(v))}`);
      continue;
    }
    const key = escapeLineProtocol(f.name);
    if (f.type === 'integer') fields.push(`${key}=${v as number}i`);
    else if (f.type === 'number') fields.push(`${key}=${String(v)}`);
    else if (f.type === 'boolean') fields.push(`${key}=${v ? 'true' : 'false'}`);
    else fields.push(`${key}=${quoteField(typeof v === 'string' ? v : JSON.stringify(v))}`);
  }
  if (fields.length === 0) return undefined;
  tags.sort();
  return `${escapeLineProtocol(measurement)}${tags.length ? `,${tags.join(',')}` : ''} ${fields.join(',')} ${row['time'] as number}`;
}

/**
 * Restores an archive into this platform: checks everything first (`readArchive`) and refuses when the tenant
 * exists here (registry, or points in InfluxDB) — nothing is written then. Then the registry through
 * RegistryRepository (tenant, sites, devices all at once, accounts; secret hashes when the archive has them),
 * the alerting state, and the time series into InfluxDB in batches.
 */
export async function importArchive(stores: ArchiveStores, opts: ImportOptions): Promise<ImportSummary> {
  const started = Date.now();
  const progress = (line: string) => opts.onProgress?.(`${line} (${Date.now() - started} ms)`);
  const kinds = stores.kinds.map((k) => k.id);
  const { registry, influx } = stores;
  const refuseWhenPresent = async (tenant: string) => {
    if (await registry.getTenant(tenant)) {
      throw new ExportError(
        ExportErrorCode.TenantExists,
        `tenant '${tenant}' already exists here; an archive is restored into a platform without it (nothing written)`,
      );
    }
    if (await tenantHasPoints(influx, tenant)) {
      throw new ExportError(
        ExportErrorCode.TenantExists,
        `InfluxDB database '${influx.database}' already holds points of tenant '${tenant}' (nothing written)`,
      );
    }
  };
  // The cheap refusal first (before reading every file), then again after the checks: a tenant added meanwhile.
  const declared = peekTenant(opts.archive);
  if (declared) await refuseWhenPresent(declared);
  const content = await readArchive(opts.archive, kinds, { maxProblems: opts.maxProblems });
  const tenant = content.tenant.id;
  await refuseWhenPresent(tenant);
  progress(
    `archive checked: ${content.sites.length} sites, ${content.devices.length} devices, ${content.series.length} time-series files`,
  );
  const warnings: string[] = [];

  await registry.addTenant(tenant, content.tenant.name, content.tenant.timeZone);
  for (const s of content.sites) await registry.addSite(tenant, s.id, s.name, s.attributes);
  await registry.addDevices(
    content.devices.map((d) => ({
      tenant,
      id: d.id,
      kind: d.kind,
      site: d.site,
      intervalS: d.intervalS,
      devEui: d.devEui,
      location: d.location,
    })),
  );
  const seen = new Map<string, { tenant: string; device: string; at: number }>();
  for (const d of content.devices)
    if (d.lastSeen !== undefined) seen.set(d.id, { tenant, device: d.id, at: d.lastSeen });
  await registry.touchDevices(seen);
  for (const a of content.accounts)
    await registry.addAccount({ tenant, id: a.id, acl: a.acl, lorawan: a.lorawan });
  const missing = await registry.restoreCredentialHashes(content.credentials);
  if (missing.length)
    warnings.push(`${missing.length} credential hash(es) matched nothing: ${missing.slice(0, 5).join(', ')}`);
  if (!content.descriptor.vigie.credentialHashes) {
    warnings.push(
      "the archive has no credential hashes: devices and accounts got new secrets; hand devices new ones with 'vigie devices rotate'",
    );
  } else {
    warnings.push(
      "devices and accounts keep their passwords only if CREDENTIAL_KEY is the exporting platform's; otherwise give devices new ones with 'vigie devices rotate'",
    );
  }
  progress(
    `registry restored: ${content.sites.length} sites, ${content.devices.length} devices, ${content.accounts.length} accounts`,
  );

  for (const o of content.overrides) await stores.alerts.putOverride(tenant, o);
  for (const s of content.silences) await stores.alerts.putSilence(tenant, s);
  for (const r of content.routes) {
    const route = withoutSecretFlag(r);
    await stores.routes.put(route);
    if (r.hasSecret)
      warnings.push(
        `route '${route.id}' signed its webhooks: set its secret again (vigie alerts routes add … --secret)`,
      );
  }
  for (const a of content.alerts) await stores.alerts.restore(a.alert, a.history);
  progress(
    `alerting restored: ${content.overrides.length} overrides, ${content.routes.length} routes, ${content.silences.length} silences, ${content.alerts.length} alerts`,
  );

  await influx.ensureDatabase();
  const batchLines = opts.batchLines ?? 5000;
  const points: Record<string, number> = {};
  for (const r of content.series) {
    const measurement = r.vigie?.measurement as string;
    const tagNames = new Set(r.vigie?.tags ?? []);
    let batch: string[] = [];
    let written = 0;
    // One write in flight while the next batch is read: the CSV parsing and InfluxDB overlap.
    let inFlight: Promise<void> = Promise.resolve();
    const flush = async () => {
      await inFlight;
      if (batch.length === 0) return;
      const lines = batch;
      batch = [];
      inFlight = influx.write(lines.join('\n')).then(() => {
        written += lines.length;
      });
      // Handled here so that Node does not report it before the next flush awaits it (and throws).
      inFlight.catch(() => undefined);
    };
    // Rows are checked already: read them again, streaming, and write them in batches.
    const noProblems = new Problems(1);
    await readCsv(join(resolve(opts.archive), r.path), r.path, r.schema, noProblems, async (row) => {
      const line = seriesRowLine(measurement, tagNames, r.schema, row);
      if (line === undefined) return;
      batch.push(line);
      if (batch.length >= batchLines) await flush();
    });
    if (noProblems.list.length) {
      throw new ExportError(
        ExportErrorCode.InvalidArchive,
        `${r.path} changed during the import`,
        noProblems.list,
      );
    }
    await flush();
    await inFlight;
    points[measurement] = (points[measurement] ?? 0) + written;
    progress(`${r.path}: ${written} points written to ${measurement}`);
  }

  return {
    tenant,
    archive: resolve(opts.archive),
    counts: {
      sites: content.sites.length,
      devices: content.devices.length,
      accounts: content.accounts.length,
      credentialHashes: content.credentials.size - missing.length,
      ruleOverrides: content.overrides.length,
      routes: content.routes.length,
      silences: content.silences.length,
      alerts: content.alerts.length,
      points,
    },
    warnings,
    durationMs: Date.now() - started,
  };
}
