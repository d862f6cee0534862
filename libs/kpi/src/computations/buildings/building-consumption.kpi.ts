import { KPI_IDS } from '@vigie/contracts';
import { ENERGY_METER } from '@vigie/devices';
import { IndexWindowDelta, PerDeviceWindows } from '../../influx-readings.reader';
import { KpiComputation, KpiDevice, KpiPoint, KpiSkip, KpiSkipReason, spanOf } from '../../kpi-engine.types';
import { completenessShare, expectedSamples, KpiWindowSpan } from '../../kpi-windows.utils';
import { perSiteOrSkip, scopeOf } from '../kpi-scope.utils';

/**
 * B1 per building (site) and local day: Σ over its energy meters of the day's index consumption. Completeness:
 * the meters' mean share of expected intervals (a meter silent all day counts 0).
 */
export function buildingConsumptionPoints(
  meters: readonly KpiDevice[],
  deltas: PerDeviceWindows<IndexWindowDelta>,
  days: readonly KpiWindowSpan[],
): { points: KpiPoint[]; skipped: KpiSkip[] } {
  const points: KpiPoint[] = [];
  const { sites, skipped } = perSiteOrSkip(meters, 'energy meter', 'B1 is per building');
  for (const [site, siteMeters] of sites) {
    let any = false;
    days.forEach((day, i) => {
      let value = 0;
      let share = 0;
      let present = false;
      for (const m of siteMeters) {
        const d = deltas.get(m.id)?.get(i);
        if (!d) continue;
        present = true;
        value += d.delta;
        share += completenessShare(d.intervals, expectedSamples(day.end - day.start, m.intervalS));
      }
      if (!present) return;
      any = true;
      points.push({
        kpi: KPI_IDS.B1_CONSUMPTION_KWH,
        subject: site,
        window: 'day',
        ts: day.start,
        value,
        completeness: share / siteMeters.length,
      });
    });
    if (!any) {
      skipped.push({
        subject: site,
        reason: KpiSkipReason.NoReadings,
        detail: `no energy_kwh reading from ${siteMeters.map((m) => m.id).join(', ')} in the period`,
      });
    }
  }
  return { points, skipped };
}

export const BUILDING_CONSUMPTION_KPI: KpiComputation = {
  family: 'B1',
  outputs: [KPI_IDS.B1_CONSUMPTION_KWH],
  input: ENERGY_METER,
  async compute(ctx, meters) {
    const deltas = await ctx.readings.dailyIndexDeltas(scopeOf(ctx, ENERGY_METER), 'energy_kwh', ctx.days);
    return { ...buildingConsumptionPoints(meters, deltas, ctx.days), replaces: spanOf(ctx.days) };
  },
};
