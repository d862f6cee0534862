import type { KpiCadence } from '@vigie/domain';

/** The BullMQ key prefix under Vigie's own Redis prefix (`vigie:` → keys `vigie:bull:vigie-kpi:…`). */
export function bullPrefix(redisPrefix: string): string {
  return `${redisPrefix}bull`;
}

/** The BullMQ queue of KPI work. Nothing else spells it. */
export const KPI_QUEUE = 'vigie-kpi';

/** Job names of the KPI queue. */
export const KPI_JOBS = {
  /** Compute KPIs of one tenant for a period (data: KpiComputeJobData; result: the run's KpiRunStatus). */
  compute: 'kpi.compute',
  /** Fired by a job scheduler: fan out one `kpi.compute` per tenant (data: KpiScheduleJobData). */
  schedule: 'kpi.schedule',
} as const;
export type KpiJobName = (typeof KPI_JOBS)[keyof typeof KPI_JOBS];

/** Data of a `kpi.compute` job: the same request as `vigie kpi compute`. */
export interface KpiComputeJobData {
  readonly tenant: string;
  /** First local day, 'YYYY-MM-DD' (inclusive). */
  readonly from: string;
  /** Last local day, 'YYYY-MM-DD' (inclusive). */
  readonly to: string;
  /** Catalogue or output ids; absent or empty = every KPI. */
  readonly kpis?: readonly string[];
}

/** Data of a `kpi.schedule` job. */
export interface KpiScheduleJobData {
  readonly cadence: KpiCadence;
}

/** Id of the job scheduler of a cadence (one per cadence and queue, upserted at every worker boot). */
export function kpiSchedulerId(cadence: KpiCadence): string {
  return `kpi-${cadence}`;
}
