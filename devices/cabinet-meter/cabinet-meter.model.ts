import { DeviceModel, round } from '../src/simulation/device-model';
import { LightPoint } from '../src/simulation/light-point';
import { Prng } from '../src/simulation/prng';

/** Math, bound once (see prng.ts). */
const M = Math;

/**
 * A lighting cabinet's meter: the sum of its points' power and energy, plus the cabinet's losses (cables,
 * control gear), whether or not the points themselves are simulated.
 */
export class CabinetMeterModel implements DeviceModel {
  readonly cumulativeMetric = 'energy_kwh';
  private indexKwh: number;
  private readonly lossFactor: number;

  constructor(
    private readonly points: readonly LightPoint[],
    lossesPct: number,
    rng: Prng,
  ) {
    this.lossFactor = 1 + lossesPct / 100;
    this.indexKwh = round(rng.range(1_000, 200_000), 0);
  }

  step(ts: number, intervalMs: number, rng: Prng): Record<string, number | boolean> {
    let kwh = 0;
    let w = 0;
    for (const p of this.points) {
      kwh += p.energyKwh(ts - intervalMs, ts);
      w += p.powerW(ts);
    }
    this.indexKwh += kwh * this.lossFactor;
    const power = w > 0 ? w * this.lossFactor * (1 + 0.005 * rng.normal()) : 0;
    return { energy_kwh: round(this.indexKwh, 3), power_w: round(M.max(0, power), 1) };
  }
}
