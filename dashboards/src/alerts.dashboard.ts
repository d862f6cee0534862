import * as units from '@grafana/grafana-foundation-sdk/units';
import {
  alertAnnotation,
  tagVariable,
  tenantVariable,
  VigieDashboard,
  vigieDashboard,
} from './dashboard-kit';
import { lowerIsBetter, neutral, q, statPanel, tablePanel, timeSeries, tq, valueTexts } from './panel-kit';
import { ALERT_MEASUREMENT, openAlertsQuery, TENANT } from './vigie-data';

const DOMAIN = `"domain" =~ /^$domain$/`;
const SEVERITY_TEXTS = {
  critical: { text: 'critical', color: 'dark-red' },
  major: { text: 'major', color: 'red' },
  minor: { text: 'minor', color: 'orange' },
  info: { text: 'info', color: 'blue' },
};

/** Alerts: open and recent alerts of every domain (the other dashboards show them as annotations). */
export const ALERTS: VigieDashboard = {
  uid: 'vigie-alerts',
  audience: 'vigie',
  build: () =>
    vigieDashboard('vigie-alerts', 'Vigie — Alerts', {
      description:
        'Open and recent alerts (acknowledge, assign and resolve with `vigie alerts` or the REST API)',
      tags: ['alerts'],
      time: 'now-7d',
    })
      .withVariable(tenantVariable())
      .withVariable(tagVariable('domain', 'Domain', ALERT_MEASUREMENT, 'domain'))
      .annotation(alertAnnotation())
      .withPanel(
        statPanel({
          title: 'Open alerts by severity',
          description: 'Alerts whose last event in the last 90 days is not a resolution',
          place: [0, 0, 12, 4],
          unit: units.Short,
          decimals: 0,
          steps: lowerIsBetter(1, 5),
          timeFrom: '90d',
          tiles: true,
          targets: [
            q(
              'A',
              `SELECT count("state") AS "open" FROM (SELECT last("state") AS "state" FROM "${ALERT_MEASUREMENT}" ` +
                `WHERE ${TENANT} AND ${DOMAIN} AND $timeFilter GROUP BY "rule", "subject", "severity") ` +
                `WHERE "state" <> 'resolved' GROUP BY "severity"`,
            ).alias('$tag_severity'),
          ],
        }),
      )
      .withPanel(
        statPanel({
          title: 'Alerts raised by domain',
          description: 'Alerts fired in the time range',
          place: [12, 0, 12, 4],
          unit: units.Short,
          decimals: 0,
          steps: neutral,
          calc: 'sum',
          tiles: true,
          targets: [
            q(
              'A',
              `SELECT count("alert_id") FROM "${ALERT_MEASUREMENT}" WHERE ${TENANT} AND ${DOMAIN} ` +
                `AND "event" = 'fired' AND $timeFilter GROUP BY "domain"`,
            ).alias('$tag_domain'),
          ],
        }),
      )
      .withPanel(
        tablePanel({
          title: 'Open alerts',
          place: [0, 4, 24, 10],
          unit: units.Short,
          decimals: 2,
          steps: neutral,
          timeFrom: '90d',
          targets: [tq('A', openAlertsQuery(DOMAIN))],
          colour: ['severity'],
          units: { Time: units.DateTimeFromNow },
          texts: { severity: valueTexts(SEVERITY_TEXTS) },
        }),
      )
      .withPanel(
        timeSeries({
          title: 'Alerts raised per day by severity',
          place: [0, 14, 24, 8],
          unit: units.Short,
          decimals: 0,
          steps: neutral,
          bars: true,
          stacked: true,
          targets: [
            q(
              'A',
              `SELECT count("alert_id") FROM "${ALERT_MEASUREMENT}" WHERE ${TENANT} AND ${DOMAIN} ` +
                `AND "event" = 'fired' AND $timeFilter GROUP BY time(1d), "severity" fill(none)`,
            ).alias('$tag_severity'),
          ],
        }),
      )
      .withPanel(
        tablePanel({
          title: 'Recent alert events',
          description:
            'Every event (fired, acknowledged, assigned, resolved, reminder, escalated), newest first',
          place: [0, 22, 24, 12],
          unit: units.Short,
          decimals: 2,
          steps: neutral,
          targets: [
            tq(
              'A',
              `SELECT "event", "severity", "rule", "subject", "site", "title", "state", "value", "threshold" ` +
                `FROM "${ALERT_MEASUREMENT}" WHERE ${TENANT} AND ${DOMAIN} AND $timeFilter ORDER BY time DESC LIMIT 500`,
            ),
          ],
          colour: ['severity'],
          units: { Time: 'dateTimeAsIso' },
          texts: { severity: valueTexts(SEVERITY_TEXTS) },
        }),
      ),
};
