import { KpiComputation } from '../../kpi-engine.types';
import { BURNING_HOURS_KPI } from './burning-hours.kpi';
import { LIT_IN_DAYLIGHT_KPI } from './lit-in-daylight.kpi';
import { SWITCH_OFF_KPI } from './switch-off.kpi';

/** Street-lighting KPIs (catalogue §4), in run order. */
export const LIGHTING_KPIS: readonly KpiComputation[] = [
  BURNING_HOURS_KPI,
  LIT_IN_DAYLIGHT_KPI,
  SWITCH_OFF_KPI,
];
