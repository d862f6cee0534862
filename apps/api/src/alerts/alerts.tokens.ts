/**
 * Injection tokens of the alert evaluation capability (esbuild emits no decorator metadata: name every token).
 * The notify port's token is the platform's ALERT_NOTIFY_PORT, shared with the alerts API.
 */
export const ALERT_SERVICE = Symbol('AlertService');
export const KPI_ALERT_EVALUATOR = Symbol('KpiAlertEvaluator');
