import { DeviceKind } from '@vigie/domain';
import { SENML } from '../src/units';

/** Fill-level sensor of a waste container (ultrasonic or radar, top mounted). */
export const BIN_SENSOR: DeviceKind = {
  id: 'bin-sensor',
  measurement: 'bin_sensor',
  description: 'Waste container fill-level sensor',
  reportingIntervalS: 3600,
  metrics: {
    fill_pct: {
      unit: '%',
      type: 'number',
      min: 0,
      max: 120,
      senmlUnits: SENML.pct,
      description: 'Fill level (100 = full line; above means overflowing)',
    },
    temperature_c: {
      unit: '°C',
      type: 'number',
      min: -40,
      max: 200,
      senmlUnits: SENML.celsius,
      description: 'Temperature inside the container',
    },
    battery_pct: {
      unit: '%',
      type: 'number',
      min: 0,
      max: 100,
      senmlUnits: SENML.batteryPct,
      description: 'Battery level',
    },
  },
};
