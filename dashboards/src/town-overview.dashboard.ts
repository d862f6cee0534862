import * as units from '@grafana/grafana-foundation-sdk/units';
import { alertAnnotation, tenantVariable, VigieDashboard, vigieDashboard } from './dashboard-kit';
import {
  higherIsBetter,
  lowerIsBetter,
  neutral,
  q,
  statPanel,
  tablePanel,
  timeSeries,
  tq,
} from './panel-kit';
import { ALERT_MEASUREMENT, kpiFrom, latestPerSubject, openAlertsQuery, TENANT } from './vigie-data';

/** The latest point of a KPI per subject, averaged over the subjects: the town's current status on it. */

/** Town overview: what the town spends and saves by domain, its KPIs against their targets, its open alerts. */
export const TOWN_OVERVIEW: VigieDashboard = {
  uid: 'vigie-town-overview',
  audience: 'vigie',
  build: () =>
    vigieDashboard('vigie-town-overview', 'Vigie — Town overview', {
      description: 'Costs and savings by domain, KPI status against targets, open alerts',
      tags: ['overview'],
    })
      .withVariable(tenantVariable())
      .annotation(alertAnnotation())
      .withPanel(
        statPanel({
          title: 'Buildings energy cost, last 12 months',
          description: 'B8: Σ of the monthly cost of every building at its tariff (subscription included)',
          place: [0, 0, 6, 4],
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
          title: 'Street lighting cost, last 12 months',
          description: 'L8: Σ of the monthly cost of every lighting cabinet at its tariff',
          place: [6, 0, 6, 4],
          unit: units.Euro,
          decimals: 0,
          steps: neutral,
          timeFrom: '1y',
          calc: 'sum',
          targets: [q('A', `SELECT sum("value") AS "cost" ${kpiFrom('L8.cost_eur')}`)],
        }),
      )
      .withPanel(
        statPanel({
          title: 'Measured energy savings, last 12 months',
          description:
            'X3: avoided kWh (IPMVP option C, B6) at the variable price (B8); negative = consumption rose. ' +
            'Water savings in € are not computed (no avoided-m³ KPI).',
          place: [12, 0, 6, 4],
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
          title: 'Lighting energy saved by dimming, last 12 months',
          description: 'L6: nominal power × burning hours − measured energy, Σ over the light points',
          place: [18, 0, 6, 4],
          unit: units.KiloWattHour,
          decimals: 0,
          steps: neutral,
          timeFrom: '1y',
          calc: 'sum',
          targets: [q('A', `SELECT sum("value") AS "saved" ${kpiFrom('L6.dimming_saved_kwh')}`)],
        }),
      )
      .withPanel(
        timeSeries({
          title: 'Monthly costs and savings by domain',
          place: [0, 4, 24, 8],
          unit: units.Euro,
          decimals: 0,
          steps: neutral,
          timeFrom: '1y',
          bars: true,
          targets: [
            q('A', `SELECT sum("value") ${kpiFrom('B8.cost_eur_month')} GROUP BY time(1d) fill(none)`).alias(
              'Buildings energy cost',
            ),
            q('B', `SELECT sum("value") ${kpiFrom('L8.cost_eur')} GROUP BY time(1d) fill(none)`).alias(
              'Street lighting cost',
            ),
            q('C', `SELECT sum("value") ${kpiFrom('X3.savings_eur')} GROUP BY time(1d) fill(none)`).alias(
              'Measured savings',
            ),
          ],
        }),
      )
      .withPanel(
        statPanel({
          title: 'Water network efficiency',
          description:
            'W1 (P104.3), last month, mean of the sectors; Grenelle II minimum 65 + ILC/5, at most 85 %',
          place: [0, 12, 4, 4],
          unit: units.Percent,
          decimals: 1,
          steps: higherIsBetter(70, 85),
          timeFrom: '90d',
          targets: [q('A', latestPerSubject('mean', 'value', 'W1.efficiency_pct'))],
        }),
      )
      .withPanel(
        statPanel({
          title: 'Street lights failing',
          description: 'L4: share of failing light points, last month (contractual target < 2 %)',
          place: [4, 12, 4, 4],
          unit: units.PercentUnit,
          decimals: 1,
          steps: lowerIsBetter(0.02, 0.05),
          timeFrom: '90d',
          targets: [q('A', latestPerSubject('mean', 'value', 'L4.failure_rate_month'))],
        }),
      )
      .withPanel(
        statPanel({
          title: 'Bin fill at collection',
          description: 'K3: mean fill of the bins when collected, last month (target ≥ 75 %)',
          place: [8, 12, 4, 4],
          unit: units.Percent,
          decimals: 0,
          steps: higherIsBetter(60, 75),
          timeFrom: '90d',
          targets: [q('A', latestPerSubject('mean', 'value', 'K3.avg_fill_at_collection_pct'))],
        }),
      )
      .withPanel(
        statPanel({
          title: 'Buildings: energy out of hours',
          description:
            'B5: share of the week’s energy used outside opening hours, last week (alert above 30 %)',
          place: [12, 12, 4, 4],
          unit: units.PercentUnit,
          decimals: 0,
          steps: lowerIsBetter(0.25, 0.3),
          targets: [q('A', latestPerSubject('mean', 'value', 'B5.out_of_hours_share'))],
        }),
      )
      .withPanel(
        statPanel({
          title: 'Buildings on the décret-tertiaire track',
          description: 'B9: share of the buildings whose climate-normalised consumption is on the trajectory',
          place: [16, 12, 4, 4],
          unit: units.PercentUnit,
          decimals: 0,
          steps: higherIsBetter(0.5, 1),
          timeFrom: '2y',
          targets: [q('A', latestPerSubject('mean', 'value', 'B9.on_track'))],
        }),
      )
      .withPanel(
        statPanel({
          title: 'Data completeness',
          description: 'X1: received reports / expected, mean over the devices and days (≥ 90 % for M&V)',
          place: [20, 12, 4, 4],
          unit: units.PercentUnit,
          decimals: 1,
          steps: higherIsBetter(0.8, 0.9),
          calc: 'mean',
          targets: [q('A', `SELECT mean("value") AS "completeness" ${kpiFrom('X1.completeness')}`)],
        }),
      )
      .withPanel(
        statPanel({
          title: 'Open alerts by severity',
          description: 'Alerts whose last event in the last 90 days is not a resolution',
          place: [0, 16, 6, 8],
          unit: units.Short,
          decimals: 0,
          steps: lowerIsBetter(1, 5),
          timeFrom: '90d',
          tiles: true,
          targets: [
            q(
              'A',
              `SELECT count("state") AS "open" FROM (SELECT last("state") AS "state" FROM "${ALERT_MEASUREMENT}" ` +
                `WHERE ${TENANT} AND $timeFilter GROUP BY "rule", "subject", "severity") ` +
                `WHERE "state" <> 'resolved' GROUP BY "severity"`,
            ).alias('$tag_severity'),
          ],
        }),
      )
      .withPanel(
        tablePanel({
          title: 'Open alerts',
          place: [6, 16, 18, 8],
          unit: units.Short,
          decimals: 2,
          steps: neutral,
          timeFrom: '90d',
          targets: [tq('A', openAlertsQuery())],
          columns: { site: null },
          units: { Time: units.DateTimeFromNow },
        }),
      ),
};
