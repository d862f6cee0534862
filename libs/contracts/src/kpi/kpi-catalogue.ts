/**
 * The KPI output contract: what the KPI engine writes to InfluxDB, and the ids dashboards, alerts and exports
 * rely on. Catalogue ids (B1…X4) are those of the KPI catalogue; an output id is `<catalogue id>.<output name>`.
 */

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

/** Output ids the engine writes (the `kpi` tag). Nothing else spells them. */
export const KPI_IDS = {
  B1_CONSUMPTION_KWH: 'B1.consumption_kwh',
  B3_DJU: 'B3.dju',
  W1_EFFICIENCY_PCT: 'W1.efficiency_pct',
  L1_BURNING_HOURS: 'L1.burning_hours',
  K2_SHARE_ABOVE_THRESHOLD: 'K2.share_above_threshold',
  K2_COUNT_ABOVE_THRESHOLD: 'K2.count_above_threshold',
  K3_AVG_FILL_AT_COLLECTION_PCT: 'K3.avg_fill_at_collection_pct',
  X1_COMPLETENESS: 'X1.completeness',
} as const;
export type KpiOutputId = (typeof KPI_IDS)[keyof typeof KPI_IDS];

/** B3's `method` tag values. */
export const DEGREE_DAY_METHODS = ['meteo', 'costic'] as const;

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

export const KPI_OUTPUTS: readonly KpiOutputSpec[] = [
  {
    id: KPI_IDS.B1_CONSUMPTION_KWH,
    family: 'B1',
    unit: 'kWh',
    window: 'day',
    subject: 'building site',
    formula:
      'Σ over the site’s energy meters of the index deltas of the intervals closing in (00:00, 24:00] local; a negative delta is a reset: delta = new value',
    inputs: '`energy-meter` devices with a site, field `energy_kwh`',
    completeness: 'intervals closing in the day / (day length / reporting interval), per meter, averaged',
  },
  {
    id: KPI_IDS.B3_DJU,
    family: 'B3',
    unit: '°C·day',
    window: 'day',
    methods: DEGREE_DAY_METHODS,
    subject: 'weather station device',
    formula:
      'meteo: max(0, 18 − (Tn + Tx)/2); costic: 18 ≥ Tx → 18 − (Tn + Tx)/2, 18 ≤ Tn → 0, else (18 − Tn)(0.08 + 0.42 (18 − Tn)/(Tx − Tn)); Tn, Tx = min, max of the local day',
    inputs: '`weather-station` devices, field `temperature_c`',
    completeness: 'samples in the day / (day length / reporting interval)',
  },
  {
    id: KPI_IDS.W1_EFFICIENCY_PCT,
    family: 'W1',
    unit: '%',
    window: 'month',
    subject: 'water sector site',
    formula:
      '(V6 + V3) / (V1 + V2) × 100; V1, V2, V3, V7 = Σ index deltas of the sector’s `production`, `import`, `export`, `customer` meters; V6 = V7 + (unmetered_m3_yr + service_m3_yr) × month length / 365 days. Monthly estimate, not the official yearly value',
    inputs:
      '`water-meter` devices on sites with `role` and `sector` attributes (production or import, and customer, required); optional sector attributes `unmetered_m3_yr`, `service_m3_yr`',
    completeness: 'mean over the sector’s meters of intervals closing in the month / expected',
  },
  {
    id: KPI_IDS.L1_BURNING_HOURS,
    family: 'L1',
    unit: 'h',
    window: 'night',
    subject: 'light point device',
    formula:
      'Σ durations with `lamp_on` true, sample-and-hold, gaps longer than 2 × reporting interval not bridged; night = 12:00 local on D → 12:00 on D + 1',
    inputs: '`light-controller` devices, field `lamp_on`',
    completeness: 'samples in the night / (night length / reporting interval)',
  },
  {
    id: KPI_IDS.K2_SHARE_ABOVE_THRESHOLD,
    family: 'K2',
    unit: 'fraction (0–1)',
    window: 'day',
    subject: 'bin site (district)',
    formula:
      'bins whose last fill of the local day ≥ threshold / bins reporting that day; threshold = site attribute `fill_threshold_pct`, default 80',
    inputs: '`bin-sensor` devices, field `fill_pct`',
    completeness: 'bins reporting that day / bins of the site',
  },
  {
    id: KPI_IDS.K2_COUNT_ABOVE_THRESHOLD,
    family: 'K2',
    unit: 'bins',
    window: 'day',
    subject: 'bin site (district)',
    formula: 'number of bins whose last fill of the local day ≥ threshold',
    inputs: '`bin-sensor` devices, field `fill_pct`',
    completeness: 'bins reporting that day / bins of the site',
  },
  {
    id: KPI_IDS.K3_AVG_FILL_AT_COLLECTION_PCT,
    family: 'K3',
    unit: '%',
    window: 'month',
    subject: 'bin device',
    formula:
      'mean fill of the last valid reading before each collection (a drop ≥ 30 points between consecutive readings) in the local month',
    inputs: '`bin-sensor` devices, field `fill_pct`',
    completeness: 'samples in the month / (month length / reporting interval)',
  },
  {
    id: KPI_IDS.X1_COMPLETENESS,
    family: 'X1',
    unit: 'fraction',
    window: 'day',
    subject: 'device',
    formula:
      'received reports / (day length / reporting interval), real day length (23 h / 25 h on DST days); above 1 when a device reports faster than declared',
    inputs: 'every device of the tenant (its kind’s measurement)',
    completeness: 'the same ratio, capped at 1',
  },
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
