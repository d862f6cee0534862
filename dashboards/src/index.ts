export * from './dashboard-model';
export { VIGIE_DATASOURCE_UID } from './datasource';
