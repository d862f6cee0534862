import { KPI_IDS } from '@vigie/contracts';
import { ENERGY_METER } from '@vigie/devices';
import { HOUR_MS } from '@vigie/domain';
import { RawSample } from '../../influx-readings.reader';
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
import {
  bucketEnergy,
  completeBucketEnergy,
  MAX_INTERVAL_SPAN,
  meterIntervals,
} from '../interval-energy.utils';
import { numberAttribute, perSiteOrSkip, scopeOf } from '../kpi-scope.utils';

/** Site attribute: the demand (integration) interval in minutes; Linky load curves are 30 min, C1–C4 10 min. */
export const DEMAND_INTERVAL_ATTRIBUTE = 'demand_interval_min';
/** Default demand interval, minutes [DESIGN]: the Linky load-curve step. */
export const DEFAULT_DEMAND_INTERVAL_MIN = 30;
/** Demand intervals accepted: divisors of an hour, so that they stay aligned on the local clock. */
export const DEMAND_INTERVALS_MIN: readonly number[] = [5, 10, 15, 20, 30, 60];
/** Site attribute: the subscribed power, kVA. */
export const SUBSCRIBED_KVA_ATTRIBUTE = 'subscribed_kva';

/** A site's demand interval (ms), or why it is unusable. */
export function demandIntervalMs(
  site: KpiSite | undefined,
  meters: readonly KpiDevice[],
): { ms: number } | { problem: string } {
  const { value, problem } = numberAttribute(site?.attributes, DEMAND_INTERVAL_ATTRIBUTE);
  if (problem) return { problem };
  const minutes = value ?? DEFAULT_DEMAND_INTERVAL_MIN;
  if (!DEMAND_INTERVALS_MIN.includes(minutes))
    return {
      problem: `attribute ${DEMAND_INTERVAL_ATTRIBUTE}=${minutes} is not one of ${DEMAND_INTERVALS_MIN.join(', ')}`,
    };
  const coarse = meters.filter((m) => m.intervalS * 1000 > minutes * 60_000);
  if (coarse.length)
    return {
      problem: `a ${minutes}-min demand interval needs readings at least every ${minutes} min; ${coarse.map((m) => `${m.id} reports every ${m.intervalS} s`).join(', ')}`,
    };
  return { ms: minutes * 60_000 };
}

/**
 * B7 per building (site) and month: peak = max interval-average kW over the demand intervals of the month that every
 * meter of the site fully covers; load factor = mean kW / peak over the same intervals; share of the subscribed
 * power when the site has `subscribed_kva`. Completeness: complete intervals / intervals of the month.
 */
export function peakDemandPoints(
  meters: readonly KpiDevice[],
  samples: ReadonlyMap<string, readonly RawSample[]>,
  months: readonly KpiWindowSpan[],
  sites: ReadonlyMap<string, KpiSite>,
): { points: KpiPoint[]; skipped: KpiSkip[] } {
  const points: KpiPoint[] = [];
  const { sites: perSite, skipped } = perSiteOrSkip(meters, 'energy meter', 'B7 is per building');
  for (const [site, siteMeters] of perSite) {
    const attrs = sites.get(site);
    const interval = demandIntervalMs(attrs, siteMeters);
    if ('problem' in interval) {
      skipped.push({ subject: site, reason: KpiSkipReason.MissingInputs, detail: `B7: ${interval.problem}` });
      continue;
    }
    const subscribed = numberAttribute(attrs?.attributes, SUBSCRIBED_KVA_ATTRIBUTE);
    if (subscribed.problem || !subscribed.value) {
      const why =
        subscribed.problem ??
        (subscribed.value === 0
          ? `attribute ${SUBSCRIBED_KVA_ATTRIBUTE}=0`
          : `site ${site} has no ${SUBSCRIBED_KVA_ATTRIBUTE} attribute`);
      skipped.push({
        subject: site,
        reason: KpiSkipReason.MissingInputs,
        detail: `${why}: B7.peak_share_of_subscribed not computed`,
      });
    }
    const bucket = interval.ms;
    const perMeter = siteMeters.map((m) =>
      bucketEnergy(meterIntervals(samples.get(m.id) ?? [], m.intervalS), bucket),
    );
    const kw: number[][] = months.map(() => []);
    for (const b of perMeter[0].keys()) {
      const w = windowIndexOf(months, b);
      if (w < 0 || b + bucket > months[w].end) continue;
      const kwh = completeBucketEnergy(perMeter, b, bucket);
      if (kwh !== undefined) kw[w].push(kwh / (bucket / HOUR_MS));
    }
    let any = false;
    months.forEach((month, i) => {
      const list = kw[i];
      if (list.length === 0) return;
      any = true;
      const peak = list.reduce((a, b) => Math.max(a, b), 0);
      const common = {
        subject: site,
        window: 'month' as const,
        ts: month.start,
        completeness: Math.min(1, (list.length * bucket) / (month.end - month.start)),
      };
      points.push({ kpi: KPI_IDS.B7_PEAK_KW, ...common, value: peak });
      if (!(peak > 0)) {
        skipped.push({
          subject: site,
          reason: KpiSkipReason.NotComputable,
          detail: `peak 0 kW in ${month.key}: load factor undefined`,
        });
        return;
      }
      const mean = list.reduce((a, b) => a + b, 0) / list.length;
      points.push({ kpi: KPI_IDS.B7_LOAD_FACTOR, ...common, value: mean / peak });
      if (subscribed.value !== undefined && subscribed.value > 0)
        points.push({ kpi: KPI_IDS.B7_PEAK_SHARE_OF_SUBSCRIBED, ...common, value: peak / subscribed.value });
    });
    if (!any) {
      skipped.push({
        subject: site,
        reason: KpiSkipReason.NoReadings,
        detail: `no complete ${bucket / 60_000}-min demand interval of energy_kwh from ${siteMeters.map((m) => m.id).join(', ')} in the period's months`,
      });
    }
  }
  return { points, skipped };
}

export const PEAK_DEMAND_KPI: KpiComputation = {
  family: 'B7',
  outputs: [KPI_IDS.B7_PEAK_KW, KPI_IDS.B7_LOAD_FACTOR, KPI_IDS.B7_PEAK_SHARE_OF_SUBSCRIBED],
  input: ENERGY_METER,
  async compute(ctx, meters) {
    const { start, end } = spanOf(ctx.months);
    const reach = Math.max(...meters.map((m) => m.intervalS)) * 1000 * MAX_INTERVAL_SPAN;
    const samples = await ctx.readings.rawSamples(
      scopeOf(ctx, ENERGY_METER),
      'energy_kwh',
      start - reach,
      end + reach,
    );
    return { ...peakDemandPoints(meters, samples, ctx.months, ctx.sites), replaces: { start, end } };
  },
};
