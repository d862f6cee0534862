export * from './expect-eventually';
export * from './services';
export * from './test-env';
export * from './vigie-process';
export * from './golden-cases';
export * from './seeded-random';
export * from './notify-receivers';
