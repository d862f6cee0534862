import type { KpiOutputSpec } from './kpi-catalogue';

/** Water (catalogue §2): output ids (the `kpi` tag) and their specs. Merged into KPI_IDS and KPI_OUTPUTS. */
export const WATER_KPI_IDS = {
  W1_EFFICIENCY_PCT: 'W1.efficiency_pct',
  W5_MIN_NIGHT_FLOW_M3H: 'W5.min_night_flow_m3h',
} as const;

export const WATER_KPI_OUTPUTS: readonly KpiOutputSpec[] = [
  {
    id: WATER_KPI_IDS.W1_EFFICIENCY_PCT,
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
    id: WATER_KPI_IDS.W5_MIN_NIGHT_FLOW_M3H,
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
];
