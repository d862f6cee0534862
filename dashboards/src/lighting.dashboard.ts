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
  valueTexts,
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

const LIGHT = 'light-controller';
const STREET = `"subject" =~ /^$site$/`;
const POINTS = `"subject" =~ /^$device$/`;

/** The texts and colours of a light point's state flags, on the map and in the table. */
const LIT_TEXTS = valueTexts({
  true: { text: 'on', color: 'yellow' },
  false: { text: 'off', color: 'blue' },
});
const FAILURE_TEXTS = valueTexts({
  true: { text: 'FAILED', color: 'red' },
  false: { text: 'ok', color: 'green' },
});

/**
 * Street lighting. The map places each light point at its registry position (measurement `device_location`, written
 * by every KPI run) coloured by its state: on (yellow), off (blue), failed (red, a layer drawn on top); the table
 * beside it gives the state, failure flag, power and dimming by point.
 */
export const LIGHTING: VigieDashboard = {
  uid: 'vigie-lighting',
  audience: 'vigie',
  build: () =>
    vigieDashboard('vigie-lighting', 'Vigie — Street lighting', {
      description:
        'Light points by state, failures, lit in daylight, burning hours, energy per point, dimming savings',
      tags: ['lighting'],
    })
      .withVariable(tenantVariable())
      .withVariable(tagVariable('site', 'Street', measurementOf(LIGHT), 'site'))
      .withVariable(
        tagVariable('device', 'Light point', measurementOf(LIGHT), 'device', `"site" =~ /^$site$/`, true),
      )
      .annotation(alertAnnotation(['lighting']))
      .withPanel(
        geomapPanel({
          title: 'Map of the light points by state',
          description:
            'Each light point at its registered position, by its last report in the time range: on (yellow), off ' +
            '(blue), failed (red: TALQ lampFailure); a point with no position or no report is not shown',
          place: [0, 0, 12, 12],
          unit: units.Short,
          decimals: 0,
          steps: neutral,
          joinBy: 'device',
          layers: [
            { name: 'Light points', colourBy: 'lit', size: 7 },
            // Drawn on top, red where the point has failed and transparent elsewhere.
            { name: 'Failed', colourBy: 'failed', size: 11 },
          ],
          texts: {
            lit: LIT_TEXTS,
            failed: valueTexts({
              true: { text: 'FAILED', color: 'red' },
              false: { text: 'ok', color: 'transparent' },
            }),
          },
          targets: [
            tq('A', devicePositions(LIGHT, `"device" =~ /^$device$/`)),
            tq(
              'B',
              `SELECT last(${field(LIGHT, 'lamp_on')}) AS "lit", ${field(LIGHT, 'lamp_failure')} AS "failed" ` +
                `${from(LIGHT)} WHERE ${TENANT} AND "site" =~ /^$site$/ AND "device" =~ /^$device$/ ` +
                `AND $timeFilter GROUP BY "device"`,
            ),
          ],
        }),
      )
      .withPanel(
        tablePanel({
          title: 'Light points by state',
          description:
            'Last report of each light point: lit, failure flag (TALQ lampFailure), power and dimming level',
          place: [12, 0, 12, 12],
          unit: units.Watt,
          decimals: 0,
          steps: neutral,
          targets: [
            tq(
              'A',
              `SELECT last(${field(LIGHT, 'lamp_on')}) AS "lit", ${field(LIGHT, 'lamp_failure')} AS "failure", ` +
                `${field(LIGHT, 'power_w')} AS "power", ${field(LIGHT, 'dim_pct')} AS "dim" ${from(LIGHT)} ` +
                `WHERE ${TENANT} AND "site" =~ /^$site$/ AND "device" =~ /^$device$/ AND $timeFilter ` +
                `GROUP BY "device", "site"`,
            ),
          ],
          colour: ['lit', 'failure'],
          units: { dim: units.Percent, Time: units.DateTimeFromNow },
          texts: { lit: LIT_TEXTS, failure: FAILURE_TEXTS },
        }),
      )
      .withPanel(
        statPanel({
          title: 'Failing points, last night',
          description: 'L4: share of the points in service failing at the 23:00 snapshot (target < 2 %)',
          place: [0, 12, 6, 4],
          unit: units.PercentUnit,
          decimals: 1,
          steps: lowerIsBetter(0.02, 0.05),
          targets: [q('A', latestPerSubject('mean', 'rate', 'L4.failure_rate', STREET))],
        }),
      )
      .withPanel(
        statPanel({
          title: 'Lit in daylight',
          description: 'L5: minutes lit between sunrise + 15 min and sunset − 15 min, Σ over the points',
          place: [6, 12, 6, 4],
          unit: units.Minutes,
          decimals: 0,
          steps: lowerIsBetter(1, 30),
          calc: 'sum',
          targets: [
            q('A', `SELECT sum("value") AS "minutes" ${kpiFrom('L5.minutes_lit_in_daylight', POINTS)}`),
          ],
        }),
      )
      .withPanel(
        statPanel({
          title: 'Burning hours per point and night',
          description: 'L1: mean of the nights’ burning hours',
          place: [12, 12, 6, 4],
          unit: units.Hours,
          decimals: 1,
          steps: neutral,
          calc: 'mean',
          targets: [q('A', `SELECT mean("value") AS "hours" ${kpiFrom('L1.burning_hours', POINTS)}`)],
        }),
      )
      .withPanel(
        statPanel({
          title: 'Energy saved by dimming',
          description: 'L6: P_nom × burning hours − measured energy, Σ over the points and nights',
          place: [18, 12, 6, 4],
          unit: units.KiloWattHour,
          decimals: 1,
          steps: ['red', [0, 'green']],
          calc: 'sum',
          targets: [q('A', `SELECT sum("value") AS "saved" ${kpiFrom('L6.dimming_saved_kwh', POINTS)}`)],
        }),
      )
      .withPanel(
        timeSeries({
          title: 'Failing points per street (23:00 snapshot)',
          description: 'L4: points flagging lampFailure, or lit with P < 10 % of nominal',
          place: [0, 16, 12, 8],
          unit: units.Short,
          decimals: 0,
          steps: lowerIsBetter(1, 3),
          bars: true,
          targets: [
            q('A', `SELECT "value" ${kpiFrom('L4.failing_points', STREET)} GROUP BY "subject"`).alias(
              '$tag_subject',
            ),
          ],
        }),
      )
      .withPanel(
        timeSeries({
          title: 'Minutes lit in daylight',
          description: 'L5 per light point and day (the alert rule fires after 30 min)',
          place: [12, 16, 12, 8],
          unit: units.Minutes,
          decimals: 0,
          steps: lowerIsBetter(1, 30),
          bars: true,
          targets: [
            q(
              'A',
              `SELECT "value" ${kpiFrom('L5.minutes_lit_in_daylight', POINTS)} GROUP BY "subject"`,
            ).alias('$tag_subject'),
          ],
        }),
      )
      .withPanel(
        timeSeries({
          title: 'Burning hours per night',
          description: 'L1: hours lit, 12:00 → 12:00 local',
          place: [0, 24, 8, 8],
          unit: units.Hours,
          decimals: 1,
          steps: neutral,
          targets: [
            q('A', `SELECT "value" ${kpiFrom('L1.burning_hours', POINTS)} GROUP BY "subject"`).alias(
              '$tag_subject',
            ),
          ],
        }),
      )
      .withPanel(
        timeSeries({
          title: 'Energy per light point (month)',
          description: 'L2: index deltas of the month; × 12 ≈ kWh/point/yr (national mean ≈ 509)',
          place: [8, 24, 8, 8],
          unit: units.KiloWattHour,
          decimals: 1,
          steps: neutral,
          bars: true,
          timeFrom: '1y',
          targets: [
            q('A', `SELECT "value" ${kpiFrom('L2.point_energy_kwh', POINTS)} GROUP BY "subject"`).alias(
              '$tag_subject',
            ),
          ],
        }),
      )
      .withPanel(
        timeSeries({
          title: 'Dimming savings per night',
          description: 'L6: energy saved against full power for the same burning hours',
          place: [16, 24, 8, 8],
          unit: units.KiloWattHour,
          decimals: 2,
          steps: neutral,
          targets: [
            q('A', `SELECT "value" ${kpiFrom('L6.dimming_saved_kwh', POINTS)} GROUP BY "subject"`).alias(
              '$tag_subject',
            ),
          ],
        }),
      )
      .withPanel(
        timeSeries({
          title: 'Switch-off compliance per night',
          description:
            'L7: 1 − minutes lit in the switch-off window / window minutes (alert below 50 % two nights)',
          place: [0, 32, 12, 8],
          unit: units.PercentUnit,
          decimals: 0,
          steps: higherIsBetter(0.5, 0.9),
          thresholdLines: true,
          targets: [
            q('A', `SELECT "value" ${kpiFrom('L7.switch_off_compliance', POINTS)} GROUP BY "subject"`).alias(
              '$tag_subject',
            ),
          ],
        }),
      )
      .withPanel(
        timeSeries({
          title: 'Cost per light point (month)',
          description: 'L8: cost of the cabinet’s energy at its tariff / points it feeds; × 12 ≈ €/point/yr',
          place: [12, 32, 12, 8],
          unit: units.Euro,
          decimals: 2,
          steps: neutral,
          bars: true,
          timeFrom: '1y',
          targets: [
            q('A', `SELECT "value" ${kpiFrom('L8.cost_per_point_eur')} GROUP BY "subject"`).alias(
              '$tag_subject',
            ),
          ],
        }),
      )
      .withPanel(
        tablePanel({
          title: 'Lighting alerts',
          place: [0, 40, 24, 8],
          unit: units.Short,
          decimals: 2,
          steps: neutral,
          targets: [
            tq(
              'A',
              `SELECT "title", "state", "value", "threshold" FROM "${ALERT_MEASUREMENT}" WHERE ${TENANT} ` +
                `AND "domain" = 'lighting' AND "event" = 'fired' AND $timeFilter GROUP BY "subject", "rule"`,
            ),
          ],
          units: { Time: 'dateTimeAsIso' },
        }),
      ),
};
