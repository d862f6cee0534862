import { KPI_OUTPUTS, KpiFamilyId, KpiOutputSpec } from '@vigie/contracts';
import { cadencePeriod, KpiCadence, KpiCadencePeriod } from '@vigie/domain';
import { KpiComputation } from './kpi-engine.types';
import { KPI_COMPUTATIONS } from './kpi.engine';

/**
 * Families recomputed every hour over the day in progress (real-time-ish status: availability, bin fill). A family
 * not listed here is computed daily (and monthly, as a final pass over the previous month); a family listed here
 * that the engine does not compute yet is ignored, so the map may name families before they land.
 */
export const KPI_FAMILY_CADENCE: Readonly<Partial<Record<KpiFamilyId, 'hourly' | 'daily'>>> = {
  X2: 'hourly',
  K1: 'hourly',
  K6: 'hourly',
  K7: 'hourly',
};

/** Zone of the scheduler's cron patterns; each tenant's period is then taken in the tenant's own zone. */
export const KPI_SCHEDULE_TIME_ZONE = 'Europe/Paris';

/** One BullMQ job scheduler: when it fires (cron, in KPI_SCHEDULE_TIME_ZONE) and what it recomputes. */
export interface KpiScheduleSpec {
  readonly cadence: KpiCadence;
  /** Cron pattern (minute hour day-of-month month day-of-week). */
  readonly pattern: string;
  readonly description: string;
}

export const KPI_SCHEDULES: readonly KpiScheduleSpec[] = [
  {
    cadence: 'hourly',
    pattern: '5 * * * *',
    description: 'at minute 5 of every hour: today, hourly families',
  },
  {
    cadence: 'daily',
    pattern: '15 0 * * *',
    description: 'at 00:15: yesterday and the day before (late data), every family',
  },
  {
    cadence: 'monthly',
    pattern: '30 1 1 * *',
    description: 'at 01:30 on the 1st: the previous month, every family',
  },
  {
    cadence: 'yearly',
    pattern: '0 3 1 1 *',
    description: 'at 03:00 on 1 January: the previous year, families with a yearly output',
  },
];

/**
 * The families a cadence recomputes, in run order, derived from the computations the engine has and the catalogue
 * specs (so that families added later fall in the right cadence on their own):
 * - hourly: the families KPI_FAMILY_CADENCE marks hourly;
 * - daily and monthly: every computed family (the hourly ones too: their finished days are final there);
 * - yearly: the families with an output whose window is a year.
 */
export function familiesForCadence(
  cadence: KpiCadence,
  computations: readonly KpiComputation[] = KPI_COMPUTATIONS,
  outputs: readonly KpiOutputSpec[] = KPI_OUTPUTS,
  cadenceOf: Readonly<Partial<Record<KpiFamilyId, 'hourly' | 'daily'>>> = KPI_FAMILY_CADENCE,
): KpiFamilyId[] {
  const families = [...new Set(computations.map((c) => c.family))];
  switch (cadence) {
    case 'hourly':
      return families.filter((f) => cadenceOf[f] === 'hourly');
    case 'daily':
    case 'monthly':
      return families;
    case 'yearly':
      return families.filter((f) => outputs.some((o) => o.family === f && o.window === 'year'));
  }
}

/** One `kpi.compute` request a scheduler fires for a tenant, or undefined when the cadence has no family. */
export function scheduledRun(
  cadence: KpiCadence,
  tenant: string,
  at: number,
  timeZone: string,
  families: readonly KpiFamilyId[] = familiesForCadence(cadence),
): (KpiCadencePeriod & { tenant: string; kpis: KpiFamilyId[] }) | undefined {
  if (families.length === 0) return undefined;
  return { tenant, ...cadencePeriod(cadence, at, timeZone), kpis: [...families] };
}
