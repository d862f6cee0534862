import { DeviceKind } from '@vigie/domain';
import { SENML } from '../src/units';

/** Electricity meter of a public building (main meter or sub-meter). */
export const ENERGY_METER: DeviceKind = {
  id: 'energy-meter',
  measurement: 'energy_meter',
  description: 'Electricity meter of a building or sub-circuit',
  reportingIntervalS: 900,
  metrics: {
    energy_kwh: {
      unit: 'kWh',
      type: 'number',
      min: 0,
      max: 1e12,
      cumulative: true,
      senmlUnits: SENML.kwh,
      description: 'Cumulative active energy index',
    },
    power_w: {
      unit: 'W',
      type: 'number',
      min: -1e7,
      max: 1e7,
      senmlUnits: SENML.w,
      description: 'Active power (negative when exporting)',
    },
  },
  smartDataModel: {
    entityType: 'ACMeasurement',
    dataModel: 'dataModel.Energy',
    attributes: {
      energy_kwh: { attribute: 'totalActiveEnergyImport', unit: 'KWH' },
      power_w: { attribute: 'totalActivePower', scale: { divideBy: 1000 }, unit: 'KWT' },
    },
  },
};
