import { KpiComputation } from '../../kpi-engine.types';
import { MIN_NIGHT_FLOW_KPI } from './min-night-flow.kpi';
import { WATER_EFFICIENCY_KPI } from './water-efficiency.kpi';

/** Water KPIs (catalogue §2), in run order. */
export const WATER_KPIS: readonly KpiComputation[] = [WATER_EFFICIENCY_KPI, MIN_NIGHT_FLOW_KPI];
