export * from './broker.runtime';
export * from './mqtt-guard.stream';
export * from './vigie-broker';
export * from './broker.process';
