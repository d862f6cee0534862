import { KPI_IDS } from '@vigie/contracts';
import { ENERGY_METER } from '@vigie/devices';
import { KpiComputation, KpiPoint, KpiSkip, KpiSkipReason, spanOf } from '../../kpi-engine.types';
import { KpiWindowSpan } from '../../kpi-windows.utils';
import { costPoint, readSiteCosts, SiteCosts, unpricedSkip, windowCosts } from '../site-costs.utils';

/**
 * B8 per building (site): cost € per local day (every day of the months touched, so that a month's days are
 * replaced together) and per month, and the month's mean variable price (variable cost / kWh) that X3 uses.
 */
export function buildingCostPoints(
  costs: readonly SiteCosts[],
  months: readonly KpiWindowSpan[],
): { points: KpiPoint[]; skipped: KpiSkip[] } {
  const points: KpiPoint[] = [];
  const skipped: KpiSkip[] = [];
  for (const c of costs) {
    c.days.forEach((day, i) => {
      const d = c.daily[i];
      if (!d.present) return;
      const unpriced = unpricedSkip(c.site, day, d);
      if (unpriced) return skipped.push(unpriced);
      points.push(
        costPoint(KPI_IDS.B8_COST_EUR, c.site, 'day', day, d.cost.variableEur + d.fixedEur, d.completeness),
      );
    });
    windowCosts(c, months).forEach((m, i) => {
      if (!m || unpricedSkip(c.site, months[i], m)) return;
      const month = months[i];
      points.push(
        costPoint(
          KPI_IDS.B8_COST_EUR_MONTH,
          c.site,
          'month',
          month,
          m.cost.variableEur + m.fixedEur,
          m.completeness,
        ),
      );
      if (m.cost.kwh > 0) {
        points.push(
          costPoint(
            KPI_IDS.B8_MEAN_PRICE_EUR_KWH,
            c.site,
            'month',
            month,
            m.cost.variableEur / m.cost.kwh,
            m.completeness,
          ),
        );
      } else {
        skipped.push({
          subject: c.site,
          reason: KpiSkipReason.NotComputable,
          detail: `no energy in ${month.key}: B8.mean_price_eur_kwh undefined`,
        });
      }
    });
  }
  return { points, skipped };
}

export const BUILDING_COST_KPI: KpiComputation = {
  family: 'B8',
  outputs: [KPI_IDS.B8_COST_EUR, KPI_IDS.B8_COST_EUR_MONTH, KPI_IDS.B8_MEAN_PRICE_EUR_KWH],
  input: ENERGY_METER,
  async compute(ctx, meters) {
    const { sites, skipped } = await readSiteCosts(ctx, meters, ENERGY_METER, 'B8');
    if (sites.length === 0) return { points: [], skipped };
    const r = buildingCostPoints(sites, ctx.months);
    return { points: r.points, skipped: [...skipped, ...r.skipped], replaces: spanOf(ctx.months) };
  },
};
