export * from './mqtt-fleet';
export * from './progress';
export * from './report-encoding';
export * from './simulation.runner';
export * from './town.provisioner';
