import { FaultWindow } from './faults';
import { LocalClock, weekdayOfDay } from './local-clock';
import { hashString, noiseUniform, smoothNoise } from './prng';
import { WaterSectorSpec } from './scenario.schema';

/** Math, bound once (see prng.ts). */
const M = Math;

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

/** A residential diurnal demand curve (hour 0 = 00:00–01:00 local), night minimum around 03:00. */
export const DEFAULT_DIURNAL = [
  0.35, 0.28, 0.25, 0.25, 0.3, 0.55, 1.15, 1.6, 1.55, 1.35, 1.2, 1.2, 1.3, 1.2, 1.05, 0.95, 1.0, 1.15, 1.4,
  1.55, 1.4, 1.1, 0.8, 0.52,
];

/** The flows of a water sector at one instant (m³/h) and its network pressure (bar). */
export interface SectorFlows {
  /** Metered customer demand (V7 rate). */
  readonly demand: number;
  /** Authorised unmetered use (V8 + V9 rate). */
  readonly unmetered: number;
  /** Real losses, leak faults included (V5 rate). */
  readonly losses: number;
  /** Bulk export (V3 rate). */
  readonly export: number;
  /** Put into distribution: district inflow (V4 rate = demand + unmetered + losses). */
  readonly inflow: number;
  readonly production: number;
  readonly import: number;
  readonly pressure: number;
}

/**
 * A water sector's hydraulics, a pure function of (seed, time): diurnal demand with a night minimum, constant
 * authorised unmetered use, background losses modulated by pressure and sized so that the year's
 * P104.3 = (V6 + V3) / (V1 + V2) equals the scenario's target, plus leak faults.
 */
export class WaterSectorProcess {
  private readonly key: number;
  private readonly diurnal: readonly number[];
  private readonly maxDiurnal: number;
  private readonly meanDemand: number;
  private readonly weekdayNorm: number;
  private readonly baseLosses: number;
  private readonly meanPressure: number;
  private readonly shares: readonly number[];
  private lastTs = NaN;
  private last: SectorFlows | undefined;

  constructor(
    private readonly spec: WaterSectorSpec,
    seed: number,
    private readonly clock: LocalClock,
    private readonly leaks: readonly FaultWindow[],
  ) {
    this.key = hashString(`water/${spec.id}`, seed);
    const raw = spec.demand.diurnal ?? DEFAULT_DIURNAL;
    const mean = raw.reduce((a, b) => a + b, 0) / raw.length;
    this.diurnal = raw.map((f) => f / mean);
    this.maxDiurnal = M.max(...this.diurnal);
    this.meanDemand = (spec.connections * spec.demand.per_connection_l_day) / 1000 / 24;
    this.weekdayNorm = (5 + 2 * spec.demand.weekend_factor) / 7;
    let p = 0;
    for (let i = 0; i < 96; i++) p += this.pressureAt(this.diurnalAt(i / 4));
    this.meanPressure = p / 96;
    const authorised = this.meanDemand + spec.unmetered_m3_yr / 8760 + spec.export_m3_day / 24;
    this.baseLosses = authorised * (100 / spec.target_efficiency_pct - 1);
    const weights = Array.from(
      { length: spec.customer_meters },
      (_, i) => 0.6 + 0.8 * noiseUniform(this.key, i, 99),
    );
    const total = weights.reduce((a, b) => a + b, 0);
    this.shares = weights.map((w) => w / total);
  }

  /** The share of the sector's metered demand that customer meter `index` records. */
  customerShare(index: number): number {
    return this.shares[index] ?? 0;
  }

  /** Flows at `ts` (use an interval's midpoint to get the interval's average). */
  flows(ts: number): SectorFlows {
    if (ts === this.lastTs && this.last) return this.last;
    const d = this.spec.demand;
    const day = this.clock.dayNumber(ts);
    const localHour = this.clock.minuteOfDay(ts) / 60;
    const shape = this.diurnalAt(localHour);
    const weekend = weekdayOfDay(day) >= 5 ? d.weekend_factor : 1;
    const seasonal = 1 + d.seasonal_amplitude * M.cos((2 * M.PI * (ts / DAY_MS - 196)) / 365.2425);
    const noise = 1 + d.noise * smoothNoise(this.key, ts / HOUR_MS, 1);
    const demand = M.max(0, this.meanDemand * shape * (weekend / this.weekdayNorm) * seasonal * noise);
    const unmetered = this.spec.unmetered_m3_yr / 8760;
    const exported = (this.spec.export_m3_day / 24) * (1 + 0.05 * smoothNoise(this.key, ts / HOUR_MS, 2));
    const pressure = this.pressureAt(shape);
    let leak = 0;
    for (const w of this.leaks) if (ts >= w.start && ts < w.end) leak += w.magnitude;
    const losses = (this.baseLosses * pressure) / this.meanPressure + leak;
    const inflow = demand + unmetered + losses;
    const sources = inflow + exported;
    const flows: SectorFlows = {
      demand,
      unmetered,
      losses,
      export: exported,
      inflow,
      production: sources * this.spec.production_share,
      import: sources * (1 - this.spec.production_share),
      pressure,
    };
    this.lastTs = ts;
    this.last = flows;
    return flows;
  }

  /** Normalised diurnal factor at a local hour (linear between hourly values taken at the half hours). */
  private diurnalAt(hour: number): number {
    const x = hour - 0.5;
    const i = M.floor(x);
    const f = x - i;
    const a = this.diurnal[(i + 24) % 24];
    const b = this.diurnal[(i + 25) % 24];
    return a + (b - a) * f;
  }

  /** Network pressure: highest at night, lowest at peak demand (head losses grow with the flow squared). */
  private pressureAt(shape: number): number {
    const p = this.spec.pressure_bar;
    return p.night - (p.night - p.peak) * (shape / this.maxDiurnal) ** 2;
  }
}
