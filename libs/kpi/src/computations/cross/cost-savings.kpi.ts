import { KPI_IDS } from '@vigie/contracts';
import { ENERGY_METER } from '@vigie/devices';
import { savingsEur } from '@vigie/domain';
import { KpiComputation, KpiPoint, KpiSkip, KpiSkipReason, spanOf } from '../../kpi-engine.types';

/**
 * X3 per building and month: € saved = B6.avoided_kwh × B8.mean_price_eur_kwh of the same month (the variable
 * price only: the subscription does not change with savings). A month with avoided kWh but no price is skipped.
 */
export function costSavingsPoints(
  avoided: readonly KpiPoint[],
  prices: readonly KpiPoint[],
): { points: KpiPoint[]; skipped: KpiSkip[] } {
  const points: KpiPoint[] = [];
  const skipped: KpiSkip[] = [];
  const price = new Map(prices.map((p) => [`${p.subject}\n${p.ts}`, p]));
  for (const a of avoided) {
    const p = price.get(`${a.subject}\n${a.ts}`);
    if (!p) {
      skipped.push({
        subject: a.subject,
        reason: KpiSkipReason.MissingInputs,
        detail: `no B8.mean_price_eur_kwh for the month of ${new Date(a.ts).toISOString()} (site without a tariff attribute?): X3 not computed`,
      });
      continue;
    }
    points.push({
      kpi: KPI_IDS.X3_SAVINGS_EUR,
      subject: a.subject,
      window: 'month',
      ts: a.ts,
      value: savingsEur(a.value, p.value),
      completeness: Math.min(a.completeness, p.completeness),
    });
  }
  return { points, skipped };
}

export const COST_SAVINGS_KPI: KpiComputation = {
  family: 'X3',
  outputs: [KPI_IDS.X3_SAVINGS_EUR],
  input: ENERGY_METER,
  async compute(ctx) {
    const { start, end } = spanOf(ctx.months);
    const [avoided, prices] = await Promise.all([
      ctx.stored.read(ctx.tenant, KPI_IDS.B6_AVOIDED_KWH, start, end),
      ctx.stored.read(ctx.tenant, KPI_IDS.B8_MEAN_PRICE_EUR_KWH, start, end),
    ]);
    const month = (p: KpiPoint) => p.window === 'month';
    if (!avoided.some(month)) {
      return {
        points: [],
        skipped: [
          {
            reason: KpiSkipReason.MissingInputs,
            detail: `no stored B6.avoided_kwh month point in ${ctx.months.map((m) => m.key).join(', ')}: X3 values B6's avoided energy (compute B6 first; it needs a baseline)`,
          },
        ],
      };
    }
    return { ...costSavingsPoints(avoided.filter(month), prices.filter(month)), replaces: { start, end } };
  },
};
