import { KPI_IDS } from '@vigie/contracts';
import { KpiPoint } from '../../kpi-engine.types';
import { costSavingsPoints } from './cost-savings.kpi';

const MAR = Date.parse('2026-02-28T23:00:00Z');
const APR = Date.parse('2026-03-31T22:00:00Z');
const point = (
  kpi: KpiPoint['kpi'],
  subject: string,
  ts: number,
  value: number,
  completeness = 1,
): KpiPoint => ({
  kpi,
  subject,
  window: 'month',
  ts,
  value,
  completeness,
});

describe('X3 cost savings', () => {
  it('values B6 avoided kWh at B8’s mean variable price of the same month', () => {
    const avoided = [
      point(KPI_IDS.B6_AVOIDED_KWH, 'school', MAR, 1250, 0.9),
      point(KPI_IDS.B6_AVOIDED_KWH, 'school', APR, -100),
      point(KPI_IDS.B6_AVOIDED_KWH, 'gym', MAR, 500),
    ];
    const prices = [
      point(KPI_IDS.B8_MEAN_PRICE_EUR_KWH, 'school', MAR, 0.1875, 0.95),
      point(KPI_IDS.B8_MEAN_PRICE_EUR_KWH, 'school', APR, 0.2),
    ];
    const { points, skipped } = costSavingsPoints(avoided, prices);
    // March: 1,250 kWh × 0.1875 €/kWh = 234.375 €, completeness min(0.9, 0.95); April: −100 × 0.2 = −20 €.
    expect(points.map((p) => [p.subject, p.ts, p.completeness])).toEqual([
      ['school', MAR, 0.9],
      ['school', APR, 1],
    ]);
    expect(points[0].value).toBeCloseTo(234.375, 9);
    expect(points[1].value).toBeCloseTo(-20, 9);
    expect(points.every((p) => p.kpi === KPI_IDS.X3_SAVINGS_EUR && p.window === 'month')).toBe(true);
    // The gym has avoided kWh but no price (no tariff): skipped with the reason.
    expect(skipped).toEqual([
      {
        subject: 'gym',
        reason: 'missing_inputs',
        detail: expect.stringContaining('no B8.mean_price_eur_kwh for the month of 2026-02-28T23:00:00.000Z'),
      },
    ]);
  });
});
