import { DeviceModel, ModelContext, round } from '../src/simulation/device-model';
import {
  inSeason,
  minutesOfClock,
  monthDayKey,
  monthDayOfDay,
  weekdayOfDay,
} from '../src/simulation/local-clock';
import { Prng } from '../src/simulation/prng';
import { IrrigationZoneSpec, WEEKDAYS } from '../src/simulation/scenario.schema';

/** Math, bound once (see prng.ts). */
const M = Math;

const HOUR_MS = 3_600_000;

interface Run {
  readonly start: number;
  readonly end: number;
}

/**
 * An irrigation zone's valve and meter: the valve opens on its schedule (days, start, duration, season), and a
 * controller with rain skip stays closed when the rain of the last `window_h` hours reached the threshold.
 * The zone meter integrates the nominal flow (± 3 %) while the valve is open.
 */
export class IrrigationModel implements DeviceModel {
  readonly cumulativeMetric = 'volume_m3';
  private readonly days: ReadonlySet<number>;
  private readonly startMin: number;
  private readonly seasonFrom: number;
  private readonly seasonTo: number;
  private readonly runs = new Map<number, Run | null>();
  private readonly flowFactor: number;
  private indexM3: number;

  constructor(
    private readonly zone: IrrigationZoneSpec,
    private readonly ctx: ModelContext,
    rng: Prng,
  ) {
    this.days = new Set(zone.schedule.days.map((d) => WEEKDAYS.indexOf(d)));
    this.startMin = minutesOfClock(zone.schedule.start);
    this.seasonFrom = monthDayKey(zone.schedule.season.from);
    this.seasonTo = monthDayKey(zone.schedule.season.to);
    this.flowFactor = 1 + 0.03 * (2 * rng.next() - 1);
    this.indexM3 = round(rng.range(10, 5_000), 0);
  }

  step(ts: number, intervalMs: number): Record<string, number | boolean> {
    let openMs = 0;
    let open = false;
    const today = this.ctx.clock.dayNumber(ts);
    for (let d = today - 1; d <= today; d++) {
      const run = this.runOf(d);
      if (!run) continue;
      openMs += M.max(0, M.min(ts, run.end) - M.max(ts - intervalMs, run.start));
      if (ts >= run.start && ts < run.end) open = true;
    }
    this.indexM3 += (this.zone.nominal_flow_m3h * this.flowFactor * openMs) / HOUR_MS;
    return { volume_m3: round(this.indexM3, 3), valve_open: open };
  }

  /** The run of local day `day`, or null when none is scheduled or it is skipped for rain. */
  runOf(day: number): Run | null {
    let run = this.runs.get(day);
    if (run !== undefined) return run;
    run = null;
    if (this.days.has(weekdayOfDay(day)) && inSeason(monthDayOfDay(day), this.seasonFrom, this.seasonTo)) {
      const start = this.ctx.clock.toUtc(day, this.startMin);
      const skip = this.zone.rain_skip;
      const threshold = skip === false ? Infinity : skip === true ? 2 : skip.threshold_mm;
      const windowH = skip === false || skip === true ? 24 : skip.window_h;
      if (this.ctx.weather.rainBetween(start - windowH * HOUR_MS, start) < threshold) {
        run = { start, end: start + this.zone.schedule.duration_min * 60_000 };
      }
    }
    this.runs.set(day, run);
    return run;
  }
}
