import { DeviceKind } from '@vigie/domain';
import { SENML, VOLUME_INDEX_M3 } from '../src/units';

/** Water meter: network inflow, district or customer meter. */
export const WATER_METER: DeviceKind = {
  id: 'water-meter',
  measurement: 'water_meter',
  description: 'Water meter with flow and pressure',
  reportingIntervalS: 900,
  metrics: {
    volume_m3: VOLUME_INDEX_M3,
    flow_m3h: {
      unit: 'm³/h',
      type: 'number',
      min: 0,
      max: 1e5,
      senmlUnits: SENML.m3h,
      description: 'Flow rate',
    },
    pressure_bar: {
      unit: 'bar',
      type: 'number',
      min: 0,
      max: 25,
      senmlUnits: SENML.bar,
      description: 'Pressure',
    },
  },
};
