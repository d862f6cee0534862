import type { KpiOutputSpec } from './kpi-catalogue';

/** Water (catalogue §2): output ids (the `kpi` tag) and their specs. Merged into KPI_IDS and KPI_OUTPUTS. */
export const WATER_KPI_IDS = {
  W1_EFFICIENCY_PCT: 'W1.efficiency_pct',
  W5_MIN_NIGHT_FLOW_M3H: 'W5.min_night_flow_m3h',
  W2_ILVNC_M3_KM_DAY: 'W2.ilvnc_m3_km_day',
  W2_ILVNC_MONTHLY_M3_KM_DAY: 'W2.ilvnc_monthly_m3_km_day',
  W3_ILP_M3_KM_DAY: 'W3.ilp_m3_km_day',
  W3_ILP_MONTHLY_M3_KM_DAY: 'W3.ilp_monthly_m3_km_day',
  W4_EFFICIENCY_PCT: 'W4.efficiency_pct',
  W4_ILC_M3_KM_DAY: 'W4.ilc_m3_km_day',
  W4_THRESHOLD_PCT: 'W4.threshold_pct',
  W4_COMPLIANT: 'W4.compliant',
  W6_CARL_M3_DAY: 'W6.carl_m3_day',
  W6_UARL_M3_DAY: 'W6.uarl_m3_day',
  W6_ILI: 'W6.ili',
  W7_VOLUME_M3: 'W7.volume_m3',
  W7_CLOSED_HOURS_SHARE: 'W7.closed_hours_share',
  W7_CLOSED_MIN_FLOW_LH: 'W7.closed_min_flow_lh',
  W8_APPLIED_M3: 'W8.applied_m3',
  W8_NEED_M3: 'W8.need_m3',
  W8_IRRIGATION_RATIO: 'W8.irrigation_ratio',
  W8_WATERING_IN_RAIN_EVENTS: 'W8.watering_in_rain_events',
  W8_WATERING_IN_RAIN_M3: 'W8.watering_in_rain_m3',
} as const;

/** How W2–W4 and W6 read a sector's volumes over a window (year or month). */
const SECTOR_VOLUMES =
  'V1, V2, V3, V7 = Σ index deltas of the sector’s `production`, `import`, `export`, `customer` meters over the window’s covered days (a local day is covered when every one of those meters has an interval closing in it); D = covered days; V4 = V1 + V2 − V3; V6 = V7 + (unmetered_m3_yr + service_m3_yr) × covered time / 365 days';
const SECTOR_INPUTS =
  '`water-meter` devices on sites with `role` and `sector` attributes (production or import, and customer, required)';
const SECTOR_COMPLETENESS = 'covered days / days of the window';
const YEARLY =
  'Calendar year (official value when the year is complete; brought to 365 days by the covered days otherwise)';
const MONTHLY = 'Monthly operational estimate, not the official yearly value';

/** W7: opening hours and closed hours of a building. */
const CLOSED_HOURS =
  'closed hours = clock hours whose mid-point is outside the site’s `hours` (weekly opening hours) or on one of its `closed_days` (holidays)';
const W8_WEEK_INPUTS =
  'zone (`irrigation-controller` site) attributes `area_m2`, `kc`, optional `rain_gauge` (device id; default the tenant’s only rain gauge), `weather_station` (device id; default the only one), `effective_rain_share` (0.8), `effective_rain_min_mm` (2); weather station `temperature_c` and its site’s `lat`; rain gauge `rain_mm`';

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
  {
    id: WATER_KPI_IDS.W2_ILVNC_M3_KM_DAY,
    family: 'W2',
    unit: 'm³/km/day',
    window: 'year',
    subject: 'water sector site',
    formula: `P105.3 ILVNC = (V4 − V7) / (L × D); ${SECTOR_VOLUMES}; L = network_length_km. ${YEARLY}`,
    inputs: `${SECTOR_INPUTS}; sector attribute \`network_length_km\` (km, excluding connections)`,
    completeness: SECTOR_COMPLETENESS,
  },
  {
    id: WATER_KPI_IDS.W2_ILVNC_MONTHLY_M3_KM_DAY,
    family: 'W2',
    unit: 'm³/km/day',
    window: 'month',
    subject: 'water sector site',
    formula: `(V4 − V7) / (L × D) over the local month; ${SECTOR_VOLUMES}. ${MONTHLY}`,
    inputs: `${SECTOR_INPUTS}; sector attribute \`network_length_km\``,
    completeness: SECTOR_COMPLETENESS,
  },
  {
    id: WATER_KPI_IDS.W3_ILP_M3_KM_DAY,
    family: 'W3',
    unit: 'm³/km/day',
    window: 'year',
    subject: 'water sector site',
    formula: `P106.3 ILP = (V4 − V6) / (L × D); ${SECTOR_VOLUMES}. ${YEARLY}`,
    inputs: `${SECTOR_INPUTS}; sector attribute \`network_length_km\`; optional \`unmetered_m3_yr\`, \`service_m3_yr\``,
    completeness: SECTOR_COMPLETENESS,
  },
  {
    id: WATER_KPI_IDS.W3_ILP_MONTHLY_M3_KM_DAY,
    family: 'W3',
    unit: 'm³/km/day',
    window: 'month',
    subject: 'water sector site',
    formula: `(V4 − V6) / (L × D) over the local month; ${SECTOR_VOLUMES}. ${MONTHLY}`,
    inputs: `${SECTOR_INPUTS}; sector attribute \`network_length_km\``,
    completeness: SECTOR_COMPLETENESS,
  },
  {
    id: WATER_KPI_IDS.W4_EFFICIENCY_PCT,
    family: 'W4',
    unit: '%',
    window: 'year',
    subject: 'water sector site',
    formula: `P104.3 rendement over the year, R = (V6 + V3) / (V1 + V2) × 100; ${SECTOR_VOLUMES}. ${YEARLY}`,
    inputs: SECTOR_INPUTS,
    completeness: SECTOR_COMPLETENESS,
  },
  {
    id: WATER_KPI_IDS.W4_ILC_M3_KM_DAY,
    family: 'W4',
    unit: 'm³/km/day',
    window: 'year',
    subject: 'water sector site',
    formula: `ILC = (V6 + V3) / (L × D); ${SECTOR_VOLUMES}. ${YEARLY}`,
    inputs: `${SECTOR_INPUTS}; sector attribute \`network_length_km\``,
    completeness: SECTOR_COMPLETENESS,
  },
  {
    id: WATER_KPI_IDS.W4_THRESHOLD_PCT,
    family: 'W4',
    unit: '%',
    window: 'year',
    subject: 'water sector site',
    formula:
      'Grenelle II (décret 2012-97) minimum rendement = min(85, 65 + ILC/5), fixed term 70 instead of 65 when `zre` = true',
    inputs: `${SECTOR_INPUTS}; sector attributes \`network_length_km\`, optional \`zre\` (true/false, default false)`,
    completeness: SECTOR_COMPLETENESS,
  },
  {
    id: WATER_KPI_IDS.W4_COMPLIANT,
    family: 'W4',
    unit: '1/0',
    window: 'year',
    subject: 'water sector site',
    formula: '1 when W4.efficiency_pct ≥ W4.threshold_pct (no action plan required), else 0',
    inputs: `${SECTOR_INPUTS}; sector attributes \`network_length_km\`, optional \`zre\``,
    completeness: SECTOR_COMPLETENESS,
  },
  {
    id: WATER_KPI_IDS.W6_CARL_M3_DAY,
    family: 'W6',
    unit: 'm³/day',
    window: 'year',
    subject: 'water sector site',
    formula: `IWA current annual real losses per day: CARL = (V4 − V6) × (1 − apparent_losses_share) / D; ${SECTOR_VOLUMES}`,
    inputs: `${SECTOR_INPUTS}; optional sector attribute \`apparent_losses_share\` (0–1, default 0: all losses real)`,
    completeness: SECTOR_COMPLETENESS,
  },
  {
    id: WATER_KPI_IDS.W6_UARL_M3_DAY,
    family: 'W6',
    unit: 'm³/day',
    window: 'year',
    subject: 'water sector site',
    formula:
      'IWA unavoidable annual real losses per day: UARL = (18 × Lm + 0.8 × Nc + 25 × Lp) × P / 1000; Lm = network_length_km, Nc = connections, Lp = private_pipe_km, P = pressure_m',
    inputs:
      'sector attributes `network_length_km`, `connections`, `pressure_m` (average operating pressure, m), optional `private_pipe_km` (default 0: meters at the property line)',
    completeness: SECTOR_COMPLETENESS,
  },
  {
    id: WATER_KPI_IDS.W6_ILI,
    family: 'W6',
    unit: '',
    window: 'year',
    subject: 'water sector site',
    formula:
      'ILI = CARL / UARL; not computed (skipped, not_computable) when connections < ili_min_connections (default 1000) or pressure_m < ili_min_pressure_m (default 25), the validity limits of the UARL formula',
    inputs:
      'those of W6.carl_m3_day and W6.uarl_m3_day; optional sector attributes `ili_min_connections`, `ili_min_pressure_m`',
    completeness: SECTOR_COMPLETENESS,
  },
  {
    id: WATER_KPI_IDS.W7_VOLUME_M3,
    family: 'W7',
    unit: 'm³',
    window: 'day',
    subject: 'building site',
    formula:
      'Σ over the building’s water meters of the volume_m3 index deltas in the local day’s complete hours (each interval spread evenly over its span; an interval longer than 2 reporting intervals is a gap)',
    inputs:
      '`water-meter` devices on sites with `type` = `building`, reporting at least hourly, field `volume_m3`',
    completeness: 'complete hours (every meter of the site known for the whole hour) / hours of the day',
  },
  {
    id: WATER_KPI_IDS.W7_CLOSED_HOURS_SHARE,
    family: 'W7',
    unit: 'share (0–1)',
    window: 'day',
    subject: 'building site',
    formula: `volume of the day’s complete closed hours / W7.volume_m3; ${CLOSED_HOURS}; alert above 0.1`,
    inputs: 'those of W7.volume_m3, and the site attributes `hours` and (optional) `closed_days`',
    completeness: 'complete hours / hours of the day',
  },
  {
    id: WATER_KPI_IDS.W7_CLOSED_MIN_FLOW_LH,
    family: 'W7',
    unit: 'L/h',
    window: 'day',
    subject: 'building site',
    formula: `minimum over the day’s complete closed hours of the hourly volume × 1000 (L/h); > 0 means water never stopped while closed (leak indicator); ${CLOSED_HOURS}`,
    inputs: 'those of W7.volume_m3, and the site attributes `hours` and (optional) `closed_days`',
    completeness: 'complete closed hours / closed hours of the day',
  },
  {
    id: WATER_KPI_IDS.W8_APPLIED_M3,
    family: 'W8',
    unit: 'm³',
    window: 'day',
    subject: 'irrigation zone site',
    formula:
      'Σ over the zone’s irrigation controllers of the volume_m3 index deltas of the intervals closing in the local day (reset rule of the domain)',
    inputs: '`irrigation-controller` devices with a site, field `volume_m3`',
    completeness:
      'intervals closing in the day / (day length / reporting interval), per controller, averaged',
  },
  {
    id: WATER_KPI_IDS.W8_NEED_M3,
    family: 'W8',
    unit: 'm³',
    window: 'week',
    subject: 'irrigation zone site',
    formula:
      'FAO-56 net need = max(0, Σ ETc − Σ Peff) × area_m2 / 1000 over the ISO week’s days; ETc = kc × ET0; ET0 = Hargreaves (FAO-56 eq. 52; the weather-station kind has no ET0 field) 0.0023 (Tmean + 17.8) √(Tmax − Tmin) × 0.408 Ra (Tmin, Tmax of the local day; Ra from the station’s latitude and the NOAA solar declination at 12:00 UTC of the day); Peff = effective_rain_share × day’s rain when it reaches effective_rain_min_mm, else 0. Days without temperature or rain are left out of both sums',
    inputs: W8_WEEK_INPUTS,
    completeness: 'days with both Tmin/Tmax and rain / 7',
  },
  {
    id: WATER_KPI_IDS.W8_IRRIGATION_RATIO,
    family: 'W8',
    unit: 'ratio',
    window: 'week',
    subject: 'irrigation zone site',
    formula:
      'Σ W8.applied_m3 of the week’s days / W8.need_m3 (target 0.9–1.1, > 1.2 over-watering); not computed when the need is 0',
    inputs: `those of W8.applied_m3 and W8.need_m3`,
    completeness:
      'the lower of the need’s completeness and the controllers’ interval completeness over the week',
  },
  {
    id: WATER_KPI_IDS.W8_WATERING_IN_RAIN_EVENTS,
    family: 'W8',
    unit: 'count',
    window: 'week',
    subject: 'irrigation zone site',
    formula:
      'irrigation runs starting in the week (a run = consecutive valve_open = true readings) with ≥ rain_skip_mm (default 2) of rain in the rain_skip_h (default 24) hours before its first open reading, or any rain from its first open reading to the closing one',
    inputs:
      '`irrigation-controller` field `valve_open`, the zone’s rain gauge `rain_mm`; optional zone attributes `rain_skip_mm`, `rain_skip_h`',
    completeness: 'rain-gauge readings in the week / expected',
  },
  {
    id: WATER_KPI_IDS.W8_WATERING_IN_RAIN_M3,
    family: 'W8',
    unit: 'm³',
    window: 'week',
    subject: 'irrigation zone site',
    formula:
      'Σ over the W8.watering_in_rain_events runs of the volume_m3 index delta from the last closed reading before the run to the first closed reading after it',
    inputs: 'those of W8.watering_in_rain_events, and field `volume_m3`',
    completeness: 'rain-gauge readings in the week / expected',
  },
];
