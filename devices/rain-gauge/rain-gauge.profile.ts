import { DeviceKind } from '@vigie/domain';
import { LORAWAN_LINK_METRIC_SPECS, SENML } from '../src/units';

/** Tipping-bucket rain gauge (battery, usually LoRaWAN): rain for irrigation and run-off. */
export const RAIN_GAUGE: DeviceKind = {
  id: 'rain-gauge',
  measurement: 'rain_gauge',
  description: 'Rain gauge',
  reportingIntervalS: 900,
  metrics: {
    rain_mm: {
      unit: 'mm',
      type: 'number',
      min: 0,
      max: 500,
      senmlUnits: SENML.mm,
      description: 'Rain fallen in the reporting interval',
    },
    battery_pct: {
      unit: '%',
      type: 'number',
      min: 0,
      max: 100,
      senmlUnits: SENML.batteryPct,
      description: 'Battery level',
    },
    ...LORAWAN_LINK_METRIC_SPECS,
  },
  lorawan: {
    fields: {
      precipitation: { metric: 'rain_mm' },
      batteryLevel: { metric: 'battery_pct' },
    },
  },
  smartDataModel: {
    entityType: 'WeatherObserved',
    dataModel: 'dataModel.Weather',
    attributes: {
      rain_mm: { attribute: 'precipitation', unit: 'MMT' },
    },
  },
};
