export * from './noaa-solar.calculator';
