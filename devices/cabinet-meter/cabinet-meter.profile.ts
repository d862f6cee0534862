import { DeviceKind } from '@vigie/domain';
import { SENML } from '../src/units';

/** Electricity meter of a street-lighting control cabinet (one per lighting circuit group). */
export const CABINET_METER: DeviceKind = {
  id: 'cabinet-meter',
  measurement: 'cabinet_meter',
  description: 'Lighting cabinet electricity meter',
  reportingIntervalS: 900,
  metrics: {
    energy_kwh: {
      unit: 'kWh',
      type: 'number',
      min: 0,
      max: 1e10,
      cumulative: true,
      senmlUnits: SENML.kwh,
      description: 'Cumulative active energy index of the cabinet',
    },
    power_w: {
      unit: 'W',
      type: 'number',
      min: 0,
      max: 1e6,
      senmlUnits: SENML.w,
      description: 'Total active power of the cabinet (all phases)',
    },
  },
  smartDataModel: {
    entityType: 'StreetlightControlCabinet',
    dataModel: 'dataModel.Streetlighting',
    attributes: {
      power_w: { attribute: 'totalActivePower', scale: { divideBy: 1000 }, unit: 'KWT' },
      energy_kwh: { attribute: 'energyConsumed', unit: 'KWH' },
    },
  },
  talq: {
    power_w: { function: 'ElectricalMeterFunction', attribute: 'activePower' },
    energy_kwh: { function: 'ElectricalMeterFunction', attribute: 'activeEnergy' },
  },
};
