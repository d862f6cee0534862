import { KPI_IDS } from '@vigie/contracts';
import { ENERGY_METER } from '@vigie/devices';
import {
  baseLoadKw,
  HOUR_MS,
  KpiError,
  localTimeOfDayMs,
  localWeekday,
  outOfHoursShare,
} from '@vigie/domain';
import { RawSample } from '../../influx-readings.reader';
import { KpiComputation, KpiDevice, KpiPoint, KpiSite, KpiSkip, KpiSkipReason } from '../../kpi-engine.types';
import { KpiWindowSpan, windowIndexOf } from '../../kpi-windows.utils';
import { bucketEnergy, MAX_INTERVAL_SPAN, meterIntervals } from '../interval-energy.utils';
import { bySite, scopeOf } from '../kpi-scope.utils';

/** Percentile of hourly kW taken as the base load (catalogue B5 default). */
export const BASE_LOAD_PERCENTILE = 5;

export { MAX_INTERVAL_SPAN };

/** The site attribute holding the opening hours (the simulator's `mon 08:30-12:00,13:30-16:30; tue …` line). */
export const OPENING_HOURS_ATTRIBUTE = 'hours';

const WEEKDAY_NAMES = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
const SPAN = /^([01]\d|2[0-3]):([0-5]\d)-(([01]\d|2[0-3]):([0-5]\d)|24:00)$/;

/** Opening spans per ISO weekday (index 0 = Monday), minutes since local midnight, [from, to). */
export type OpeningHours = readonly (readonly (readonly [number, number])[])[];

/**
 * Parses the `hours` attribute, `mon 08:30-12:00,13:30-16:30; tue closed; …` (every weekday once): undefined when
 * absent or empty, an error text when malformed.
 */
export function parseOpeningHours(raw: string | undefined): { hours?: OpeningHours; problem?: string } {
  if (raw === undefined || raw.trim() === '') return {};
  const bad = {
    problem: `attribute ${OPENING_HOURS_ATTRIBUTE}='${raw.slice(0, 200)}' is not 'mon HH:MM-HH:MM,…; tue …'`,
  };
  const days = new Map<string, [number, number][]>();
  for (const part of raw.split(';')) {
    const [day, spans, ...rest] = part.trim().split(/\s+/);
    if (
      !WEEKDAY_NAMES.includes(day as (typeof WEEKDAY_NAMES)[number]) ||
      !spans ||
      rest.length ||
      days.has(day)
    )
      return bad;
    const list: [number, number][] = [];
    if (spans !== 'closed') {
      for (const s of spans.split(',')) {
        const m = SPAN.exec(s);
        if (!m) return bad;
        const from = Number(m[1]) * 60 + Number(m[2]);
        const to = m[3] === '24:00' ? 1440 : Number(m[4]) * 60 + Number(m[5]);
        if (to <= from) return bad;
        list.push([from, to]);
      }
    }
    days.set(day, list);
  }
  if (days.size !== 7) return bad;
  return { hours: WEEKDAY_NAMES.map((d) => days.get(d) ?? []) };
}

/** Whether instant `ts` falls in the opening hours (local weekday and wall-clock time). */
export function isOpen(hours: OpeningHours, ts: number, timeZone: string): boolean {
  const minute = localTimeOfDayMs(ts, timeZone) / 60_000;
  return hours[localWeekday(ts, timeZone) - 1].some(([from, to]) => minute >= from && minute < to);
}

/** Energy and known time of one meter in one clock hour. */
interface HourEnergy {
  kwh: number;
  coveredMs: number;
}

/**
 * A meter's index readings as energy per clock hour (key: the hour's start, epoch ms): each interval's delta
 * (reset rule of the domain) spread evenly over its span; intervals longer than 2 × the reporting interval are
 * gaps and left out, so an hour they touch is not fully covered.
 */
export function hourlyEnergy(samples: readonly RawSample[], intervalS: number): Map<number, HourEnergy> {
  return bucketEnergy(meterIntervals(samples, intervalS), HOUR_MS);
}

/**
 * B5 per building (site) and ISO week, over the week's complete hours (every meter of the site known for the
 * whole hour): base load = 5th percentile of the hourly kW (kWh in the hour / 1 h); base-load share = P_base ×
 * hours / E; out-of-hours share = E(hours whose mid-point is outside the site's `hours`) / E. Completeness:
 * complete hours / hours of the week. A site without opening hours gets the first two outputs only.
 */
export function baseLoadPoints(
  meters: readonly KpiDevice[],
  samples: ReadonlyMap<string, readonly RawSample[]>,
  weeks: readonly KpiWindowSpan[],
  sites: ReadonlyMap<string, KpiSite>,
  timeZone: string,
): { points: KpiPoint[]; skipped: KpiSkip[] } {
  const points: KpiPoint[] = [];
  const skipped: KpiSkip[] = [];
  const { sites: bySiteId, unsited } = bySite(meters);
  for (const m of unsited) {
    skipped.push({
      subject: m.id,
      reason: KpiSkipReason.MissingInputs,
      detail: `energy meter ${m.id} has no site: B5 is per building`,
    });
  }
  for (const [site, siteMeters] of [...bySiteId].sort((a, b) => a[0].localeCompare(b[0]))) {
    const coarse = siteMeters.filter((m) => m.intervalS > 3600);
    if (coarse.length > 0) {
      skipped.push({
        subject: site,
        reason: KpiSkipReason.MissingInputs,
        detail: `B5 needs readings at least hourly; ${coarse.map((m) => `${m.id} reports every ${m.intervalS} s`).join(', ')}`,
      });
      continue;
    }
    const { hours, problem } = parseOpeningHours(sites.get(site)?.attributes[OPENING_HOURS_ATTRIBUTE]);
    if (!hours) {
      skipped.push({
        subject: site,
        reason: KpiSkipReason.MissingInputs,
        detail: `${problem ?? `site ${site} has no ${OPENING_HOURS_ATTRIBUTE} attribute`}: B5.out_of_hours_share not computed`,
      });
    }
    const perMeter = siteMeters.map((m) => hourlyEnergy(samples.get(m.id) ?? [], m.intervalS));
    const complete: { ts: number; kwh: number }[][] = weeks.map(() => []);
    for (const h of [...perMeter[0].keys()].sort((a, b) => a - b)) {
      const w = windowIndexOf(weeks, h);
      if (w < 0 || h + HOUR_MS > weeks[w].end) continue;
      let kwh = 0;
      let full = true;
      for (const hourly of perMeter) {
        const e = hourly.get(h);
        if (!e || e.coveredMs < HOUR_MS) {
          full = false;
          break;
        }
        kwh += e.kwh;
      }
      if (full) complete[w].push({ ts: h, kwh });
    }
    let any = false;
    weeks.forEach((week, i) => {
      const list = complete[i];
      if (list.length === 0) return;
      any = true;
      const energy = list.reduce((s, h) => s + h.kwh, 0);
      const base = baseLoadKw(
        list.map((h) => ({ ts: h.ts, value: h.kwh })),
        BASE_LOAD_PERCENTILE,
      );
      const common = {
        subject: site,
        window: 'week' as const,
        ts: week.start,
        completeness: Math.min(1, (list.length * HOUR_MS) / (week.end - week.start)),
      };
      points.push({ kpi: KPI_IDS.B5_BASE_LOAD_KW, ...common, value: base });
      if (energy > 0) {
        points.push({ kpi: KPI_IDS.B5_BASE_LOAD_SHARE, ...common, value: (base * list.length) / energy });
      } else {
        skipped.push({
          subject: site,
          reason: KpiSkipReason.NotComputable,
          detail: `no energy in the week of ${week.key}: shares not computable`,
        });
        return;
      }
      if (!hours) return;
      try {
        const value = outOfHoursShare(
          list.map((h) => ({ ts: h.ts, kwh: h.kwh })),
          (ts) => isOpen(hours, ts + HOUR_MS / 2, timeZone),
        );
        points.push({ kpi: KPI_IDS.B5_OUT_OF_HOURS_SHARE, ...common, value });
      } catch (err) {
        if (!(err instanceof KpiError)) throw err;
        skipped.push({ subject: site, reason: KpiSkipReason.NotComputable, detail: err.message });
      }
    });
    if (!any) {
      skipped.push({
        subject: site,
        reason: KpiSkipReason.NoReadings,
        detail: `no complete hour of energy_kwh from ${siteMeters.map((m) => m.id).join(', ')} in the period's weeks`,
      });
    }
  }
  return { points, skipped };
}

export const BASE_LOAD_KPI: KpiComputation = {
  family: 'B5',
  outputs: [KPI_IDS.B5_BASE_LOAD_KW, KPI_IDS.B5_BASE_LOAD_SHARE, KPI_IDS.B5_OUT_OF_HOURS_SHARE],
  input: ENERGY_METER,
  async compute(ctx, meters) {
    const weeks = ctx.weeks;
    const start = weeks[0].start;
    const end = weeks[weeks.length - 1].end;
    // The intervals opening and closing the weeks: readings up to the longest bridged interval around them.
    const reach = Math.max(...meters.map((m) => m.intervalS)) * 1000 * MAX_INTERVAL_SPAN;
    const samples = await ctx.readings.rawSamples(
      scopeOf(ctx, ENERGY_METER),
      'energy_kwh',
      start - reach,
      end + reach,
    );
    return { ...baseLoadPoints(meters, samples, weeks, ctx.sites, ctx.timeZone), replaces: { start, end } };
  },
};
