import { influxIdent } from '@vigie/adapters';
import { KPI_IDS } from '@vigie/contracts';
import { LIGHT_CONTROLLER } from '@vigie/devices';
import { powerVsNominal } from '@vigie/domain';
import { PerDeviceWindows } from '../../influx-readings.reader';
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
import { scopeOf } from '../kpi-scope.utils';
import { nominalPowerOf } from './light-nominal.utils';

/** InfluxQL of L3 over the readings with `lamp_on` true: mean power, mean dimming level, readings. */
export const POWER_ON_SELECT = `mean(${influxIdent('power_w')}) AS p, mean(${influxIdent('dim_pct')}) AS dim, count(${influxIdent('power_w')}) AS n`;
export const LAMP_ON_WHERE = `${influxIdent('lamp_on')} = true`;
/** InfluxQL of L3's completeness: every report of the night (each carries `lamp_on`). */
export const REPORTS_SELECT = `count(${influxIdent('lamp_on')}) AS n`;

/**
 * L3 per light point and night: mean power over the readings lit (`on`: p, dim, n per night from InfluxDB) and
 * that over P_nom × mean level (`nominal_w` of the point's site; points without it get the mean power only).
 */
export function lightPowerPoints(
  lights: readonly KpiDevice[],
  sites: ReadonlyMap<string, KpiSite>,
  on: PerDeviceWindows<Record<string, number>>,
  reports: PerDeviceWindows<Record<string, number>>,
  nights: readonly KpiWindowSpan[],
): { points: KpiPoint[]; skipped: KpiSkip[] } {
  const points: KpiPoint[] = [];
  const skipped: KpiSkip[] = [];
  for (const light of lights) {
    const nominal = nominalPowerOf(light, sites);
    let lit = 0;
    nights.forEach((night, i) => {
      const agg = on.get(light.id)?.get(i);
      if (!agg || !(agg['n'] > 0) || agg['p'] === undefined) return;
      lit++;
      const base = {
        subject: light.id,
        window: 'night' as const,
        ts: night.start,
        completeness: completenessShare(
          reports.get(light.id)?.get(i)?.['n'] ?? 0,
          expectedSamples(night.end - night.start, light.intervalS),
        ),
      };
      points.push({ ...base, kpi: KPI_IDS.L3_MEAN_POWER_ON_W, value: agg['p'] });
      if (nominal.value === undefined) return;
      const ratio = powerVsNominal(agg['p'], nominal.value, agg['dim']);
      if (ratio !== undefined) points.push({ ...base, kpi: KPI_IDS.L3_POWER_VS_NOMINAL, value: ratio });
    });
    if (lit === 0)
      skipped.push({
        subject: light.id,
        reason: KpiSkipReason.NoReadings,
        detail: `no power_w reading with lamp_on from ${light.id} in the period's nights`,
      });
    else if (nominal.problem)
      skipped.push({ subject: light.id, reason: KpiSkipReason.MissingInputs, detail: nominal.problem });
  }
  return { points, skipped };
}

export const LIGHT_POWER_KPI: KpiComputation = {
  family: 'L3',
  outputs: [KPI_IDS.L3_MEAN_POWER_ON_W, KPI_IDS.L3_POWER_VS_NOMINAL],
  input: LIGHT_CONTROLLER,
  async compute(ctx, lights) {
    const scope = scopeOf(ctx, LIGHT_CONTROLLER);
    const on = await ctx.readings.windowAggregates(scope, ctx.nights, POWER_ON_SELECT, LAMP_ON_WHERE);
    const reports = await ctx.readings.windowAggregates(scope, ctx.nights, REPORTS_SELECT);
    return {
      ...lightPowerPoints(lights, ctx.sites, on, reports, ctx.nights),
      replaces: spanOf(ctx.nights),
    };
  },
};
