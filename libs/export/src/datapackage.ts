/**
 * Frictionless Data Package descriptors (https://specs.frictionlessdata.io/): the archive's `datapackage.json`
 * is a Tabular Data Package; every file in it is a Tabular Data Resource — CSV files, and JSON files holding an
 * array of objects (one object a row, keyed by field name) — with its Table Schema.
 */

/** The Table Schema types the archive uses. */
export type FieldType = 'string' | 'number' | 'integer' | 'boolean' | 'datetime' | 'object' | 'array';

export interface TableField {
  readonly name: string;
  readonly type: FieldType;
  readonly description?: string;
  readonly constraints?: { readonly required?: boolean; readonly enum?: readonly string[] };
}

export interface TableSchema {
  readonly fields: readonly TableField[];
  readonly primaryKey?: readonly string[];
  readonly missingValues?: readonly string[];
}

export interface Licence {
  readonly name: string;
  readonly path?: string;
  readonly title?: string;
}

export type ResourceFormat = 'csv' | 'json';

export interface DataResource {
  readonly name: string;
  readonly path: string;
  readonly profile: 'tabular-data-resource';
  readonly title?: string;
  readonly description?: string;
  readonly format: ResourceFormat;
  readonly mediatype: 'text/csv' | 'application/json';
  readonly encoding: 'utf-8';
  readonly dialect?: {
    readonly delimiter: string;
    readonly lineTerminator: string;
    readonly header: boolean;
  };
  readonly schema: TableSchema;
  /** Rows in the file (a Vigie extension: the import checks it). */
  readonly rows: number;
  readonly bytes?: number;
  /** Vigie extension of a time-series file: its InfluxDB measurement and which columns are tags. */
  readonly vigie?: { readonly measurement: string; readonly tags: readonly string[] };
}

export interface DataPackage {
  readonly profile: 'tabular-data-package';
  readonly name: string;
  readonly title: string;
  readonly description: string;
  readonly created: string;
  readonly licenses: readonly Licence[];
  readonly keywords?: readonly string[];
  /** Vigie extension: what this archive holds and how to restore it. */
  readonly vigie: {
    readonly formatVersion: 1;
    readonly tenant: string;
    /** The exported period (ISO 8601 instants), or null for everything. */
    readonly from: string | null;
    readonly to: string | null;
    readonly credentialHashes: boolean;
  };
  readonly resources: readonly DataResource[];
}

export const ARCHIVE_FORMAT_VERSION = 1;

/** Licences `--licence` knows by id; any other id is used as the licence name as it is. */
export const KNOWN_LICENCES: Readonly<Record<string, Licence>> = {
  'etalab-2.0': {
    name: 'etalab-2.0',
    path: 'https://www.etalab.gouv.fr/licence-ouverte-open-licence/',
    title: 'Licence Ouverte 2.0',
  },
  'ODbL-1.0': {
    name: 'ODbL-1.0',
    path: 'https://opendatacommons.org/licenses/odbl/1-0/',
    title: 'Open Data Commons Open Database License 1.0',
  },
  'CC-BY-4.0': {
    name: 'CC-BY-4.0',
    path: 'https://creativecommons.org/licenses/by/4.0/',
    title: 'Creative Commons Attribution 4.0',
  },
  'CC0-1.0': {
    name: 'CC0-1.0',
    path: 'https://creativecommons.org/publicdomain/zero/1.0/',
    title: 'CC0 1.0',
  },
};

export const DEFAULT_LICENCE = 'etalab-2.0';

export function licenceOf(id: string): Licence {
  return KNOWN_LICENCES[id] ?? { name: id };
}

const RESOURCE_NAME = /^[-a-z0-9._/]+$/;

/** A resource's name from its path: `readings/energy_meter.csv` → `readings-energy_meter`. */
export function resourceName(path: string): string {
  const name = path
    .replace(/\.(csv|json)$/, '')
    .toLowerCase()
    .replace(/[^-a-z0-9._]+/g, '-');
  if (!RESOURCE_NAME.test(name)) throw new Error(`cannot name a resource after '${path}'`);
  return name;
}

/** The descriptor of one file of the archive. */
export function describeResource(
  path: string,
  schema: TableSchema,
  meta: { rows: number; bytes?: number; title?: string; description?: string },
): DataResource {
  const format: ResourceFormat = path.endsWith('.json') ? 'json' : 'csv';
  return {
    name: resourceName(path),
    path,
    profile: 'tabular-data-resource',
    ...(meta.title ? { title: meta.title } : {}),
    ...(meta.description ? { description: meta.description } : {}),
    format,
    mediatype: format === 'csv' ? 'text/csv' : 'application/json',
    encoding: 'utf-8',
    ...(format === 'csv' ? { dialect: { delimiter: ',', lineTerminator: '\r\n', header: true } } : {}),
    schema: { ...schema, missingValues: schema.missingValues ?? [''] },
    rows: meta.rows,
    ...(meta.bytes === undefined ? {} : { bytes: meta.bytes }),
  };
}

/** The whole `datapackage.json` of a tenant's archive. */
export function buildDataPackage(input: {
  tenant: string;
  tenantName: string;
  created: Date;
  licence: string;
  from?: number;
  to?: number;
  credentialHashes: boolean;
  resources: readonly DataResource[];
}): DataPackage {
  const period =
    input.from === undefined && input.to === undefined
      ? 'all its data'
      : `data from ${input.from === undefined ? 'the start' : new Date(input.from).toISOString()} to ${input.to === undefined ? 'the end' : new Date(input.to).toISOString()}`;
  return {
    profile: 'tabular-data-package',
    name: resourceName(`vigie-${input.tenant}`),
    title: `Vigie — ${input.tenantName}`,
    description:
      `Export of the Vigie tenant '${input.tenant}' (${period}): registry (tenant, sites, devices, integration accounts), ` +
      'alert rule overrides, notification routes, silences and alerts with their history, sensor readings, refused ' +
      "payloads, KPIs and alert events. Restore it with 'vigie import <this directory>'.",
    created: input.created.toISOString(),
    licenses: [licenceOf(input.licence)],
    keywords: ['vigie', 'smart city', 'iot', 'energy', 'water', 'waste', 'street lighting'],
    vigie: {
      formatVersion: ARCHIVE_FORMAT_VERSION,
      tenant: input.tenant,
      from: input.from === undefined ? null : new Date(input.from).toISOString(),
      to: input.to === undefined ? null : new Date(input.to).toISOString(),
      credentialHashes: input.credentialHashes,
    },
    resources: [...input.resources].sort((a, b) => a.path.localeCompare(b.path)),
  };
}

const ISO_DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?(Z|[+-]\d{2}:\d{2})$/;

/** A CSV cell as its field's value (`null` when missing); throws with a readable reason when it is not one. */
export function castCell(field: TableField, cell: string | null): string | number | boolean | object | null {
  // A quoted empty field is an empty string; an empty unquoted one is a missing value.
  if (cell === '' && field.type === 'string') return '';
  if (cell === null || cell === '') {
    if (field.constraints?.required) throw new Error(`${field.name} is required`);
    return null;
  }
  switch (field.type) {
    case 'string':
      if (field.constraints?.enum && !field.constraints.enum.includes(cell)) {
        throw new Error(
          `${field.name} '${cell.slice(0, 40)}' is not one of ${field.constraints.enum.join(', ')}`,
        );
      }
      return cell;
    case 'number': {
      const n = Number(cell);
      if (!/^-?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$/.test(cell) || !Number.isFinite(n)) {
        throw new Error(`${field.name} '${cell.slice(0, 40)}' is not a number`);
      }
      return n;
    }
    case 'integer': {
      if (!/^-?\d+$/.test(cell) || !Number.isSafeInteger(Number(cell))) {
        throw new Error(`${field.name} '${cell.slice(0, 40)}' is not an integer`);
      }
      return Number(cell);
    }
    case 'boolean':
      if (cell === 'true') return true;
      if (cell === 'false') return false;
      throw new Error(`${field.name} '${cell.slice(0, 40)}' is not true or false`);
    case 'datetime': {
      const ms = Date.parse(cell);
      if (!ISO_DATETIME.test(cell) || !Number.isFinite(ms)) {
        throw new Error(`${field.name} '${cell.slice(0, 40)}' is not an ISO 8601 date-time`);
      }
      return ms;
    }
    case 'object':
    case 'array': {
      let v: unknown;
      try {
        v = JSON.parse(cell);
      } catch {
        throw new Error(`${field.name} is not JSON`);
      }
      checkJsonType(field, v);
      return v as object;
    }
  }
}

/** A value of a JSON row as its field's type says; throws with a readable reason otherwise. */
export function checkJsonType(field: TableField, v: unknown): void {
  if (v === null || v === undefined) {
    if (field.constraints?.required) throw new Error(`${field.name} is required`);
    return;
  }
  const ok =
    field.type === 'string'
      ? typeof v === 'string'
      : field.type === 'number'
        ? typeof v === 'number' && Number.isFinite(v)
        : field.type === 'integer'
          ? Number.isSafeInteger(v)
          : field.type === 'boolean'
            ? typeof v === 'boolean'
            : field.type === 'datetime'
              ? typeof v === 'string' && ISO_DATETIME.test(v) && Number.isFinite(Date.parse(v))
              : field.type === 'array'
                ? Array.isArray(v)
                : typeof v === 'object' && !Array.isArray(v);
  if (!ok) throw new Error(`${field.name} is not ${field.type === 'integer' ? 'an' : 'a'} ${field.type}`);
  if (field.type === 'string' && field.constraints?.enum && !field.constraints.enum.includes(v as string)) {
    throw new Error(
      `${field.name} '${String(v).slice(0, 40)}' is not one of ${field.constraints.enum.join(', ')}`,
    );
  }
}

/** Problems of one JSON row against its schema (unknown keys, missing or mistyped values). */
export function jsonRowProblems(schema: TableSchema, row: unknown): string[] {
  if (typeof row !== 'object' || row === null || Array.isArray(row)) return ['a row is not a JSON object'];
  const r = row as Record<string, unknown>;
  const names = new Set(schema.fields.map((f) => f.name));
  const problems = Object.keys(r)
    .filter((k) => !names.has(k))
    .map((k) => `unknown field '${k.slice(0, 40)}'`);
  for (const f of schema.fields) {
    try {
      checkJsonType(f, r[f.name]);
    } catch (err) {
      problems.push((err as Error).message);
    }
  }
  return problems;
}
