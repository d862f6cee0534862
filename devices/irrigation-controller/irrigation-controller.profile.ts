import { DeviceKind } from '@vigie/domain';
import { LORAWAN_LINK_METRIC_SPECS, VOLUME_INDEX_M3 } from '../src/units';

/** Irrigation zone controller with its zone meter. */
export const IRRIGATION_CONTROLLER: DeviceKind = {
  id: 'irrigation-controller',
  measurement: 'irrigation_controller',
  description: 'Irrigation valve with its zone water meter',
  reportingIntervalS: 900,
  metrics: {
    volume_m3: { ...VOLUME_INDEX_M3, description: 'Cumulative volume index of the zone meter' },
    valve_open: { unit: '', type: 'boolean', description: 'The valve is open' },
    ...LORAWAN_LINK_METRIC_SPECS,
  },
  lorawan: {
    fields: {
      waterConsumption: { metric: 'volume_m3' },
      valveOpen: { metric: 'valve_open' },
    },
  },
  smartDataModel: {
    entityType: 'WaterConsumptionObserved',
    dataModel: 'dataModel.WaterConsumption',
    attributes: {
      volume_m3: { attribute: 'waterConsumption', unit: 'MTQ' },
    },
  },
};
