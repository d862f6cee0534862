import { DeviceModel, round } from '../src/simulation/device-model';
import { LightPoint } from '../src/simulation/light-point';
import { Prng } from '../src/simulation/prng';

/** Math, bound once (see prng.ts). */
const M = Math;

/** A street-light controller: the lamp's state at the report instant and its energy index. */
export class LightControllerModel implements DeviceModel {
  readonly cumulativeMetric = 'energy_kwh';
  private indexKwh: number;

  constructor(
    private readonly point: LightPoint,
    rng: Prng,
  ) {
    this.indexKwh = round(rng.range(50, 3_000), 0);
  }

  step(ts: number, intervalMs: number, rng: Prng): Record<string, number | boolean> {
    this.indexKwh += this.point.energyKwh(ts - intervalMs, ts);
    const s = this.point.stateAt(ts);
    const power = s.on ? ((this.point.nominalW * s.dimPct) / 100) * (1 + 0.01 * rng.normal()) : 0;
    return {
      lamp_on: s.on,
      power_w: round(M.max(0, power), 1),
      dim_pct: s.dimPct,
      energy_kwh: round(this.indexKwh, 4),
      lamp_failure: s.failure,
    };
  }
}
