import { KPI_IDS } from '@vigie/contracts';
import { WATER_METER } from '@vigie/devices';
import { DAY_MS, HOUR_MS } from '@vigie/domain';
import { RawSample } from '../../influx-readings.reader';
import {
  KpiComputation,
  KpiDevice,
  KpiPoint,
  KpiSite,
  KpiSkip,
  KpiSkipReason,
  skippedKpi,
  spanOf,
} from '../../kpi-engine.types';
import { KpiWindowSpan } from '../../kpi-windows.utils';
import { completeBucketEnergy, MAX_INTERVAL_SPAN } from '../interval-energy.utils';
import { perSite, scopeOf } from '../kpi-scope.utils';
import { hourlyEnergy, hourlySiteInputs, isOpen } from '../opening-hours.utils';

/** The site type whose water meters W7 reads. */
export const BUILDING_SITE_TYPE = 'building';

/** Water meters on building sites (sites with `type` = `building`). */
export function buildingWaterMeters(
  meters: readonly KpiDevice[],
  sites: ReadonlyMap<string, KpiSite>,
): KpiDevice[] {
  return meters.filter(
    (m) => m.site !== undefined && sites.get(m.site)?.attributes['type'] === BUILDING_SITE_TYPE,
  );
}

/**
 * W7 per building and local day, over the day's complete clock hours (every water meter of the site known for
 * the whole hour; an index spread per hour by `hourlyEnergy`, whose `kwh` is here m³): volume = Σ m³;
 * closed-hours share = m³ of the complete hours whose mid-point is outside the `hours` attribute / volume;
 * closed-hours minimum flow = min over the complete closed hours of m³ × 1000 (L/h). Completeness: complete hours /
 * hours of the day (closed ones for the minimum flow). A site without `hours` gets the volume only.
 */
export function buildingWaterPoints(
  meters: readonly KpiDevice[],
  samples: ReadonlyMap<string, readonly RawSample[]>,
  days: readonly KpiWindowSpan[],
  sites: ReadonlyMap<string, KpiSite>,
  timeZone: string,
): { points: KpiPoint[]; skipped: KpiSkip[] } {
  const points: KpiPoint[] = [];
  const skipped: KpiSkip[] = [];
  for (const [site, siteMeters] of perSite(meters)) {
    const inputs = hourlySiteInputs('W7', site, siteMeters, sites, 'W7 closed-hours outputs not computed');
    skipped.push(...inputs.skipped);
    if (!inputs.hourly) continue;
    const { hours } = inputs;
    const perMeter = siteMeters.map((m) => hourlyEnergy(samples.get(m.id) ?? [], m.intervalS));
    let any = false;
    for (const day of days) {
      let volume = 0;
      let closedVolume = 0;
      let complete = 0;
      let closedHours = 0;
      let closedComplete = 0;
      let minFlow: number | undefined;
      const dayHours = Math.round((day.end - day.start) / HOUR_MS);
      for (let h = day.start; h + HOUR_MS <= day.end; h += HOUR_MS) {
        const closed = hours !== undefined && !isOpen(hours, h + HOUR_MS / 2, timeZone, inputs.closed);
        if (closed) closedHours++;
        const m3 = completeBucketEnergy(perMeter, h, HOUR_MS);
        if (m3 === undefined) continue;
        complete++;
        volume += m3;
        if (!closed) continue;
        closedComplete++;
        closedVolume += m3;
        const lh = m3 * 1000;
        if (minFlow === undefined || lh < minFlow) minFlow = lh;
      }
      if (complete === 0) continue;
      any = true;
      const common = { subject: site, window: 'day' as const, ts: day.start };
      const completeness = Math.min(1, complete / dayHours);
      points.push({ kpi: KPI_IDS.W7_VOLUME_M3, ...common, value: volume, completeness });
      if (!hours) continue;
      if (volume > 0) {
        points.push({
          kpi: KPI_IDS.W7_CLOSED_HOURS_SHARE,
          ...common,
          value: closedVolume / volume,
          completeness,
        });
      }
      if (minFlow !== undefined) {
        points.push({
          kpi: KPI_IDS.W7_CLOSED_MIN_FLOW_LH,
          ...common,
          value: minFlow,
          completeness: Math.min(1, closedComplete / closedHours),
        });
      }
    }
    if (!any) {
      skipped.push({
        subject: site,
        reason: KpiSkipReason.NoReadings,
        detail: `no complete hour of volume_m3 from ${siteMeters.map((m) => m.id).join(', ')} in the period`,
      });
    }
  }
  return { points, skipped };
}

/** W7 — building water: daily volume, closed-hours share and closed-hours minimum flow per building. */
export const BUILDING_WATER_KPI: KpiComputation = {
  family: 'W7',
  outputs: [KPI_IDS.W7_VOLUME_M3, KPI_IDS.W7_CLOSED_HOURS_SHARE, KPI_IDS.W7_CLOSED_MIN_FLOW_LH],
  input: WATER_METER,
  async compute(ctx, waterMeters) {
    const meters = buildingWaterMeters(waterMeters, ctx.sites);
    if (meters.length === 0)
      return skippedKpi(
        KpiSkipReason.MissingInputs,
        `no water meter on a site with type=${BUILDING_SITE_TYPE}`,
      );
    const span = spanOf(ctx.days);
    const reach = Math.max(...meters.map((m) => m.intervalS)) * 1000 * MAX_INTERVAL_SPAN;
    const scope = scopeOf(ctx, WATER_METER);
    const samples = new Map<string, RawSample[]>();
    // One device at a time (weekly chunks): the water_meter measurement also holds the network meters.
    for (const m of meters) {
      const own = await ctx.readings.rawSamples(
        scope,
        'volume_m3',
        span.start - reach,
        span.end + reach,
        m.id,
        7 * DAY_MS,
      );
      samples.set(m.id, own.get(m.id) ?? []);
    }
    return { ...buildingWaterPoints(meters, samples, ctx.days, ctx.sites, ctx.timeZone), replaces: span };
  },
};
