export * from './alert.service';
export * from './notifications';
export * from './alert-admin';
export * from './alert-admin.errors';
export * from './kpi-alerts.evaluator';
export * from './reading-alerts.evaluator';
export * from './alert-samples.consumer';
