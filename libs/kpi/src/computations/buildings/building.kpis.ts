import { KpiComputation } from '../../kpi-engine.types';
import { BASE_LOAD_KPI } from './base-load.kpi';
import { BUILDING_CONSUMPTION_KPI } from './building-consumption.kpi';
import { DEGREE_DAYS_KPI } from './degree-days.kpi';

/** Building-energy KPIs (catalogue §1), in run order. */
export const BUILDING_KPIS: readonly KpiComputation[] = [
  BUILDING_CONSUMPTION_KPI,
  DEGREE_DAYS_KPI,
  BASE_LOAD_KPI,
];
