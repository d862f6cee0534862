export * from './logger';
export * from './stop-signal';
export * from './vigie-metrics';
export * from './readiness';
