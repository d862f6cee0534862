import { DeviceKind } from '@vigie/domain';
import { LORAWAN_LINK_METRIC_SPECS, SENML, VOLUME_INDEX_M3, WATER_SITE_ROLES } from '../src/units';

/**
 * Water meter: production, import/export, district inflow or customer meter — its role is its site's `role`
 * attribute (WATER_SITE_ROLES), its water sector the site's `sector` attribute.
 */
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
    ...LORAWAN_LINK_METRIC_SPECS,
  },
  siteRoles: WATER_SITE_ROLES,
  lorawan: {
    fields: {
      waterConsumption: { metric: 'volume_m3' },
      flow: { metric: 'flow_m3h' },
      pressure: { metric: 'pressure_bar' },
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
