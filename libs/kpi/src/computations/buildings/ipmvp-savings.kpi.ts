import { KPI_IDS } from '@vigie/contracts';
import { ENERGY_METER } from '@vigie/devices';
import {
  CALTRACK_SUFFICIENCY,
  DAY_MS,
  dayStringToNumber,
  DegreeDayModel,
  ipmvpSavings,
  KpiError,
  localWallToUtc,
  periodSufficiencyProblems,
} from '@vigie/domain';
import {
  KpiComputation,
  KpiDevice,
  KpiPoint,
  KpiSite,
  KpiSkip,
  KpiSkipReason,
  spanOf,
} from '../../kpi-engine.types';
import { KpiWindowSpan } from '../../kpi-windows.utils';
import { numberAttribute, perSite } from '../kpi-scope.utils';
import {
  buildingClimate,
  dailyObservations,
  DailyIndex,
  djuStations,
  fitCheckedModel,
  readDailyIndex,
  windowDays,
} from './building-energy.utils';

/** Site attribute of the baseline: `YYYY-MM-DD/YYYY-MM-DD` (inclusive) or `<N>d` (the N days before each month). */
export const BASELINE_ATTRIBUTE = 'baseline';
/** Site attribute relaxing CalTRACK's 365-day minimum (the demo town is often backfilled for less). */
export const BASELINE_MIN_DAYS_ATTRIBUTE = 'baseline_min_days';

/** A fixed baseline (day numbers, inclusive) or a rolling one (the `days` days before each reporting month). */
export type BaselineSpec =
  | { readonly kind: 'fixed'; readonly first: number; readonly last: number }
  | { readonly kind: 'rolling'; readonly days: number };

/** Parses the `baseline` attribute: undefined when absent, an error text when malformed. */
export function parseBaseline(raw: string | undefined): { baseline?: BaselineSpec; problem?: string } {
  if (raw === undefined || raw.trim() === '') return {};
  const v = raw.trim();
  const bad = {
    problem: `attribute ${BASELINE_ATTRIBUTE}='${v.slice(0, 64)}' is not 'YYYY-MM-DD/YYYY-MM-DD' or '<N>d'`,
  };
  const rolling = /^(\d{1,4})d$/.exec(v);
  if (rolling) {
    const days = Number(rolling[1]);
    return days > 0 ? { baseline: { kind: 'rolling', days } } : bad;
  }
  const parts = v.split('/');
  if (parts.length !== 2) return bad;
  try {
    const first = dayStringToNumber(parts[0]);
    const last = dayStringToNumber(parts[1]);
    return last >= first ? { baseline: { kind: 'fixed', first, last } } : bad;
  } catch (err) {
    if (err instanceof KpiError) return bad;
    throw err;
  }
}

/** The baseline's days for a reporting month starting on day `monthFirst`. */
function baselineDays(b: BaselineSpec, monthFirst: number): { first: number; last: number } {
  return b.kind === 'fixed' ? b : { first: monthFirst - b.days, last: monthFirst - 1 };
}

/** A baseline model, or why there is none. */
type ModelOutcome = { model: DegreeDayModel } | { problem: string; reason: KpiSkipReason };

function baselineModel(
  index: DailyIndex,
  site: string,
  climate: Parameters<typeof dailyObservations>[2],
  days: { first: number; last: number },
  minDays: number,
  timeZone: string,
): ModelOutcome {
  const { observations, days: n } = dailyObservations(index, site, climate, days.first, days.last, timeZone);
  const problems = periodSufficiencyProblems(n, observations.length, {
    ...CALTRACK_SUFFICIENCY,
    minPeriodDays: minDays,
  });
  if (problems.length) return { problem: problems.join('; '), reason: KpiSkipReason.MissingInputs };
  const fit = fitCheckedModel(observations);
  return 'problem' in fit ? { problem: fit.problem, reason: KpiSkipReason.NotComputable } : fit;
}

const dayString = (d: number) => new Date(d * DAY_MS).toISOString().slice(0, 10);

/** The earliest instant a site's baselines reach for the given months (for the read of stored points). */
export function baselineReach(b: BaselineSpec, months: readonly KpiWindowSpan[], timeZone: string): number {
  const first = b.kind === 'fixed' ? b.first : windowDays(months[0], timeZone).first - b.days;
  return localWallToUtc(first * DAY_MS, timeZone);
}

/**
 * B6 per building and month: E = a + b·DJU fitted by OLS on the baseline's valid days (CalTRACK-like checks),
 * then over the month's valid days after the baseline: adjusted baseline a·n + b·ΣDJU, avoided energy = adjusted −
 * ΣE, savings fraction, and the model's CV(RMSE) and NMBE.
 */
export function ipmvpPoints(
  siteIds: readonly string[],
  sites: ReadonlyMap<string, KpiSite>,
  stations: readonly KpiDevice[],
  index: DailyIndex,
  months: readonly KpiWindowSpan[],
  timeZone: string,
): { points: KpiPoint[]; skipped: KpiSkip[] } {
  const points: KpiPoint[] = [];
  const skipped: KpiSkip[] = [];
  for (const site of siteIds) {
    const attrs = sites.get(site)?.attributes;
    const { baseline, problem } = parseBaseline(attrs?.[BASELINE_ATTRIBUTE]);
    const minDays = numberAttribute(attrs, BASELINE_MIN_DAYS_ATTRIBUTE);
    const { climate, problem: climateProblem } = buildingClimate(sites.get(site), stations);
    const missing =
      problem ??
      (baseline ? undefined : `site ${site} has no ${BASELINE_ATTRIBUTE} attribute`) ??
      minDays.problem ??
      (minDays.value !== undefined && !(Number.isInteger(minDays.value) && minDays.value >= 3)
        ? `attribute ${BASELINE_MIN_DAYS_ATTRIBUTE} must be a whole number ≥ 3`
        : undefined) ??
      climateProblem;
    if (missing || !baseline || !climate) {
      skipped.push({ subject: site, reason: KpiSkipReason.MissingInputs, detail: missing ?? 'no baseline' });
      continue;
    }
    const min = minDays.value ?? CALTRACK_SUFFICIENCY.minPeriodDays;
    let fixedModel: ModelOutcome | undefined;
    for (const month of months) {
      const { first, last } = windowDays(month, timeZone);
      const base = baselineDays(baseline, first);
      const reportFirst = Math.max(first, base.last + 1);
      if (reportFirst > last) continue; // the month is not after the baseline
      const outcome =
        baseline.kind === 'fixed'
          ? (fixedModel ??= baselineModel(index, site, climate, base, min, timeZone))
          : baselineModel(index, site, climate, base, min, timeZone);
      if ('problem' in outcome) {
        skipped.push({
          subject: site,
          reason: outcome.reason,
          detail: `baseline ${dayString(base.first)}/${dayString(base.last)} for ${month.key}: ${outcome.problem}`,
        });
        continue;
      }
      const { observations, days } = dailyObservations(index, site, climate, reportFirst, last, timeZone);
      if (observations.length === 0) {
        skipped.push({
          subject: site,
          reason: KpiSkipReason.NoReadings,
          detail: `no day of ${month.key} after the baseline has both B1 and B3 (${climate.station}, ${climate.method})`,
        });
        continue;
      }
      const { model } = outcome;
      const savings = ipmvpSavings(model, {
        days: observations.length,
        dju: observations.reduce((s, o) => s + o.dju, 0),
        kwh: observations.reduce((s, o) => s + o.kwh, 0),
      });
      const common = {
        subject: site,
        window: 'month' as const,
        ts: month.start,
        completeness: observations.length / days,
      };
      points.push(
        { kpi: KPI_IDS.B6_ADJUSTED_BASELINE_KWH, ...common, value: savings.adjustedBaselineKwh },
        { kpi: KPI_IDS.B6_AVOIDED_KWH, ...common, value: savings.avoidedKwh },
        { kpi: KPI_IDS.B6_SAVINGS_FRACTION, ...common, value: savings.savingsFraction },
        { kpi: KPI_IDS.B6_CV_RMSE, ...common, value: model.cvRmse },
        { kpi: KPI_IDS.B6_NMBE, ...common, value: model.nmbe },
      );
    }
  }
  return { points, skipped };
}

/** Building sites: the sites of the tenant's energy meters, sorted (unsited meters are B1's to report). */
export function buildingSites(meters: readonly KpiDevice[]): string[] {
  return perSite(meters).map(([site]) => site);
}

export const IPMVP_SAVINGS_KPI: KpiComputation = {
  family: 'B6',
  outputs: [
    KPI_IDS.B6_ADJUSTED_BASELINE_KWH,
    KPI_IDS.B6_AVOIDED_KWH,
    KPI_IDS.B6_SAVINGS_FRACTION,
    KPI_IDS.B6_CV_RMSE,
    KPI_IDS.B6_NMBE,
  ],
  input: ENERGY_METER,
  async compute(ctx, meters) {
    const dju = djuStations(ctx);
    if ('skip' in dju) return dju.skip;
    const siteIds = buildingSites(meters);
    const span = spanOf(ctx.months);
    let start = span.start;
    for (const site of siteIds) {
      const { baseline } = parseBaseline(ctx.sites.get(site)?.attributes[BASELINE_ATTRIBUTE]);
      if (baseline) start = Math.min(start, baselineReach(baseline, ctx.months, ctx.timeZone));
    }
    const index = await readDailyIndex(ctx, start, span.end);
    return {
      ...ipmvpPoints(siteIds, ctx.sites, dju.stations, index, ctx.months, ctx.timeZone),
      replaces: span,
    };
  },
};
