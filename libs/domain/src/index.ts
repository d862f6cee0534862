export * from './decoded-reading';
export * from './device-kind';
export * from './lorawan-mapping';
export * from './reading-validation';
export * from './reject-reasons';
export * from './smart-data-model';
export * from './kpi';
export * from './solar';
