import * as units from '@grafana/grafana-foundation-sdk/units';
import {
  alertAnnotation,
  tagVariable,
  tenantVariable,
  VigieDashboard,
  vigieDashboard,
} from './dashboard-kit';
import { lowerIsBetter, neutral, q, statPanel, tablePanel, timeSeries, tq, valueTexts } from './panel-kit';
import { field, from, kpiFrom, latestPerSubject, measurementOf, TENANT } from './vigie-data';

const SITE = `"subject" =~ /^$site$/`;

/** Buildings energy: consumption, climate-normalised consumption, base load, IPMVP savings, décret tertiaire. */
export const BUILDINGS: VigieDashboard = {
  uid: 'vigie-buildings',
  audience: 'vigie',
  build: () =>
    vigieDashboard('vigie-buildings', 'Vigie — Buildings energy', {
      description:
        'Consumption, climate-normalised consumption, base load and out-of-hours share, baseline vs actual with ' +
        'savings, décret tertiaire trajectory',
      tags: ['energy'],
    })
      .withVariable(tenantVariable())
      .withVariable(tagVariable('site', 'Building', measurementOf('energy-meter'), 'site'))
      .annotation(alertAnnotation(['energy']))
      .withPanel(
        statPanel({
          title: 'Consumption',
          description: 'B1: Σ of the daily consumption of the selected buildings over the time range',
          place: [0, 0, 6, 4],
          unit: units.KiloWattHour,
          decimals: 0,
          steps: neutral,
          calc: 'sum',
          targets: [q('A', `SELECT sum("value") AS "kwh" ${kpiFrom('B1.consumption_kwh', SITE)}`)],
        }),
      )
      .withPanel(
        statPanel({
          title: 'Energy cost',
          description: 'B8: Σ of the daily cost at each building’s tariff, subscription included',
          place: [6, 0, 6, 4],
          unit: units.Euro,
          decimals: 0,
          steps: neutral,
          calc: 'sum',
          targets: [q('A', `SELECT sum("value") AS "cost" ${kpiFrom('B8.cost_eur', SITE)}`)],
        }),
      )
      .withPanel(
        statPanel({
          title: 'Base load, last week',
          description: 'B5: 5th percentile of the hourly power of the week, Σ over the selected buildings',
          place: [12, 0, 6, 4],
          unit: units.KiloWatt,
          decimals: 1,
          steps: neutral,
          targets: [q('A', latestPerSubject('sum', 'kw', 'B5.base_load_kw', SITE))],
        }),
      )
      .withPanel(
        statPanel({
          title: 'Out-of-hours share, last week',
          description: 'B5: share of the energy used outside opening hours (alert above 30 %)',
          place: [18, 0, 6, 4],
          unit: units.PercentUnit,
          decimals: 0,
          steps: lowerIsBetter(0.25, 0.3),
          targets: [q('A', latestPerSubject('mean', 'share', 'B5.out_of_hours_share', SITE))],
        }),
      )
      .withPanel(
        timeSeries({
          title: 'Daily consumption',
          description: 'B1: Σ of the index deltas of each building’s meters over the local day',
          place: [0, 4, 12, 8],
          unit: units.KiloWattHour,
          decimals: 0,
          steps: neutral,
          bars: true,
          targets: [
            q('A', `SELECT "value" ${kpiFrom('B1.consumption_kwh', SITE)} GROUP BY "subject"`).alias(
              '$tag_subject',
            ),
          ],
        }),
      )
      .withPanel(
        timeSeries({
          title: 'Power',
          description: 'Active power reported by the buildings’ energy meters',
          place: [12, 4, 12, 8],
          unit: units.Watt,
          decimals: 0,
          steps: neutral,
          targets: [
            q(
              'A',
              `SELECT mean(${field('energy-meter', 'power_w')}) ${from('energy-meter')} WHERE ${TENANT} ` +
                `AND "site" =~ /^$site$/ AND $timeFilter GROUP BY time($__interval), "site" fill(null)`,
            ).alias('$tag_site'),
          ],
        }),
      )
      .withPanel(
        timeSeries({
          title: 'Climate-normalised consumption (month)',
          description:
            'B4: a × days + b × normal DJU of the month, E = a + b·DJU fitted on the month’s valid days',
          place: [0, 12, 8, 8],
          unit: units.KiloWattHour,
          decimals: 0,
          steps: neutral,
          bars: true,
          timeFrom: '1y',
          targets: [
            q('A', `SELECT "value" ${kpiFrom('B4.normalised_kwh', SITE)} GROUP BY "subject"`).alias(
              '$tag_subject',
            ),
          ],
        }),
      )
      .withPanel(
        timeSeries({
          title: 'Heating signature (kWh per degree day)',
          description: 'B4: slope b of E = a + b·DJU; rising at constant occupancy = drift',
          place: [8, 12, 8, 8],
          unit: 'suffix: kWh/DJU',
          decimals: 1,
          steps: neutral,
          timeFrom: '1y',
          targets: [
            q('A', `SELECT "value" ${kpiFrom('B4.kwh_per_dju', SITE)} GROUP BY "subject"`).alias(
              '$tag_subject',
            ),
          ],
        }),
      )
      .withPanel(
        timeSeries({
          title: 'Heating degree days (DJU, base 18 °C)',
          description: 'B3, Météo-France method, per weather station',
          place: [16, 12, 8, 8],
          unit: 'suffix: °C·d',
          decimals: 1,
          steps: neutral,
          bars: true,
          targets: [
            q('A', `SELECT "value" ${kpiFrom('B3.dju', `"method" = 'meteo'`)} GROUP BY "subject"`).alias(
              '$tag_subject',
            ),
          ],
        }),
      )
      .withPanel(
        timeSeries({
          title: 'Base load (week)',
          description: 'B5: 5th percentile of the hourly power of each ISO week',
          place: [0, 20, 8, 8],
          unit: units.KiloWatt,
          decimals: 1,
          steps: neutral,
          targets: [
            q('A', `SELECT "value" ${kpiFrom('B5.base_load_kw', SITE)} GROUP BY "subject"`).alias(
              '$tag_subject',
            ),
          ],
        }),
      )
      .withPanel(
        timeSeries({
          title: 'Out-of-hours share (week)',
          description:
            'B5: energy of the hours outside opening hours / energy of the week (alert above 30 %)',
          place: [8, 20, 8, 8],
          unit: units.PercentUnit,
          decimals: 0,
          steps: lowerIsBetter(0.25, 0.3),
          thresholdLines: true,
          targets: [
            q('A', `SELECT "value" ${kpiFrom('B5.out_of_hours_share', SITE)} GROUP BY "subject"`).alias(
              '$tag_subject',
            ),
          ],
        }),
      )
      .withPanel(
        timeSeries({
          title: 'Peak demand / subscribed power (month)',
          description: 'B7: monthly peak of the demand-interval power / subscribed kVA (alert above 90 %)',
          place: [16, 20, 8, 8],
          unit: units.PercentUnit,
          decimals: 0,
          steps: lowerIsBetter(0.85, 0.9),
          thresholdLines: true,
          bars: true,
          timeFrom: '1y',
          targets: [
            q('A', `SELECT "value" ${kpiFrom('B7.peak_share_of_subscribed', SITE)} GROUP BY "subject"`).alias(
              '$tag_subject',
            ),
          ],
        }),
      )
      .withPanel(
        timeSeries({
          title: 'Baseline vs actual (IPMVP option C, month)',
          description:
            'B6: consumption predicted by the baseline model for the month’s valid days, and the energy avoided ' +
            '(actual = baseline − avoided; > 0 = savings)',
          place: [0, 28, 12, 8],
          unit: units.KiloWattHour,
          decimals: 0,
          steps: neutral,
          bars: true,
          timeFrom: '1y',
          targets: [
            q('A', `SELECT "value" ${kpiFrom('B6.adjusted_baseline_kwh', SITE)} GROUP BY "subject"`).alias(
              'baseline $tag_subject',
            ),
            q('B', `SELECT "value" ${kpiFrom('B6.avoided_kwh', SITE)} GROUP BY "subject"`).alias(
              'avoided $tag_subject',
            ),
          ],
        }),
      )
      .withPanel(
        tablePanel({
          title: 'Savings by building and month',
          description:
            'B6 adjusted baseline and avoided energy, savings fraction, X3 savings in € at the variable price',
          place: [12, 28, 12, 8],
          unit: units.KiloWattHour,
          decimals: 0,
          steps: ['red', [0, 'green']],
          timeFrom: '1y',
          targets: [
            tq(
              'A',
              `SELECT "value" AS "baseline_kwh" ${kpiFrom('B6.adjusted_baseline_kwh', SITE)} GROUP BY "subject"`,
            ),
            tq('B', `SELECT "value" AS "avoided_kwh" ${kpiFrom('B6.avoided_kwh', SITE)} GROUP BY "subject"`),
            tq(
              'C',
              `SELECT "value" AS "savings_fraction" ${kpiFrom('B6.savings_fraction', SITE)} GROUP BY "subject"`,
            ),
            tq('D', `SELECT "value" AS "savings_eur" ${kpiFrom('X3.savings_eur', SITE)} GROUP BY "subject"`),
          ],
          colour: ['savings_fraction'],
          units: { savings_fraction: units.PercentUnit, savings_eur: units.Euro, Time: 'dateTimeAsIso' },
        }),
      )
      .withPanel(
        timeSeries({
          title: 'Décret tertiaire: reduction since the reference year',
          description:
            'B9 (estimate, not the OPERAT figure): 1 − climate-normalised consumption / reference consumption; ' +
            'targets −40 % in 2030, −50 % in 2040, −60 % in 2050',
          place: [0, 36, 12, 8],
          unit: units.PercentUnit,
          decimals: 0,
          steps: ['red', [0, 'orange'], [0.4, 'green']],
          thresholdLines: true,
          bars: true,
          timeFrom: '10y',
          targets: [
            q('A', `SELECT "value" ${kpiFrom('B9.relative_progress', SITE)} GROUP BY "subject"`).alias(
              '$tag_subject',
            ),
          ],
        }),
      )
      .withPanel(
        tablePanel({
          title: 'Décret tertiaire trajectory by building',
          description:
            'Latest year: B9 gap to the 2030 target (> 0 = work left) and whether the building is on the linear ' +
            'trajectory; B2 energy use intensity',
          place: [12, 36, 12, 8],
          unit: units.KiloWattHour,
          decimals: 0,
          steps: ['red', [1, 'green']],
          timeFrom: '2y',
          targets: [
            tq(
              'A',
              `SELECT last("value") AS "gap_to_2030_kwh" ${kpiFrom('B9.gap_to_2030_kwh', SITE)} GROUP BY "subject"`,
            ),
            tq('B', `SELECT last("value") AS "on_track" ${kpiFrom('B9.on_track', SITE)} GROUP BY "subject"`),
            tq(
              'C',
              `SELECT last("value") AS "eui_kwh_m2" ${kpiFrom('B2.eui_kwh_m2', SITE)} GROUP BY "subject"`,
            ),
          ],
          colour: ['on_track'],
          columns: { Time: null },
          units: { on_track: units.Short, eui_kwh_m2: 'suffix: kWh/m²' },
          texts: {
            on_track: valueTexts({
              '0': { text: 'off track', color: 'red' },
              '1': { text: 'on track', color: 'green' },
            }),
          },
        }),
      ),
};
