import { KPI_IDS } from '@vigie/contracts';
import { WATER_METER } from '@vigie/devices';
import {
  DAY_MS,
  dayStringToNumber,
  HOUR_MS,
  intervalConsumption,
  localWallToUtc,
  overlapMs,
  Sample,
  SITE_ROLE_ATTRIBUTE,
} from '@vigie/domain';
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
import { scopeOf } from '../kpi-scope.utils';

/** The site role of the meters W5 reads. */
export const DISTRICT_INFLOW_ROLE = 'district-inflow';

/** MNF window in local hours of the night's morning (catalogue W5, urban areas). */
export const MNF_WINDOW_HOURS = { from: 2, to: 4 } as const;

/** Length of the rolling mean. */
export const MNF_ROLLING_MS = HOUR_MS;

/** An index interval longer than this many reporting intervals is a gap: it is not spread over the rolling window. */
export const MNF_MAX_INTERVAL_SPAN = 2;

/** Minimum night flow of one meter in one window. */
export interface MinimumNightFlow {
  /** Smallest rolling 60-min mean flow, m³/h; undefined when no rolling window was fully known. */
  readonly mnf?: number;
  /** Rolling windows fully known. */
  readonly windows: number;
}

/**
 * W5 — the minimum, over the readings t in [start + 60 min, end], of the 60-min mean flow (volume of the index
 * intervals in [t − 60 min, t], each spread evenly over its span, / 1 h). A rolling window counts only when
 * intervals no longer than `maxGapMs` cover all of it.
 */
export function minimumNightFlow(
  index: readonly Sample[],
  start: number,
  end: number,
  maxGapMs: number,
): MinimumNightFlow {
  const intervals = intervalConsumption(index).filter((iv) => {
    const length = iv.ts - iv.startTs;
    return length > 0 && length <= maxGapMs && iv.ts > start - maxGapMs && iv.startTs < end;
  });
  let mnf: number | undefined;
  let windows = 0;
  for (const s of index) {
    const t = s.ts;
    if (t < start + MNF_ROLLING_MS || t > end) continue;
    let volume = 0;
    let covered = 0;
    for (const iv of intervals) {
      const o = overlapMs(iv.startTs, iv.ts, t - MNF_ROLLING_MS, t);
      if (o <= 0) continue;
      covered += o;
      volume += (iv.delta * o) / (iv.ts - iv.startTs);
    }
    if (covered < MNF_ROLLING_MS) continue;
    windows++;
    const flow = volume / (MNF_ROLLING_MS / HOUR_MS);
    if (mnf === undefined || flow < mnf) mnf = flow;
  }
  return mnf === undefined ? { windows } : { mnf, windows };
}

/** The MNF window of a night (named by its evening): 02:00 → 04:00 local on the next morning. */
export function mnfWindow(night: KpiWindowSpan, timeZone: string): { start: number; end: number } {
  const morning = (dayStringToNumber(night.key) + 1) * DAY_MS;
  return {
    start: localWallToUtc(morning + MNF_WINDOW_HOURS.from * HOUR_MS, timeZone),
    end: localWallToUtc(morning + MNF_WINDOW_HOURS.to * HOUR_MS, timeZone),
  };
}

/**
 * W5 per district-inflow meter and night: `minimumNightFlow` in the night's 02:00–04:00 window. Completeness:
 * rolling windows fully known / rolling windows expected at the meter's interval ((window − 60 min) / interval + 1).
 */
export function minNightFlowPoints(
  meters: readonly KpiDevice[],
  samples: ReadonlyMap<string, readonly RawSample[]>,
  nights: readonly KpiWindowSpan[],
  timeZone: string,
): { points: KpiPoint[]; skipped: KpiSkip[] } {
  const points: KpiPoint[] = [];
  const skipped: KpiSkip[] = [];
  for (const m of meters) {
    if (m.intervalS * 1000 > MNF_ROLLING_MS) {
      skipped.push({
        subject: m.id,
        reason: KpiSkipReason.MissingInputs,
        detail: `W5 needs readings at least hourly; ${m.id} reports every ${m.intervalS} s`,
      });
      continue;
    }
    const index: Sample[] = [];
    for (const s of samples.get(m.id) ?? [])
      if (typeof s.value === 'number') index.push({ ts: s.ts, value: s.value });
    let any = false;
    for (const night of nights) {
      const w = mnfWindow(night, timeZone);
      const { mnf, windows } = minimumNightFlow(
        index,
        w.start,
        w.end,
        MNF_MAX_INTERVAL_SPAN * m.intervalS * 1000,
      );
      if (mnf === undefined) continue;
      any = true;
      const expected = Math.floor((w.end - w.start - MNF_ROLLING_MS) / (m.intervalS * 1000)) + 1;
      points.push({
        kpi: KPI_IDS.W5_MIN_NIGHT_FLOW_M3H,
        subject: m.id,
        window: 'night',
        ts: night.start,
        value: mnf,
        completeness: Math.min(1, windows / expected),
      });
    }
    if (!any) {
      skipped.push({
        subject: m.id,
        reason: KpiSkipReason.NoReadings,
        detail: `no complete 60-min window of volume_m3 from ${m.id} between 02:00 and 04:00 in the period's nights`,
      });
    }
  }
  return { points, skipped };
}

/** Water meters on sites whose `role` is `district-inflow`. */
export function districtInflowMeters(
  meters: readonly KpiDevice[],
  sites: ReadonlyMap<string, KpiSite>,
): KpiDevice[] {
  return meters.filter(
    (m) =>
      m.site !== undefined && sites.get(m.site)?.attributes[SITE_ROLE_ATTRIBUTE] === DISTRICT_INFLOW_ROLE,
  );
}

export const MIN_NIGHT_FLOW_KPI: KpiComputation = {
  family: 'W5',
  outputs: [KPI_IDS.W5_MIN_NIGHT_FLOW_M3H],
  input: WATER_METER,
  async compute(ctx, waterMeters) {
    const meters = districtInflowMeters(waterMeters, ctx.sites);
    if (meters.length === 0)
      return skippedKpi(
        KpiSkipReason.MissingInputs,
        `no water meter on a site with ${SITE_ROLE_ATTRIBUTE}=${DISTRICT_INFLOW_ROLE}`,
      );
    const span = spanOf(ctx.nights);
    const samples = await ctx.readings.rawSamples(
      scopeOf(ctx, WATER_METER),
      'volume_m3',
      span.start,
      span.end,
    );
    return { ...minNightFlowPoints(meters, samples, ctx.nights, ctx.timeZone), replaces: span };
  },
};
