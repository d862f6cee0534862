import { KPI_IDS } from '@vigie/contracts';
import { ENERGY_METER } from '@vigie/devices';
import { gapTo2030, onTrajectory, relativeProgress } from '@vigie/domain';
import { KpiComputation, KpiPoint, KpiSite, KpiSkip, KpiSkipReason, spanOf } from '../../kpi-engine.types';
import { KpiWindowSpan } from '../../kpi-windows.utils';
import { numberAttribute } from '../kpi-scope.utils';
import { buildingSites } from './ipmvp-savings.kpi';

/** Site attribute: the décret tertiaire reference year (YYYY, chosen between 2010 and 2019). */
export const REFERENCE_YEAR_ATTRIBUTE = 'reference_year';
/** Site attribute: the reference year's consumption, kWh (taken as climate-normalised). */
export const REFERENCE_KWH_ATTRIBUTE = 'reference_kwh_yr';

/**
 * B9 per building and year, from the stored B4.normalised_kwh_year: relative progress 1 − C_norm / C_ref, gap to
 * the 2030 target C_norm − 0.6 C_ref, and on-track (1/0) against the linear trajectory. Estimates, not OPERAT's.
 */
export function decretTertiairePoints(
  siteIds: readonly string[],
  sites: ReadonlyMap<string, KpiSite>,
  normalised: readonly KpiPoint[],
  years: readonly KpiWindowSpan[],
): { points: KpiPoint[]; skipped: KpiSkip[] } {
  const points: KpiPoint[] = [];
  const skipped: KpiSkip[] = [];
  for (const site of siteIds) {
    const attrs = sites.get(site)?.attributes;
    const refYear = numberAttribute(attrs, REFERENCE_YEAR_ATTRIBUTE);
    const refKwh = numberAttribute(attrs, REFERENCE_KWH_ATTRIBUTE);
    const problem =
      refYear.problem ??
      (refYear.value === undefined
        ? `site ${site} has no ${REFERENCE_YEAR_ATTRIBUTE} attribute`
        : undefined) ??
      (refYear.value !== undefined && !(Number.isInteger(refYear.value) && refYear.value < 2030)
        ? `attribute ${REFERENCE_YEAR_ATTRIBUTE}='${attrs?.[REFERENCE_YEAR_ATTRIBUTE]}' is not a year before 2030`
        : undefined) ??
      refKwh.problem ??
      (refKwh.value === undefined || refKwh.value === 0
        ? `site ${site} has no ${REFERENCE_KWH_ATTRIBUTE} attribute > 0`
        : undefined);
    if (problem || refYear.value === undefined || refKwh.value === undefined) {
      skipped.push({ subject: site, reason: KpiSkipReason.MissingInputs, detail: problem ?? 'no reference' });
      continue;
    }
    for (const year of years) {
      const y = Number(year.key);
      const c = normalised.find((p) => p.subject === site && p.ts === year.start && p.window === 'year');
      if (!c) {
        skipped.push({
          subject: site,
          reason: KpiSkipReason.MissingInputs,
          detail: `no B4.normalised_kwh_year for ${year.key} (see B4's skips)`,
        });
        continue;
      }
      if (y < refYear.value) {
        skipped.push({
          subject: site,
          reason: KpiSkipReason.NotComputable,
          detail: `${year.key} is before the reference year ${refYear.value}`,
        });
        continue;
      }
      const common = { subject: site, window: 'year' as const, ts: year.start, completeness: c.completeness };
      points.push(
        { kpi: KPI_IDS.B9_RELATIVE_PROGRESS, ...common, value: relativeProgress(c.value, refKwh.value) },
        { kpi: KPI_IDS.B9_GAP_TO_2030_KWH, ...common, value: gapTo2030(c.value, refKwh.value) },
        {
          kpi: KPI_IDS.B9_ON_TRACK,
          ...common,
          value: onTrajectory(c.value, refKwh.value, refYear.value, y) ? 1 : 0,
        },
      );
    }
  }
  return { points, skipped };
}

export const DECRET_TERTIAIRE_KPI: KpiComputation = {
  family: 'B9',
  outputs: [KPI_IDS.B9_RELATIVE_PROGRESS, KPI_IDS.B9_GAP_TO_2030_KWH, KPI_IDS.B9_ON_TRACK],
  input: ENERGY_METER,
  async compute(ctx, meters) {
    const span = spanOf(ctx.years);
    const normalised = await ctx.stored.read(
      ctx.tenant,
      KPI_IDS.B4_NORMALISED_KWH_YEAR,
      span.start,
      span.end,
    );
    return {
      ...decretTertiairePoints(buildingSites(meters), ctx.sites, normalised, ctx.years),
      replaces: span,
    };
  },
};
