export * from './logger';
export * from './vigie-metrics';
