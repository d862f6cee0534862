import { DeviceKind } from '@vigie/domain';
import { LORAWAN_LINK_METRIC_SPECS, RAIN_MM, SENML } from '../src/units';

/** Outdoor weather station: temperature for degree days; rain, humidity, wind and sun for irrigation (ET0). */
export const WEATHER_STATION: DeviceKind = {
  id: 'weather-station',
  measurement: 'weather_station',
  description: 'Outdoor temperature, rain, humidity, wind speed and solar radiation',
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
    rain_mm: RAIN_MM,
    humidity_pct: {
      unit: '%',
      type: 'number',
      min: 0,
      max: 100,
      senmlUnits: { '%RH': 1, '/': 100 },
      description: 'Relative humidity of the air',
    },
    wind_speed_ms: {
      unit: 'm/s',
      type: 'number',
      min: 0,
      max: 100,
      senmlUnits: { 'm/s': 1 },
      description: 'Wind speed (mean over the reporting interval), 2 m above ground for ET0',
    },
    solar_radiation_wm2: {
      unit: 'W/m²',
      type: 'number',
      min: 0,
      max: 2000,
      senmlUnits: { 'W/m2': 1 },
      description: 'Global solar radiation on a horizontal surface (mean over the reporting interval)',
    },
    ...LORAWAN_LINK_METRIC_SPECS,
  },
  lorawan: {
    fields: {
      temperature: { metric: 'temperature_c' },
      precipitation: { metric: 'rain_mm' },
      relativeHumidity: { metric: 'humidity_pct', scale: 100 },
      windSpeed: { metric: 'wind_speed_ms' },
      solarRadiation: { metric: 'solar_radiation_wm2' },
    },
  },
  smartDataModel: {
    entityType: 'WeatherObserved',
    dataModel: 'dataModel.Weather',
    attributes: {
      temperature_c: { attribute: 'temperature', unit: 'CEL' },
      rain_mm: { attribute: 'precipitation', unit: 'MMT' },
      humidity_pct: { attribute: 'relativeHumidity', scale: 0.01, unit: 'fraction' },
      wind_speed_ms: { attribute: 'windSpeed', unit: 'MTS' },
      solar_radiation_wm2: { attribute: 'solarRadiation', unit: 'D54' },
    },
  },
};
