import { DEGREE_DAY_METHODS, KPI_IDS } from '@vigie/contracts';
import {
  CALTRACK_SUFFICIENCY,
  DAY_MS,
  DegreeDayModel,
  DegreeDayObservation,
  fitDegreeDayModel,
  KpiError,
  localDayNumber,
  localWallToUtc,
  modelProblems,
} from '@vigie/domain';
import { WEATHER_STATION } from '@vigie/devices';
import {
  devicesOfKind,
  KpiComputationResult,
  KpiContext,
  KpiDevice,
  KpiPoint,
  KpiSite,
  KpiSkipReason,
  skippedKpi,
} from '../../kpi-engine.types';
import { KpiWindowSpan } from '../../kpi-windows.utils';

/**
 * What B6, B4 and B9 share: which weather station and DJU method serve a building, and the building's days as
 * (kWh, DJU) pairs from the stored daily B1 and B3 points.
 */

/** Site attribute naming the weather-station device serving a building. */
export const WEATHER_STATION_ATTRIBUTE = 'weather_station';
/** Site attribute choosing the B3 method used with the building (`meteo` or `costic`). */
export const DJU_METHOD_ATTRIBUTE = 'dju_method';
/** The DJU method when the site does not say: the "professionnels de l'énergie" one, used by the décret tertiaire. */
export const DEFAULT_DJU_METHOD = 'costic';
/** A day is valid for a model when its B1 and its B3 points both have at least this completeness. */
export const MIN_DAY_COMPLETENESS = 0.5;

export type DjuMethod = (typeof DEGREE_DAY_METHODS)[number];

/** The weather station and DJU method of a building. */
export interface BuildingClimate {
  readonly station: string;
  readonly method: DjuMethod;
}

/**
 * The station serving `site`: its `weather_station` attribute (a weather-station device of the tenant), else the
 * tenant's first weather station by id. The method: `dju_method`, default costic.
 */
export function buildingClimate(
  site: KpiSite | undefined,
  stations: readonly KpiDevice[],
): { climate?: BuildingClimate; problem?: string } {
  const attrs = site?.attributes ?? {};
  const rawMethod = attrs[DJU_METHOD_ATTRIBUTE]?.trim() || DEFAULT_DJU_METHOD;
  const method = DEGREE_DAY_METHODS.find((m) => m === rawMethod);
  if (!method)
    return {
      problem: `attribute ${DJU_METHOD_ATTRIBUTE}='${rawMethod.slice(0, 40)}' is not ${DEGREE_DAY_METHODS.join(' or ')}`,
    };
  const wanted = attrs[WEATHER_STATION_ATTRIBUTE]?.trim();
  if (wanted) {
    if (!stations.some((s) => s.id === wanted))
      return {
        problem: `attribute ${WEATHER_STATION_ATTRIBUTE}='${wanted.slice(0, 64)}' is not a weather-station device of the tenant`,
      };
    return { climate: { station: wanted, method } };
  }
  const first = [...stations].sort((a, b) => a.id.localeCompare(b.id))[0];
  if (!first) return { problem: 'the tenant has no weather-station device (B3) for the DJU' };
  return { climate: { station: first.id, method } };
}

/** The tenant's weather stations (the DJU source of B4 and B6), or the KPI skipped as a whole when it has none. */
export function djuStations(
  ctx: Pick<KpiContext, 'devices'>,
): { stations: KpiDevice[] } | { skip: KpiComputationResult } {
  const stations = devicesOfKind(ctx, WEATHER_STATION.id);
  if (stations.length === 0)
    return {
      skip: skippedKpi(KpiSkipReason.NoInputDevices, 'tenant has no weather-station device (B3) for the DJU'),
    };
  return { stations };
}

/**
 * E = a + b·DJU fitted by OLS on `observations` and checked against CalTRACK's model rules (B4, B6), or why it
 * cannot be used: the fit's error, or the rules broken, joined with '; '.
 */
export function fitCheckedModel(
  observations: readonly DegreeDayObservation[],
): { model: DegreeDayModel } | { problem: string } {
  let model: DegreeDayModel;
  try {
    model = fitDegreeDayModel(observations);
  } catch (err) {
    if (!(err instanceof KpiError)) throw err;
    return { problem: err.message };
  }
  const problems = modelProblems(model, CALTRACK_SUFFICIENCY);
  if (problems.length) return { problem: problems.join('; ') };
  return { model };
}

/** Stored daily points indexed for lookups: B1 by site then day start, B3 by station, method, day start. */
export interface DailyIndex {
  readonly energy: ReadonlyMap<string, ReadonlyMap<number, KpiPoint>>;
  readonly dju: ReadonlyMap<string, ReadonlyMap<number, KpiPoint>>;
}

const djuKey = (station: string, method: string | undefined) => `${station}\u0000${method ?? ''}`;

/** Indexes stored B1 (day) and B3 (day, per method) points. */
export function indexDailyPoints(b1: readonly KpiPoint[], b3: readonly KpiPoint[]): DailyIndex {
  const energy = new Map<string, Map<number, KpiPoint>>();
  for (const p of b1) {
    if (p.window !== 'day') continue;
    const m = energy.get(p.subject) ?? new Map<number, KpiPoint>();
    m.set(p.ts, p);
    energy.set(p.subject, m);
  }
  const dju = new Map<string, Map<number, KpiPoint>>();
  for (const p of b3) {
    if (p.window !== 'day') continue;
    const key = djuKey(p.subject, p.method);
    const m = dju.get(key) ?? new Map<number, KpiPoint>();
    m.set(p.ts, p);
    dju.set(key, m);
  }
  return { energy, dju };
}

/** The valid days among day numbers [first, last] of a building: (kWh, DJU) of each, and how many days were asked. */
export function dailyObservations(
  index: DailyIndex,
  site: string,
  climate: BuildingClimate,
  first: number,
  last: number,
  timeZone: string,
): { observations: DegreeDayObservation[]; days: number } {
  const energy = index.energy.get(site);
  const dju = index.dju.get(djuKey(climate.station, climate.method));
  const observations: DegreeDayObservation[] = [];
  for (let d = first; d <= last; d++) {
    const ts = localWallToUtc(d * DAY_MS, timeZone);
    const e = energy?.get(ts);
    const t = dju?.get(ts);
    if (!e || !t || e.completeness < MIN_DAY_COMPLETENESS || t.completeness < MIN_DAY_COMPLETENESS) continue;
    observations.push({ kwh: e.value, dju: t.value });
  }
  return { observations, days: Math.max(0, last - first + 1) };
}

/** First and last local day numbers of a window (its end is the next window's first midnight). */
export function windowDays(w: KpiWindowSpan, timeZone: string): { first: number; last: number } {
  return { first: localDayNumber(w.start, timeZone), last: localDayNumber(w.end, timeZone) - 1 };
}

/** Reads the stored B1 and B3 daily points of the tenant in [start, end) and indexes them. */
export async function readDailyIndex(
  ctx: Pick<KpiContext, 'tenant' | 'stored'>,
  start: number,
  end: number,
): Promise<DailyIndex> {
  const [b1, b3] = await Promise.all([
    ctx.stored.read(ctx.tenant, KPI_IDS.B1_CONSUMPTION_KWH, start, end),
    ctx.stored.read(ctx.tenant, KPI_IDS.B3_DJU, start, end),
  ]);
  return indexDailyPoints(b1, b3);
}
