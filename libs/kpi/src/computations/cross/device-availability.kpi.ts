import { KPI_IDS } from '@vigie/contracts';
import { findDeviceKind } from '@vigie/devices';
import { overlapMs } from '@vigie/domain';
import { KpiComputation, KpiDevice, KpiPoint, KpiSkip, KpiSkipReason, spanOf } from '../../kpi-engine.types';
import { KpiWindowSpan, windowIndexOf } from '../../kpi-windows.utils';
import { scopeOf } from '../kpi-scope.utils';

/** A device is offline once silent for more than this many reporting intervals (catalogue X2: k = 3). */
export const OFFLINE_AFTER_INTERVALS = 3;

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
      // A report before the first day keeps its device online into it, for up to 3 intervals.
      const hold = Math.max(...list.map((d) => d.intervalS)) * 1000 * OFFLINE_AFTER_INTERVALS;
      const reports = await ctx.readings.reportTimes(scopeOf(ctx, kind), span.start - hold, span.end);
      points.push(...availabilityPoints(list, reports, ctx.days, now));
    }
    return { points, skipped, replaces: span };
  },
};
