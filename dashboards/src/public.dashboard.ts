import * as units from '@grafana/grafana-foundation-sdk/units';
import { tenantVariable, VigieDashboard, vigieDashboard } from './dashboard-kit';
import { higherIsBetter, lowerIsBetter, neutral, q, statPanel, timeSeries } from './panel-kit';
import { kpiFrom } from './vigie-data';

/**
 * The citizens' dashboard (anonymous read-only organisation): KPIs aggregated over the whole commune only — no
 * device, site, address or alert is named, and no raw reading is queried (checked by the model test).
 */
export const PUBLIC: VigieDashboard = {
  uid: 'vigie-public',
  audience: 'public',
  build: () =>
    vigieDashboard('vigie-public', 'Ma commune — énergie, eau, déchets, éclairage', {
      description:
        'Aggregated indicators of the commune’s public buildings, water network, waste and street lighting',
      tags: ['public'],
      time: 'now-90d',
    })
      .withVariable(tenantVariable())
      .withPanel(
        statPanel({
          title: 'Energy cost of the public buildings, last 12 months',
          place: [0, 0, 8, 4],
          unit: units.Euro,
          decimals: 0,
          steps: neutral,
          timeFrom: '1y',
          calc: 'sum',
          targets: [q('A', `SELECT sum("value") AS "cost" ${kpiFrom('B8.cost_eur_month')}`)],
        }),
      )
      .withPanel(
        statPanel({
          title: 'Energy savings measured, last 12 months',
          description: 'Against each building’s climate-adjusted baseline (IPMVP option C)',
          place: [8, 0, 8, 4],
          unit: units.Euro,
          decimals: 0,
          steps: ['red', [0, 'green']],
          timeFrom: '1y',
          calc: 'sum',
          targets: [q('A', `SELECT sum("value") AS "savings" ${kpiFrom('X3.savings_eur')}`)],
        }),
      )
      .withPanel(
        statPanel({
          title: 'Street lighting cost, last 12 months',
          place: [16, 0, 8, 4],
          unit: units.Euro,
          decimals: 0,
          steps: neutral,
          timeFrom: '1y',
          calc: 'sum',
          targets: [q('A', `SELECT sum("value") AS "cost" ${kpiFrom('L8.cost_eur')}`)],
        }),
      )
      .withPanel(
        timeSeries({
          title: 'Energy used by the public buildings, per day',
          place: [0, 4, 12, 8],
          unit: units.KiloWattHour,
          decimals: 0,
          steps: neutral,
          bars: true,
          targets: [
            q('A', `SELECT sum("value") ${kpiFrom('B1.consumption_kwh')} GROUP BY time(1d) fill(none)`).alias(
              'kWh',
            ),
          ],
        }),
      )
      .withPanel(
        timeSeries({
          title: 'Drinking-water network efficiency, per month',
          description: 'Share of the water put into the network that reaches a user (legal minimum 65–85 %)',
          place: [12, 4, 12, 8],
          unit: units.Percent,
          decimals: 1,
          steps: higherIsBetter(70, 85),
          thresholdLines: true,
          timeFrom: '1y',
          targets: [
            q('A', `SELECT mean("value") ${kpiFrom('W1.efficiency_pct')} GROUP BY time(1d) fill(none)`).alias(
              'efficiency',
            ),
          ],
        }),
      )
      .withPanel(
        statPanel({
          title: 'Bins collected full',
          description: 'Average fill of the bins when collected, last months (target ≥ 75 %)',
          place: [0, 12, 6, 4],
          unit: units.Percent,
          decimals: 0,
          steps: higherIsBetter(60, 75),
          timeFrom: '90d',
          calc: 'mean',
          targets: [q('A', `SELECT mean("value") AS "fill" ${kpiFrom('K3.avg_fill_at_collection_pct')}`)],
        }),
      )
      .withPanel(
        statPanel({
          title: 'Collection rounds avoided, last 12 months',
          place: [6, 12, 6, 4],
          unit: units.Short,
          decimals: 0,
          steps: ['red', [0, 'green']],
          timeFrom: '1y',
          calc: 'sum',
          targets: [q('A', `SELECT sum("value") AS "avoided" ${kpiFrom('K5.collections_avoided')}`)],
        }),
      )
      .withPanel(
        statPanel({
          title: 'Street lights out of order',
          description: 'Share of the light points failing, mean of the last months',
          place: [12, 12, 6, 4],
          unit: units.PercentUnit,
          decimals: 1,
          steps: lowerIsBetter(0.02, 0.05),
          timeFrom: '90d',
          calc: 'mean',
          targets: [q('A', `SELECT mean("value") AS "rate" ${kpiFrom('L4.failure_rate_month')}`)],
        }),
      )
      .withPanel(
        statPanel({
          title: 'Street-lighting energy saved by dimming',
          place: [18, 12, 6, 4],
          unit: units.KiloWattHour,
          decimals: 0,
          steps: neutral,
          calc: 'sum',
          targets: [q('A', `SELECT sum("value") AS "saved" ${kpiFrom('L6.dimming_saved_kwh')}`)],
        }),
      ),
};
