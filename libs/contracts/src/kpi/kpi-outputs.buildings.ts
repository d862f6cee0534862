import type { KpiOutputSpec } from './kpi-catalogue';

/** Building energy (catalogue §1): output ids (the `kpi` tag) and their specs. Merged into KPI_IDS and KPI_OUTPUTS. */
export const BUILDING_KPI_IDS = {
  B1_CONSUMPTION_KWH: 'B1.consumption_kwh',
  B2_EUI_KWH_M2: 'B2.eui_kwh_m2',
  B2_EUI_ROLLING_KWH_M2: 'B2.eui_rolling_12m_kwh_m2',
  B3_DJU: 'B3.dju',
  B5_BASE_LOAD_KW: 'B5.base_load_kw',
  B5_BASE_LOAD_SHARE: 'B5.base_load_share',
  B5_OUT_OF_HOURS_SHARE: 'B5.out_of_hours_share',
  B5_AFTER_CLOSING_LOAD_RATIO: 'B5.after_closing_load_ratio',
  B6_ADJUSTED_BASELINE_KWH: 'B6.adjusted_baseline_kwh',
  B6_AVOIDED_KWH: 'B6.avoided_kwh',
  B6_SAVINGS_FRACTION: 'B6.savings_fraction',
  B6_CV_RMSE: 'B6.cv_rmse',
  B6_NMBE: 'B6.nmbe',
  B4_NORMALISED_KWH: 'B4.normalised_kwh',
  B4_NORMALISED_KWH_YEAR: 'B4.normalised_kwh_year',
  B4_KWH_PER_DJU: 'B4.kwh_per_dju',
  B9_RELATIVE_PROGRESS: 'B9.relative_progress',
  B9_GAP_TO_2030_KWH: 'B9.gap_to_2030_kwh',
  B9_ON_TRACK: 'B9.on_track',
  B7_PEAK_KW: 'B7.peak_kw',
  B7_LOAD_FACTOR: 'B7.load_factor',
  B7_PEAK_SHARE_OF_SUBSCRIBED: 'B7.peak_share_of_subscribed',
  B8_COST_EUR: 'B8.cost_eur',
  B8_COST_EUR_MONTH: 'B8.cost_eur_month',
  B8_MEAN_PRICE_EUR_KWH: 'B8.mean_price_eur_kwh',
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
    id: BUILDING_KPI_IDS.B2_EUI_KWH_M2,
    family: 'B2',
    unit: 'kWh/m²/yr',
    window: 'year',
    subject: 'building site',
    formula:
      'Σ of the stored B1.consumption_kwh day points of the local calendar year / surface_m2 (final energy, not climate-normalised); a partial year sums the days present',
    inputs: 'stored `B1.consumption_kwh` points (B1 runs first); site attribute `surface_m2` (m², > 0)',
    completeness: 'days with a B1 point / days of the year (365 or 366)',
  },
  {
    id: BUILDING_KPI_IDS.B2_EUI_ROLLING_KWH_M2,
    family: 'B2',
    unit: 'kWh/m²/yr',
    window: 'month',
    subject: 'building site',
    formula:
      'Σ of the stored B1.consumption_kwh day points of the 12 local months ending with this one / surface_m2; the point is stamped at the start of its last month',
    inputs: 'stored `B1.consumption_kwh` points (B1 runs first); site attribute `surface_m2` (m², > 0)',
    completeness: 'days with a B1 point / days of the 12 months',
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
      'E of the complete hours whose mid-point is outside the site’s opening hours or on one of its closed days / E of the complete hours; not judged for a week with no open hour (holidays)',
    inputs:
      '`energy-meter` devices with a site, reporting at least hourly, field `energy_kwh`; site attribute `hours` = `mon 08:30-12:00,13:30-16:30; tue …; sun closed` (every weekday; without it this output is skipped) and optional `closed_days` = `2026-01-01,2026-02-21..2026-03-08` (holidays)',
    completeness: 'complete hours / hours of the week (167 h / 169 h on DST weeks)',
  },
  {
    id: BUILDING_KPI_IDS.B5_AFTER_CLOSING_LOAD_RATIO,
    family: 'B5',
    unit: 'fraction',
    window: 'day',
    subject: 'building site',
    formula:
      'at the day’s last closing (hour h: mid-point closed, h − 1 open): E(h+1, h+2, both closed) / E(h−2, h−1, both open); the closing hour itself is left out and a break of less than 3 h (lunch) is no closing. With a setback the load drops to the base load; heating held at its setpoint keeps it high',
    inputs:
      '`energy-meter` devices with a site, reporting at least hourly, field `energy_kwh`; site attributes `hours` and optional `closed_days` (as B5.out_of_hours_share)',
    completeness: '1: a closing with one of its 4 hours incomplete is not computed',
  },
  {
    id: BUILDING_KPI_IDS.B7_PEAK_KW,
    family: 'B7',
    unit: 'kW',
    window: 'month',
    subject: 'building site',
    formula:
      'max over the local month of the interval-average power Σ_meters E(interval) / interval length; demand interval = site attribute `demand_interval_min` (default 30 min, Linky load curve; 10 for C1–C4), intervals aligned on the clock; each meter’s index deltas (reset rule of B1) spread evenly over their reading interval; only demand intervals fully covered by reading intervals ≤ 2 × reporting interval of every meter of the site count',
    inputs:
      '`energy-meter` devices with a site, field `energy_kwh`, reporting at least once per demand interval; site attribute `demand_interval_min` (one of 5, 10, 15, 20, 30, 60; default 30)',
    completeness: 'complete demand intervals / demand intervals of the month',
  },
  {
    id: BUILDING_KPI_IDS.B7_LOAD_FACTOR,
    family: 'B7',
    unit: 'fraction (0–1)',
    window: 'month',
    subject: 'building site',
    formula: 'mean power / peak power over the month’s complete demand intervals (B7.peak_kw)',
    inputs: 'as B7.peak_kw',
    completeness: 'complete demand intervals / demand intervals of the month',
  },
  {
    id: BUILDING_KPI_IDS.B7_PEAK_SHARE_OF_SUBSCRIBED,
    family: 'B7',
    unit: 'fraction',
    window: 'month',
    subject: 'building site',
    formula:
      'B7.peak_kw / subscribed_kva, taking kW ≈ kVA (power factor 1, so the share of apparent power is at least this); alert above 0.9 [DESIGN]',
    inputs: 'as B7.peak_kw; site attribute `subscribed_kva` (> 0; sites without it get no point)',
    completeness: 'complete demand intervals / demand intervals of the month',
  },
  {
    id: BUILDING_KPI_IDS.B8_COST_EUR,
    family: 'B8',
    unit: '€',
    window: 'day',
    subject: 'building site',
    formula:
      'Σ_slots E_slot × price_slot + subscription €/day; E = Σ over the site’s meters of each reading interval’s index delta (reset rule of B1) spread evenly over the interval and split at local midnight and the HP/HC edges, each piece priced at the slot and tariff version of its mid-point',
    inputs:
      '`energy-meter` devices with a site, field `energy_kwh`; site attribute `tariff` = `YYYY-MM-DD base <€/kWh> [sub <€/day>]; YYYY-MM-DD hp <€/kWh> hc <€/kWh> hc=HH:MM-HH:MM[,…] [sub <€/day>]` (versions in date order, each valid from 00:00 local on its date; without it the site is skipped)',
    completeness:
      'time covered by reading intervals ≤ 2 × reporting interval / day length (23 h / 25 h on DST days), per meter, averaged; longer gaps are priced but not counted as covered',
  },
  {
    id: BUILDING_KPI_IDS.B8_COST_EUR_MONTH,
    family: 'B8',
    unit: '€',
    window: 'month',
    subject: 'building site',
    formula:
      'as B8.cost_eur over the local month: Σ_slots E_slot × price_slot + Σ over the month’s days with readings of the subscription €/day',
    inputs:
      '`energy-meter` devices with a site, field `energy_kwh`; site attribute `tariff` = `YYYY-MM-DD base <€/kWh> [sub <€/day>]; YYYY-MM-DD hp <€/kWh> hc <€/kWh> hc=HH:MM-HH:MM[,…] [sub <€/day>]` (versions in date order, each valid from 00:00 local on its date; without it the site is skipped)',
    completeness:
      'time covered by reading intervals ≤ 2 × reporting interval / month length, per meter, averaged',
  },
  {
    id: BUILDING_KPI_IDS.B8_MEAN_PRICE_EUR_KWH,
    family: 'B8',
    unit: '€/kWh',
    window: 'month',
    subject: 'building site',
    formula:
      'variable cost of the month / kWh priced (subscription excluded): the consumption-weighted variable price, used by X3 to value avoided kWh',
    inputs:
      '`energy-meter` devices with a site, field `energy_kwh`; site attribute `tariff` = `YYYY-MM-DD base <€/kWh> [sub <€/day>]; YYYY-MM-DD hp <€/kWh> hc <€/kWh> hc=HH:MM-HH:MM[,…] [sub <€/day>]` (versions in date order, each valid from 00:00 local on its date; without it the site is skipped)',
    completeness:
      'time covered by reading intervals ≤ 2 × reporting interval / month length, per meter, averaged',
  },
  // B6, B4, B9: daily B1 and B3 points read back; building → weather station by the site attribute
  // `weather_station`, else the tenant's first weather station by id; DJU method by `dju_method` (default costic).
  ...[
    {
      id: BUILDING_KPI_IDS.B6_ADJUSTED_BASELINE_KWH,
      unit: 'kWh',
      formula:
        'a × n + b × Σ DJU over the month’s n valid reporting days (days after the baseline with B1 and B3 both at completeness ≥ 0.5); E = a + b·DJU fitted by OLS on the daily B1/B3 of the baseline',
    },
    {
      id: BUILDING_KPI_IDS.B6_AVOIDED_KWH,
      unit: 'kWh',
      formula:
        'IPMVP option C: adjusted baseline − Σ B1 of the same valid reporting days (> 0 = savings; no non-routine adjustment)',
    },
    {
      id: BUILDING_KPI_IDS.B6_SAVINGS_FRACTION,
      unit: 'fraction',
      formula: 'avoided energy / adjusted baseline',
    },
    {
      id: BUILDING_KPI_IDS.B6_CV_RMSE,
      unit: 'fraction',
      formula:
        'CV(RMSE) of the baseline model used for the month: sqrt(Σ(y − ŷ)² / (n − 2)) / ȳ over the baseline’s valid days (ASHRAE G14 accepts ≤ 0.15 monthly, ≤ 0.30 hourly; daily data here)',
    },
    {
      id: BUILDING_KPI_IDS.B6_NMBE,
      unit: 'fraction',
      formula:
        'NMBE of the baseline model used for the month: Σ(y − ŷ) / ((n − 2) ȳ) (≈ 0 in sample for OLS with an intercept)',
    },
  ].map((o) => ({
    ...o,
    family: 'B6' as const,
    window: 'month' as const,
    subject: 'building site',
    inputs:
      'B1.consumption_kwh and B3.dju (daily, stored); site attributes `baseline` = `YYYY-MM-DD/YYYY-MM-DD` (fixed, inclusive) or `<N>d` (the N days before each reporting month), `baseline_min_days` (default 365); skipped with the reason when the baseline is shorter, has < 90 % valid days, < 10 days with DJU > 0, Σ DJU < 20, or a negative intercept or slope (CalTRACK-like)',
    completeness: 'valid reporting days / reporting days of the month (days after the baseline)',
  })),
  {
    id: BUILDING_KPI_IDS.B4_NORMALISED_KWH,
    family: 'B4',
    unit: 'kWh',
    window: 'month',
    subject: 'building site',
    formula:
      'estimate: a × days of the month + b × DJU_ref(month), E = a + b·DJU fitted by OLS on the month’s valid days (= E + b (DJU_ref − DJU_month) when every day is valid, i.e. C_base + C_heat × DJU_ref / DJU_period with C_heat = b·DJU_period)',
    inputs:
      'B1.consumption_kwh and B3.dju (daily, stored); site attribute `dju_ref_months` = 12 comma-separated normal DJU, January → December (same station and method); skipped with < 10 days with DJU > 0, Σ DJU < 20 or a negative intercept or slope',
    completeness: 'valid days (B1 and B3 both at completeness ≥ 0.5) / days of the month',
  },
  {
    id: BUILDING_KPI_IDS.B4_NORMALISED_KWH_YEAR,
    family: 'B4',
    unit: 'kWh',
    window: 'year',
    subject: 'building site',
    formula:
      'estimate: a × days of the year + b × DJU_ref(year) (PRISM normalised annual consumption), E = a + b·DJU fitted by OLS on the year’s valid days',
    inputs:
      'B1.consumption_kwh and B3.dju (daily, stored); site attribute `dju_ref_yr` (normal DJU of a year), else the sum of `dju_ref_months`; same model checks as the monthly output',
    completeness: 'valid days / days of the year',
  },
  {
    id: BUILDING_KPI_IDS.B4_KWH_PER_DJU,
    family: 'B4',
    unit: 'kWh/(°C·day)',
    window: 'month',
    subject: 'building site',
    formula:
      'heating signature: slope b of E = a + b·DJU fitted by OLS on the month’s valid days (= C_heat / DJU_period); rising at constant occupancy = drift',
    inputs:
      'B1.consumption_kwh and B3.dju (daily, stored); skipped with < 10 days with DJU > 0, Σ DJU < 20 or a negative intercept or slope',
    completeness: 'valid days / days of the month',
  },
  ...[
    {
      id: BUILDING_KPI_IDS.B9_RELATIVE_PROGRESS,
      unit: 'fraction',
      formula:
        'estimate, not the OPERAT figure: 1 − C_norm(year) / C_ref, C_norm = B4.normalised_kwh_year (0.4 = the 2030 target of −40 % reached)',
    },
    {
      id: BUILDING_KPI_IDS.B9_GAP_TO_2030_KWH,
      unit: 'kWh',
      formula: 'estimate, not the OPERAT figure: C_norm(year) − 0.6 × C_ref (> 0 = work left)',
    },
    {
      id: BUILDING_KPI_IDS.B9_ON_TRACK,
      unit: '1/0',
      formula:
        'estimate, not the OPERAT figure: 1 when C_norm(year) ≤ the linear trajectory (reference year, C_ref) → (2030, 0.6 C_ref) → (2040, 0.5 C_ref) → (2050, 0.4 C_ref), else 0',
    },
  ].map((o) => ({
    ...o,
    family: 'B9' as const,
    window: 'year' as const,
    subject: 'building site',
    inputs:
      'B4.normalised_kwh_year (stored); site attributes `reference_year` (YYYY, before 2030) and `reference_kwh_yr` (the reference year’s consumption, taken as climate-normalised); years before the reference year are skipped',
    completeness: 'completeness of B4.normalised_kwh_year',
  })),
];
