import { KPI_IDS } from '@vigie/contracts';
import { BIN_SENSOR } from '@vigie/devices';
import {
  averageFillAtCollection,
  binsAboveThreshold,
  collectionEvents,
  DEFAULT_FILL_THRESHOLD_PCT,
} from '@vigie/domain';
import { DailyStats, PerDeviceWindows, RawSample } from '../../influx-readings.reader';
import {
  KpiComputation,
  KpiDevice,
  KpiPoint,
  KpiSite,
  KpiSkip,
  KpiSkipReason,
  spanOf,
} from '../../kpi-engine.types';
import { completenessShare, countPerWindow, expectedSamples, KpiWindowSpan } from '../../kpi-windows.utils';
import { numberAttribute, perSiteOrTenant, scopeOf } from '../kpi-scope.utils';
import { numericSamples, readFillSamples } from './waste-samples.utils';

/** Site attribute overriding K2's threshold (%, default 80). */
export const FILL_THRESHOLD_ATTRIBUTE = 'fill_threshold_pct';

/** How far before the first month K3 reads, so a collection at the start of a month sees the reading before. */
export const COLLECTION_LOOKBACK_MS = 7 * 86_400_000;

/**
 * K3 per bin and local month: mean fill of the last valid reading before each collection (drop ≥ 30 points)
 * whose first reading after the drop falls in the month. Completeness: samples in the month / expected.
 */
export function fillAtCollectionPoints(
  bins: readonly KpiDevice[],
  samples: ReadonlyMap<string, readonly RawSample[]>,
  months: readonly KpiWindowSpan[],
): { points: KpiPoint[]; skipped: KpiSkip[] } {
  const points: KpiPoint[] = [];
  const skipped: KpiSkip[] = [];
  for (const bin of bins) {
    const fill = numericSamples(samples.get(bin.id));
    const counts = countPerWindow(fill, months);
    const events = collectionEvents(fill);
    const without: string[] = [];
    months.forEach((month, i) => {
      const count = counts[i];
      if (count === 0) return;
      const avg = averageFillAtCollection(events.filter((e) => e.ts >= month.start && e.ts < month.end));
      if (avg === undefined) {
        without.push(month.key);
        return;
      }
      points.push({
        kpi: KPI_IDS.K3_AVG_FILL_AT_COLLECTION_PCT,
        subject: bin.id,
        window: 'month',
        ts: month.start,
        value: avg,
        completeness: completenessShare(count, expectedSamples(month.end - month.start, bin.intervalS)),
      });
    });
    if (fill.every((s) => s.ts < months[0].start)) {
      skipped.push({
        subject: bin.id,
        reason: KpiSkipReason.NoReadings,
        detail: `no fill_pct reading from ${bin.id}`,
      });
    } else if (without.length) {
      skipped.push({
        subject: bin.id,
        reason: KpiSkipReason.NotComputable,
        detail: `no collection detected in ${without.join(', ')}`,
      });
    }
  }
  return { points, skipped };
}

/**
 * K2 per bin site and local day: share and count of the site's bins whose last fill of the day ≥ the site's
 * threshold, among the bins that reported that day. Bins without a site are grouped under the tenant's id.
 * Completeness: bins reporting that day / bins of the site.
 */
export function binsAboveThresholdPoints(
  tenant: string,
  bins: readonly KpiDevice[],
  sites: ReadonlyMap<string, KpiSite>,
  stats: PerDeviceWindows<DailyStats>,
  days: readonly KpiWindowSpan[],
): { points: KpiPoint[]; skipped: KpiSkip[] } {
  const points: KpiPoint[] = [];
  const skipped: KpiSkip[] = [];
  for (const [subject, siteBins] of perSiteOrTenant(bins, tenant)) {
    const t = numberAttribute(sites.get(subject)?.attributes, FILL_THRESHOLD_ATTRIBUTE);
    if (t.problem) {
      skipped.push({ subject, reason: KpiSkipReason.MissingInputs, detail: t.problem });
      continue;
    }
    const threshold = t.value ?? DEFAULT_FILL_THRESHOLD_PCT;
    let any = false;
    days.forEach((day, i) => {
      const lasts: number[] = [];
      for (const b of siteBins) {
        const s = stats.get(b.id)?.get(i);
        if (s) lasts.push(s.last);
      }
      if (lasts.length === 0) return;
      any = true;
      const { count, share } = binsAboveThreshold(lasts, threshold);
      const completeness = lasts.length / siteBins.length;
      const base = { subject, window: 'day' as const, ts: day.start, completeness };
      points.push({ ...base, kpi: KPI_IDS.K2_SHARE_ABOVE_THRESHOLD, value: share });
      points.push({ ...base, kpi: KPI_IDS.K2_COUNT_ABOVE_THRESHOLD, value: count });
    });
    if (!any) {
      skipped.push({
        subject,
        reason: KpiSkipReason.NoReadings,
        detail: `no fill_pct reading from the bins of ${subject}`,
      });
    }
  }
  return { points, skipped };
}

export const BINS_ABOVE_THRESHOLD_KPI: KpiComputation = {
  family: 'K2',
  outputs: [KPI_IDS.K2_SHARE_ABOVE_THRESHOLD, KPI_IDS.K2_COUNT_ABOVE_THRESHOLD],
  input: BIN_SENSOR,
  async compute(ctx, bins) {
    const stats = await ctx.readings.dailyStats(scopeOf(ctx, BIN_SENSOR), 'fill_pct', ctx.days);
    return {
      ...binsAboveThresholdPoints(ctx.tenant, bins, ctx.sites, stats, ctx.days),
      replaces: spanOf(ctx.days),
    };
  },
};

export const FILL_AT_COLLECTION_KPI: KpiComputation = {
  family: 'K3',
  outputs: [KPI_IDS.K3_AVG_FILL_AT_COLLECTION_PCT],
  input: BIN_SENSOR,
  async compute(ctx, bins) {
    const span = spanOf(ctx.months);
    const samples = await readFillSamples(ctx, span, COLLECTION_LOOKBACK_MS);
    return { ...fillAtCollectionPoints(bins, samples, ctx.months), replaces: span };
  },
};
