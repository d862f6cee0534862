import { KPI_IDS } from '@vigie/contracts';
import { BIN_SENSOR } from '@vigie/devices';
import { HOUR_MS, overflowEpisodes, overlapMs } from '@vigie/domain';
import { RawSample } from '../../influx-readings.reader';
import { KpiComputation, KpiDevice, KpiPoint, KpiSkip, KpiSkipReason, spanOf } from '../../kpi-engine.types';
import { completenessShare, countPerWindow, expectedSamples, KpiWindowSpan } from '../../kpi-windows.utils';
import { perSiteOrTenant } from '../kpi-scope.utils';
import { numericSamples, readFillSamples } from './waste-samples.utils';

/** How far before the first month K4 reads, so an episode open at midnight on the 1st starts where it started. */
export const OVERFLOW_LOOKBACK_MS = 86_400_000;

/** A fill level is held at most this many reporting intervals (catalogue §0). */
export const FILL_HOLD_INTERVALS = 2;

/**
 * K4 per bin and local month: overflow episodes (≥ 100 %, or ≥ 95 % for 2 h; the domain's rule) starting in the
 * month, and hours of the month inside an episode; per bin site the sums over its bins that reported (bins
 * without a site grouped under the tenant's id). `samples` may start before the first month (look-back).
 */
export function overflowPoints(
  tenant: string,
  bins: readonly KpiDevice[],
  samples: ReadonlyMap<string, readonly RawSample[]>,
  months: readonly KpiWindowSpan[],
): { points: KpiPoint[]; skipped: KpiSkip[] } {
  const points: KpiPoint[] = [];
  const skipped: KpiSkip[] = [];
  const end = months[months.length - 1].end;
  const perBin = new Map<string, ({ events: number; hours: number; completeness: number } | undefined)[]>();
  for (const bin of bins) {
    const fill = numericSamples(samples.get(bin.id));
    const counts = countPerWindow(fill, months);
    const episodes = overflowEpisodes(fill, {
      maxGapMs: FILL_HOLD_INTERVALS * bin.intervalS * 1000,
      endTs: Math.max(end, fill.length ? fill[fill.length - 1].ts : end),
    });
    const values = months.map((month, i) => {
      if (counts[i] === 0) return undefined;
      let events = 0;
      let ms = 0;
      for (const e of episodes) {
        if (e.start >= month.start && e.start < month.end) events++;
        ms += overlapMs(e.start, e.end, month.start, month.end);
      }
      const completeness = completenessShare(
        counts[i],
        expectedSamples(month.end - month.start, bin.intervalS),
      );
      return { events, hours: ms / HOUR_MS, completeness };
    });
    perBin.set(bin.id, values);
    months.forEach((month, i) => {
      const v = values[i];
      if (!v) return;
      const base = {
        subject: bin.id,
        window: 'month' as const,
        ts: month.start,
        completeness: v.completeness,
      };
      points.push({ ...base, kpi: KPI_IDS.K4_OVERFLOW_EVENTS, value: v.events });
      points.push({ ...base, kpi: KPI_IDS.K4_OVERFLOW_BIN_HOURS, value: v.hours });
    });
    if (values.every((v) => v === undefined))
      skipped.push({
        subject: bin.id,
        reason: KpiSkipReason.NoReadings,
        detail: `no fill_pct reading from ${bin.id} in the period's months`,
      });
  }
  for (const [subject, siteBins] of perSiteOrTenant(bins, tenant)) {
    months.forEach((month, i) => {
      let events = 0;
      let hours = 0;
      let completeness = 0;
      let reporting = 0;
      for (const b of siteBins) {
        const v = perBin.get(b.id)?.[i];
        if (!v) continue;
        reporting++;
        events += v.events;
        hours += v.hours;
        completeness += v.completeness;
      }
      if (reporting === 0) return;
      const base = { subject, window: 'month' as const, ts: month.start };
      const c = completeness / siteBins.length;
      points.push({ ...base, kpi: KPI_IDS.K4_DISTRICT_OVERFLOW_EVENTS, value: events, completeness: c });
      points.push({ ...base, kpi: KPI_IDS.K4_DISTRICT_OVERFLOW_BIN_HOURS, value: hours, completeness: c });
    });
  }
  return { points, skipped };
}

export const OVERFLOW_KPI: KpiComputation = {
  family: 'K4',
  outputs: [
    KPI_IDS.K4_OVERFLOW_EVENTS,
    KPI_IDS.K4_OVERFLOW_BIN_HOURS,
    KPI_IDS.K4_DISTRICT_OVERFLOW_EVENTS,
    KPI_IDS.K4_DISTRICT_OVERFLOW_BIN_HOURS,
  ],
  input: BIN_SENSOR,
  async compute(ctx, bins) {
    const span = spanOf(ctx.months);
    const samples = await readFillSamples(ctx, span, OVERFLOW_LOOKBACK_MS);
    return { ...overflowPoints(ctx.tenant, bins, samples, ctx.months), replaces: span };
  },
};
