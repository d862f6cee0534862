import { KPI_IDS } from '@vigie/contracts';
import { IRRIGATION_CONTROLLER, RAIN_GAUGE, WEATHER_STATION } from '@vigie/devices';
import {
  cropEvapotranspiration,
  DAY_MS,
  dayStringToNumber,
  depthToVolumeM3,
  effectiveRain,
  EFFECTIVE_RAIN_DEFAULTS,
  extraterrestrialRadiation,
  hargreavesEt0,
  HOUR_MS,
  intervalConsumption,
  irrigationNeedMm,
  irrigationRatio,
  KpiError,
  localDayNumber,
  solarPosition,
} from '@vigie/domain';
import { DailyStats, IndexWindowDelta, PerDeviceWindows, RawSample } from '../../influx-readings.reader';
import {
  devicesOfKind,
  KpiComputation,
  KpiDevice,
  KpiPoint,
  KpiSite,
  KpiSkip,
  KpiSkipReason,
  spanOf,
} from '../../kpi-engine.types';
import {
  completenessShare,
  dayWindows,
  expectedSamples,
  KpiWindowSpan,
  windowIndexOf,
} from '../../kpi-windows.utils';
import { numberAttribute, perSiteOrSkip, scopeOf } from '../kpi-scope.utils';

/** Zone attributes of W8. */
export const IRRIGATION_ATTRIBUTES = {
  areaM2: 'area_m2',
  kc: 'kc',
  rainGauge: 'rain_gauge',
  weatherStation: 'weather_station',
  effectiveRainShare: 'effective_rain_share',
  effectiveRainMinMm: 'effective_rain_min_mm',
  rainSkipMm: 'rain_skip_mm',
  rainSkipH: 'rain_skip_h',
} as const;

/** Watering-in-rain defaults (catalogue W8): ≥ 2 mm of rain in the 24 h before a run. */
export const RAIN_SKIP_DEFAULTS = { mm: 2, hours: 24 } as const;

const A = IRRIGATION_ATTRIBUTES;

/** One irrigation zone and what W8 knows of it. */
export interface IrrigationZone {
  readonly id: string;
  readonly controllers: readonly KpiDevice[];
  /** Present when the zone has area_m2 and kc (the need and the ratio need them). */
  readonly crop?: { readonly areaM2: number; readonly kc: number };
  readonly gauge?: KpiDevice;
  /** The weather station and its site's latitude (ET0). */
  readonly station?: { readonly device: KpiDevice; readonly latitudeDeg: number };
  readonly effectiveRain: { readonly share: number; readonly minMm: number };
  readonly rainSkip: { readonly mm: number; readonly hours: number };
}

/** The device named by a zone attribute, else the tenant's only device of the kind. */
function pickDevice(
  zone: string,
  site: KpiSite | undefined,
  key: string,
  candidates: readonly KpiDevice[],
  kind: string,
): KpiDevice | string {
  const named = site?.attributes[key]?.trim();
  if (named) {
    return (
      candidates.find((d) => d.id === named) ??
      `attribute ${key}='${named.slice(0, 64)}' is not a ${kind} device`
    );
  }
  if (candidates.length === 1) return candidates[0];
  return candidates.length === 0
    ? `tenant has no ${kind} device`
    : `zone ${zone} has no ${key} attribute and the tenant has ${candidates.length} ${kind} devices`;
}

/** The tenant's irrigation zones (sites of irrigation controllers) with their attributes resolved. */
export function irrigationZones(
  controllers: readonly KpiDevice[],
  sites: ReadonlyMap<string, KpiSite>,
  gauges: readonly KpiDevice[],
  stations: readonly KpiDevice[],
): { zones: IrrigationZone[]; skipped: KpiSkip[] } {
  const zones: IrrigationZone[] = [];
  const skipped: KpiSkip[] = [];
  const grouped = perSiteOrSkip(controllers, 'irrigation controller', 'W8 is per zone');
  skipped.push(...grouped.skipped);
  for (const [id, list] of grouped.sites) {
    const site = sites.get(id);
    const problems: string[] = [];
    const num = (key: string, fallback?: number, positive = false): number | undefined => {
      const a = numberAttribute(site?.attributes, key);
      if (a.problem) problems.push(a.problem);
      else if (a.value === undefined && fallback === undefined)
        problems.push(`zone ${id} has no ${key} attribute`);
      else if (positive && a.value !== undefined && a.value === 0) problems.push(`attribute ${key} is 0`);
      return a.problem ? undefined : (a.value ?? fallback);
    };
    const areaM2 = num(A.areaM2, undefined, true);
    const kc = num(A.kc, undefined, true);
    const share = num(A.effectiveRainShare, EFFECTIVE_RAIN_DEFAULTS.share);
    const minMm = num(A.effectiveRainMinMm, EFFECTIVE_RAIN_DEFAULTS.minMm);
    const skipMm = num(A.rainSkipMm, RAIN_SKIP_DEFAULTS.mm);
    const skipH = num(A.rainSkipH, RAIN_SKIP_DEFAULTS.hours, true);
    if (share !== undefined && share > 1) problems.push(`attribute ${A.effectiveRainShare} is above 1`);
    const gauge = pickDevice(id, site, A.rainGauge, gauges, RAIN_GAUGE.id);
    if (typeof gauge === 'string') problems.push(`${gauge}: no need, ratio nor watering-in-rain`);
    const stationDevice = pickDevice(id, site, A.weatherStation, stations, WEATHER_STATION.id);
    let station: IrrigationZone['station'];
    if (typeof stationDevice === 'string') problems.push(`${stationDevice}: no ET0, need nor ratio`);
    else {
      const stationSite = stationDevice.site === undefined ? undefined : sites.get(stationDevice.site);
      const lat = Number(stationSite?.attributes['lat']);
      if (stationSite?.attributes['lat'] === undefined || !Number.isFinite(lat) || Math.abs(lat) > 90)
        problems.push(`the site of weather station ${stationDevice.id} has no valid lat attribute: no ET0`);
      else station = { device: stationDevice, latitudeDeg: lat };
    }
    if (problems.length) {
      skipped.push({ subject: id, reason: KpiSkipReason.MissingInputs, detail: problems.join('; ') });
    }
    zones.push({
      id,
      controllers: list,
      ...(areaM2 !== undefined && kc !== undefined ? { crop: { areaM2, kc } } : {}),
      ...(typeof gauge === 'string' ? {} : { gauge }),
      ...(station ? { station } : {}),
      effectiveRain: {
        share: share !== undefined && share <= 1 ? share : EFFECTIVE_RAIN_DEFAULTS.share,
        minMm: minMm ?? EFFECTIVE_RAIN_DEFAULTS.minMm,
      },
      rainSkip: { mm: skipMm ?? RAIN_SKIP_DEFAULTS.mm, hours: skipH ?? RAIN_SKIP_DEFAULTS.hours },
    });
  }
  return { zones, skipped };
}

/** Hargreaves ET0 of a local day at a latitude, mm (Ra with the NOAA declination at the day's 12:00 UTC). */
export function dailyEt0(day: KpiWindowSpan, latitudeDeg: number, stats: DailyStats): number {
  const dayNumber = dayStringToNumber(day.key);
  const dayOfYear = dayNumber - dayStringToNumber(`${day.key.slice(0, 4)}-01-01`) + 1;
  const declinationDeg = solarPosition(dayNumber * DAY_MS + 12 * HOUR_MS, latitudeDeg, 0).declinationDeg;
  const raMjM2Day = extraterrestrialRadiation({ latitudeDeg, declinationDeg, dayOfYear });
  return hargreavesEt0({ tminC: stats.min, tmaxC: stats.max, raMjM2Day });
}

/** An irrigation run: consecutive valve_open = true readings of one controller. */
export interface IrrigationRun {
  readonly device: string;
  /** First open reading. */
  readonly start: number;
  /** First closed reading after the run (the last open one when none came). */
  readonly end: number;
  /** volume_m3 delta from the last closed reading before the run (or its first) to `end`. */
  readonly volumeM3: number;
}

/** Runs of one controller from its valve_open and volume_m3 readings (same report timestamps). */
export function irrigationRuns(
  device: string,
  valves: readonly RawSample[],
  volumes: readonly RawSample[],
): IrrigationRun[] {
  const volumeAt = new Map<number, number>();
  for (const v of volumes) if (typeof v.value === 'number') volumeAt.set(v.ts, v.value);
  const out: IrrigationRun[] = [];
  for (let i = 0; i < valves.length; i++) {
    if (valves[i].value !== true) continue;
    let j = i;
    while (j + 1 < valves.length && valves[j + 1].value === true) j++;
    const before = i > 0 ? valves[i - 1].ts : valves[i].ts;
    const end = j + 1 < valves.length ? valves[j + 1].ts : valves[j].ts;
    const v0 = volumeAt.get(before);
    const v1 = volumeAt.get(end);
    const volumeM3 =
      v0 === undefined || v1 === undefined || end <= before
        ? 0
        : intervalConsumption([
            { ts: before, value: v0 },
            { ts: end, value: v1 },
          ])[0].delta;
    out.push({ device, start: valves[i].ts, end, volumeM3 });
    i = j;
  }
  return out;
}

/** Everything W8 reads, per device. */
export interface IrrigationReadings {
  readonly applied: PerDeviceWindows<IndexWindowDelta>;
  readonly temperatures: PerDeviceWindows<DailyStats>;
  readonly rain: ReadonlyMap<string, readonly RawSample[]>;
  readonly valves: ReadonlyMap<string, readonly RawSample[]>;
  readonly volumes: ReadonlyMap<string, readonly RawSample[]>;
}

/**
 * W8 per zone: applied m³ per local day; per ISO week the FAO-56 need (days with both temperature and rain only),
 * the irrigation ratio, and the runs watering in rain (≥ rainSkip.mm in the rainSkip.hours before the run's first
 * open reading, or any rain from it to the closing reading) with their volume.
 */
export function irrigationPoints(
  zones: readonly IrrigationZone[],
  readings: IrrigationReadings,
  days: readonly KpiWindowSpan[],
  weeks: readonly KpiWindowSpan[],
): { points: KpiPoint[]; skipped: KpiSkip[] } {
  const points: KpiPoint[] = [];
  const skipped: KpiSkip[] = [];
  for (const zone of zones) {
    // Applied volume per day.
    const appliedByDay: ({ m3: number; share: number } | undefined)[] = days.map((day, i) => {
      let m3 = 0;
      let share = 0;
      let present = false;
      for (const c of zone.controllers) {
        const d = readings.applied.get(c.id)?.get(i);
        if (d) {
          m3 += d.delta;
          present = true;
          share += completenessShare(d.intervals, expectedSamples(day.end - day.start, c.intervalS));
        }
      }
      return present ? { m3, share: share / zone.controllers.length } : undefined;
    });
    appliedByDay.forEach((a, i) => {
      if (a)
        points.push({
          kpi: KPI_IDS.W8_APPLIED_M3,
          subject: zone.id,
          window: 'day',
          ts: days[i].start,
          value: a.m3,
          completeness: a.share,
        });
    });
    if (appliedByDay.every((a) => a === undefined)) {
      skipped.push({
        subject: zone.id,
        reason: KpiSkipReason.NoReadings,
        detail: `no volume_m3 reading from ${zone.controllers.map((c) => c.id).join(', ')} in the period's weeks`,
      });
    }
    if (!zone.gauge) continue;
    const gauge = zone.gauge;
    const rain = readings.rain.get(gauge.id) ?? [];
    const rainByDay = days.map(() => ({ mm: 0, n: 0 }));
    for (const s of rain) {
      const i = windowIndexOf(days, s.ts - 1);
      if (i < 0 || typeof s.value !== 'number') continue;
      rainByDay[i].mm += s.value;
      rainByDay[i].n++;
    }
    const runs = zone.controllers.flatMap((c) =>
      irrigationRuns(c.id, readings.valves.get(c.id) ?? [], readings.volumes.get(c.id) ?? []),
    );
    const rainIn = (from: number, to: number) => {
      let mm = 0;
      for (const s of rain) if (s.ts > from && s.ts <= to && typeof s.value === 'number') mm += s.value;
      return mm;
    };
    weeks.forEach((week) => {
      const common = { subject: zone.id, window: 'week' as const, ts: week.start };
      const weekDays = days
        .map((d, i) => ({ d, i }))
        .filter(({ d }) => d.start >= week.start && d.start < week.end);
      const gaugeShare = completenessShare(
        weekDays.reduce((n, { i }) => n + rainByDay[i].n, 0),
        expectedSamples(week.end - week.start, gauge.intervalS),
      );
      // Watering in rain.
      let events = 0;
      let wasted = 0;
      for (const r of runs) {
        if (r.start < week.start || r.start >= week.end) continue;
        const before = rainIn(r.start - zone.rainSkip.hours * HOUR_MS, r.start);
        if (before >= zone.rainSkip.mm || rainIn(r.start, r.end) > 0) {
          events++;
          wasted += r.volumeM3;
        }
      }
      if (gaugeShare > 0) {
        points.push({
          kpi: KPI_IDS.W8_WATERING_IN_RAIN_EVENTS,
          ...common,
          value: events,
          completeness: gaugeShare,
        });
        points.push({
          kpi: KPI_IDS.W8_WATERING_IN_RAIN_M3,
          ...common,
          value: wasted,
          completeness: gaugeShare,
        });
      }
      // Need and ratio.
      if (!zone.station || !zone.crop) return;
      const { device: station, latitudeDeg } = zone.station;
      let etc = 0;
      let peff = 0;
      let known = 0;
      try {
        for (const { d, i } of weekDays) {
          const t = readings.temperatures.get(station.id)?.get(i);
          if (!t || rainByDay[i].n === 0) continue;
          known++;
          etc += cropEvapotranspiration({ kc: zone.crop.kc, et0Mm: dailyEt0(d, latitudeDeg, t) });
          peff += effectiveRain(rainByDay[i].mm, zone.effectiveRain);
        }
      } catch (err) {
        if (!(err instanceof KpiError)) throw err;
        skipped.push({
          subject: zone.id,
          reason: KpiSkipReason.NotComputable,
          detail: `${week.key}: ${err.message}`,
        });
        return;
      }
      if (known === 0) {
        skipped.push({
          subject: zone.id,
          reason: KpiSkipReason.NoReadings,
          detail: `week of ${week.key}: no day with both temperature_c from ${station.id} and rain_mm from ${gauge.id}`,
        });
        return;
      }
      const needShare = known / weekDays.length;
      const needM3 = depthToVolumeM3({
        depthMm: irrigationNeedMm({ etcMm: etc, effectiveRainMm: peff }),
        areaM2: zone.crop.areaM2,
      });
      points.push({ kpi: KPI_IDS.W8_NEED_M3, ...common, value: needM3, completeness: needShare });
      const applied = weekDays.map(({ i }) => appliedByDay[i]);
      if (applied.every((a) => a === undefined)) return;
      if (needM3 === 0) {
        skipped.push({
          subject: zone.id,
          reason: KpiSkipReason.NotComputable,
          detail: `week of ${week.key}: no irrigation need (rain covered ETc): no irrigation ratio`,
        });
        return;
      }
      const appliedM3 = applied.reduce((s, a) => s + (a?.m3 ?? 0), 0);
      const appliedShare = applied.reduce((s, a) => s + (a?.share ?? 0), 0) / weekDays.length;
      points.push({
        kpi: KPI_IDS.W8_IRRIGATION_RATIO,
        ...common,
        value: irrigationRatio({ applied: appliedM3, need: needM3 }),
        completeness: Math.min(needShare, appliedShare),
      });
    });
  }
  return { points, skipped };
}

/** W8 — irrigation per zone: applied volume (day), need, ratio and watering in rain (ISO week). */
export const IRRIGATION_KPI: KpiComputation = {
  family: 'W8',
  outputs: [
    KPI_IDS.W8_APPLIED_M3,
    KPI_IDS.W8_NEED_M3,
    KPI_IDS.W8_IRRIGATION_RATIO,
    KPI_IDS.W8_WATERING_IN_RAIN_EVENTS,
    KPI_IDS.W8_WATERING_IN_RAIN_M3,
  ],
  input: IRRIGATION_CONTROLLER,
  async compute(ctx, controllers) {
    const gauges = devicesOfKind(ctx, RAIN_GAUGE.id);
    const stations = devicesOfKind(ctx, WEATHER_STATION.id);
    const { zones, skipped } = irrigationZones(controllers, ctx.sites, gauges, stations);
    const span = spanOf(ctx.weeks);
    // The weeks' days, whole: a recompute of one day recomputes its week.
    const days = dayWindows(
      {
        from: '',
        to: '',
        firstDay: localDayNumber(span.start, ctx.timeZone),
        lastDay: localDayNumber(span.end - 1, ctx.timeZone),
      },
      ctx.timeZone,
    );
    const irrigation = scopeOf(ctx, IRRIGATION_CONTROLLER);
    const reach = 2 * Math.max(...controllers.map((c) => c.intervalS)) * 1000;
    const maxSkipH = Math.max(RAIN_SKIP_DEFAULTS.hours, ...zones.map((z) => z.rainSkip.hours));
    const [applied, valves, volumes, temperatures, rain] = await Promise.all([
      ctx.readings.dailyIndexDeltas(irrigation, 'volume_m3', days),
      ctx.readings.rawSamples(
        irrigation,
        'valve_open',
        span.start - reach,
        span.end + reach,
        undefined,
        7 * DAY_MS,
      ),
      ctx.readings.rawSamples(
        irrigation,
        'volume_m3',
        span.start - reach,
        span.end + reach,
        undefined,
        7 * DAY_MS,
      ),
      stations.length
        ? ctx.readings.dailyStats(scopeOf(ctx, WEATHER_STATION), 'temperature_c', days)
        : new Map(),
      gauges.length
        ? ctx.readings.rawSamples(
            scopeOf(ctx, RAIN_GAUGE),
            'rain_mm',
            span.start - maxSkipH * HOUR_MS,
            span.end + reach,
            undefined,
            7 * DAY_MS,
          )
        : new Map(),
    ]);
    const result = irrigationPoints(zones, { applied, temperatures, rain, valves, volumes }, days, ctx.weeks);
    return { points: result.points, skipped: [...skipped, ...result.skipped], replaces: span };
  },
};
