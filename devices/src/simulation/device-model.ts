import { FaultWindow } from './faults';
import { LocalClock } from './local-clock';
import { Prng } from './prng';
import { Scenario } from './scenario.schema';
import type { ConditionKind } from './town.types';
import { WeatherProcess } from './weather.process';

/** Math, bound once (see prng.ts). */
const M = Math;

/** What a device's model may read: shared processes (pure functions of seed and time) and its faults. */
export interface ModelContext {
  readonly scenario: Scenario;
  readonly seed: number;
  readonly startMs: number;
  readonly clock: LocalClock;
  readonly weather: WeatherProcess;
  /** Faults whose subject is this device, or the site it simulates (building, sector). */
  readonly faults: readonly FaultWindow[];
}

/** The physics of one device. */
export interface DeviceModel {
  /** Values reported at `ts` for the interval (ts − intervalMs, ts]; advances the model's state. */
  step(ts: number, intervalMs: number, rng: Prng): Record<string, number | boolean>;
  /** The cumulative index metric, when the kind has one (target of meter-index-reset faults). */
  readonly cumulativeMetric?: string;
  /**
   * A fault-like condition the model's state is in after the last step although no fault put it there (a bin
   * filling faster than it is collected overflows): ground truth, never reported.
   */
  condition?(): ConditionKind | undefined;
}

/** Rounds for the wire (internal state is never rounded). */
export function round(value: number, decimals: number): number {
  const f = 10 ** decimals;
  return M.round(value * f) / f;
}
