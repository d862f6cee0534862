import { KpiComputation } from '../../kpi-engine.types';
import { BURNING_HOURS_KPI } from './burning-hours.kpi';
import { DIMMING_SAVINGS_KPI } from './dimming-savings.kpi';
import { FAILURE_RATE_KPI } from './failure-rate.kpi';
import { LIGHT_ENERGY_KPI } from './light-energy.kpi';
import { LIGHT_POWER_KPI } from './light-power.kpi';
import { LIGHTING_COST_KPI } from './lighting-cost.kpi';
import { LIT_IN_DAYLIGHT_KPI } from './lit-in-daylight.kpi';
import { SWITCH_OFF_KPI } from './switch-off.kpi';

/** Street-lighting KPIs (catalogue §4), in run order. */
export const LIGHTING_KPIS: readonly KpiComputation[] = [
  BURNING_HOURS_KPI,
  LIGHT_ENERGY_KPI,
  LIGHT_POWER_KPI,
  FAILURE_RATE_KPI,
  LIT_IN_DAYLIGHT_KPI,
  DIMMING_SAVINGS_KPI,
  SWITCH_OFF_KPI,
  LIGHTING_COST_KPI,
];
