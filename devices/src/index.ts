export * from './catalogue';
export { BIN_SENSOR } from '../bin-sensor/bin-sensor.profile';
export { ENERGY_METER } from '../energy-meter/energy-meter.profile';
export { IRRIGATION_CONTROLLER } from '../irrigation-controller/irrigation-controller.profile';
export { LIGHT_CONTROLLER } from '../light-controller/light-controller.profile';
export { WATER_METER } from '../water-meter/water-meter.profile';
export { WEATHER_STATION } from '../weather-station/weather-station.profile';
