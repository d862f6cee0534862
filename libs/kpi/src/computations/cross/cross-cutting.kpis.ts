import { KpiComputation } from '../../kpi-engine.types';
import { COST_SAVINGS_KPI } from './cost-savings.kpi';
import { DATA_COMPLETENESS_KPI } from './data-completeness.kpi';
import { DEVICE_AVAILABILITY_KPI } from './device-availability.kpi';

/** Cross-cutting KPIs (catalogue §5), in run order: last, as some read what the others wrote. */
export const CROSS_CUTTING_KPIS: readonly KpiComputation[] = [
  DATA_COMPLETENESS_KPI,
  DEVICE_AVAILABILITY_KPI,
  // X3 reads B6's and B8's stored month points.
  COST_SAVINGS_KPI,
];
