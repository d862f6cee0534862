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
