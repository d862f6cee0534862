export * from './env-file';
export * from './vigie-config';
