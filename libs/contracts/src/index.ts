export * from './ids';
export * from './topics';
export * from './payloads/decoded-reading';
export * from './payloads/readings-payload.decoder';
export * from './payloads/timestamps';
export * from './lorawan/lorawan-topics';
export * from './lorawan/lorawan-uplink.decoder';
export * from './lorawan/lorawan-uplink.encoder';
