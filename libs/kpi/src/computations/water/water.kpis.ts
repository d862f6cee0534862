import { KpiComputation } from '../../kpi-engine.types';
import { BUILDING_WATER_KPI } from './building-water.kpi';
import { IRRIGATION_KPI } from './irrigation.kpi';
import { MIN_NIGHT_FLOW_KPI } from './min-night-flow.kpi';
import { WATER_BALANCE_KPI } from './water-balance.kpi';
import { WATER_EFFICIENCY_KPI } from './water-efficiency.kpi';
import { GRENELLE_KPI, ILP_KPI, ILVNC_KPI } from './water-network-indices.kpi';

/** Water KPIs (catalogue §2), in run order. W2, W3, W4 and W6 share one read of the sectors' years. */
export const WATER_KPIS: readonly KpiComputation[] = [
  WATER_EFFICIENCY_KPI,
  MIN_NIGHT_FLOW_KPI,
  ILVNC_KPI,
  ILP_KPI,
  GRENELLE_KPI,
  WATER_BALANCE_KPI,
  BUILDING_WATER_KPI,
  IRRIGATION_KPI,
];
