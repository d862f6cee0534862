export * from './admin.errors';
export * from './api-keys.service';
export * from './devices-csv';
export * from './registry.service';
export * from './readings.query';
