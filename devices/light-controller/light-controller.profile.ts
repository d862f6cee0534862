import { DeviceKind } from '@vigie/domain';
import { SENML } from '../src/units';

/** Controller of one street-light point (TALQ LampMonitor/LampActuator functions). */
export const LIGHT_CONTROLLER: DeviceKind = {
  id: 'light-controller',
  measurement: 'light_controller',
  description: 'Street-light point controller',
  reportingIntervalS: 900,
  metrics: {
    power_w: {
      unit: 'W',
      type: 'number',
      min: 0,
      max: 5000,
      senmlUnits: SENML.w,
      description: 'Active power of the lamp',
    },
    energy_kwh: {
      unit: 'kWh',
      type: 'number',
      min: 0,
      max: 1e9,
      cumulative: true,
      senmlUnits: SENML.kwh,
      description: 'Cumulative energy index',
    },
    lamp_on: { unit: '', type: 'boolean', description: 'The lamp is lit' },
    dim_pct: {
      unit: '%',
      type: 'number',
      min: 0,
      max: 100,
      senmlUnits: SENML.pct,
      description: 'Dimming level (100 = full power)',
    },
    lamp_failure: {
      unit: '',
      type: 'boolean',
      description: 'Should be lit but produces no light (TALQ lampFailure)',
    },
  },
  smartDataModel: {
    entityType: 'Streetlight',
    dataModel: 'dataModel.Streetlighting',
    attributes: {
      power_w: { attribute: 'powerConsumption', unit: 'WTT' },
      dim_pct: { attribute: 'illuminanceLevel', scale: 0.01, unit: 'fraction of full output' },
      lamp_on: { attribute: 'powerState', whenTrue: 'on', whenFalse: 'off' },
      lamp_failure: { attribute: 'status', whenTrue: 'defectiveLamp', whenFalse: 'ok' },
    },
  },
  talq: {
    power_w: { function: 'LampMonitorFunction', attribute: 'activePower' },
    energy_kwh: { function: 'LampMonitorFunction', attribute: 'activeEnergy' },
    lamp_failure: { function: 'LampMonitorFunction', attribute: 'lampFailure' },
    lamp_on: {
      function: 'LampMonitorFunction',
      attribute: 'operatingHours',
      note: 'TALQ reports burning hours, not the on/off state: operatingHours is the time integral of lamp_on',
    },
    dim_pct: { function: 'LampActuatorFunction', attribute: 'lightState', note: 'actual light level, %' },
  },
};
