import * as units from '@grafana/grafana-foundation-sdk/units';
import {
  alertAnnotation,
  tagVariable,
  tenantVariable,
  VigieDashboard,
  vigieDashboard,
} from './dashboard-kit';
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
import { ALERT_MEASUREMENT, kpiFrom, latestPerSubject, rule, TENANT } from './vigie-data';

const SECTOR = `"subject" =~ /^$sector$/`;
/** W5's subject is the district-inflow meter, named `<sector>-inflow-meter` by the town layout. */
const INFLOW_OF_SECTOR = `"subject" =~ /^$sector-/`;
const M3_KM_DAY = 'suffix: m³/km/d';

/** Water network (efficiency, losses, night flow, leaks) and irrigation (applied vs need, watering in rain). */
export const WATER: VigieDashboard = {
  uid: 'vigie-water',
  audience: 'vigie',
  build: () =>
    vigieDashboard('vigie-water', 'Vigie — Water network and irrigation', {
      description:
        'Efficiency (P104.3) against the Grenelle threshold, losses index, night flow per sector with its baseline, ' +
        'suspected leaks; irrigation applied vs need, watering during rain',
      tags: ['water'],
    })
      .withVariable(tenantVariable())
      .withVariable(tagVariable('sector', 'Water sector', 'kpi', 'subject', `"kpi" = 'W1.efficiency_pct'`))
      .annotation(alertAnnotation(['water']))
      .withPanel(
        statPanel({
          title: 'Network efficiency, last month',
          description: 'W1 (P104.3 monthly estimate): (V6 + V3) / (V1 + V2), mean of the selected sectors',
          place: [0, 0, 6, 4],
          unit: units.Percent,
          decimals: 1,
          steps: higherIsBetter(70, 85),
          timeFrom: '90d',
          targets: [q('A', latestPerSubject('mean', 'efficiency', 'W1.efficiency_pct', SECTOR))],
        }),
      )
      .withPanel(
        statPanel({
          title: 'Grenelle II minimum efficiency',
          description: 'W4: min(85, 65 + ILC/5) (70 + ILC/5 in a ZRE), latest year, per sector',
          place: [6, 0, 6, 4],
          unit: units.Percent,
          decimals: 1,
          steps: neutral,
          timeFrom: '2y',
          targets: [
            q('A', `SELECT last("value") ${kpiFrom('W4.threshold_pct', SECTOR)} GROUP BY "subject"`).alias(
              '$tag_subject',
            ),
          ],
        }),
      )
      .withPanel(
        statPanel({
          title: 'Sectors meeting the Grenelle threshold',
          description: 'W4: yearly efficiency ≥ threshold (below it an action plan is required)',
          place: [12, 0, 6, 4],
          unit: units.PercentUnit,
          decimals: 0,
          steps: higherIsBetter(0.5, 1),
          timeFrom: '2y',
          targets: [q('A', latestPerSubject('mean', 'compliant', 'W4.compliant', SECTOR))],
        }),
      )
      .withPanel(
        statPanel({
          title: 'Leak alerts raised',
          description:
            'water.night_flow_leak alerts fired in the time range (night flow > 1.2 × the median of the previous nights)',
          place: [18, 0, 6, 4],
          unit: units.Short,
          decimals: 0,
          steps: lowerIsBetter(1, 3),
          calc: 'sum',
          targets: [
            q(
              'A',
              `SELECT count("alert_id") AS "leaks" FROM "${ALERT_MEASUREMENT}" WHERE ${TENANT} ` +
                `AND "rule" = '${rule('water.night_flow_leak')}' AND "event" = 'fired' AND $timeFilter`,
            ),
          ],
        }),
      )
      .withPanel(
        timeSeries({
          title: 'Efficiency (P104.3) against the Grenelle threshold',
          description: 'W1 monthly efficiency per sector; W4 yearly threshold of each sector (dots)',
          place: [0, 4, 12, 8],
          unit: units.Percent,
          decimals: 1,
          steps: higherIsBetter(70, 85),
          timeFrom: '1y',
          targets: [
            q('A', `SELECT "value" ${kpiFrom('W1.efficiency_pct', SECTOR)} GROUP BY "subject"`).alias(
              '$tag_subject',
            ),
            q('B', `SELECT "value" ${kpiFrom('W4.threshold_pct', SECTOR)} GROUP BY "subject"`).alias(
              'Grenelle threshold $tag_subject',
            ),
          ],
        }),
      )
      .withPanel(
        timeSeries({
          title: 'Losses index (month)',
          description:
            'W3 ILP (V4 − V6) / (L × D) and W2 ILVNC (V4 − V7) / (L × D); ILP reference grid: rural < 1.5 good, ' +
            '> 4 bad; urban < 7 good, > 15 bad',
          place: [12, 4, 12, 8],
          unit: M3_KM_DAY,
          decimals: 2,
          steps: neutral,
          timeFrom: '1y',
          bars: true,
          targets: [
            q('A', `SELECT "value" ${kpiFrom('W3.ilp_monthly_m3_km_day', SECTOR)} GROUP BY "subject"`).alias(
              'ILP $tag_subject',
            ),
            q(
              'B',
              `SELECT "value" ${kpiFrom('W2.ilvnc_monthly_m3_km_day', SECTOR)} GROUP BY "subject"`,
            ).alias('ILVNC $tag_subject'),
          ],
        }),
      )
      .withPanel(
        timeSeries({
          title: 'Minimum night flow per sector, with its baseline',
          description:
            'W5: minimum 60-min mean inflow between 02:00 and 04:00; baseline = mean of the 14 previous nights ' +
            '(the leak rule compares with the median of the last 7–28 nights)',
          place: [0, 12, 12, 8],
          unit: 'suffix: m³/h',
          decimals: 2,
          steps: neutral,
          targets: [
            q(
              'A',
              `SELECT "value" ${kpiFrom('W5.min_night_flow_m3h', INFLOW_OF_SECTOR)} GROUP BY "subject"`,
            ).alias('$tag_subject'),
            q(
              'B',
              `SELECT moving_average(mean("value"), 14) ${kpiFrom('W5.min_night_flow_m3h', INFLOW_OF_SECTOR)} ` +
                `GROUP BY time(1d), "subject" fill(none)`,
            ).alias('baseline $tag_subject'),
          ],
        }),
      )
      .withPanel(
        tablePanel({
          title: 'Suspected leaks',
          description: 'Night-flow leak alerts of the sectors and closed-hours flow alerts of the buildings',
          place: [12, 12, 12, 8],
          unit: 'suffix: m³/h',
          decimals: 2,
          steps: neutral,
          targets: [
            tq(
              'A',
              `SELECT "title", "value", "threshold", "state" FROM "${ALERT_MEASUREMENT}" WHERE ${TENANT} ` +
                `AND "rule" =~ /^(${rule('water.night_flow_leak').replace('.', '\\.')}|` +
                `${rule('water.closed_hours_flow').replace('.', '\\.')})$/ AND "event" = 'fired' AND $timeFilter ` +
                `GROUP BY "subject", "rule"`,
            ),
          ],
          units: { Time: 'dateTimeAsIso' },
        }),
      )
      .withPanel(
        statPanel({
          title: 'Infrastructure leakage index (ILI)',
          description: 'W6: CARL / UARL, latest year; < 2 excellent, 2–4 good, 4–8 poor, > 8 very poor',
          place: [0, 20, 8, 6],
          unit: units.Short,
          decimals: 1,
          steps: lowerIsBetter(4, 8),
          timeFrom: '2y',
          targets: [
            q('A', `SELECT last("value") ${kpiFrom('W6.ili', SECTOR)} GROUP BY "subject"`).alias(
              '$tag_subject',
            ),
          ],
        }),
      )
      .withPanel(
        timeSeries({
          title: 'Buildings: water used while closed',
          description: 'W7: closed-hours volume / day volume (alert above 10 %)',
          place: [8, 20, 8, 6],
          unit: units.PercentUnit,
          decimals: 0,
          steps: lowerIsBetter(0.05, 0.1),
          thresholdLines: true,
          targets: [
            q('A', `SELECT "value" ${kpiFrom('W7.closed_hours_share')} GROUP BY "subject"`).alias(
              '$tag_subject',
            ),
          ],
        }),
      )
      .withPanel(
        timeSeries({
          title: 'Buildings: minimum flow while closed',
          description: 'W7: > 0 means water never stopped while the building was closed (leak indicator)',
          place: [16, 20, 8, 6],
          unit: units.LitrePerHour,
          decimals: 1,
          steps: lowerIsBetter(1, 10),
          targets: [
            q('A', `SELECT "value" ${kpiFrom('W7.closed_min_flow_lh')} GROUP BY "subject"`).alias(
              '$tag_subject',
            ),
          ],
        }),
      )
      .withPanel(
        timeSeries({
          title: 'Irrigation: applied vs need (week)',
          description:
            'W8: water applied by each zone’s controllers (Σ of the days of the ISO week) and FAO-56 net need ' +
            '(Hargreaves ET0 × kc − effective rain) × area',
          place: [0, 26, 12, 8],
          unit: units.CubicMeter,
          decimals: 1,
          steps: neutral,
          bars: true,
          targets: [
            q(
              'A',
              `SELECT sum("value") ${kpiFrom('W8.applied_m3')} GROUP BY time(1w, 4d), "subject" fill(none) ` +
                `tz('Europe/Paris')`,
            ).alias('applied $tag_subject'),
            q('B', `SELECT "value" ${kpiFrom('W8.need_m3')} GROUP BY "subject"`).alias('need $tag_subject'),
          ],
        }),
      )
      .withPanel(
        timeSeries({
          title: 'Irrigation ratio (applied / need)',
          description: 'W8: target 0.9–1.1, over-watering above 1.2; no point when rain covered the need',
          place: [12, 26, 12, 8],
          unit: units.Short,
          decimals: 2,
          steps: ['orange', [0.9, 'green'], [1.2, 'red']],
          thresholdLines: true,
          bars: true,
          targets: [
            q('A', `SELECT "value" ${kpiFrom('W8.irrigation_ratio')} GROUP BY "subject"`).alias(
              '$tag_subject',
            ),
          ],
        }),
      )
      .withPanel(
        timeSeries({
          title: 'Watering during rain (week)',
          description: 'W8: irrigation runs with ≥ 2 mm of rain in the 24 h before, or rain during the run',
          place: [0, 34, 12, 8],
          unit: units.Short,
          decimals: 0,
          steps: lowerIsBetter(1, 3),
          bars: true,
          targets: [
            q('A', `SELECT "value" ${kpiFrom('W8.watering_in_rain_events')} GROUP BY "subject"`).alias(
              '$tag_subject',
            ),
          ],
        }),
      )
      .withPanel(
        timeSeries({
          title: 'Water used while it rained (week)',
          description: 'W8: volume of the runs counted as watering during rain',
          place: [12, 34, 12, 8],
          unit: units.CubicMeter,
          decimals: 1,
          steps: lowerIsBetter(0.1, 10),
          bars: true,
          targets: [
            q('A', `SELECT "value" ${kpiFrom('W8.watering_in_rain_m3')} GROUP BY "subject"`).alias(
              '$tag_subject',
            ),
          ],
        }),
      ),
};
