export * from './archive.schemas';
export * from './csv';
export * from './datapackage';
export * from './export.errors';
export * from './influx-rows.reader';
export * from './tenant.exporter';
export * from './tenant.importer';
