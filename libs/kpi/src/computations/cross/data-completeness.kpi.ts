import { KPI_IDS } from '@vigie/contracts';
import { findDeviceKind } from '@vigie/devices';
import { PerDeviceWindows } from '../../influx-readings.reader';
import { KpiComputation, KpiDevice, KpiPoint, KpiSkip, KpiSkipReason, spanOf } from '../../kpi-engine.types';
import { expectedSamples, KpiWindowSpan } from '../../kpi-windows.utils';
import { scopeOf } from '../kpi-scope.utils';

/**
 * X1 per device and local day: reports received / (real day length / the device's interval). Every device of
 * the tenant gets a point for every day, 0 when it sent nothing (a silent device is what X1 is for); the value
 * exceeds 1 when a device reports faster than declared, its completeness is capped at 1.
 */
export function completenessPoints(
  devices: readonly KpiDevice[],
  reports: PerDeviceWindows<number>,
  days: readonly KpiWindowSpan[],
): KpiPoint[] {
  const points: KpiPoint[] = [];
  for (const d of devices) {
    days.forEach((day, i) => {
      const value = (reports.get(d.id)?.get(i) ?? 0) / expectedSamples(day.end - day.start, d.intervalS);
      points.push({
        kpi: KPI_IDS.X1_COMPLETENESS,
        subject: d.id,
        window: 'day',
        ts: day.start,
        value,
        completeness: Math.min(1, value),
      });
    });
  }
  return points;
}

export const DATA_COMPLETENESS_KPI: KpiComputation = {
  family: 'X1',
  outputs: [KPI_IDS.X1_COMPLETENESS],
  async compute(ctx, devices) {
    const skipped: KpiSkip[] = [];
    const points: KpiPoint[] = [];
    const byKind = new Map<string, KpiDevice[]>();
    for (const d of devices) byKind.set(d.kind, [...(byKind.get(d.kind) ?? []), d]);
    for (const [kindId, devices] of [...byKind].sort((a, b) => a[0].localeCompare(b[0]))) {
      const kind = findDeviceKind(kindId);
      if (!kind) {
        for (const d of devices) {
          skipped.push({
            subject: d.id,
            reason: KpiSkipReason.MissingInputs,
            detail: `unknown device kind '${kindId}'`,
          });
        }
        continue;
      }
      const reports = await ctx.readings.dailyReports(scopeOf(ctx, kind), ctx.days);
      // A loop, not push(...): a year of a thousand devices is more points than a call takes arguments.
      for (const p of completenessPoints(devices, reports, ctx.days)) points.push(p);
    }
    return { points, skipped, replaces: spanOf(ctx.days) };
  },
};
