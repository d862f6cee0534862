import type { KpiOutputSpec } from './kpi-catalogue';

/** Cross-cutting (catalogue §5): output ids (the `kpi` tag) and their specs. Merged into KPI_IDS and KPI_OUTPUTS. */
export const CROSS_CUTTING_KPI_IDS = {
  X1_COMPLETENESS: 'X1.completeness',
  X2_AVAILABILITY: 'X2.availability',
  X3_SAVINGS_EUR: 'X3.savings_eur',
} as const;

export const CROSS_CUTTING_KPI_OUTPUTS: readonly KpiOutputSpec[] = [
  {
    id: CROSS_CUTTING_KPI_IDS.X1_COMPLETENESS,
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
    id: CROSS_CUTTING_KPI_IDS.X2_AVAILABILITY,
    family: 'X2',
    unit: 'fraction (0–1)',
    window: 'day',
    subject: 'device',
    formula:
      'online time / elapsed time of the local day; after each report the device is online until its next report or 3 × reporting interval later, whichever is first (offline = silent > 3 × interval); today is cut at the time of the run',
    inputs: 'every device of the tenant (every report of its kind’s measurement)',
    completeness: 'elapsed share of the day (1 for past days)',
  },
  {
    id: CROSS_CUTTING_KPI_IDS.X3_SAVINGS_EUR,
    family: 'X3',
    unit: '€',
    window: 'month',
    subject: 'building site',
    formula:
      'B6.avoided_kwh × B8.mean_price_eur_kwh of the same month and building: avoided energy at the variable price only (the subscription does not change); negative when consumption rose; the tariff versions used are those of B8 (site attribute `tariff`). Water savings in € are not computed (no avoided-m³ KPI yet)',
    inputs: 'stored `B6.avoided_kwh` and `B8.mean_price_eur_kwh` month points (B6 and B8 run before)',
    completeness: 'min of the two points’ completeness',
  },
];
