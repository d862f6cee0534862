import type { KpiOutputSpec } from './kpi-catalogue';

/** Waste collection (catalogue §3): output ids (the `kpi` tag) and their specs. Merged into KPI_IDS and KPI_OUTPUTS. */
export const WASTE_KPI_IDS = {
  K2_SHARE_ABOVE_THRESHOLD: 'K2.share_above_threshold',
  K2_COUNT_ABOVE_THRESHOLD: 'K2.count_above_threshold',
  K3_AVG_FILL_AT_COLLECTION_PCT: 'K3.avg_fill_at_collection_pct',
} as const;

export const WASTE_KPI_OUTPUTS: readonly KpiOutputSpec[] = [
  {
    id: WASTE_KPI_IDS.K2_SHARE_ABOVE_THRESHOLD,
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
    id: WASTE_KPI_IDS.K2_COUNT_ABOVE_THRESHOLD,
    family: 'K2',
    unit: 'bins',
    window: 'day',
    subject: 'bin site (district)',
    formula: 'number of bins whose last fill of the local day ≥ threshold',
    inputs: '`bin-sensor` devices, field `fill_pct`',
    completeness: 'bins reporting that day / bins of the site',
  },
  {
    id: WASTE_KPI_IDS.K3_AVG_FILL_AT_COLLECTION_PCT,
    family: 'K3',
    unit: '%',
    window: 'month',
    subject: 'bin device',
    formula:
      'mean fill of the last valid reading before each collection (a drop ≥ 30 points between consecutive readings) in the local month',
    inputs: '`bin-sensor` devices, field `fill_pct`',
    completeness: 'samples in the month / (month length / reporting interval)',
  },
];
