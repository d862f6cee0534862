/** Injection tokens of the notification capability (esbuild emits no decorator metadata: name every token). */
export const ALERT_ROUTES = Symbol('AlertRoutesRepository');
export const NOTIFIER = Symbol('Notifier');
export const NOTIFICATION_DISPATCHER = Symbol('NotificationDispatcher');
