import { DeviceModel, ModelContext, round } from '../src/simulation/device-model';
import { Prng } from '../src/simulation/prng';

/** Math, bound once (see prng.ts). */
const M = Math;

/** A tipping-bucket rain gauge (0.2 mm per tip) on the town's rain, scaled by its own site factor. */
export class RainGaugeModel implements DeviceModel {
  private batteryPct: number;
  private bucketMm = 0;

  constructor(
    private readonly ctx: ModelContext,
    private readonly factor: number,
    rng: Prng,
  ) {
    this.batteryPct = rng.range(70, 100);
  }

  step(ts: number, intervalMs: number, rng: Prng): Record<string, number | boolean> {
    this.bucketMm += this.ctx.weather.rainBetween(ts - intervalMs, ts) * this.factor;
    const tips = M.floor(this.bucketMm / 0.2 + 1e-9);
    this.bucketMm -= tips * 0.2;
    this.batteryPct = M.max(0, this.batteryPct - 0.0002 - 0.0002 * rng.next());
    return { rain_mm: round(tips * 0.2, 1), battery_pct: round(this.batteryPct, 1) };
  }
}
