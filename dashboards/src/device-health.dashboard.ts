import * as units from '@grafana/grafana-foundation-sdk/units';
import { alertAnnotation, tenantVariable, VigieDashboard, vigieDashboard } from './dashboard-kit';
import {
  higherIsBetter,
  lowerIsBetter,
  neutral,
  q,
  tablePanel,
  timeSeries,
  tq,
  valueTexts,
} from './panel-kit';
import {
  ALERT_MEASUREMENT,
  KINDS_WITH_HEARTBEAT,
  kindsWith,
  kpiFrom,
  measurementOf,
  REJECTED_MEASUREMENT,
  rule,
  TENANT,
} from './vigie-data';

/** `FROM /^(a|b)$/`: the measurements of every kind reporting `metric`. */
const fromKindsWith = (metric: string) => `FROM /^(${kindsWith(metric).map(measurementOf).join('|')})$/`;

/** Device health: last report, offline devices, battery, link quality, completeness, rejected payloads. */
export const DEVICE_HEALTH: VigieDashboard = {
  uid: 'vigie-device-health',
  audience: 'vigie',
  build: () =>
    vigieDashboard('vigie-device-health', 'Vigie — Device health', {
      description: 'Last seen, offline devices, battery, link quality, data completeness, rejected payloads',
      tags: ['devices'],
      time: 'now-7d',
    })
      .withVariable(tenantVariable())
      .annotation(alertAnnotation(['devices']))
      .withPanel(
        tablePanel({
          title: 'Last seen',
          description: 'Time of each device’s last report in the time range (one query per device kind)',
          place: [0, 0, 24, 10],
          unit: units.Short,
          decimals: 2,
          steps: neutral,
          targets: KINDS_WITH_HEARTBEAT.map((k, i) =>
            tq(
              String.fromCharCode(65 + i),
              `SELECT last("${k.metric}") AS "last_value" FROM "${k.measurement}" WHERE ${TENANT} AND $timeFilter ` +
                `GROUP BY "device", "site"`,
            ),
          ),
          columns: { last_value: null },
          units: { Time: units.DateTimeFromNow },
        }),
      )
      .withPanel(
        tablePanel({
          title: 'Offline devices',
          description:
            `Devices with a ${rule('devices.offline')} alert in the time range (no report for 3 × the expected ` +
            'interval) and where it stands: still offline (firing, acknowledged) or back (resolved)',
          place: [0, 10, 12, 8],
          unit: units.Minutes,
          decimals: 0,
          steps: neutral,
          targets: [
            tq(
              'A',
              `SELECT last("state") AS "state", "title" FROM "${ALERT_MEASUREMENT}" WHERE ${TENANT} ` +
                `AND "rule" = '${rule('devices.offline')}' AND $timeFilter GROUP BY "subject", "site"`,
            ),
          ],
          colour: ['state'],
          units: { Time: units.DateTimeFromNow },
          texts: {
            state: valueTexts({
              firing: { text: 'offline', color: 'red' },
              acknowledged: { text: 'offline (acknowledged)', color: 'orange' },
              resolved: { text: 'back online', color: 'green' },
            }),
          },
        }),
      )
      .withPanel(
        timeSeries({
          title: 'Availability (day)',
          description: 'X2: online time / elapsed time of the day; worst device and mean of the devices',
          place: [12, 10, 12, 8],
          unit: units.PercentUnit,
          decimals: 1,
          steps: higherIsBetter(0.9, 0.99),
          targets: [
            q('A', `SELECT min("value") ${kpiFrom('X2.availability')} GROUP BY time(1d) fill(none)`).alias(
              'worst device',
            ),
            q('B', `SELECT mean("value") ${kpiFrom('X2.availability')} GROUP BY time(1d) fill(none)`).alias(
              'mean',
            ),
          ],
        }),
      )
      .withPanel(
        tablePanel({
          title: 'Battery',
          description: 'Last battery level of the battery-powered devices (replace below 20 %)',
          place: [0, 18, 8, 10],
          unit: units.Percent,
          decimals: 0,
          steps: higherIsBetter(20, 40),
          targets: [
            tq(
              'A',
              `SELECT last("battery_pct") AS "battery" ${fromKindsWith('battery_pct')} WHERE ${TENANT} AND $timeFilter GROUP BY "device"`,
            ),
          ],
          colour: ['battery'],
          columns: { Time: null },
        }),
      )
      .withPanel(
        tablePanel({
          title: 'Link quality (LoRaWAN)',
          description: 'Mean RSSI and SNR of the uplinks at their best gateway (RSSI below −120 dBm: weak)',
          place: [8, 18, 8, 10],
          unit: units.DecibelMilliWatt,
          decimals: 0,
          steps: higherIsBetter(-120, -110),
          targets: [
            tq(
              'A',
              `SELECT mean("rssi_dbm") AS "rssi", mean("snr_db") AS "snr" ${fromKindsWith('rssi_dbm')} ` +
                `WHERE ${TENANT} AND $timeFilter GROUP BY "device"`,
            ),
          ],
          colour: ['rssi'],
          columns: { Time: null },
          units: { snr: units.Decibel },
        }),
      )
      .withPanel(
        tablePanel({
          title: 'Data completeness',
          description: 'X1: received reports / expected, mean over the days of the range (≥ 90 % for M&V)',
          place: [16, 18, 8, 10],
          unit: units.PercentUnit,
          decimals: 1,
          steps: higherIsBetter(0.8, 0.9),
          targets: [
            tq(
              'A',
              `SELECT mean("value") AS "completeness" ${kpiFrom('X1.completeness')} GROUP BY "subject"`,
            ),
          ],
          colour: ['completeness'],
          columns: { Time: null },
        }),
      )
      .withPanel(
        timeSeries({
          title: 'Rejected readings by reason',
          description: 'Readings refused at ingestion (whole payloads count 1), by reason, when received',
          place: [0, 28, 12, 8],
          unit: units.Short,
          decimals: 0,
          steps: lowerIsBetter(1, 100),
          bars: true,
          stacked: true,
          targets: [
            q(
              'A',
              `SELECT sum("readings") FROM "${REJECTED_MEASUREMENT}" WHERE ${TENANT} AND $timeFilter ` +
                `GROUP BY time($__interval), "reason" fill(none)`,
            ).alias('$tag_reason'),
          ],
        }),
      )
      .withPanel(
        tablePanel({
          title: 'Rejected readings by device',
          description: 'The payloads themselves are kept as dead letters: `vigie deadletters list`',
          place: [12, 28, 12, 8],
          unit: units.Short,
          decimals: 0,
          steps: lowerIsBetter(1, 100),
          targets: [
            tq(
              'A',
              `SELECT sum("readings") AS "readings" FROM "${REJECTED_MEASUREMENT}" WHERE ${TENANT} AND $timeFilter ` +
                `GROUP BY "device", "reason"`,
            ),
          ],
          colour: ['readings'],
          columns: { Time: null },
        }),
      ),
};
