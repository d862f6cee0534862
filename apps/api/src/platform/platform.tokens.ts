/**
 * Injection tokens. `vigie api` is bundled by esbuild, which emits no decorator metadata, so every constructor
 * parameter names its token with `@Inject(...)` (Nest cannot infer it from the parameter's type there).
 */
export const API_CONFIG = Symbol('ApiConfig');
export const REDIS = Symbol('Redis');
export const REGISTRY = Symbol('RegistryRepository');
export const INFLUX = Symbol('InfluxClient');
export const KPI_ENGINE = Symbol('KpiEngine');
export const KPI_POINTS_READER = Symbol('KpiPointsReader');
export const LOGGER = Symbol('Logger');
/**
 * The AlertNotifyPort (libs/alerts) sending alert events to their notification routes: the notifications module's
 * dispatcher, global, so every capability that raises or changes alerts notifies through it.
 */
export const ALERT_NOTIFY_PORT = Symbol('AlertNotifyPort');
/** The alert store (AlertRepository) on the platform's Redis. */
export const ALERT_REPOSITORY = Symbol('AlertRepository');
/** The ReadingAlertEvaluator (libs/alerts) of this process: evaluation of readings and real-time silence. */
export const READING_ALERT_EVALUATOR = Symbol('ReadingAlertEvaluator');
/** This process's ApiMetrics (libs/observability): HTTP requests, jobs, queue depths; served at /api/metrics. */
export const API_METRICS = Symbol('ApiMetrics');
/** API keys (ApiKeyRepository) the guard checks every request's key against. */
export const API_KEYS = Symbol('ApiKeyRepository');
/** The audit log (AuditLogRepository). */
export const AUDIT_LOG = Symbol('AuditLogRepository');
/** The registry service (libs/admin), the one code path of registry changes for the API and the CLI. */
export const REGISTRY_SERVICE = Symbol('RegistryService');
/** API key management (libs/admin ApiKeysService). */
export const API_KEYS_SERVICE = Symbol('ApiKeysService');
/** Readings for the API (libs/admin ReadingsQuery). */
export const READINGS_QUERY = Symbol('ReadingsQuery');
