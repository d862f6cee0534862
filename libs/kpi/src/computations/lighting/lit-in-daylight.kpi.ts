import { KPI_IDS } from '@vigie/contracts';
import { LIGHT_CONTROLLER } from '@vigie/devices';
import { minutesLitInDaylight } from '@vigie/domain';
import { RawSample } from '../../influx-readings.reader';
import {
  KpiComputation,
  KpiDevice,
  KpiPoint,
  KpiSite,
  KpiSkip,
  KpiSkipReason,
  spanOf,
} from '../../kpi-engine.types';
import { completenessShare, countPerWindow, expectedSamples, KpiWindowSpan } from '../../kpi-windows.utils';
import { lampStates, MAX_HOLD_INTERVALS, readLampSamples } from './lamp-states.utils';

/** Minutes cut off each end of daylight before a lit lamp counts (catalogue L5: tol default 15 min). */
export const DAYLIGHT_TOLERANCE_MIN = 15;

/** A position in degrees. */
export interface LatLon {
  readonly lat: number;
  readonly lon: number;
}

/** `lat` / `lon` attributes as a position: undefined when absent, unparsable or out of range. */
export function positionOf(attributes: Readonly<Record<string, string>> | undefined): LatLon | undefined {
  const rawLat = attributes?.['lat']?.trim();
  const rawLon = attributes?.['lon']?.trim();
  if (!rawLat || !rawLon) return undefined;
  const lat = Number(rawLat);
  const lon = Number(rawLon);
  if (!(Math.abs(lat) <= 90 && Math.abs(lon) <= 180)) return undefined;
  return { lat, lon };
}

/**
 * Where a light point is: its site's `lat`/`lon` attributes, else the first site of the tenant (by id) that has
 * them (a town is small next to the sun's geometry: a few km move sunset by seconds).
 */
export function lightPosition(light: KpiDevice, sites: ReadonlyMap<string, KpiSite>): LatLon | undefined {
  const own = light.site === undefined ? undefined : positionOf(sites.get(light.site)?.attributes);
  if (own) return own;
  for (const id of [...sites.keys()].sort()) {
    const p = positionOf(sites.get(id)?.attributes);
    if (p) return p;
  }
  return undefined;
}

/**
 * L5 per light point and local day: minutes ON inside [sunrise + 15 min, sunset − 15 min] (the domain's
 * `minutesLitInDaylight`), sample-and-hold within 2 intervals. A day with at least one sample gets a point.
 */
export function litInDaylightPoints(
  lights: readonly KpiDevice[],
  samples: ReadonlyMap<string, readonly RawSample[]>,
  days: readonly KpiWindowSpan[],
  sites: ReadonlyMap<string, KpiSite>,
  timeZone: string,
): { points: KpiPoint[]; skipped: KpiSkip[] } {
  const points: KpiPoint[] = [];
  const skipped: KpiSkip[] = [];
  const end = days[days.length - 1].end;
  const byKey = new Map(days.map((d, i) => [d.key, i]));
  for (const light of lights) {
    const position = lightPosition(light, sites);
    if (!position) {
      skipped.push({
        subject: light.id,
        reason: KpiSkipReason.MissingInputs,
        detail: `no position for ${light.id}: neither its site nor any site of the tenant has lat/lon attributes`,
      });
      continue;
    }
    const states = lampStates(samples.get(light.id) ?? []);
    const counts = countPerWindow(states, days);
    const perDay = minutesLitInDaylight(states, position.lat, position.lon, DAYLIGHT_TOLERANCE_MIN, {
      maxGapMs: MAX_HOLD_INTERVALS * light.intervalS * 1000,
      endTs: end,
      timeZone,
    });
    let any = false;
    for (const { day, minutes } of perDay) {
      const i = byKey.get(day);
      if (i === undefined || counts[i] === 0) continue;
      any = true;
      const w = days[i];
      points.push({
        kpi: KPI_IDS.L5_MINUTES_LIT_IN_DAYLIGHT,
        subject: light.id,
        window: 'day',
        ts: w.start,
        value: minutes,
        completeness: completenessShare(counts[i], expectedSamples(w.end - w.start, light.intervalS)),
      });
    }
    if (!any) {
      skipped.push({
        subject: light.id,
        reason: KpiSkipReason.NoReadings,
        detail: `no lamp_on reading from ${light.id} in the period's days`,
      });
    }
  }
  return { points, skipped };
}

export const LIT_IN_DAYLIGHT_KPI: KpiComputation = {
  family: 'L5',
  outputs: [KPI_IDS.L5_MINUTES_LIT_IN_DAYLIGHT],
  input: LIGHT_CONTROLLER,
  async compute(ctx, lights) {
    const span = spanOf(ctx.days);
    const samples = await readLampSamples(ctx, lights, span);
    return {
      ...litInDaylightPoints(lights, samples, ctx.days, ctx.sites, ctx.timeZone),
      replaces: span,
    };
  },
};
