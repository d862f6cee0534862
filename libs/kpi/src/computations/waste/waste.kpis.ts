import { KpiComputation } from '../../kpi-engine.types';
import { BINS_ABOVE_THRESHOLD_KPI, FILL_AT_COLLECTION_KPI } from './waste-fill.kpi';

/** Waste-collection KPIs (catalogue §3), in run order. */
export const WASTE_KPIS: readonly KpiComputation[] = [BINS_ABOVE_THRESHOLD_KPI, FILL_AT_COLLECTION_KPI];
