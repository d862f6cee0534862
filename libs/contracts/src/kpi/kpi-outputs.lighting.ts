import type { KpiOutputSpec } from './kpi-catalogue';

/** Street lighting (catalogue §4): output ids (the `kpi` tag) and their specs. Merged into KPI_IDS and KPI_OUTPUTS. */
export const LIGHTING_KPI_IDS = {
  L1_BURNING_HOURS: 'L1.burning_hours',
  L2_POINT_ENERGY_KWH: 'L2.point_energy_kwh',
  L2_CABINET_ENERGY_KWH: 'L2.cabinet_energy_kwh',
  L2_UNMETERED_SHARE: 'L2.unmetered_share',
  L3_MEAN_POWER_ON_W: 'L3.mean_power_on_w',
  L3_POWER_VS_NOMINAL: 'L3.power_vs_nominal',
  L4_FAILING_POINTS: 'L4.failing_points',
  L4_FAILURE_RATE: 'L4.failure_rate',
  L4_FAILURE_RATE_MONTH: 'L4.failure_rate_month',
  L5_MINUTES_LIT_IN_DAYLIGHT: 'L5.minutes_lit_in_daylight',
  L6_DIMMING_SAVED_KWH: 'L6.dimming_saved_kwh',
  L6_DIMMING_SAVING_SHARE: 'L6.dimming_saving_share',
  L7_SWITCH_OFF_ON_MINUTES: 'L7.switch_off_on_minutes',
  L7_SWITCH_OFF_COMPLIANCE: 'L7.switch_off_compliance',
  L8_COST_EUR: 'L8.cost_eur',
  L8_COST_PER_POINT_EUR: 'L8.cost_per_point_eur',
} as const;

export const LIGHTING_KPI_OUTPUTS: readonly KpiOutputSpec[] = [
  {
    id: LIGHTING_KPI_IDS.L1_BURNING_HOURS,
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
    id: LIGHTING_KPI_IDS.L2_POINT_ENERGY_KWH,
    family: 'L2',
    unit: 'kWh',
    window: 'month',
    subject: 'light point device',
    formula:
      'Σ of the local days’ `energy_kwh` index deltas in the month (reset rule of B1: a reset counts its new value); × 12 ≈ kWh/point/yr (national mean ≈ 509)',
    inputs: '`light-controller` devices, field `energy_kwh`',
    completeness: 'index intervals in the month / (month length / reporting interval)',
  },
  {
    id: LIGHTING_KPI_IDS.L2_CABINET_ENERGY_KWH,
    family: 'L2',
    unit: 'kWh',
    window: 'month',
    subject: 'lighting cabinet site',
    formula:
      'Σ of the month’s `energy_kwh` index deltas of the `cabinet-meter` devices on the cabinet’s site (reset rule of B1)',
    inputs: '`cabinet-meter` devices with a site, field `energy_kwh`',
    completeness: 'index intervals in the month / expected, per meter, averaged',
  },
  {
    id: LIGHTING_KPI_IDS.L2_UNMETERED_SHARE,
    family: 'L2',
    unit: 'fraction',
    window: 'month',
    subject: 'lighting cabinet site',
    formula:
      '(cabinet kWh − Σ kWh of the light points it feeds) / cabinet kWh (losses and unmetered loads; < 0 = points above the cabinet); points fed = `light-controller` devices whose site has attribute `cabinet` = the cabinet’s site id',
    inputs:
      '`cabinet-meter` and `light-controller` devices, field `energy_kwh`; street sites with attribute `cabinet` (cabinets feeding none are skipped)',
    completeness: 'cabinet completeness × mean completeness of its points (silent points counting 0)',
  },
  {
    id: LIGHTING_KPI_IDS.L3_MEAN_POWER_ON_W,
    family: 'L3',
    unit: 'W',
    window: 'night',
    subject: 'light point device',
    formula:
      'mean of `power_w` over the night’s readings with `lamp_on` true (InfluxQL mean, 12:00 → 12:00 local)',
    inputs: '`light-controller` devices, fields `power_w`, `lamp_on`',
    completeness: 'readings of the night / (night length / reporting interval)',
  },
  {
    id: LIGHTING_KPI_IDS.L3_POWER_VS_NOMINAL,
    family: 'L3',
    unit: 'ratio (1 = nominal)',
    window: 'night',
    subject: 'light point device',
    formula:
      'mean P while ON / (P_nom × mean `dim_pct` while ON / 100) (exact under linear driver power; without `dim_pct` readings vs P_nom at full level); TALQ lampPowerTooLow/High are this ratio outside a tolerance',
    inputs:
      '`light-controller` devices, fields `power_w`, `dim_pct`, `lamp_on`; site attribute `nominal_w` (W) of the light point’s site (sites without it are skipped)',
    completeness: 'readings of the night / (night length / reporting interval)',
  },
  {
    id: LIGHTING_KPI_IDS.L4_FAILING_POINTS,
    family: 'L4',
    unit: 'points',
    window: 'night',
    subject: 'light point site (street)',
    formula:
      'points failing at the 23:00 local snapshot of the night: newest reading in (23:00 − 2 × interval, 23:00] flags `lamp_failure`, or its last 2 readings are lit with P < 10 % of P_nom',
    inputs:
      '`light-controller` devices, fields `lamp_failure`, `lamp_on`, `power_w`; site attribute `nominal_w` (W) of the light point’s site (sites without it are skipped)',
    completeness: 'points in service (a reading in the snapshot’s look-back) / points of the site',
  },
  {
    id: LIGHTING_KPI_IDS.L4_FAILURE_RATE,
    family: 'L4',
    unit: 'fraction (0–1)',
    window: 'night',
    subject: 'light point site (street)',
    formula:
      'failing points / points in service (a reading in (23:00 − 2 × interval, 23:00]) at the 23:00 local snapshot',
    inputs:
      '`light-controller` devices, fields `lamp_failure`, `lamp_on`, `power_w`; site attribute `nominal_w` (W) of the light point’s site (sites without it are skipped)',
    completeness: 'points in service / points of the site',
  },
  {
    id: LIGHTING_KPI_IDS.L4_FAILURE_RATE_MONTH,
    family: 'L4',
    unit: 'fraction (0–1)',
    window: 'month',
    subject: 'light point site (street)',
    formula:
      'mean of the nightly `L4.failure_rate` snapshots of the nights of the local month (every night of the month is computed)',
    inputs:
      '`light-controller` devices, fields `lamp_failure`, `lamp_on`, `power_w`; site attribute `nominal_w` (W) of the light point’s site (sites without it are skipped)',
    completeness: 'nights with a snapshot / nights of the month',
  },
  {
    id: LIGHTING_KPI_IDS.L5_MINUTES_LIT_IN_DAYLIGHT,
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
    id: LIGHTING_KPI_IDS.L6_DIMMING_SAVED_KWH,
    family: 'L6',
    unit: 'kWh',
    window: 'night',
    subject: 'light point device',
    formula:
      'P_nom × t_on − E_measured: t_on = the night’s burning hours (L1’s rule), E_measured = the night’s `energy_kwh` index delta ((12:00, 12:00] local, reset rule of B1)',
    inputs:
      '`light-controller` devices, fields `lamp_on`, `energy_kwh`; site attribute `nominal_w` (W) of the light point’s site (sites without it are skipped)',
    completeness: 'min(L1 completeness, index intervals of the night / expected)',
  },
  {
    id: LIGHTING_KPI_IDS.L6_DIMMING_SAVING_SHARE,
    family: 'L6',
    unit: 'fraction',
    window: 'night',
    subject: 'light point device',
    formula: '(P_nom × t_on − E_measured) / (P_nom × t_on); nights unlit (t_on = 0) get no point',
    inputs:
      '`light-controller` devices, fields `lamp_on`, `energy_kwh`; site attribute `nominal_w` (W) of the light point’s site (sites without it are skipped)',
    completeness: 'min(L1 completeness, index intervals of the night / expected)',
  },
  {
    id: LIGHTING_KPI_IDS.L7_SWITCH_OFF_ON_MINUTES,
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
    id: LIGHTING_KPI_IDS.L7_SWITCH_OFF_COMPLIANCE,
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
    id: LIGHTING_KPI_IDS.L8_COST_EUR,
    family: 'L8',
    unit: '€',
    window: 'month',
    subject: 'lighting cabinet site',
    formula:
      'Σ_slots E_slot × price_slot + Σ over the month’s days with readings of the subscription €/day, E = the cabinet meters’ reading intervals (index deltas, reset rule of B1) priced as B8.cost_eur (split at the HP/HC edges, most lighting burns off-peak)',
    inputs:
      '`cabinet-meter` devices with a site, field `energy_kwh`; attribute `tariff` of the cabinet’s site (format of B8.cost_eur)',
    completeness:
      'time covered by reading intervals ≤ 2 × reporting interval / month length, per meter, averaged',
  },
  {
    id: LIGHTING_KPI_IDS.L8_COST_PER_POINT_EUR,
    family: 'L8',
    unit: '€/point',
    window: 'month',
    subject: 'lighting cabinet site',
    formula:
      'L8.cost_eur / light points fed by the cabinet (`light-controller` devices whose site has attribute `cabinet` = the cabinet’s site id); × 12 months ≈ €/point/yr',
    inputs:
      'as L8.cost_eur; street sites with attribute `cabinet`, light points on them (cabinets feeding none get no point)',
    completeness: 'as L8.cost_eur',
  },
];
