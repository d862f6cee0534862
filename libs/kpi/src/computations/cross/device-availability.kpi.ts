import { KPI_IDS } from '@vigie/contracts';
import { findDeviceKind } from '@vigie/devices';
import { localDayNumber, overlapMs } from '@vigie/domain';
import { DailyGaps, PerDeviceWindows, RAW_CHUNK_MS } from '../../influx-readings.reader';
import { KpiComputation, KpiDevice, KpiPoint, KpiSkip, KpiSkipReason, spanOf } from '../../kpi-engine.types';
import { dayWindows, KpiWindowSpan, windowIndexOf } from '../../kpi-windows.utils';
import { scopeOf } from '../kpi-scope.utils';
import { reportTimesOf, RUN_READS, runReadings } from '../run-readings.utils';

/** A device is offline once silent for more than this many reporting intervals (catalogue X2: k = 3). */
export const OFFLINE_AFTER_INTERVALS = 3;

/** Up to this many devices of a kind are read by name; more, with the whole kind. */
const MAX_DEVICES_PER_QUERY = 20;

/**
 * X2 per device and local day: online time / elapsed day time. After each report the device is online until the
 * next report or until 3 × its interval has passed, whichever comes first. A day is cut at `now` (today's point
 * covers the hours so far; completeness = elapsed share of the day); days after `now` get no point. Every device
 * gets a point for every elapsed day, 0 when it was silent.
 */
export function availabilityPoints(
  devices: readonly KpiDevice[],
  reports: ReadonlyMap<string, readonly number[]>,
  days: readonly KpiWindowSpan[],
  now: number,
): KpiPoint[] {
  const points: KpiPoint[] = [];
  for (const d of devices) {
    const hold = OFFLINE_AFTER_INTERVALS * d.intervalS * 1000;
    const times = reports.get(d.id) ?? [];
    const online = new Array<number>(days.length).fill(0);
    times.forEach((ts, i) => {
      const until = Math.min(i + 1 < times.length ? times[i + 1] : Infinity, ts + hold, now);
      if (!(until > ts)) return;
      for (let k = Math.max(0, windowIndexOf(days, ts)); k < days.length && days[k].start < until; k++) {
        online[k] += overlapMs(ts, until, days[k].start, days[k].end);
      }
    });
    days.forEach((day, k) => {
      const end = Math.min(day.end, now);
      if (!(end > day.start)) return;
      points.push({
        kpi: KPI_IDS.X2_AVAILABILITY,
        subject: d.id,
        window: 'day',
        ts: day.start,
        value: online[k] / (end - day.start),
        completeness: (end - day.start) / (day.end - day.start),
      });
    });
  }
  return points;
}

/**
 * The device-days known to be wholly online without reading every report: the day is over, and the device's gaps
 * between readings of `field` — those ending in the day (its first reading's included) and those ending in the
 * next day (the one spanning midnight included) — are all at most the hold. Every other device-day (silences,
 * today, the day before a silent one) is computed from its reports.
 */
export function wholeDays(
  devices: readonly KpiDevice[],
  gaps: PerDeviceWindows<DailyGaps>,
  days: readonly KpiWindowSpan[],
  now: number,
): Set<string> {
  const whole = new Set<string>();
  const quiet = (g: DailyGaps | undefined, hold: number) =>
    g !== undefined && g.readings > 0 && g.gaps === g.readings && g.maxGapMs <= hold;
  for (const d of devices) {
    const hold = OFFLINE_AFTER_INTERVALS * d.intervalS * 1000;
    const perDay = gaps.get(d.id);
    // `days` has one day more than the run's: the day after, for the gap spanning the run's last midnight.
    for (let k = 0; k + 1 < days.length; k++) {
      if (days[k].end <= now && quiet(perDay?.get(k), hold) && quiet(perDay?.get(k + 1), hold))
        whole.add(`${d.id}\n${k}`);
    }
  }
  return whole;
}

/**
 * The same as `wholeDays`, from report timestamps (sorted, per device) instead of InfluxDB's gaps: the day is over,
 * a report at most the hold before its start, and no gap longer than the hold until one keeps the device online past
 * its end. The timestamps may be those of some fields only (a run's shared read): missing reports can only hide a
 * whole day, never make one.
 */
export function wholeDaysOfReports(
  devices: readonly KpiDevice[],
  reports: ReadonlyMap<string, readonly number[]>,
  days: readonly KpiWindowSpan[],
  now: number,
): Set<string> {
  const whole = new Set<string>();
  for (const d of devices) {
    const hold = OFFLINE_AFTER_INTERVALS * d.intervalS * 1000;
    const ts = reports.get(d.id) ?? [];
    let i = 0;
    for (let k = 0; k < days.length && ts.length; k++) {
      const day = days[k];
      if (day.end > now) continue;
      while (i + 1 < ts.length && ts[i + 1] <= day.start) i++;
      if (ts[i] > day.start || ts[i] < day.start - hold) continue;
      let j = i;
      let online = true;
      while (online && ts[j] + hold < day.end) {
        if (j + 1 < ts.length && ts[j + 1] - ts[j] <= hold) j++;
        else online = false;
      }
      if (online) whole.add(`${d.id}\n${k}`);
    }
  }
  return whole;
}

export const DEVICE_AVAILABILITY_KPI: KpiComputation = {
  family: 'X2',
  outputs: [KPI_IDS.X2_AVAILABILITY],
  async compute(ctx, devices) {
    const now = Date.now();
    const span = spanOf(ctx.days);
    const skipped: KpiSkip[] = [];
    const points: KpiPoint[] = [];
    const byKind = new Map<string, KpiDevice[]>();
    for (const d of devices) byKind.set(d.kind, [...(byKind.get(d.kind) ?? []), d]);
    const last = ctx.days[ctx.days.length - 1];
    const withNext = [
      ...ctx.days,
      ...dayWindows(
        {
          from: '',
          to: '',
          firstDay: localDayNumber(last.end, ctx.timeZone),
          lastDay: localDayNumber(last.end, ctx.timeZone),
        },
        ctx.timeZone,
      ),
    ];
    for (const [kindId, list] of [...byKind].sort((a, b) => a[0].localeCompare(b[0]))) {
      const kind = findDeviceKind(kindId);
      if (!kind) {
        for (const d of list) {
          skipped.push({
            subject: d.id,
            reason: KpiSkipReason.MissingInputs,
            detail: `unknown device kind '${kindId}'`,
          });
        }
        continue;
      }
      const scope = scopeOf(ctx, kind);
      // Which device-days had no silence: from the run's shared read of the kind when it has one, else from
      // InfluxDB's gaps of one field (a report without it only makes a gap look longer, never shorter). Only the
      // other days are computed from every report.
      const whole = RUN_READS[kind.id]
        ? wholeDaysOfReports(list, reportTimesOf(await runReadings(ctx, kind)), ctx.days, now)
        : wholeDays(
            list,
            await ctx.readings.dailyGaps(scope, Object.keys(kind.metrics)[0], withNext),
            withNext,
            now,
          );
      const hold = Math.max(...list.map((d) => d.intervalS)) * 1000 * OFFLINE_AFTER_INTERVALS;
      for (let k = 0; k < ctx.days.length; k++) {
        const day = ctx.days[k];
        if (!(Math.min(day.end, now) > day.start)) continue;
        const rest = list.filter((d) => !whole.has(`${d.id}\n${k}`));
        for (const d of list) {
          if (!whole.has(`${d.id}\n${k}`)) continue;
          points.push({
            kpi: KPI_IDS.X2_AVAILABILITY,
            subject: d.id,
            window: 'day',
            ts: day.start,
            value: 1,
            completeness: 1,
          });
        }
        if (rest.length === 0) continue;
        // A report before the day keeps its device online into it, for up to 3 intervals. A few devices are read
        // alone, many with their whole kind.
        const only = rest.length <= MAX_DEVICES_PER_QUERY ? rest.map((d) => d.id) : [];
        const reports = await ctx.readings.reportTimes(scope, day.start - hold, day.end, RAW_CHUNK_MS, only);
        for (const p of availabilityPoints(rest, reports, [day], now)) points.push(p);
      }
    }
    return { points, skipped, replaces: span };
  },
};
