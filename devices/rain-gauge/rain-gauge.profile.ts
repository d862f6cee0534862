import { DeviceKind } from '@vigie/domain';
import { BATTERY_PCT, LORAWAN_LINK_METRIC_SPECS, RAIN_MM } from '../src/units';

/** Tipping-bucket rain gauge (battery, usually LoRaWAN): rain for irrigation and run-off. */
export const RAIN_GAUGE: DeviceKind = {
  id: 'rain-gauge',
  measurement: 'rain_gauge',
  description: 'Rain gauge',
  reportingIntervalS: 900,
  metrics: {
    rain_mm: RAIN_MM,
    battery_pct: BATTERY_PCT,
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
