import { DeviceModel, ModelContext, round } from '../src/simulation/device-model';
import { activeAt, FaultWindow } from '../src/simulation/faults';
import { inSeason, monthDayKey, monthDayOfDay } from '../src/simulation/local-clock';
import { OccupancySchedule } from '../src/simulation/occupancy';
import { Prng } from '../src/simulation/prng';
import { BuildingSpec } from '../src/simulation/scenario.schema';
import { WeatherProcess } from '../src/simulation/weather.process';

/** Math, bound once (see prng.ts). */
const M = Math;

const HOUR_MS = 3_600_000;
/** Design outdoor temperature for sizing the heating (°C, Paris region). */
const DESIGN_OUTDOOR_C = -7;
const OVERSIZING = 1.5;

/**
 * A building's main energy meter: base load all the time, an occupied load during opening hours, and heating
 * with a one-node thermal model (indoor temperature with time constant τ, heating limited to a sized power)
 * that coasts down to the setback out of hours and boosts during the pre-heat. Heating energy is in kWh of
 * final energy (for a gas boiler the meter stands for the gas meter converted to kWh).
 *
 * The model is scaled so that a climatologically normal year starting at the simulation start consumes
 * `reference_kwh_yr`, of which `heating.share` is heating.
 */
export class BuildingEnergyModel implements DeviceModel {
  readonly cumulativeMetric = 'energy_kwh';
  private readonly ua: number;
  private readonly occupiedKw: number;
  private readonly seasonFrom: number;
  private readonly seasonTo: number;
  private readonly heatingFaults: readonly FaultWindow[];
  private indoorC: number;
  private indexKwh: number;
  private lastDay = NaN;
  private lastDayInSeason = false;
  private overSubscribed = false;

  constructor(
    private readonly b: BuildingSpec,
    private readonly schedule: OccupancySchedule,
    private readonly ctx: ModelContext,
    intervalMs: number,
    rng: Prng,
  ) {
    this.seasonFrom = monthDayKey(b.heating.season.from);
    this.seasonTo = monthDayKey(b.heating.season.to);
    this.heatingFaults = ctx.faults.filter((f) => f.kind === 'heating_on_in_holiday');
    const year = this.referenceYear(intervalMs);
    const heatingKwh = b.heating.type === 'none' ? 0 : b.reference_kwh_yr * b.heating.share;
    this.ua = year.unitHeatKwh > 0 ? heatingKwh / year.unitHeatKwh : 0;
    const rest = b.reference_kwh_yr - heatingKwh - b.base_load_kw * 8760;
    this.occupiedKw = year.occupiedHours > 0 ? M.max(0, rest) / year.occupiedHours : 0;
    this.indoorC = b.heating.setpoint_c;
    this.indexKwh = round(rng.range(5_000, 400_000), 0);
  }

  /** Drawing more than the subscribed power (kW against kVA, at a power factor of 1) over the last interval. */
  condition(): 'subscribed_power_exceeded' | undefined {
    return this.overSubscribed ? 'subscribed_power_exceeded' : undefined;
  }

  step(ts: number, intervalMs: number, rng: Prng): Record<string, number | boolean> {
    const mid = ts - intervalMs / 2;
    const occupied = this.schedule.isOccupied(mid);
    const heatKw =
      this.ua * this.heat(mid, intervalMs / HOUR_MS, occupied, this.ctx.weather.temperature(mid), true);
    const loadKw =
      (this.b.base_load_kw + (occupied ? this.occupiedKw : 0)) * (1 + this.b.load_noise * rng.normal());
    const kw = M.max(0, loadKw) + heatKw / this.efficiency(this.ctx.weather.temperature(mid));
    this.overSubscribed = this.b.subscribed_kva !== undefined && kw > this.b.subscribed_kva;
    this.indexKwh += (kw * intervalMs) / HOUR_MS;
    return { energy_kwh: round(this.indexKwh, 3), power_w: round(kw * 1000, 1) };
  }

  /**
   * Heat delivered over one step (kW per kW/K of envelope conductance); moves the indoor temperature on.
   * `withFaults: false` for the reference year, which scales the model.
   */
  private heat(mid: number, dtH: number, occupied: boolean, outdoorC: number, withFaults: boolean): number {
    const h = this.b.heating;
    if (h.type === 'none') return 0;
    const effectiveOut = outdoorC + h.free_gains_k;
    let q = 0;
    if (this.inSeason(mid)) {
      const preheat = !occupied && h.preheat_h > 0 && this.schedule.isOccupied(mid + h.preheat_h * HOUR_MS);
      const forced =
        withFaults &&
        !occupied &&
        this.heatingFaults.length > 0 &&
        activeAt(this.heatingFaults, mid) !== undefined;
      const closed = h.holiday_c !== undefined && this.schedule.isClosedDay(this.ctx.clock.dayNumber(mid));
      const off = closed ? (h.holiday_c ?? h.setback_c) : h.setback_c;
      const target = occupied || preheat || forced ? h.setpoint_c : off;
      const needed = ((target - this.indoorC) * h.time_constant_h) / dtH + (this.indoorC - effectiveOut);
      q = M.min(M.max(needed, 0), OVERSIZING * (h.setpoint_c - DESIGN_OUTDOOR_C));
    }
    this.indoorC += (dtH / h.time_constant_h) * (q - (this.indoorC - effectiveOut));
    return q;
  }

  /** Useful heat per unit of final energy: a heat pump's COP falls with the outdoor temperature. */
  private efficiency(outdoorC: number): number {
    switch (this.b.heating.type) {
      case 'heat-pump':
        return M.min(5, M.max(2, 3.2 + 0.08 * (outdoorC - 7)));
      case 'gas-boiler':
        return 0.92;
      case 'district-heating':
        return 0.97;
      case 'electric':
      case 'none':
        return 1;
    }
  }

  private inSeason(ts: number): boolean {
    const day = this.ctx.clock.dayNumber(ts);
    if (day !== this.lastDay) {
      this.lastDay = day;
      this.lastDayInSeason = inSeason(monthDayOfDay(day), this.seasonFrom, this.seasonTo);
    }
    return this.lastDayInSeason;
  }

  /** One normal year (climatological temperatures) from the start: unit heating energy and occupied hours. */
  private referenceYear(intervalMs: number): { unitHeatKwh: number; occupiedHours: number } {
    const weather: WeatherProcess = this.ctx.weather;
    const dtH = intervalMs / HOUR_MS;
    const first = M.ceil(this.ctx.startMs / intervalMs) * intervalMs;
    const steps = M.round((365 * 24) / dtH);
    const saved = this.indoorC;
    this.indoorC = this.b.heating.setpoint_c;
    let unitHeat = 0;
    let occupiedHours = 0;
    for (let i = 1; i <= steps; i++) {
      const mid = first + i * intervalMs - intervalMs / 2;
      const occupied = this.schedule.isOccupied(mid);
      if (occupied) occupiedHours += dtH;
      const out = weather.temperature(mid, false);
      unitHeat += (this.heat(mid, dtH, occupied, out, false) * dtH) / this.efficiency(out);
    }
    this.indoorC = saved;
    this.lastDay = NaN;
    return { unitHeatKwh: unitHeat, occupiedHours };
  }
}
