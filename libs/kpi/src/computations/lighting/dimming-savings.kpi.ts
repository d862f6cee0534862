import { KPI_IDS } from '@vigie/contracts';
import { LIGHT_CONTROLLER } from '@vigie/devices';
import { dimmingSavings } from '@vigie/domain';
import { IndexWindowDelta, PerDeviceWindows } from '../../influx-readings.reader';
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
import { runBurningHours } from './burning-hours.kpi';
import { lightEnergyDeltas } from './lamp-states.utils';
import { nominalPowerOf } from './light-nominal.utils';

/**
 * L6 per light point and night: P_nom × t_on − E and that over P_nom × t_on, t_on = L1's burning hours (`burning`,
 * L1's points), E = the night's index delta. Unlit nights (t_on = 0) get no point.
 */
export function dimmingSavingsPoints(
  lights: readonly KpiDevice[],
  sites: ReadonlyMap<string, KpiSite>,
  burning: readonly KpiPoint[],
  energy: PerDeviceWindows<IndexWindowDelta>,
  nights: readonly KpiWindowSpan[],
): { points: KpiPoint[]; skipped: KpiSkip[] } {
  const points: KpiPoint[] = [];
  const skipped: KpiSkip[] = [];
  const hoursOf = new Map<string, { hours: number; completeness: number }>();
  for (const p of burning)
    hoursOf.set(`${p.subject}\n${p.ts}`, { hours: p.value, completeness: p.completeness });
  for (const light of lights) {
    const nominal = nominalPowerOf(light, sites);
    if (nominal.value === undefined) {
      skipped.push({ subject: light.id, reason: KpiSkipReason.MissingInputs, detail: nominal.problem ?? '' });
      continue;
    }
    let any = false;
    nights.forEach((night, i) => {
      const on = hoursOf.get(`${light.id}\n${night.start}`);
      const e = energy.get(light.id)?.get(i);
      if (!on || !e || e.intervals === 0) return;
      const s = dimmingSavings(nominal.value ?? 0, on.hours, e.delta);
      if (!s) return;
      any = true;
      const base = {
        subject: light.id,
        window: 'night' as const,
        ts: night.start,
        completeness: Math.min(
          on.completeness,
          completenessShare(e.intervals, expectedSamples(night.end - night.start, light.intervalS)),
        ),
      };
      points.push({ ...base, kpi: KPI_IDS.L6_DIMMING_SAVED_KWH, value: s.savedKwh });
      points.push({ ...base, kpi: KPI_IDS.L6_DIMMING_SAVING_SHARE, value: s.share });
    });
    if (!any)
      skipped.push({
        subject: light.id,
        reason: KpiSkipReason.NoReadings,
        detail: `no lit night with lamp_on and energy_kwh readings from ${light.id} in the period`,
      });
  }
  return { points, skipped };
}

export const DIMMING_SAVINGS_KPI: KpiComputation = {
  family: 'L6',
  outputs: [KPI_IDS.L6_DIMMING_SAVED_KWH, KPI_IDS.L6_DIMMING_SAVING_SHARE],
  input: LIGHT_CONTROLLER,
  async compute(ctx, lights) {
    const [burning, energy] = await Promise.all([
      runBurningHours(ctx, lights),
      lightEnergyDeltas(ctx, ctx.nights),
    ]);
    return {
      ...dimmingSavingsPoints(lights, ctx.sites, burning.points, energy, ctx.nights),
      replaces: spanOf(ctx.nights),
    };
  },
};
