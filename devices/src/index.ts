export * from './catalogue';
export { BIN_SENSOR } from '../bin-sensor/bin-sensor.profile';
export { CABINET_METER } from '../cabinet-meter/cabinet-meter.profile';
export { ENERGY_METER } from '../energy-meter/energy-meter.profile';
export { IRRIGATION_CONTROLLER } from '../irrigation-controller/irrigation-controller.profile';
export { LIGHT_CONTROLLER } from '../light-controller/light-controller.profile';
export { RAIN_GAUGE } from '../rain-gauge/rain-gauge.profile';
export { WATER_METER } from '../water-meter/water-meter.profile';
export { WEATHER_STATION } from '../weather-station/weather-station.profile';
export { LORAWAN_LINK_METRIC_SPECS, WATER_SITE_ROLES } from './units';
export type { WaterSiteRole } from './units';
export { parseScenario, ScenarioError, ScenarioErrorCode } from './simulation/scenario.parser';
export { FAULT_KINDS, scenarioSchema } from './simulation/scenario.schema';
export type { FaultKind, Scenario, Transport } from './simulation/scenario.schema';
export { parseDurationMs } from './simulation/faults';
export { createTownSimulation } from './simulation/town.simulation';
export type {
  ConditionKind,
  DeviceReport,
  GroundTruthFault,
  SimulatedDevice,
  SimulatedSite,
  SimulatedTown,
  SimulationOptions,
  TownSimulation,
} from './simulation/town.types';
