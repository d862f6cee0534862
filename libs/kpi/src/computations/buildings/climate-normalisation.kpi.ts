import { KPI_IDS } from '@vigie/contracts';
import { ENERGY_METER } from '@vigie/devices';
import { DegreeDayModel, modelNormalisedKwh } from '@vigie/domain';
import {
  KpiComputation,
  KpiDevice,
  KpiPoint,
  KpiSite,
  KpiSkip,
  KpiSkipReason,
  spanOf,
} from '../../kpi-engine.types';
import { KpiWindowSpan, monthWindows, parsePeriod } from '../../kpi-windows.utils';
import { numberAttribute } from '../kpi-scope.utils';
import {
  BuildingClimate,
  buildingClimate,
  dailyObservations,
  DailyIndex,
  djuStations,
  fitCheckedModel,
  readDailyIndex,
  windowDays,
} from './building-energy.utils';
import { buildingSites } from './ipmvp-savings.kpi';

/** Site attribute: the 12 monthly normal DJU (January → December), comma-separated, same station and method. */
export const DJU_REF_MONTHS_ATTRIBUTE = 'dju_ref_months';
/** Site attribute: the normal DJU of a year (else the sum of `dju_ref_months`). */
export const DJU_REF_YEAR_ATTRIBUTE = 'dju_ref_yr';

/** Parses `dju_ref_months`: undefined when absent, an error text unless 12 numbers ≥ 0. */
export function parseMonthlyNormals(raw: string | undefined): { normals?: number[]; problem?: string } {
  if (raw === undefined || raw.trim() === '') return {};
  const values = raw.split(',').map((s) => (s.trim() === '' ? NaN : Number(s)));
  if (values.length !== 12 || values.some((v) => !Number.isFinite(v) || v < 0))
    return {
      problem: `attribute ${DJU_REF_MONTHS_ATTRIBUTE}='${raw.slice(0, 120)}' is not 12 comma-separated numbers ≥ 0`,
    };
  return { normals: values };
}

/** The window's model fitted on its own valid days, or why it cannot be. */
function windowModel(
  index: DailyIndex,
  site: string,
  climate: BuildingClimate,
  w: KpiWindowSpan,
  timeZone: string,
): { model?: DegreeDayModel; days: number; valid: number; problem?: string } {
  const { first, last } = windowDays(w, timeZone);
  const { observations, days } = dailyObservations(index, site, climate, first, last, timeZone);
  const valid = observations.length;
  if (valid === 0) return { days, valid, problem: `no day of ${w.key} has both B1 and B3` };
  const fit = fitCheckedModel(observations);
  if ('problem' in fit) return { days, valid, problem: `${w.key}: ${fit.problem}` };
  return { model: fit.model, days, valid };
}

/**
 * B4 per building: for every month of the years given (those touched by the run, all of their months recomputed
 * from stored daily points) and for each year, E = a + b·DJU fitted by OLS on the window's valid days; the heating
 * signature b (month) and the normalised consumption a × days + b × DJU_ref (month, year). Skips are reported
 * for the windows in `reportMonths` and `years` only (future months of a year are silently empty).
 */
export function climateNormalisationPoints(
  siteIds: readonly string[],
  sites: ReadonlyMap<string, KpiSite>,
  stations: readonly KpiDevice[],
  index: DailyIndex,
  years: readonly KpiWindowSpan[],
  reportMonths: readonly KpiWindowSpan[],
  timeZone: string,
): { points: KpiPoint[]; skipped: KpiSkip[] } {
  const points: KpiPoint[] = [];
  const skipped: KpiSkip[] = [];
  const reported = new Set(reportMonths.map((m) => m.key));
  for (const site of siteIds) {
    const attrs = sites.get(site)?.attributes;
    const { climate, problem } = buildingClimate(sites.get(site), stations);
    if (!climate) {
      skipped.push({ subject: site, reason: KpiSkipReason.MissingInputs, detail: problem ?? 'no station' });
      continue;
    }
    const { normals, problem: normalsProblem } = parseMonthlyNormals(attrs?.[DJU_REF_MONTHS_ATTRIBUTE]);
    const yearRef = numberAttribute(attrs, DJU_REF_YEAR_ATTRIBUTE);
    const badNormals = normalsProblem ?? yearRef.problem;
    if (badNormals) skipped.push({ subject: site, reason: KpiSkipReason.MissingInputs, detail: badNormals });
    else if (!normals)
      skipped.push({
        subject: site,
        reason: KpiSkipReason.MissingInputs,
        detail: `site ${site} has no ${DJU_REF_MONTHS_ATTRIBUTE} attribute: B4.normalised_kwh not computed`,
      });
    for (const year of years) {
      const y = Number(year.key);
      const months = monthWindows(parsePeriod(`${y}-01-01`, `${y}-12-31`), timeZone);
      months.forEach((month, i) => {
        const fit = windowModel(index, site, climate, month, timeZone);
        if (!fit.model) {
          if (reported.has(month.key))
            skipped.push({
              subject: site,
              reason: fit.valid === 0 ? KpiSkipReason.NoReadings : KpiSkipReason.NotComputable,
              detail: fit.problem ?? month.key,
            });
          return;
        }
        const common = {
          subject: site,
          window: 'month' as const,
          ts: month.start,
          completeness: fit.valid / fit.days,
        };
        points.push({ kpi: KPI_IDS.B4_KWH_PER_DJU, ...common, value: fit.model.slope });
        if (normals && !badNormals)
          points.push({
            kpi: KPI_IDS.B4_NORMALISED_KWH,
            ...common,
            value: modelNormalisedKwh(fit.model, fit.days, normals[i]),
          });
      });
      const ref = badNormals ? undefined : (yearRef.value ?? normals?.reduce((s, v) => s + v, 0));
      if (ref === undefined) {
        if (!badNormals && normals === undefined)
          skipped.push({
            subject: site,
            reason: KpiSkipReason.MissingInputs,
            detail: `site ${site} has neither ${DJU_REF_YEAR_ATTRIBUTE} nor ${DJU_REF_MONTHS_ATTRIBUTE}: B4.normalised_kwh_year not computed`,
          });
        continue;
      }
      const fit = windowModel(index, site, climate, year, timeZone);
      if (!fit.model) {
        skipped.push({
          subject: site,
          reason: fit.valid === 0 ? KpiSkipReason.NoReadings : KpiSkipReason.NotComputable,
          detail: fit.problem ?? year.key,
        });
        continue;
      }
      points.push({
        kpi: KPI_IDS.B4_NORMALISED_KWH_YEAR,
        subject: site,
        window: 'year',
        ts: year.start,
        value: modelNormalisedKwh(fit.model, fit.days, ref),
        completeness: fit.valid / fit.days,
      });
    }
  }
  return { points, skipped };
}

export const CLIMATE_NORMALISATION_KPI: KpiComputation = {
  family: 'B4',
  outputs: [KPI_IDS.B4_NORMALISED_KWH, KPI_IDS.B4_KWH_PER_DJU, KPI_IDS.B4_NORMALISED_KWH_YEAR],
  input: ENERGY_METER,
  async compute(ctx, meters) {
    const dju = djuStations(ctx);
    if ('skip' in dju) return dju.skip;
    // Every month of the touched years is recomputed from stored days, so the years' span can be replaced whole.
    const span = spanOf(ctx.years);
    const index = await readDailyIndex(ctx, span.start, span.end);
    return {
      ...climateNormalisationPoints(
        buildingSites(meters),
        ctx.sites,
        dju.stations,
        index,
        ctx.years,
        ctx.months,
        ctx.timeZone,
      ),
      replaces: span,
    };
  },
};
