import { KPI_IDS } from '@vigie/contracts';
import { CABINET_METER, LIGHT_CONTROLLER } from '@vigie/devices';
import {
  KpiComputation,
  KpiDevice,
  KpiPoint,
  KpiSite,
  KpiSkip,
  KpiSkipReason,
  spanOf,
} from '../../kpi-engine.types';
import { KpiWindowSpan } from '../../kpi-windows.utils';
import { costPoint, readSiteCosts, SiteCosts, unpricedSkip, windowCosts } from '../site-costs.utils';

/** The attribute of a street site naming the cabinet (its site id) that feeds its light points. */
export const CABINET_ATTRIBUTE = 'cabinet';

/** Light points per cabinet site: `light-controller` devices whose site's `cabinet` attribute names it. */
export function pointsPerCabinet(
  devices: readonly KpiDevice[],
  sites: ReadonlyMap<string, KpiSite>,
): Map<string, number> {
  const out = new Map<string, number>();
  for (const d of devices) {
    if (d.kind !== LIGHT_CONTROLLER.id || d.site === undefined) continue;
    const cabinet = sites.get(d.site)?.attributes[CABINET_ATTRIBUTE];
    if (cabinet) out.set(cabinet, (out.get(cabinet) ?? 0) + 1);
  }
  return out;
}

/** L8 per cabinet site and month: cost € of its meters' energy at its tariff, and € per light point it feeds. */
export function lightingCostPoints(
  costs: readonly SiteCosts[],
  months: readonly KpiWindowSpan[],
  points: ReadonlyMap<string, number>,
): { points: KpiPoint[]; skipped: KpiSkip[] } {
  const out: KpiPoint[] = [];
  const skipped: KpiSkip[] = [];
  for (const c of costs) {
    const n = points.get(c.site) ?? 0;
    if (n === 0) {
      skipped.push({
        subject: c.site,
        reason: KpiSkipReason.MissingInputs,
        detail: `no light point on a site with ${CABINET_ATTRIBUTE}=${c.site}: L8.cost_per_point_eur not computed`,
      });
    }
    windowCosts(c, months).forEach((m, i) => {
      if (!m) return;
      const unpriced = unpricedSkip(c.site, months[i], m);
      if (unpriced) return skipped.push(unpriced);
      const eur = m.cost.variableEur + m.fixedEur;
      out.push(costPoint(KPI_IDS.L8_COST_EUR, c.site, 'month', months[i], eur, m.completeness));
      if (n > 0)
        out.push(
          costPoint(KPI_IDS.L8_COST_PER_POINT_EUR, c.site, 'month', months[i], eur / n, m.completeness),
        );
    });
  }
  return { points: out, skipped };
}

export const LIGHTING_COST_KPI: KpiComputation = {
  family: 'L8',
  outputs: [KPI_IDS.L8_COST_EUR, KPI_IDS.L8_COST_PER_POINT_EUR],
  input: CABINET_METER,
  async compute(ctx, meters) {
    const { sites, skipped } = await readSiteCosts(ctx, meters, CABINET_METER, 'L8');
    if (sites.length === 0) return { points: [], skipped };
    const r = lightingCostPoints(sites, ctx.months, pointsPerCabinet(ctx.devices, ctx.sites));
    return { points: r.points, skipped: [...skipped, ...r.skipped], replaces: spanOf(ctx.months) };
  },
};
