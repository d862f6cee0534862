export * from './decoded-reading';
export * from './device-kind';
export * from './reading-validation';
export * from './reject-reasons';
export * from './kpi';
export * from './solar';
