/**
 * The KPI output contract: what the KPI engine writes to InfluxDB, and the ids dashboards, alerts and exports
 * rely on. Catalogue ids (B1…X4) are those of the KPI catalogue; an output id is `<catalogue id>.<output name>`.
 */

import { BUILDING_KPI_IDS, BUILDING_KPI_OUTPUTS } from './kpi-outputs.buildings';
import { WATER_KPI_IDS, WATER_KPI_OUTPUTS } from './kpi-outputs.water';
import { WASTE_KPI_IDS, WASTE_KPI_OUTPUTS } from './kpi-outputs.waste';
import { LIGHTING_KPI_IDS, LIGHTING_KPI_OUTPUTS } from './kpi-outputs.lighting';
import { CROSS_CUTTING_KPI_IDS, CROSS_CUTTING_KPI_OUTPUTS } from './kpi-outputs.cross';

/** InfluxDB measurement holding every KPI value. */
export const KPI_MEASUREMENT = 'kpi';

/** Tag keys of a KPI point. `method` is present only on outputs that offer several methods. */
export const KPI_TAGS = {
  tenant: 'tenant',
  kpi: 'kpi',
  subject: 'subject',
  window: 'window',
  method: 'method',
} as const;

/** Field keys of a KPI point: both floats, forever. */
export const KPI_FIELDS = { value: 'value', completeness: 'completeness' } as const;

/** Window tag values. A point's timestamp is the start of its window in the tenant's time zone. */
export const KPI_WINDOWS = ['hour', 'day', 'week', 'month', 'year', 'night', 'snapshot'] as const;
export type KpiWindow = (typeof KPI_WINDOWS)[number];

/** Catalogue families, as in the KPI catalogue (§1–§5). */
export const KPI_FAMILIES = {
  B1: 'Consumption per building',
  B2: 'Energy use intensity',
  B3: 'Heating degree days (DJU, base 18 °C)',
  B4: 'Climate-normalised consumption',
  B5: 'Base load and out-of-hours share',
  B6: 'IPMVP option C baseline and savings',
  B7: 'Peak demand and load factor',
  B8: 'Cost at a tariff',
  B9: 'Décret tertiaire progress',
  W1: 'P104.3 network efficiency (rendement)',
  W2: 'P105.3 ILVNC',
  W3: 'P106.3 ILP',
  W4: 'Grenelle II threshold',
  W5: 'Minimum night flow and leakage',
  W6: 'IWA water balance and ILI',
  W7: 'Building water',
  W8: 'Irrigation',
  K1: 'Fill level',
  K2: 'Bins above threshold',
  K3: 'Average fill at collection',
  K4: 'Overflow events',
  K5: 'Collections avoided',
  K6: 'Fill rate and time to full',
  K7: 'Fire / temperature alert',
  L1: 'Burning hours',
  L2: 'Energy per light point',
  L3: 'Power per light point',
  L4: 'Failure rate',
  L5: 'Lit-in-daylight anomaly',
  L6: 'Dimming savings',
  L7: 'Switch-off compliance',
  L8: 'Cost of lighting',
  X1: 'Data completeness',
  X2: 'Device availability',
  X3: 'Cost savings',
  X4: 'Alert hygiene',
} as const;
export type KpiFamilyId = keyof typeof KPI_FAMILIES;

/** Output ids the engine writes (the `kpi` tag), one file per domain (kpi-outputs.*.ts). Nothing else spells them. */
export const KPI_IDS = {
  ...BUILDING_KPI_IDS,
  ...WATER_KPI_IDS,
  ...WASTE_KPI_IDS,
  ...LIGHTING_KPI_IDS,
  ...CROSS_CUTTING_KPI_IDS,
} as const;
export type KpiOutputId = (typeof KPI_IDS)[keyof typeof KPI_IDS];

/** One output series of a KPI: its id, unit, window, subject and formula (what `docs/kpis.md` lists). */
export interface KpiOutputSpec {
  readonly id: KpiOutputId;
  readonly family: KpiFamilyId;
  readonly unit: string;
  readonly window: KpiWindow;
  /** Values of the `method` tag; absent when the output has one method (no tag). */
  readonly methods?: readonly string[];
  /** What the `subject` tag names. */
  readonly subject: string;
  readonly formula: string;
  /** Readings and site attributes it needs; without them the KPI is skipped, with the reason. */
  readonly inputs: string;
  /** What its `completeness` field measures. */
  readonly completeness: string;
}

export { DEGREE_DAY_METHODS } from './kpi-outputs.buildings';

/**
 * Whether an output may be published as open data: its subject is an aggregate (a building, a district, a sector,
 * a street, the town), never one device (a bin, a light point, a meter), whose data could describe a person or a
 * home.
 */
export function isOpenDataOutput(spec: KpiOutputSpec): boolean {
  return !/\bdevice\b/.test(spec.subject);
}

export const KPI_OUTPUTS: readonly KpiOutputSpec[] = [
  ...BUILDING_KPI_OUTPUTS,
  ...WATER_KPI_OUTPUTS,
  ...WASTE_KPI_OUTPUTS,
  ...LIGHTING_KPI_OUTPUTS,
  ...CROSS_CUTTING_KPI_OUTPUTS,
];

const OUTPUTS_BY_ID = new Map<string, KpiOutputSpec>(KPI_OUTPUTS.map((o) => [o.id, o]));

export function findKpiOutput(id: string): KpiOutputSpec | undefined {
  return OUTPUTS_BY_ID.get(id);
}

export function isKpiFamilyId(id: string): id is KpiFamilyId {
  return Object.hasOwn(KPI_FAMILIES, id);
}

/** The Markdown of `docs/kpis.md`, generated from this catalogue (`npm run docs:kpis`). */
export function renderKpiDoc(): string {
  const cell = (s: string) => s.replace(/\|/g, '\\|');
  const lines = [
    '# KPI outputs',
    '',
    '<!-- Generated from libs/contracts/src/kpi/kpi-catalogue.ts by `npm run docs:kpis`; do not edit. -->',
    '',
    `Every KPI value is a point of measurement \`${KPI_MEASUREMENT}\` with tags \`${Object.values(KPI_TAGS).join('`, `')}\`` +
      ' (`method` only where several methods exist) and float fields `value` and `completeness` (0–1, the share of' +
      " expected input data that was present). Its timestamp is the start of its window in the tenant's time zone" +
      ' (Europe/Paris by default), millisecond precision. A recompute overwrites the same points.',
    '',
    '| output (`kpi` tag) | unit | window | method | subject | formula | inputs | completeness |',
    '| --- | --- | --- | --- | --- | --- | --- | --- |',
    ...KPI_OUTPUTS.map(
      (o) =>
        `| \`${o.id}\` | ${cell(o.unit)} | ${o.window} | ${o.methods ? o.methods.join(', ') : '—'} | ${cell(o.subject)} | ${cell(o.formula)} | ${cell(o.inputs)} | ${cell(o.completeness)} |`,
    ),
    '',
    '## Catalogue families',
    '',
    '| id | KPI | computed |',
    '| --- | --- | --- |',
    ...Object.entries(KPI_FAMILIES).map(
      ([id, title]) =>
        `| ${id} | ${cell(title)} | ${KPI_OUTPUTS.some((o) => o.family === id) ? 'yes' : 'not yet'} |`,
    ),
    '',
  ];
  return lines.join('\n');
}
