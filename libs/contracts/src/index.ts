export * from './ids';
export * from './topics';
export * from './payloads/decoded-reading';
export * from './payloads/readings-payload.decoder';
export * from './payloads/timestamps';
