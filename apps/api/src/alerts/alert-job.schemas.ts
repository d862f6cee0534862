import { computeJobDataSchema } from '../kpi/kpi-api.schemas';

/**
 * Data of an `alert.evaluate-kpis` job (AlertKpiJobData), checked by the worker before anything runs: the period
 * of the KPI run it follows, so the same tenant and local-day rules as a `kpi.compute` job.
 */
export const evaluateKpisJobDataSchema = computeJobDataSchema.omit({ kpis: true });
