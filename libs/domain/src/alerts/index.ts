export * from './alert.errors';
export * from './alert.model';
export * from './device-silence.evaluator';
export * from './rate-of-change.evaluator';
export * from './threshold.evaluator';
