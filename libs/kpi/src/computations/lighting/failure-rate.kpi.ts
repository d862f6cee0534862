import { KPI_IDS } from '@vigie/contracts';
import { LIGHT_CONTROLLER } from '@vigie/devices';
import {
  DAY_MS,
  dayStringToNumber,
  DEFAULT_LOW_POWER_READINGS,
  failingAtSnapshot,
  HOUR_MS,
  LampReading,
  localWallToUtc,
} from '@vigie/domain';
import {
  KpiComputation,
  KpiDevice,
  KpiPoint,
  KpiSite,
  KpiSkip,
  KpiSkipReason,
  spanOf,
} from '../../kpi-engine.types';
import { KpiWindowSpan, windowIndexOf } from '../../kpi-windows.utils';
import { perSiteOrTenant, scopeOf } from '../kpi-scope.utils';
import { MAX_HOLD_INTERVALS } from './lamp-states.utils';
import { nominalPowerOf, windowsOfMonths } from './light-nominal.utils';

/** Local hour of the nightly failure snapshot (catalogue L4: 23:00). */
export const FAILURE_SNAPSHOT_HOUR = 23;

/** The report fields the snapshot reads. */
export const SNAPSHOT_FIELDS = ['lamp_on', 'power_w', 'lamp_failure'] as const;

/** The snapshot instant of a night: 23:00 local on its evening's date. */
export function snapshotInstant(night: KpiWindowSpan, timeZone: string): number {
  return localWallToUtc(dayStringToNumber(night.key) * DAY_MS + FAILURE_SNAPSHOT_HOUR * HOUR_MS, timeZone);
}

/** A report read back (InfluxQL cells) as L4 sees it. */
export function lampReadingOf(cells: Readonly<Record<string, unknown>>): LampReading & { ts: number } {
  const on = cells['lamp_on'];
  const power = cells['power_w'];
  const failure = cells['lamp_failure'];
  return {
    ts: typeof cells['time'] === 'number' ? cells['time'] : 0,
    ...(typeof on === 'boolean' ? { lampOn: on } : {}),
    ...(typeof power === 'number' ? { powerW: power } : {}),
    ...(typeof failure === 'boolean' ? { lampFailure: failure } : {}),
  };
}

/**
 * L4 per light point site (street; points without a site under the tenant's id) and night: failing points and
 * failing / in service at the night's 23:00 snapshot (`snapshots[i]`: per device its newest reports in the
 * look-back, newest first; a point is in service with a report within 2 of its intervals); per local month the
 * mean of its nights' rates. `nights` are the nights of the whole `months`.
 */
export function failureRatePoints(
  tenant: string,
  lights: readonly KpiDevice[],
  sites: ReadonlyMap<string, KpiSite>,
  snapshots: readonly ReadonlyMap<string, readonly Readonly<Record<string, unknown>>[]>[],
  instants: readonly number[],
  nights: readonly KpiWindowSpan[],
  months: readonly KpiWindowSpan[],
): { points: KpiPoint[]; skipped: KpiSkip[] } {
  const points: KpiPoint[] = [];
  const skipped: KpiSkip[] = [];
  for (const [subject, siteLights] of perSiteOrTenant(lights, tenant)) {
    const nominal = nominalPowerOf(siteLights[0], sites);
    if (nominal.value === undefined) {
      skipped.push({ subject, reason: KpiSkipReason.MissingInputs, detail: nominal.problem ?? '' });
      continue;
    }
    const rates = months.map((): number[] => []);
    nights.forEach((night, i) => {
      let inService = 0;
      let failing = 0;
      for (const light of siteLights) {
        const hold = MAX_HOLD_INTERVALS * light.intervalS * 1000;
        const recent = (snapshots[i]?.get(light.id) ?? [])
          .map(lampReadingOf)
          .filter((r) => r.ts > instants[i] - hold);
        if (recent.length === 0) continue;
        inService++;
        if (failingAtSnapshot(recent, nominal.value ?? 0)) failing++;
      }
      if (inService === 0) return;
      const base = {
        subject,
        window: 'night' as const,
        ts: night.start,
        completeness: inService / siteLights.length,
      };
      points.push({ ...base, kpi: KPI_IDS.L4_FAILING_POINTS, value: failing });
      points.push({ ...base, kpi: KPI_IDS.L4_FAILURE_RATE, value: failing / inService });
      const m = windowIndexOf(months, night.start);
      if (m >= 0) rates[m].push(failing / inService);
    });
    let any = false;
    months.forEach((month, m) => {
      if (rates[m].length === 0) return;
      any = true;
      const monthNights = nights.filter((n) => n.start >= month.start && n.start < month.end).length;
      points.push({
        kpi: KPI_IDS.L4_FAILURE_RATE_MONTH,
        subject,
        window: 'month',
        ts: month.start,
        value: rates[m].reduce((a, b) => a + b, 0) / rates[m].length,
        completeness: rates[m].length / monthNights,
      });
    });
    if (!any)
      skipped.push({
        subject,
        reason: KpiSkipReason.NoReadings,
        detail: `no light point of ${subject} reported at the 23:00 snapshots of the period's months`,
      });
  }
  return { points, skipped };
}

export const FAILURE_RATE_KPI: KpiComputation = {
  family: 'L4',
  outputs: [KPI_IDS.L4_FAILING_POINTS, KPI_IDS.L4_FAILURE_RATE, KPI_IDS.L4_FAILURE_RATE_MONTH],
  input: LIGHT_CONTROLLER,
  async compute(ctx, lights) {
    const nights = windowsOfMonths(ctx.months, ctx.timeZone, 'nights');
    const instants = nights.map((n) => snapshotInstant(n, ctx.timeZone));
    const lookback = MAX_HOLD_INTERVALS * Math.max(...lights.map((l) => l.intervalS)) * 1000;
    const snapshots = await ctx.readings.latestReports(
      scopeOf(ctx, LIGHT_CONTROLLER),
      SNAPSHOT_FIELDS,
      instants,
      lookback,
      DEFAULT_LOW_POWER_READINGS,
    );
    return {
      ...failureRatePoints(ctx.tenant, lights, ctx.sites, snapshots, instants, nights, ctx.months),
      replaces: spanOf(ctx.months),
    };
  },
};
