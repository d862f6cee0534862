export * from './group-commit';
export * from './line-protocol';
export * from './readings.ingestor';
export * from './spool.writer';
