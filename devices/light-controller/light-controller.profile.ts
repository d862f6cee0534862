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
};
