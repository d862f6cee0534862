import { DeviceModel, ModelContext, round } from '../src/simulation/device-model';
import { Prng } from '../src/simulation/prng';

/** The town's weather station: what the shared weather process says, with a small sensor noise. */
export class WeatherStationModel implements DeviceModel {
  constructor(private readonly ctx: ModelContext) {}

  step(ts: number, intervalMs: number, rng: Prng): Record<string, number | boolean> {
    const w = this.ctx.weather;
    return {
      temperature_c: round(w.temperature(ts) + 0.1 * rng.normal(), 2),
      rain_mm: round(w.rainBetween(ts - intervalMs, ts), 2),
      humidity_pct: round(w.humidity(ts), 1),
      wind_speed_ms: round(w.windSpeed(ts) * (1 + 0.05 * rng.normal()) || 0, 2),
      solar_radiation_wm2: round(w.solarRadiation(ts), 1),
    };
  }
}
