export * from './alert-source.port';
export * from './notification-job.options';
export * from './notification.dispatcher';
