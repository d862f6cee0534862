import { solarPosition } from '@vigie/domain';
import { hashString, noiseUniform, smoothNoise } from './prng';
import { WeatherSpec } from './scenario.schema';

/** Math, bound once (see prng.ts). */
const M = Math;

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
const YEAR_DAYS = 365.2425;
/** Day number of 2000-01-01: seasonal phases count from there. */
const Y2000 = Date.UTC(2000, 0, 1) / DAY_MS;

interface RainEvent {
  readonly start: number;
  readonly end: number;
  readonly mm: number;
}

/**
 * The town's weather: a pure function of (seed, time), shared by every device that needs it (weather stations,
 * rain gauges, buildings, bins, irrigation). Seasonal and daily temperature cycles in local solar time, smooth
 * multi-day anomalies, rain events drawn per day.
 */
export class WeatherProcess {
  private readonly key: number;
  private readonly rainCache = new Map<number, readonly RainEvent[]>();
  /** Temperatures of recent instants: devices ask for the same few instants (report times, mid-intervals). */
  private readonly recent = new Map<number, number>();

  constructor(
    private readonly spec: WeatherSpec,
    private readonly lat: number,
    private readonly lon: number,
    seed: number,
  ) {
    this.key = hashString('weather', seed);
  }

  /** Seasonal mean temperature (no daily cycle, no noise) at a day number (may be fractional). */
  seasonalMean(day: number): number {
    const t = this.spec.temperature_c;
    return (
      t.annual_mean -
      t.seasonal_amplitude * M.cos((2 * M.PI * (day - Y2000 - (t.coldest_day - 1))) / YEAR_DAYS)
    );
  }

  /** Outdoor temperature at `ts` (°C). `withNoise: false` gives the climatological value. */
  temperature(ts: number, withNoise = true): number {
    if (withNoise) {
      const known = this.recent.get(ts);
      if (known !== undefined) return known;
    }
    const t = this.spec.temperature_c;
    const days = ts / DAY_MS;
    const seasonal = this.seasonalMean(days);
    const summerness = (1 - M.cos((2 * M.PI * (days - Y2000 - (t.coldest_day - 1))) / YEAR_DAYS)) / 2;
    let range = t.daily_range.winter + (t.daily_range.summer - t.daily_range.winter) * summerness;
    let anomaly = 0;
    if (withNoise) {
      if (this.rainOfDay(M.floor(days)) > 1) range *= 0.6;
      anomaly = t.noise * (0.8 * smoothNoise(this.key, days / 4, 3) + 0.6 * smoothNoise(this.key, days, 4));
    }
    const value = seasonal + anomaly + (range / 2) * diurnalShape(this.solarHour(ts));
    if (withNoise) {
      if (this.recent.size >= 64) this.recent.clear();
      this.recent.set(ts, value);
    }
    return value;
  }

  /** Local mean solar hour (0..24) at the town's longitude. */
  solarHour(ts: number): number {
    const h = (ts / HOUR_MS + this.lon / 15) % 24;
    return h < 0 ? h + 24 : h;
  }

  /** Rain events of UTC day `day` (0, 1 or 2), each with uniform intensity. */
  rainEvents(day: number): readonly RainEvent[] {
    let events = this.rainCache.get(day);
    if (events) return events;
    const r = this.spec.rain;
    const list: RainEvent[] = [];
    for (let e = 0; e < 2; e++) {
      const p = e === 0 ? r.wet_day_probability : r.wet_day_probability / 4;
      if (noiseUniform(this.key, day, 10 + e * 5) >= p) continue;
      const start = day * DAY_MS + noiseUniform(this.key, day, 11 + e * 5) * DAY_MS;
      const hours = M.min(
        12,
        M.max(0.5, -M.log(1 - noiseUniform(this.key, day, 12 + e * 5)) * r.mean_duration_h),
      );
      const mm = -M.log(1 - noiseUniform(this.key, day, 13 + e * 5)) * r.mean_event_mm;
      list.push({ start, end: start + hours * HOUR_MS, mm });
    }
    events = list;
    this.rainCache.set(day, events);
    return events;
  }

  /** Total rain of the events starting on UTC day `day` (mm). */
  rainOfDay(day: number): number {
    let mm = 0;
    for (const e of this.rainEvents(day)) mm += e.mm;
    return mm;
  }

  /** Rain fallen in (a, b] (mm). */
  rainBetween(a: number, b: number): number {
    let mm = 0;
    for (let d = M.floor(a / DAY_MS) - 1; d <= M.floor(b / DAY_MS); d++) {
      for (const e of this.rainEvents(d)) {
        const overlap = M.min(b, e.end) - M.max(a, e.start);
        if (overlap > 0) mm += (e.mm * overlap) / (e.end - e.start);
      }
    }
    return mm;
  }

  isRaining(ts: number): boolean {
    for (let d = M.floor(ts / DAY_MS) - 1; d <= M.floor(ts / DAY_MS); d++) {
      for (const e of this.rainEvents(d)) if (ts >= e.start && ts < e.end) return true;
    }
    return false;
  }

  humidity(ts: number): number {
    const h = this.spec.humidity_pct;
    const raining = this.isRaining(ts) ? 15 : 0;
    const v =
      h.mean -
      h.daily_amplitude * diurnalShape(this.solarHour(ts)) +
      raining +
      5 * smoothNoise(this.key, ts / (6 * HOUR_MS), 7);
    return clamp(v, 15, 100);
  }

  windSpeed(ts: number): number {
    const base =
      this.spec.wind_speed_ms.mean * M.exp(0.45 * smoothNoise(this.key, ts / (6 * HOUR_MS), 8) - 0.1);
    return M.max(0, base * (this.isRaining(ts) ? 1.3 : 1));
  }

  /** Global horizontal irradiance (W/m²): clear sky from the Sun's elevation, reduced by cloud cover. */
  solarRadiation(ts: number): number {
    const elevation = solarPosition(ts, this.lat, this.lon).elevationDeg;
    if (elevation <= 0) return 0;
    const s = this.spec.solar_radiation;
    const clear = s.clear_sky_peak_wm2 * M.pow(M.sin((elevation * M.PI) / 180), 1.15);
    const rainy = this.rainOfDay(M.floor(ts / DAY_MS)) > 1 ? 0.3 : 0;
    const cloud = clamp(
      s.mean_cloud_cover + rainy + 0.25 * smoothNoise(this.key, ts / (12 * HOUR_MS), 9),
      0,
      1,
    );
    return clear * (1 - 0.75 * M.pow(cloud, 3.4));
  }
}

/** Daily temperature shape in [-1, 1]: minimum near 05:30 solar time, maximum at 15:00. */
export function diurnalShape(solarHour: number): number {
  if (solarHour >= 5.5 && solarHour < 15) return -M.cos((M.PI * (solarHour - 5.5)) / 9.5);
  const since = (solarHour - 15 + 24) % 24;
  return M.cos((M.PI * since) / 14.5);
}

export function clamp(x: number, lo: number, hi: number): number {
  return x < lo ? lo : x > hi ? hi : x;
}
