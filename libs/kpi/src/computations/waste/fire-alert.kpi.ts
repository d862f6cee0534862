import { KPI_IDS } from '@vigie/contracts';
import { BIN_SENSOR } from '@vigie/devices';
import { DEFAULT_FIRE_RISE_C, DEFAULT_FIRE_THRESHOLD_C, fireAlerts } from '@vigie/domain';
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
import { completenessShare, expectedSamples, KpiWindowSpan } from '../../kpi-windows.utils';
import { numberAttribute, scopeOf } from '../kpi-scope.utils';
import { numericSamples } from './waste-samples.utils';
import { runSamples } from '../run-readings.utils';

/** Site attribute overriding K7's fire threshold (°C, default 60). */
export const FIRE_THRESHOLD_ATTRIBUTE = 'fire_threshold_c';

/** Raw readings before a suspect day K7 reads, so an alarm already on at midnight is not raised again. */
export const FIRE_LOOKBACK_MS = 3_600_000;

/** The fire threshold of a bin: its site's attribute, else 60 °C; an error text when the attribute is bad. */
export function fireThresholdOf(
  bin: KpiDevice,
  sites: ReadonlyMap<string, KpiSite>,
): { value?: number; problem?: string } {
  const t = numberAttribute(
    bin.site === undefined ? undefined : sites.get(bin.site)?.attributes,
    FIRE_THRESHOLD_ATTRIBUTE,
  );
  return t.problem ? t : { value: t.value ?? DEFAULT_FIRE_THRESHOLD_C };
}

/**
 * Bin-days that may hold an alert, from InfluxDB's daily min/max: max ≥ threshold, or max − min ≥ 10 °C (a rise
 * within 10 min needs at least that spread). Only those are read raw.
 */
export function suspectBinDays(
  bins: readonly KpiDevice[],
  thresholds: ReadonlyMap<string, number>,
  stats: PerDeviceWindows<DailyStats>,
): { bin: string; day: number }[] {
  const out: { bin: string; day: number }[] = [];
  for (const bin of bins) {
    const threshold = thresholds.get(bin.id);
    if (threshold === undefined) continue;
    for (const [day, s] of stats.get(bin.id) ?? [])
      if (s.max >= threshold || s.max - s.min >= DEFAULT_FIRE_RISE_C) out.push({ bin: bin.id, day });
  }
  return out;
}

/**
 * K7 per bin and local day with temperature readings: the day's max (InfluxQL) and the alerts raised in the day
 * (the domain's rule on the raw readings of suspect bin-days, read from 1 h before the day; 0 on the others).
 */
export function fireAlertPoints(
  bins: readonly KpiDevice[],
  thresholds: ReadonlyMap<string, number>,
  stats: PerDeviceWindows<DailyStats>,
  raw: ReadonlyMap<string, ReadonlyMap<number, readonly RawSample[]>>,
  days: readonly KpiWindowSpan[],
): { points: KpiPoint[]; skipped: KpiSkip[] } {
  const points: KpiPoint[] = [];
  const skipped: KpiSkip[] = [];
  for (const bin of bins) {
    const thresholdC = thresholds.get(bin.id);
    if (thresholdC === undefined) continue;
    const binStats = stats.get(bin.id);
    if (!binStats?.size) {
      skipped.push({
        subject: bin.id,
        reason: KpiSkipReason.NoReadings,
        detail: `no temperature_c reading from ${bin.id} in the period`,
      });
      continue;
    }
    days.forEach((day, i) => {
      const s = binStats.get(i);
      if (!s) return;
      const samples = raw.get(bin.id)?.get(i);
      const alerts = samples
        ? fireAlerts(numericSamples(samples), { thresholdC }).filter(
            (a) => a.ts >= day.start && a.ts < day.end,
          ).length
        : 0;
      const base = {
        subject: bin.id,
        window: 'day' as const,
        ts: day.start,
        completeness: completenessShare(s.count, expectedSamples(day.end - day.start, bin.intervalS)),
      };
      points.push({ ...base, kpi: KPI_IDS.K7_FIRE_ALERTS, value: alerts });
      points.push({ ...base, kpi: KPI_IDS.K7_MAX_TEMPERATURE_C, value: s.max });
    });
  }
  return { points, skipped };
}

export const FIRE_ALERT_KPI: KpiComputation = {
  family: 'K7',
  outputs: [KPI_IDS.K7_FIRE_ALERTS, KPI_IDS.K7_MAX_TEMPERATURE_C],
  input: BIN_SENSOR,
  async compute(ctx, bins) {
    const scope = scopeOf(ctx, BIN_SENSOR);
    const skipped: KpiSkip[] = [];
    const thresholds = new Map<string, number>();
    for (const bin of bins) {
      const t = fireThresholdOf(bin, ctx.sites);
      if (t.value === undefined)
        skipped.push({ subject: bin.id, reason: KpiSkipReason.MissingInputs, detail: t.problem ?? '' });
      else thresholds.set(bin.id, t.value);
    }
    const stats = await ctx.readings.dailyStats(scope, 'temperature_c', ctx.days);
    // The suspect days' temperatures, cut out of the run's shared read of the bins.
    const suspects = new Map<number, string[]>();
    for (const { bin, day } of suspectBinDays(bins, thresholds, stats))
      suspects.set(day, [...(suspects.get(day) ?? []), bin]);
    const raw = new Map<string, Map<number, RawSample[]>>();
    for (const [day, dayBins] of [...suspects].sort((a, b) => a[0] - b[0])) {
      const w = ctx.days[day];
      const got = await runSamples(ctx, BIN_SENSOR, 'temperature_c', w.start - FIRE_LOOKBACK_MS, w.end);
      for (const bin of dayBins) {
        const perDay = raw.get(bin) ?? new Map<number, RawSample[]>();
        perDay.set(day, got.get(bin) ?? []);
        raw.set(bin, perDay);
      }
    }
    const result = fireAlertPoints(bins, thresholds, stats, raw, ctx.days);
    return { points: result.points, skipped: [...skipped, ...result.skipped], replaces: spanOf(ctx.days) };
  },
};
