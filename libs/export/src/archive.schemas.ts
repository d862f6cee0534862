import { TableField, TableSchema } from './datapackage';

/**
 * The files of an archive and their Table Schemas. JSON files hold an array of objects keyed by field name (the
 * stored objects as they are, so nothing is lost); CSV files hold one record per row. Instants in CSV files are
 * ISO 8601 UTC (`datetime`); inside the JSON objects of alerts, silences and routes they stay epoch milliseconds,
 * as Vigie stores them.
 */
export const ARCHIVE_PATHS = {
  tenant: 'registry/tenant.json',
  sites: 'registry/sites.csv',
  devices: 'registry/devices.csv',
  accounts: 'registry/accounts.json',
  credentials: 'registry/credentials.csv',
  rules: 'alerts/rules.json',
  routes: 'alerts/routes.json',
  silences: 'alerts/silences.json',
  alerts: 'alerts/alerts.json',
  kpi: 'kpi/kpi.csv',
  alertEvents: 'alerts/alert-events.csv',
  rejected: 'readings/rejected.csv',
} as const;

/** The path of a device kind's readings. */
export function readingsPath(measurement: string): string {
  return `readings/${measurement}.csv`;
}

const req = (name: string, type: TableField['type'], description?: string): TableField => ({
  name,
  type,
  ...(description ? { description } : {}),
  constraints: { required: true },
});
const opt = (name: string, type: TableField['type'], description?: string): TableField => ({
  name,
  type,
  ...(description ? { description } : {}),
});

export const TENANT_SCHEMA: TableSchema = {
  fields: [
    req('id', 'string', 'tenant id'),
    opt('name', 'string'),
    req('timeZone', 'string', "IANA time zone of the tenant's local days (KPI windows)"),
    opt('createdAt', 'datetime'),
  ],
  primaryKey: ['id'],
};

export const SITES_SCHEMA: TableSchema = {
  fields: [
    req('id', 'string', 'site id'),
    opt('name', 'string'),
    opt(
      'attributes',
      'object',
      'the site\'s attributes as a JSON object of strings (e.g. {"role":"customer","sector":"sector-n"})',
    ),
    opt('created_at', 'datetime'),
  ],
  primaryKey: ['id'],
};

export function devicesSchema(kinds: readonly string[]): TableSchema {
  return {
    fields: [
      req('id', 'string', 'device id'),
      {
        ...req('kind', 'string', 'device kind (vigie kinds list)'),
        constraints: { required: true, enum: kinds },
      },
      opt('site', 'string', 'site id'),
      req('interval_s', 'integer', 'expected interval between two reports, seconds'),
      opt('dev_eui', 'string', 'LoRaWAN DevEUI, 16 lowercase hex digits'),
      opt('created_at', 'datetime'),
      opt('last_seen', 'datetime', 'last accepted reading (receive time)'),
      opt(
        'lat',
        'number',
        'latitude of the device, WGS84 decimal degrees in [-90, 90] (with lon, or neither)',
      ),
      opt(
        'lon',
        'number',
        'longitude of the device, WGS84 decimal degrees in [-180, 180] (with lat, or neither)',
      ),
    ],
    primaryKey: ['id'],
  };
}

export const ACCOUNTS_SCHEMA: TableSchema = {
  fields: [
    req('username', 'string', 'MQTT username (account:<tenant>:<id>)'),
    req('id', 'string'),
    req('acl', 'array', 'topic patterns the account may use'),
    opt('lorawan', 'string', 'LoRaWAN network server of an integration account (chirpstack, tts)'),
    opt('createdAt', 'datetime'),
  ],
  primaryKey: ['username'],
};

export const CREDENTIALS_SCHEMA: TableSchema = {
  fields: [
    req('username', 'string', 'MQTT username of a device (<tenant>:<device>) or account'),
    req(
      'secret_hash',
      'string',
      "HMAC-SHA256 of the username and secret under the exporting platform's CREDENTIAL_KEY (hex); no secret in clear",
    ),
  ],
  primaryKey: ['username'],
};

export const RULES_SCHEMA: TableSchema = {
  fields: [
    req('rule', 'string', 'alert rule id'),
    opt('site', 'string', 'scope: a site (absent: the tenant)'),
    opt('device', 'string', 'scope: a device'),
    opt('enabled', 'boolean'),
    opt('severity', 'string'),
    opt('params', 'object', "the rule's parameters overridden"),
  ],
};

export const ROUTES_SCHEMA: TableSchema = {
  fields: [
    req('id', 'string'),
    req('tenant', 'string'),
    opt('domains', 'array'),
    opt('severities', 'array'),
    opt('sites', 'array'),
    req('recipients', 'array', 'e-mail addresses and webhooks'),
    opt('remindAfterMin', 'number'),
    opt('escalateAfterMin', 'number'),
    opt('escalateTo', 'array'),
    opt('digest', 'boolean'),
    opt('hasSecret', 'boolean', 'the route signs its webhooks; the secret itself is never exported'),
  ],
  primaryKey: ['id'],
};

export const SILENCES_SCHEMA: TableSchema = {
  fields: [
    req('id', 'string'),
    req('tenant', 'string'),
    req('kind', 'string'),
    opt('rule', 'string'),
    opt('subject', 'string'),
    opt('site', 'string'),
    req('from', 'integer', 'start, epoch ms'),
    req('to', 'integer', 'end (exclusive), epoch ms'),
    req('reason', 'string'),
    opt('createdBy', 'string'),
  ],
  primaryKey: ['id'],
};

export const ALERTS_SCHEMA: TableSchema = {
  fields: [
    req('id', 'string', 'alert id'),
    req('alert', 'object', 'the alert as stored (instants in epoch ms)'),
    req('history', 'array', 'its events, oldest first'),
  ],
  primaryKey: ['id'],
};

/** An InfluxDB field type as SHOW FIELD KEYS tells it, as a Table Schema type. */
export type InfluxFieldType = 'number' | 'integer' | 'boolean' | 'string';

export function fieldTypeOfInflux(t: string): InfluxFieldType {
  switch (t) {
    case 'integer':
      return 'integer';
    case 'boolean':
      return 'boolean';
    case 'string':
      return 'string';
    default:
      return 'number';
  }
}

/** The columns of a measurement's CSV file: `time`, its tags, its fields. */
export interface MeasurementColumns {
  readonly measurement: string;
  readonly tags: readonly string[];
  readonly fields: readonly { readonly name: string; readonly type: InfluxFieldType }[];
}

/** Tags that come first, in this order, when a measurement has them. */
const LEADING_TAGS = ['tenant', 'site', 'device'];

/** Orders the tag columns (tenant, site, device first) and the fields (by name), without duplicates. */
export function measurementColumns(
  measurement: string,
  tags: Iterable<string>,
  fields: Iterable<{ name: string; type: InfluxFieldType }>,
): MeasurementColumns {
  const tagSet = new Set(tags);
  const orderedTags = [
    ...LEADING_TAGS.filter((t) => tagSet.has(t)),
    ...[...tagSet].filter((t) => !LEADING_TAGS.includes(t)).sort(),
  ];
  const byName = new Map<string, InfluxFieldType>();
  for (const f of fields)
    if (!byName.has(f.name) && !tagSet.has(f.name) && f.name !== 'time') byName.set(f.name, f.type);
  return {
    measurement,
    tags: orderedTags,
    fields: [...byName].sort(([a], [b]) => a.localeCompare(b)).map(([name, type]) => ({ name, type })),
  };
}

/** The Table Schema of a measurement's CSV file. */
export function measurementSchema(columns: MeasurementColumns, primaryKey?: readonly string[]): TableSchema {
  return {
    fields: [
      req('time', 'datetime', 'ISO 8601, UTC, millisecond precision'),
      ...columns.tags.map((t) =>
        t === 'tenant' || t === 'device'
          ? req(t, 'string', `${t} id (InfluxDB tag)`)
          : opt(t, 'string', 'InfluxDB tag'),
      ),
      ...columns.fields.map((f) => opt(f.name, f.type)),
    ],
    ...(primaryKey ? { primaryKey } : {}),
  };
}
