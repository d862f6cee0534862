import { KpiComputation } from '../../kpi-engine.types';
import { BASE_LOAD_KPI } from './base-load.kpi';
import { BUILDING_CONSUMPTION_KPI } from './building-consumption.kpi';
import { BUILDING_COST_KPI } from './building-cost.kpi';
import { CLIMATE_NORMALISATION_KPI } from './climate-normalisation.kpi';
import { DECRET_TERTIAIRE_KPI } from './decret-tertiaire.kpi';
import { DEGREE_DAYS_KPI } from './degree-days.kpi';
import { ENERGY_INTENSITY_KPI } from './energy-intensity.kpi';
import { IPMVP_SAVINGS_KPI } from './ipmvp-savings.kpi';
import { PEAK_DEMAND_KPI } from './peak-demand.kpi';

/** Building-energy KPIs (catalogue §1), in run order. */
export const BUILDING_KPIS: readonly KpiComputation[] = [
  BUILDING_CONSUMPTION_KPI,
  DEGREE_DAYS_KPI,
  BASE_LOAD_KPI,
  // B2 reads B1's stored day points; B7 and B8 read raw readings (X3 reads B8's stored mean price).
  ENERGY_INTENSITY_KPI,
  PEAK_DEMAND_KPI,
  BUILDING_COST_KPI,
  // B6 → B4 → B9: B9 reads B4's stored yearly points; B6 and B4 read B1 and B3's.
  IPMVP_SAVINGS_KPI,
  CLIMATE_NORMALISATION_KPI,
  DECRET_TERTIAIRE_KPI,
];
