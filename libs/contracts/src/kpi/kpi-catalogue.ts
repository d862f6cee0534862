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
  B5_BASE_LOAD_KW: 'B5.base_load_kw',
  B5_BASE_LOAD_SHARE: 'B5.base_load_share',
  B5_OUT_OF_HOURS_SHARE: 'B5.out_of_hours_share',
  W1_EFFICIENCY_PCT: 'W1.efficiency_pct',
  W5_MIN_NIGHT_FLOW_M3H: 'W5.min_night_flow_m3h',
  L1_BURNING_HOURS: 'L1.burning_hours',
  L5_MINUTES_LIT_IN_DAYLIGHT: 'L5.minutes_lit_in_daylight',
  L7_SWITCH_OFF_ON_MINUTES: 'L7.switch_off_on_minutes',
  L7_SWITCH_OFF_COMPLIANCE: 'L7.switch_off_compliance',
  K2_SHARE_ABOVE_THRESHOLD: 'K2.share_above_threshold',
  K2_COUNT_ABOVE_THRESHOLD: 'K2.count_above_threshold',
  K3_AVG_FILL_AT_COLLECTION_PCT: 'K3.avg_fill_at_collection_pct',
  X1_COMPLETENESS: 'X1.completeness',
  X2_AVAILABILITY: 'X2.availability',
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
    id: KPI_IDS.B5_BASE_LOAD_KW,
    family: 'B5',
    unit: 'kW',
    window: 'week',
    subject: 'building site',
    formula:
      '5th percentile (linear, R type 7) of the hourly kW of the ISO week (Monday 00:00 local → Monday 00:00); hourly kW = Σ over the site’s meters of the index deltas spread evenly over each interval, counting only hours fully covered by intervals ≤ 2 × reporting interval',
    inputs: '`energy-meter` devices with a site, reporting at least hourly, field `energy_kwh`',
    completeness: 'complete hours / hours of the week (167 h / 169 h on DST weeks)',
  },
  {
    id: KPI_IDS.B5_BASE_LOAD_SHARE,
    family: 'B5',
    unit: 'fraction',
    window: 'week',
    subject: 'building site',
    formula:
      'P_base × hours / E over the week’s complete hours (= P_base / mean hourly kW); may exceed 1 when most hours sit at the base load',
    inputs: '`energy-meter` devices with a site, reporting at least hourly, field `energy_kwh`',
    completeness: 'complete hours / hours of the week (167 h / 169 h on DST weeks)',
  },
  {
    id: KPI_IDS.B5_OUT_OF_HOURS_SHARE,
    family: 'B5',
    unit: 'fraction (0–1)',
    window: 'week',
    subject: 'building site',
    formula:
      'E of the complete hours whose mid-point is outside the site’s opening hours / E of the complete hours; weekly opening hours only (holiday calendars not applied)',
    inputs:
      '`energy-meter` devices with a site, reporting at least hourly, field `energy_kwh`; site attribute `hours` = `mon 08:30-12:00,13:30-16:30; tue …; sun closed` (every weekday; without it this output is skipped)',
    completeness: 'complete hours / hours of the week (167 h / 169 h on DST weeks)',
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
    id: KPI_IDS.W5_MIN_NIGHT_FLOW_M3H,
    family: 'W5',
    unit: 'm³/h',
    window: 'night',
    subject: 'district-inflow water meter device',
    formula:
      'minimum over the readings t in [03:00, 04:00] local of the night’s morning of the 60-min mean inflow (volume_m3 index deltas in [t − 60 min, t], each interval spread evenly, / 1 h), within the 02:00–04:00 window; a rolling window counts only when intervals ≤ 2 × reporting interval cover it',
    inputs:
      '`water-meter` devices on sites with `role` = `district-inflow`, reporting at least hourly, field `volume_m3`',
    completeness: 'rolling windows fully known / (window − 60 min) / reporting interval + 1',
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
    id: KPI_IDS.L5_MINUTES_LIT_IN_DAYLIGHT,
    family: 'L5',
    unit: 'min',
    window: 'day',
    subject: 'light point device',
    formula:
      'minutes with `lamp_on` true inside [sunrise + 15 min, sunset − 15 min] of the local day (NOAA sun, −0.833°; polar day: the whole day, polar night: none), sample-and-hold, gaps longer than 2 × reporting interval not bridged',
    inputs:
      '`light-controller` devices, field `lamp_on`; position = `lat`/`lon` attributes of the device’s site, else of the first tenant site (by id) that has them',
    completeness: 'samples in the day / (day length / reporting interval)',
  },
  {
    id: KPI_IDS.L7_SWITCH_OFF_ON_MINUTES,
    family: 'L7',
    unit: 'min',
    window: 'night',
    subject: 'light point device',
    formula:
      'minutes with `lamp_on` true inside the site’s switch-off window of the night (e.g. 23:00–05:00 local, real length on DST nights), sample-and-hold, gaps longer than 2 × reporting interval not bridged',
    inputs:
      '`light-controller` devices, field `lamp_on`; site attribute `switch_off` = `HH:MM-HH:MM` local (lights of a site without it are skipped)',
    completeness: 'minutes of the window with a known state / window minutes',
  },
  {
    id: KPI_IDS.L7_SWITCH_OFF_COMPLIANCE,
    family: 'L7',
    unit: 'fraction (0–1)',
    window: 'night',
    subject: 'light point device',
    formula: '1 − ON minutes in the switch-off window / window minutes (unknown minutes count as compliant)',
    inputs:
      '`light-controller` devices, field `lamp_on`; site attribute `switch_off` = `HH:MM-HH:MM` local (lights of a site without it are skipped)',
    completeness: 'minutes of the window with a known state / window minutes',
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
  {
    id: KPI_IDS.X2_AVAILABILITY,
    family: 'X2',
    unit: 'fraction (0–1)',
    window: 'day',
    subject: 'device',
    formula:
      'online time / elapsed time of the local day; after each report the device is online until its next report or 3 × reporting interval later, whichever is first (offline = silent > 3 × interval); today is cut at the time of the run',
    inputs: 'every device of the tenant (every report of its kind’s measurement)',
    completeness: 'elapsed share of the day (1 for past days)',
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
