import { DeviceModel, ModelContext, round } from '../src/simulation/device-model';
import { activeAt, FaultWindow } from '../src/simulation/faults';
import { minutesOfClock, weekdayOfDay } from '../src/simulation/local-clock';
import { Prng } from '../src/simulation/prng';
import { BinGroupSpec, WEEKDAYS } from '../src/simulation/scenario.schema';

/** Math, bound once (see prng.ts). */
const M = Math;

const DAY_MS = 86_400_000;
/** When people fill bins over a day (local hour 0..23); normalised to a mean of 1. */
const RAW_HOURLY = [
  0.1, 0.05, 0.05, 0.05, 0.05, 0.1, 0.4, 1.2, 1.4, 1.3, 1.3, 1.5, 1.6, 1.4, 1.2, 1.2, 1.3, 1.6, 1.8, 1.7, 1.4,
  1, 0.6, 0.3,
];
const HOURLY = RAW_HOURLY.map((w) => (w * 24) / RAW_HOURLY.reduce((a, b) => a + b, 0));

/**
 * A bin's fill sensor: the bin fills at its own rate (the group's rate × a lognormal factor) shaped by the
 * weekday and the hour, and is emptied on the group's collection rounds. Temperature follows the outdoor air;
 * the battery drains slowly. Faults: overflow (fills up to the magnitude and misses collections), fire. A bin
 * whose rate outruns its collections overflows by itself: `condition()` tells the ground truth.
 */
export class BinSensorModel implements DeviceModel {
  private readonly rate: number;
  private readonly collectionDays: ReadonlySet<number>;
  private readonly collectionMin: number;
  private readonly overflows: readonly FaultWindow[];
  private readonly fires: readonly FaultWindow[];
  private fillPct: number;
  private batteryPct: number;
  private inOverflow: FaultWindow | undefined;
  private overflowing = false;

  constructor(
    private readonly group: BinGroupSpec,
    private readonly ctx: ModelContext,
    rng: Prng,
  ) {
    const s = group.spread;
    this.rate = group.fill_rate_pct_day * M.exp(s * rng.normal() - (s * s) / 2);
    this.collectionDays = new Set(group.collection.days.map((d) => WEEKDAYS.indexOf(d)));
    this.collectionMin = minutesOfClock(group.collection.time);
    this.overflows = ctx.faults.filter((f) => f.kind === 'bin_overflow');
    this.fires = ctx.faults.filter((f) => f.kind === 'bin_fire');
    this.fillPct = rng.range(0, 40);
    this.batteryPct = rng.range(75, 100);
  }

  /** Full (≥ 100 %) with no overflow fault: the bin fills faster than it is collected. */
  condition(): 'bin_overflow' | undefined {
    return this.overflowing ? 'bin_overflow' : undefined;
  }

  step(ts: number, intervalMs: number, rng: Prng): Record<string, number | boolean> {
    const clock = this.ctx.clock;
    const mid = ts - intervalMs / 2;
    const day = clock.dayNumber(mid);
    const hour = M.floor(clock.minuteOfDay(mid) / 60);
    const weekday = weekdayOfDay(day);
    const deposit = this.rate * this.group.weekday_factors[weekday] * HOURLY[hour] * (intervalMs / DAY_MS);
    this.fillPct += deposit * M.max(0, 1 + 0.35 * rng.normal());

    const overflow = activeAt(this.overflows, ts);
    if (overflow) {
      // fills towards the magnitude within 12 h and waits for a collection that does not come
      const reach = M.min(1, (ts - overflow.start) / (12 * 3_600_000));
      const target = 100 + (overflow.magnitude - 100) * reach;
      this.fillPct = M.max(this.fillPct, M.min(overflow.magnitude, target));
      this.inOverflow = overflow;
    } else if (this.inOverflow) {
      this.fillPct = rng.range(0.5, 3); // emptied when the fault ends
      this.inOverflow = undefined;
    } else if (this.collectionDays.has(weekdayOfDay(clock.dayNumber(ts)))) {
      const at = clock.toUtc(clock.dayNumber(ts), this.collectionMin);
      if (at > ts - intervalMs && at <= ts) this.fillPct = rng.range(0.5, 3);
    }
    this.fillPct = M.min(this.fillPct, 120);

    let temperature = this.ctx.weather.temperature(ts) + 1.5 + 0.3 * rng.normal();
    const fire = activeAt(this.fires, ts);
    if (fire) {
      const rise = M.min(1, (ts - fire.start) / (30 * 60_000));
      temperature += M.max(0, fire.magnitude - temperature) * M.max(rise, 0.25);
    }
    this.overflowing = this.inOverflow === undefined && this.fillPct >= 100;
    this.batteryPct = M.max(0, this.batteryPct - 0.0002 - 0.0003 * rng.next());
    return {
      fill_pct: round(M.min(120, M.max(0, this.fillPct + 0.5 * rng.normal())), 1),
      temperature_c: round(M.min(200, temperature), 1),
      battery_pct: round(this.batteryPct, 1),
    };
  }
}
