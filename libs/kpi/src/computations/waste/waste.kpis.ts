import { KpiComputation } from '../../kpi-engine.types';
import { COLLECTIONS_AVOIDED_KPI } from './collections-avoided.kpi';
import { FILL_FORECAST_KPI } from './fill-forecast.kpi';
import { FILL_LEVEL_KPI } from './fill-level.kpi';
import { FIRE_ALERT_KPI } from './fire-alert.kpi';
import { OVERFLOW_KPI } from './overflow.kpi';
import { BINS_ABOVE_THRESHOLD_KPI, FILL_AT_COLLECTION_KPI } from './waste-fill.kpi';

/** Waste-collection KPIs (catalogue §3), in run order. */
export const WASTE_KPIS: readonly KpiComputation[] = [
  FILL_LEVEL_KPI,
  BINS_ABOVE_THRESHOLD_KPI,
  FILL_AT_COLLECTION_KPI,
  OVERFLOW_KPI,
  COLLECTIONS_AVOIDED_KPI,
  FILL_FORECAST_KPI,
  FIRE_ALERT_KPI,
];
