import { DeviceKind } from '@vigie/domain';
import { SENML } from '../src/units';

/** Outdoor weather station: temperature for degree days, rain for irrigation. */
export const WEATHER_STATION: DeviceKind = {
  id: 'weather-station',
  measurement: 'weather_station',
  description: 'Outdoor temperature and rain gauge',
  reportingIntervalS: 600,
  metrics: {
    temperature_c: {
      unit: '°C',
      type: 'number',
      min: -60,
      max: 60,
      senmlUnits: SENML.celsius,
      description: 'Outdoor air temperature',
    },
    rain_mm: {
      unit: 'mm',
      type: 'number',
      min: 0,
      max: 500,
      senmlUnits: SENML.mm,
      description: 'Rain fallen since the previous report',
    },
  },
};
