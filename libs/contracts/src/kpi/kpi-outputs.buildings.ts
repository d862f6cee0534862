import type { KpiOutputSpec } from './kpi-catalogue';

/** Building energy (catalogue §1): output ids (the `kpi` tag) and their specs. Merged into KPI_IDS and KPI_OUTPUTS. */
export const BUILDING_KPI_IDS = {
  B1_CONSUMPTION_KWH: 'B1.consumption_kwh',
  B3_DJU: 'B3.dju',
  B5_BASE_LOAD_KW: 'B5.base_load_kw',
  B5_BASE_LOAD_SHARE: 'B5.base_load_share',
  B5_OUT_OF_HOURS_SHARE: 'B5.out_of_hours_share',
} as const;

/** B3's `method` tag values. */
export const DEGREE_DAY_METHODS = ['meteo', 'costic'] as const;

export const BUILDING_KPI_OUTPUTS: readonly KpiOutputSpec[] = [
  {
    id: BUILDING_KPI_IDS.B1_CONSUMPTION_KWH,
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
    id: BUILDING_KPI_IDS.B3_DJU,
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
    id: BUILDING_KPI_IDS.B5_BASE_LOAD_KW,
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
    id: BUILDING_KPI_IDS.B5_BASE_LOAD_SHARE,
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
    id: BUILDING_KPI_IDS.B5_OUT_OF_HOURS_SHARE,
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
];
