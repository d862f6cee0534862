import { KPI_IDS } from '@vigie/contracts';
import { ENERGY_METER } from '@vigie/devices';
import { localDayNumber } from '@vigie/domain';
import { KpiComputation, KpiPoint, KpiSite, KpiSkip, KpiSkipReason, spanOf } from '../../kpi-engine.types';
import { KpiWindowSpan, monthWindows, windowIndexOf } from '../../kpi-windows.utils';
import { numberAttribute } from '../kpi-scope.utils';

/** The site attribute holding the building's surface, m². */
export const SURFACE_ATTRIBUTE = 'surface_m2';

/** Σ of points' values and count of distinct local days among them, inside [start, end). */
function sumDays(
  days: readonly KpiPoint[],
  start: number,
  end: number,
  timeZone: string,
): { kwh: number; n: number } {
  let kwh = 0;
  const seen = new Set<number>();
  for (const p of days) {
    if (p.ts < start || p.ts >= end) continue;
    kwh += p.value;
    seen.add(localDayNumber(p.ts, timeZone));
  }
  return { kwh, n: seen.size };
}

const daysIn = (w: KpiWindowSpan, timeZone: string) =>
  localDayNumber(w.end - 1, timeZone) - localDayNumber(w.start, timeZone) + 1;

/**
 * B2 per building (site): EUI of each calendar year = Σ stored B1 day kWh / surface_m2 (completeness = days with a
 * B1 point / days of the year), and the rolling-12-months EUI ending with each month of those years that has a B1
 * point (stamped at the start of that month).
 */
export function energyIntensityPoints(
  b1: readonly KpiPoint[],
  years: readonly KpiWindowSpan[],
  sites: ReadonlyMap<string, KpiSite>,
  timeZone: string,
): { points: KpiPoint[]; skipped: KpiSkip[] } {
  const points: KpiPoint[] = [];
  const skipped: KpiSkip[] = [];
  const bySubject = new Map<string, KpiPoint[]>();
  for (const p of b1) bySubject.set(p.subject, [...(bySubject.get(p.subject) ?? []), p]);
  const months = monthWindows(
    {
      from: '',
      to: '',
      firstDay: localDayNumber(years[0].start, timeZone),
      lastDay: localDayNumber(years[years.length - 1].end - 1, timeZone),
    },
    timeZone,
  );
  for (const [site, days] of [...bySubject].sort((a, b) => a[0].localeCompare(b[0]))) {
    const { value: surface, problem } = numberAttribute(sites.get(site)?.attributes, SURFACE_ATTRIBUTE);
    if (!surface) {
      skipped.push({
        subject: site,
        reason: KpiSkipReason.MissingInputs,
        detail: problem ?? `site ${site} has no ${SURFACE_ATTRIBUTE} attribute (> 0): B2 not computed`,
      });
      continue;
    }
    for (const year of years) {
      const { kwh, n } = sumDays(days, year.start, year.end, timeZone);
      if (n === 0) continue;
      points.push({
        kpi: KPI_IDS.B2_EUI_KWH_M2,
        subject: site,
        window: 'year',
        ts: year.start,
        value: kwh / surface,
        completeness: Math.min(1, n / daysIn(year, timeZone)),
      });
    }
    months.forEach((month, i) => {
      if (sumDays(days, month.start, month.end, timeZone).n === 0 || windowIndexOf(years, month.start) < 0)
        return;
      const first = months[i - 11]?.start ?? rollingStart(month, timeZone);
      const { kwh, n } = sumDays(days, first, month.end, timeZone);
      points.push({
        kpi: KPI_IDS.B2_EUI_ROLLING_KWH_M2,
        subject: site,
        window: 'month',
        ts: month.start,
        value: kwh / surface,
        completeness: Math.min(1, n / daysIn({ key: '', start: first, end: month.end }, timeZone)),
      });
    });
  }
  return { points, skipped };
}

/** Start of the 12-month window ending with `month`: the 1st of the month 11 months before, local midnight. */
function rollingStart(month: KpiWindowSpan, timeZone: string): number {
  const [y, m] = month.key.split('-').map(Number);
  const first = Date.UTC(y, m - 1 - 11, 1) / 86_400_000;
  return monthWindows({ from: '', to: '', firstDay: first, lastDay: first }, timeZone)[0].start;
}

export const ENERGY_INTENSITY_KPI: KpiComputation = {
  family: 'B2',
  outputs: [KPI_IDS.B2_EUI_KWH_M2, KPI_IDS.B2_EUI_ROLLING_KWH_M2],
  input: ENERGY_METER,
  async compute(ctx) {
    const span = spanOf(ctx.years);
    // The rolling window of January reaches back 11 months before the first year.
    const from = rollingStart(
      { key: `${ctx.years[0].key}-01`, start: span.start, end: span.start },
      ctx.timeZone,
    );
    const b1 = await ctx.stored.read(ctx.tenant, KPI_IDS.B1_CONSUMPTION_KWH, from, span.end);
    if (b1.length === 0) {
      return {
        points: [],
        skipped: [
          {
            reason: KpiSkipReason.NoReadings,
            detail: `no stored B1.consumption_kwh point in ${ctx.years.map((y) => y.key).join(', ')}: compute B1 first`,
          },
        ],
      };
    }
    return { ...energyIntensityPoints(b1, ctx.years, ctx.sites, ctx.timeZone), replaces: span };
  },
};
