export * from './group-commit';
export * from './ingest-options';
export * from './line-protocol';
export * from './readings.ingestor';
export * from './spool.writer';
export * from './lorawan.ingestor';
