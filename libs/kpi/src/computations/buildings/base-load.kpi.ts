import { KPI_IDS } from '@vigie/contracts';
import { ENERGY_METER } from '@vigie/devices';
import {
  baseLoadKw,
  CLOSED_DAYS_ATTRIBUTE,
  closingLoads,
  HOUR_MS,
  KpiError,
  outOfHoursShare,
  startOfLocalDay,
} from '@vigie/domain';
import { RawSample } from '../../influx-readings.reader';
import { KpiComputation, KpiDevice, KpiPoint, KpiSite, KpiSkip, KpiSkipReason } from '../../kpi-engine.types';
import { KpiWindowSpan, windowIndexOf } from '../../kpi-windows.utils';
import { completeBucketEnergy, MAX_INTERVAL_SPAN } from '../interval-energy.utils';
import { perSiteOrSkip, scopeOf } from '../kpi-scope.utils';
import { hourlyEnergy, hourlySiteInputs, isOpen } from '../opening-hours.utils';

/** Percentile of hourly kW taken as the base load (catalogue B5 default). */
export const BASE_LOAD_PERCENTILE = 5;

export { MAX_INTERVAL_SPAN };
export { hourlyEnergy, isOpen, OPENING_HOURS_ATTRIBUTE, parseOpeningHours } from '../opening-hours.utils';
export type { OpeningHours } from '../opening-hours.utils';

/**
 * B5 per building (site) and ISO week, over the week's complete hours (every meter of the site known for the
 * whole hour): base load = 5th percentile of the hourly kW (kWh in the hour / 1 h); base-load share = P_base ×
 * hours / E; out-of-hours share = E(hours whose mid-point is outside the site's `hours` or on one of its
 * `closed_days`) / E, not judged for a week closed throughout. Completeness: complete hours / hours of the week.
 * Per local day with a closing (`closingLoads`, the day's last one): the after-closing load ratio, completeness 1
 * (a closing with one of its hours incomplete is not computed). A site without opening hours gets the first two
 * outputs only.
 */
export function baseLoadPoints(
  meters: readonly KpiDevice[],
  samples: ReadonlyMap<string, readonly RawSample[]>,
  weeks: readonly KpiWindowSpan[],
  sites: ReadonlyMap<string, KpiSite>,
  timeZone: string,
): { points: KpiPoint[]; skipped: KpiSkip[] } {
  const points: KpiPoint[] = [];
  const { sites: perSite, skipped } = perSiteOrSkip(meters, 'energy meter', 'B5 is per building');
  for (const [site, siteMeters] of perSite) {
    const inputs = hourlySiteInputs('B5', site, siteMeters, sites, 'B5.out_of_hours_share not computed');
    skipped.push(...inputs.skipped);
    if (!inputs.hourly) continue;
    const { hours, closed } = inputs;
    // An hour is open when its mid-point is (B5's one rule for both outputs that need the hours).
    const open = hours ? (ts: number) => isOpen(hours, ts + HOUR_MS / 2, timeZone, closed) : undefined;
    const perMeter = siteMeters.map((m) => hourlyEnergy(samples.get(m.id) ?? [], m.intervalS));
    const complete: { ts: number; kwh: number }[][] = weeks.map(() => []);
    for (const h of [...perMeter[0].keys()].sort((a, b) => a - b)) {
      const w = windowIndexOf(weeks, h);
      if (w < 0 || h + HOUR_MS > weeks[w].end) continue;
      const kwh = completeBucketEnergy(perMeter, h, HOUR_MS);
      if (kwh !== undefined) complete[w].push({ ts: h, kwh });
    }
    let any = false;
    weeks.forEach((week, i) => {
      const list = complete[i];
      if (list.length === 0) return;
      any = true;
      const energy = list.reduce((s, h) => s + h.kwh, 0);
      const base = baseLoadKw(
        list.map((h) => ({ ts: h.ts, value: h.kwh })),
        BASE_LOAD_PERCENTILE,
      );
      const common = {
        subject: site,
        window: 'week' as const,
        ts: week.start,
        completeness: Math.min(1, (list.length * HOUR_MS) / (week.end - week.start)),
      };
      points.push({ kpi: KPI_IDS.B5_BASE_LOAD_KW, ...common, value: base });
      if (energy > 0) {
        points.push({ kpi: KPI_IDS.B5_BASE_LOAD_SHARE, ...common, value: (base * list.length) / energy });
      } else {
        skipped.push({
          subject: site,
          reason: KpiSkipReason.NotComputable,
          detail: `no energy in the week of ${week.key}: shares not computable`,
        });
        return;
      }
      if (!open) return;
      if (!list.some((h) => open(h.ts))) {
        // A week closed throughout (holidays): every kWh is out of hours, which says nothing about the building.
        skipped.push({
          subject: site,
          reason: KpiSkipReason.NotComputable,
          detail: `closed all the week of ${week.key} (${CLOSED_DAYS_ATTRIBUTE}, hours): B5.out_of_hours_share not judged`,
        });
        return;
      }
      try {
        const value = outOfHoursShare(
          list.map((h) => ({ ts: h.ts, kwh: h.kwh })),
          open,
        );
        points.push({ kpi: KPI_IDS.B5_OUT_OF_HOURS_SHARE, ...common, value });
      } catch (err) {
        if (!(err instanceof KpiError)) throw err;
        skipped.push({ subject: site, reason: KpiSkipReason.NotComputable, detail: err.message });
      }
    });
    if (open) points.push(...afterClosingPoints(site, complete.flat(), open, timeZone));
    if (!any) {
      skipped.push({
        subject: site,
        reason: KpiSkipReason.NoReadings,
        detail: `no complete hour of energy_kwh from ${siteMeters.map((m) => m.id).join(', ')} in the period's weeks`,
      });
    }
  }
  return { points, skipped };
}

/** One point per local day with a closing: the ratio of its last closing (the evening's, where a setback starts). */
function afterClosingPoints(
  site: string,
  complete: readonly { ts: number; kwh: number }[],
  open: (hourStart: number) => boolean,
  timeZone: string,
): KpiPoint[] {
  const hourly = new Map(complete.map((h) => [h.ts, h.kwh]));
  const lastPerDay = new Map<number, number>();
  for (const c of closingLoads(hourly, open)) lastPerDay.set(startOfLocalDay(c.closedAt, timeZone), c.ratio);
  return [...lastPerDay].map(([day, ratio]) => ({
    kpi: KPI_IDS.B5_AFTER_CLOSING_LOAD_RATIO,
    subject: site,
    window: 'day' as const,
    ts: day,
    completeness: 1,
    value: ratio,
  }));
}

export const BASE_LOAD_KPI: KpiComputation = {
  family: 'B5',
  outputs: [
    KPI_IDS.B5_BASE_LOAD_KW,
    KPI_IDS.B5_BASE_LOAD_SHARE,
    KPI_IDS.B5_OUT_OF_HOURS_SHARE,
    KPI_IDS.B5_AFTER_CLOSING_LOAD_RATIO,
  ],
  input: ENERGY_METER,
  async compute(ctx, meters) {
    const weeks = ctx.weeks;
    const start = weeks[0].start;
    const end = weeks[weeks.length - 1].end;
    // The intervals opening and closing the weeks: readings up to the longest bridged interval around them.
    const reach = Math.max(...meters.map((m) => m.intervalS)) * 1000 * MAX_INTERVAL_SPAN;
    const samples = await ctx.readings.rawSamples(
      scopeOf(ctx, ENERGY_METER),
      'energy_kwh',
      start - reach,
      end + reach,
    );
    return { ...baseLoadPoints(meters, samples, weeks, ctx.sites, ctx.timeZone), replaces: { start, end } };
  },
};
