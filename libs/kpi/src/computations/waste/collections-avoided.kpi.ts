import { KPI_IDS } from '@vigie/contracts';
import { BIN_SENSOR } from '@vigie/devices';
import {
  collectionEvents,
  collectionsAvoided,
  localDayNumber,
  parseCollectionSchedule,
  scheduledCollections,
} from '@vigie/domain';
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
import { completenessShare, countPerWindow, expectedSamples, KpiWindowSpan } from '../../kpi-windows.utils';
import { perSiteOrSkip } from '../kpi-scope.utils';
import { COLLECTION_LOOKBACK_MS } from './waste-fill.kpi';
import { numericSamples, readFillSamples } from './waste-samples.utils';

/** Site attribute of a bin site: its fixed collection rounds, weekdays such as `mon,thu`. */
export const COLLECTION_SCHEDULE_ATTRIBUTE = 'collection_schedule';

/**
 * K5 per bin site and local month: N_fixed − N_actual over the site's bins that reported in the month, N_fixed =
 * bins × scheduled days of the month, N_actual = collections detected (K3's drop rule) with their first reading
 * after the drop in the month. Sites without a schedule (or bins without a site) are skipped.
 */
export function collectionsAvoidedPoints(
  bins: readonly KpiDevice[],
  sites: ReadonlyMap<string, KpiSite>,
  samples: ReadonlyMap<string, readonly RawSample[]>,
  months: readonly KpiWindowSpan[],
  timeZone: string,
): { points: KpiPoint[]; skipped: KpiSkip[] } {
  const points: KpiPoint[] = [];
  const { sites: grouped, skipped } = perSiteOrSkip(
    bins,
    'bin',
    `K5 needs its site's ${COLLECTION_SCHEDULE_ATTRIBUTE}`,
  );
  for (const [subject, siteBins] of grouped) {
    const raw = sites.get(subject)?.attributes[COLLECTION_SCHEDULE_ATTRIBUTE];
    const schedule = raw === undefined || raw.trim() === '' ? undefined : parseCollectionSchedule(raw);
    if (!schedule?.weekdays) {
      skipped.push({
        subject,
        reason: KpiSkipReason.MissingInputs,
        detail: schedule?.problem
          ? `attribute ${COLLECTION_SCHEDULE_ATTRIBUTE}: ${schedule.problem}`
          : `site ${subject} has no ${COLLECTION_SCHEDULE_ATTRIBUTE} attribute (weekdays such as mon,thu)`,
      });
      continue;
    }
    const perBin = siteBins.map((bin) => {
      const fill = numericSamples(samples.get(bin.id));
      return {
        bin,
        fill,
        counts: countPerWindow(fill, months),
        events: collectionEvents(fill),
      };
    });
    let any = false;
    const noRounds: string[] = [];
    months.forEach((month, i) => {
      const reporting = perBin.filter((b) => b.counts[i] > 0);
      if (reporting.length === 0) return;
      any = true;
      let scheduled = 0;
      let actual = 0;
      let completeness = 0;
      for (const b of reporting) {
        // Rounds are counted on the local dates the bin reported: a bin seen 4 days is compared with 4 days.
        const seen = b.fill
          .filter((s) => s.ts >= month.start && s.ts < month.end)
          .map((s) => localDayNumber(s.ts, timeZone));
        scheduled += scheduledCollections(seen, schedule.weekdays ?? []);
        actual += b.events.filter((e) => e.ts >= month.start && e.ts < month.end).length;
        completeness += completenessShare(
          b.counts[i],
          expectedSamples(month.end - month.start, b.bin.intervalS),
        );
      }
      const result = collectionsAvoided(scheduled, actual);
      if (!result) {
        noRounds.push(month.key);
        return;
      }
      const base = {
        subject,
        window: 'month' as const,
        ts: month.start,
        completeness: completeness / siteBins.length,
      };
      points.push({ ...base, kpi: KPI_IDS.K5_COLLECTIONS_AVOIDED, value: result.avoided });
      points.push({ ...base, kpi: KPI_IDS.K5_COLLECTIONS_AVOIDED_SHARE, value: result.share });
    });
    if (noRounds.length)
      skipped.push({
        subject,
        reason: KpiSkipReason.NotComputable,
        detail: `no scheduled round on the days the bins reported in ${noRounds.join(', ')}`,
      });
    if (!any)
      skipped.push({
        subject,
        reason: KpiSkipReason.NoReadings,
        detail: `no fill_pct reading from the bins of ${subject} in the period's months`,
      });
  }
  return { points, skipped };
}

export const COLLECTIONS_AVOIDED_KPI: KpiComputation = {
  family: 'K5',
  outputs: [KPI_IDS.K5_COLLECTIONS_AVOIDED, KPI_IDS.K5_COLLECTIONS_AVOIDED_SHARE],
  input: BIN_SENSOR,
  async compute(ctx, bins) {
    const span = spanOf(ctx.months);
    const samples = await readFillSamples(ctx, span, COLLECTION_LOOKBACK_MS);
    return {
      ...collectionsAvoidedPoints(bins, ctx.sites, samples, ctx.months, ctx.timeZone),
      replaces: span,
    };
  },
};
