import { KPI_IDS } from '@vigie/contracts';
import { BIN_SENSOR } from '@vigie/devices';
import { DEFAULT_FILL_THRESHOLD_PCT, fillTrend, Sample, timeToThreshold } from '@vigie/domain';
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
import { completenessShare, KpiWindowSpan } from '../../kpi-windows.utils';
import { numberAttribute } from '../kpi-scope.utils';
import { FILL_THRESHOLD_ATTRIBUTE } from './waste-fill.kpi';
import { numericSamples, readFillSamples } from './waste-samples.utils';

/** How far back from the end of a day K6 looks for the readings since the last collection. */
export const FILL_TREND_LOOKBACK_MS = 14 * 86_400_000;

/**
 * K6 per bin and local day (days with a reading): the fill rate (OLS slope since the last collection, readings up
 * to the end of the day, 14 days back at most), and when the slope is > 0 the days from the last reading to the
 * site's threshold (`fill_threshold_pct`, default 80) and the forecast instant. `samples` start 14 days early.
 */
export function fillForecastPoints(
  bins: readonly KpiDevice[],
  sites: ReadonlyMap<string, KpiSite>,
  samples: ReadonlyMap<string, readonly RawSample[]>,
  days: readonly KpiWindowSpan[],
): { points: KpiPoint[]; skipped: KpiSkip[] } {
  const points: KpiPoint[] = [];
  const skipped: KpiSkip[] = [];
  for (const bin of bins) {
    const t = numberAttribute(
      bin.site === undefined ? undefined : sites.get(bin.site)?.attributes,
      FILL_THRESHOLD_ATTRIBUTE,
    );
    if (t.problem) {
      skipped.push({ subject: bin.id, reason: KpiSkipReason.MissingInputs, detail: t.problem });
      continue;
    }
    const threshold = t.value ?? DEFAULT_FILL_THRESHOLD_PCT;
    const fill = numericSamples(samples.get(bin.id));
    const noTrend: string[] = [];
    const noForecast: string[] = [];
    let reported = false;
    let lo = 0;
    let hi = 0;
    for (const day of days) {
      // fill[lo, hi) = readings in [day.end − look-back, day.end).
      while (hi < fill.length && fill[hi].ts < day.end) hi++;
      while (lo < hi && fill[lo].ts < day.end - FILL_TREND_LOOKBACK_MS) lo++;
      if (hi === 0 || fill[hi - 1].ts < day.start) continue;
      reported = true;
      const window: Sample[] = fill.slice(lo, hi);
      const trend = fillTrend(window);
      if (!trend) {
        noTrend.push(day.key);
        continue;
      }
      const expected = 1 + (trend.lastTs - trend.firstTs) / (bin.intervalS * 1000);
      const base = {
        subject: bin.id,
        window: 'day' as const,
        ts: day.start,
        completeness: completenessShare(trend.points, expected),
      };
      points.push({ ...base, kpi: KPI_IDS.K6_FILL_RATE_PCT_DAY, value: trend.slopePctPerDay });
      const forecast = timeToThreshold(window, threshold);
      if (!forecast) {
        noForecast.push(day.key);
        continue;
      }
      points.push({ ...base, kpi: KPI_IDS.K6_DAYS_TO_THRESHOLD, value: forecast.days });
      points.push({ ...base, kpi: KPI_IDS.K6_FORECAST_TS, value: forecast.forecastTs });
    }
    if (!reported)
      skipped.push({
        subject: bin.id,
        reason: KpiSkipReason.NoReadings,
        detail: `no fill_pct reading from ${bin.id} in the period`,
      });
    if (noTrend.length)
      skipped.push({
        subject: bin.id,
        reason: KpiSkipReason.NotComputable,
        detail: `fewer than 3 readings since the last collection on ${noTrend.join(', ')}`,
      });
    if (noForecast.length)
      skipped.push({
        subject: bin.id,
        reason: KpiSkipReason.NotComputable,
        detail: `fill rate ≤ 0, no forecast on ${noForecast.join(', ')}`,
      });
  }
  return { points, skipped };
}

export const FILL_FORECAST_KPI: KpiComputation = {
  family: 'K6',
  outputs: [KPI_IDS.K6_FILL_RATE_PCT_DAY, KPI_IDS.K6_DAYS_TO_THRESHOLD, KPI_IDS.K6_FORECAST_TS],
  input: BIN_SENSOR,
  async compute(ctx, bins) {
    const span = spanOf(ctx.days);
    const samples = await readFillSamples(ctx, span, FILL_TREND_LOOKBACK_MS);
    return { ...fillForecastPoints(bins, ctx.sites, samples, ctx.days), replaces: span };
  },
};
