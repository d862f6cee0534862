import { DeviceModel, round } from '../src/simulation/device-model';
import { activeAt, FaultWindow } from '../src/simulation/faults';
import { OccupancySchedule } from '../src/simulation/occupancy';
import { Prng } from '../src/simulation/prng';
import { BuildingSpec } from '../src/simulation/scenario.schema';

/** Math, bound once (see prng.ts). */
const M = Math;

const HOUR_MS = 3_600_000;

/**
 * A building's water meter (W7): `water.open_m3h` while the building is open (at the interval's mid-point),
 * × (1 ± `water.noise`), and a constant `water.closed_l_h` otherwise (0 for a tight building, > 0 for water a
 * building always uses). A `water_running` fault adds its magnitude (L/h) all the time, closed hours included.
 */
export class BuildingWaterModel implements DeviceModel {
  readonly cumulativeMetric = 'volume_m3';
  private indexM3: number;

  constructor(
    private readonly b: BuildingSpec,
    private readonly schedule: OccupancySchedule,
    rng: Prng,
    /** The building's `water_running` faults. */
    private readonly running: readonly FaultWindow[] = [],
  ) {
    this.indexM3 = round(rng.range(10, 5_000), 0);
  }

  step(ts: number, intervalMs: number, rng: Prng): Record<string, number | boolean> {
    const water = this.b.water ?? { open_m3h: 0, closed_l_h: 0, noise: 0 };
    const mid = ts - intervalMs / 2;
    const open = this.schedule.isOccupied(mid);
    const fixture = (activeAt(this.running, mid)?.magnitude ?? 0) / 1000;
    const flow =
      (open ? M.max(0, water.open_m3h * (1 + water.noise * (2 * rng.next() - 1))) : water.closed_l_h / 1000) +
      fixture;
    this.indexM3 += (flow * intervalMs) / HOUR_MS;
    return { volume_m3: round(this.indexM3, 3), flow_m3h: round(flow, 4) };
  }
}
