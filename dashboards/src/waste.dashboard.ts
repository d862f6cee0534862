import * as units from '@grafana/grafana-foundation-sdk/units';
import {
  alertAnnotation,
  tagVariable,
  tenantVariable,
  VigieDashboard,
  vigieDashboard,
} from './dashboard-kit';
import {
  geomapPanel,
  higherIsBetter,
  lowerIsBetter,
  neutral,
  q,
  statPanel,
  tablePanel,
  timeSeries,
  tq,
} from './panel-kit';
import {
  ALERT_MEASUREMENT,
  devicePositions,
  field,
  from,
  kpiFrom,
  latestPerSubject,
  measurementOf,
  TENANT,
} from './vigie-data';

const BIN = 'bin-sensor';
const DISTRICT = `"subject" =~ /^$site$/`;
const BINS = `"subject" =~ /^$device$/`;
const FILL = lowerIsBetter(80, 100);

/**
 * Waste collection. The map places each bin at its registry position (measurement `device_location`, written by
 * every KPI run) coloured by its last fill level; the tiles beside it give the same levels by bin name.
 */
export const WASTE: VigieDashboard = {
  uid: 'vigie-waste',
  audience: 'vigie',
  build: () =>
    vigieDashboard('vigie-waste', 'Vigie — Waste collection', {
      description:
        'Bins coloured by fill level, time to full, average fill at collection, collections avoided, overflows',
      tags: ['waste'],
    })
      .withVariable(tenantVariable())
      .withVariable(tagVariable('site', 'District', measurementOf(BIN), 'site'))
      .withVariable(tagVariable('device', 'Bin', measurementOf(BIN), 'device', `"site" =~ /^$site$/`, true))
      .annotation(alertAnnotation(['waste']))
      .withPanel(
        geomapPanel({
          title: 'Map of the bins by fill level',
          description:
            'Each bin of the district at its registered position, coloured by its last fill level in the time range ' +
            '(80 %: collect; ≥ 100 %: overflowing); a bin with no position or no reading is not shown',
          place: [0, 0, 12, 12],
          unit: units.Percent,
          decimals: 0,
          steps: FILL,
          joinBy: 'device',
          layers: [{ name: 'Bins', colourBy: 'fill', size: 8 }],
          targets: [
            tq('A', devicePositions(BIN, `"device" =~ /^$device$/`)),
            tq(
              'B',
              `SELECT last(${field(BIN, 'fill_pct')}) AS "fill" ${from(BIN)} WHERE ${TENANT} AND "site" =~ /^$site$/ ` +
                `AND "device" =~ /^$device$/ AND $timeFilter GROUP BY "device"`,
            ),
          ],
        }),
      )
      .withPanel(
        statPanel({
          title: 'Bins by fill level',
          description:
            'Last fill level reported by each bin of the district (80 %: collect; ≥ 100 %: overflowing)',
          place: [12, 0, 12, 12],
          unit: units.Percent,
          decimals: 0,
          steps: FILL,
          tiles: true,
          targets: [
            q(
              'A',
              `SELECT last(${field(BIN, 'fill_pct')}) ${from(BIN)} WHERE ${TENANT} AND "site" =~ /^$site$/ ` +
                `AND "device" =~ /^$device$/ AND $timeFilter GROUP BY "device"`,
            ).alias('$tag_device'),
          ],
        }),
      )
      .withPanel(
        tablePanel({
          title: 'Time to full',
          description:
            'K6, latest day: days until the fill threshold (80 % by default) at the fill rate since the last ' +
            'collection, and the forecast date; no row when the bin is not filling',
          place: [0, 12, 12, 8],
          unit: units.Days,
          decimals: 1,
          steps: ['red', [1, 'orange'], [2, 'green']],
          targets: [
            tq(
              'A',
              `SELECT last("value") AS "days_to_threshold" ${kpiFrom('K6.days_to_threshold', BINS)} GROUP BY "subject"`,
            ),
            tq(
              'B',
              `SELECT last("value") AS "forecast" ${kpiFrom('K6.forecast_ts', BINS)} GROUP BY "subject"`,
            ),
            tq(
              'C',
              `SELECT last("value") AS "fill_rate" ${kpiFrom('K6.fill_rate_pct_day', BINS)} GROUP BY "subject"`,
            ),
          ],
          colour: ['days_to_threshold'],
          columns: { Time: null },
          units: { forecast: 'dateTimeAsIso', fill_rate: 'suffix: %/d' },
        }),
      )
      .withPanel(
        timeSeries({
          title: 'Fill level',
          place: [12, 12, 12, 8],
          unit: units.Percent,
          decimals: 0,
          steps: FILL,
          thresholdLines: true,
          targets: [
            q(
              'A',
              `SELECT mean(${field(BIN, 'fill_pct')}) ${from(BIN)} WHERE ${TENANT} AND "site" =~ /^$site$/ ` +
                `AND "device" =~ /^$device$/ AND $timeFilter GROUP BY time($__interval), "device" fill(null)`,
            ).alias('$tag_device'),
          ],
        }),
      )
      .withPanel(
        statPanel({
          title: 'Average fill at collection',
          description:
            'K3: mean fill of the last reading before each collection, latest month (target ≥ 75 %)',
          place: [0, 20, 6, 4],
          unit: units.Percent,
          decimals: 0,
          steps: higherIsBetter(60, 75),
          timeFrom: '90d',
          targets: [q('A', latestPerSubject('mean', 'fill', 'K3.avg_fill_at_collection_pct', BINS))],
        }),
      )
      .withPanel(
        statPanel({
          title: 'Collections avoided, last 12 months',
          description:
            'K5: collections of the fixed schedule minus collections made (negative = extra rounds)',
          place: [6, 20, 6, 4],
          unit: units.Short,
          decimals: 0,
          steps: ['red', [0, 'green']],
          timeFrom: '1y',
          calc: 'sum',
          targets: [
            q('A', `SELECT sum("value") AS "avoided" ${kpiFrom('K5.collections_avoided', DISTRICT)}`),
          ],
        }),
      )
      .withPanel(
        statPanel({
          title: 'Overflows, last 12 months',
          description: 'K4: overflow episodes (≥ 100 %, or ≥ 95 % for 2 h) of the districts’ bins',
          place: [12, 20, 6, 4],
          unit: units.Short,
          decimals: 0,
          steps: lowerIsBetter(1, 5),
          timeFrom: '1y',
          calc: 'sum',
          targets: [
            q('A', `SELECT sum("value") AS "overflows" ${kpiFrom('K4.district_overflow_events', DISTRICT)}`),
          ],
        }),
      )
      .withPanel(
        statPanel({
          title: 'Bins above threshold, latest day',
          description: 'K2: bins whose last fill of the day ≥ the threshold (80 % by default)',
          place: [18, 20, 6, 4],
          unit: units.Short,
          decimals: 0,
          steps: lowerIsBetter(1, 10),
          targets: [q('A', latestPerSubject('sum', 'bins', 'K2.count_above_threshold', DISTRICT))],
        }),
      )
      .withPanel(
        timeSeries({
          title: 'District mean fill (end of day)',
          description: 'K1: mean of the bins’ end-of-day fill levels',
          place: [0, 24, 12, 8],
          unit: units.Percent,
          decimals: 0,
          steps: FILL,
          targets: [
            q(
              'A',
              `SELECT "value" ${kpiFrom('K1.district_mean_fill_pct', DISTRICT)} GROUP BY "subject"`,
            ).alias('$tag_subject'),
          ],
        }),
      )
      .withPanel(
        timeSeries({
          title: 'Average fill at collection per bin (month)',
          description: 'K3 (target ≥ 75 %: fuller bins at collection = fewer wasted rounds)',
          place: [12, 24, 12, 8],
          unit: units.Percent,
          decimals: 0,
          steps: higherIsBetter(60, 75),
          thresholdLines: true,
          bars: true,
          timeFrom: '1y',
          targets: [
            q(
              'A',
              `SELECT "value" ${kpiFrom('K3.avg_fill_at_collection_pct', BINS)} GROUP BY "subject"`,
            ).alias('$tag_subject'),
          ],
        }),
      )
      .withPanel(
        timeSeries({
          title: 'Collections avoided per district (month)',
          description: 'K5: fixed-schedule collections minus collections detected',
          place: [0, 32, 8, 8],
          unit: units.Short,
          decimals: 0,
          steps: ['red', [0, 'green']],
          bars: true,
          timeFrom: '1y',
          targets: [
            q('A', `SELECT "value" ${kpiFrom('K5.collections_avoided', DISTRICT)} GROUP BY "subject"`).alias(
              '$tag_subject',
            ),
          ],
        }),
      )
      .withPanel(
        timeSeries({
          title: 'Overflow hours per district (month)',
          description: 'K4: bin-hours spent overflowing',
          place: [8, 32, 8, 8],
          unit: units.Hours,
          decimals: 1,
          steps: lowerIsBetter(1, 24),
          bars: true,
          timeFrom: '1y',
          targets: [
            q(
              'A',
              `SELECT "value" ${kpiFrom('K4.district_overflow_bin_hours', DISTRICT)} GROUP BY "subject"`,
            ).alias('$tag_subject'),
          ],
        }),
      )
      .withPanel(
        tablePanel({
          title: 'Overflow and fire alerts',
          place: [16, 32, 8, 8],
          unit: units.Short,
          decimals: 0,
          steps: neutral,
          targets: [
            tq(
              'A',
              `SELECT "title", "value" FROM "${ALERT_MEASUREMENT}" WHERE ${TENANT} AND "domain" = 'waste' ` +
                `AND "severity" =~ /^(critical|major)$/ AND "event" = 'fired' AND $timeFilter GROUP BY "subject"`,
            ),
          ],
          units: { Time: 'dateTimeAsIso' },
        }),
      ),
};
