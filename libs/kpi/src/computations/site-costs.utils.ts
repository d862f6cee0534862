import { DeviceKind, parseTariff, Tariff } from '@vigie/domain';
import { KpiContext, KpiDevice, KpiPoint, KpiSite, KpiSkip, KpiSkipReason } from '../kpi-engine.types';
import { KpiWindowSpan, windowIndexOf } from '../kpi-windows.utils';
import {
  dailySiteCosts,
  daysOf,
  MAX_INTERVAL_SPAN,
  meterIntervals,
  MeterInterval,
  sumCosts,
  WindowCost,
} from './interval-energy.utils';
import { perSiteOrSkip, scopeOf } from './kpi-scope.utils';

/** The site attribute holding the electricity tariff (format: domain `parseTariff`). */
export const TARIFF_ATTRIBUTE = 'tariff';

/** A site's tariff, or why it has none usable (a skip naming the attribute). */
export function siteTariff(
  sites: ReadonlyMap<string, KpiSite>,
  site: string,
  kpi: string,
): { tariff: Tariff } | { skip: KpiSkip } {
  const raw = sites.get(site)?.attributes[TARIFF_ATTRIBUTE];
  const { tariff, problem } = parseTariff(raw);
  if (tariff) return { tariff };
  return {
    skip: {
      subject: site,
      reason: KpiSkipReason.MissingInputs,
      detail: problem
        ? `attribute ${TARIFF_ATTRIBUTE} of site ${site}: ${problem}`
        : `site ${site} has no ${TARIFF_ATTRIBUTE} attribute (e.g. '2025-01-01 base 0.2016'): ${kpi} not computed`,
    },
  };
}

/** One site's costs per local day of the months touched by the run. */
export interface SiteCosts {
  readonly site: string;
  readonly meters: readonly KpiDevice[];
  readonly days: readonly KpiWindowSpan[];
  readonly daily: readonly WindowCost[];
}

/**
 * Reads the meters' raw `energy_kwh` over the run's months (plus the intervals opening and closing them) and
 * prices each site's reading intervals at its `tariff`, per local day. Sites without a usable tariff, and meters
 * without a site, are skipped with the reason.
 */
export async function readSiteCosts(
  ctx: KpiContext,
  meters: readonly KpiDevice[],
  kind: DeviceKind,
  kpi: string,
): Promise<{ sites: SiteCosts[]; skipped: KpiSkip[] }> {
  const { sites, skipped } = perSiteOrSkip(meters, kind.id, `${kpi} is per site`);
  const priced: { site: string; meters: KpiDevice[]; tariff: Tariff }[] = [];
  for (const [site, siteMeters] of sites) {
    const t = siteTariff(ctx.sites, site, kpi);
    if ('skip' in t) skipped.push(t.skip);
    else priced.push({ site, meters: siteMeters, tariff: t.tariff });
  }
  if (priced.length === 0) return { sites: [], skipped };
  const months = ctx.months;
  const start = months[0].start;
  const end = months[months.length - 1].end;
  const reach = Math.max(...meters.map((m) => m.intervalS)) * 1000 * MAX_INTERVAL_SPAN;
  const samples = await ctx.readings.rawSamples(scopeOf(ctx, kind), 'energy_kwh', start - reach, end + reach);
  const days = daysOf(months, ctx.timeZone);
  const out: SiteCosts[] = [];
  for (const p of priced) {
    const intervals = new Map<string, MeterInterval[]>();
    for (const m of p.meters) intervals.set(m.id, meterIntervals(samples.get(m.id) ?? [], m.intervalS));
    const daily = dailySiteCosts(p.meters, intervals, days, p.tariff, ctx.timeZone);
    if (!daily.some((d) => d.present)) {
      skipped.push({
        subject: p.site,
        reason: KpiSkipReason.NoReadings,
        detail: `no energy_kwh reading from ${p.meters.map((m) => m.id).join(', ')} in the period's months`,
      });
      continue;
    }
    out.push({ site: p.site, meters: p.meters, days, daily });
  }
  return { sites: out, skipped };
}

/** The costs of `windows` (months), each the sum of its days; undefined for a window without readings. */
export function windowCosts(costs: SiteCosts, windows: readonly KpiWindowSpan[]): (WindowCost | undefined)[] {
  const groups: { days: KpiWindowSpan[]; costs: WindowCost[] }[] = windows.map(() => ({
    days: [],
    costs: [],
  }));
  costs.days.forEach((d, i) => {
    const w = windowIndexOf(windows, d.start);
    if (w < 0) return;
    groups[w].days.push(d);
    groups[w].costs.push(costs.daily[i]);
  });
  return groups.map((g) => {
    const sum = sumCosts(g.days, g.costs);
    return sum.present ? sum : undefined;
  });
}

/** A skip for a window whose energy partly falls before the tariff's first version (never priced at a guess). */
export function unpricedSkip(site: string, window: KpiWindowSpan, c: WindowCost): KpiSkip | undefined {
  if (!(c.cost.unpricedKwh > 0)) return undefined;
  return {
    subject: site,
    reason: KpiSkipReason.MissingInputs,
    detail: `${c.cost.unpricedKwh.toFixed(3)} kWh of ${window.key} fall before the first version of the site's ${TARIFF_ATTRIBUTE}`,
  };
}

/** Points of one window cost with the common fields. */
export function costPoint(
  kpi: KpiPoint['kpi'],
  site: string,
  window: KpiPoint['window'],
  span: KpiWindowSpan,
  value: number,
  completeness: number,
): KpiPoint {
  return { kpi, subject: site, window, ts: span.start, value, completeness };
}
