import { SUNRISE_ALTITUDE_DEG, sunTimes } from '@vigie/domain';
import { FaultWindow } from './faults';
import { DAY_MS, LocalClock, minutesOfClock } from './local-clock';
import { hashString, noiseUniform } from './prng';
import { LightGroupSpec } from './scenario.schema';
import { scatterAround } from './town.positions';

/** Math, bound once (see prng.ts). */
const M = Math;

const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;

/**
 * One street-light point's physics, a pure function of (seed, point id, time), shared by the point's
 * controller and its cabinet meter (which sums its points). Lit from dusk to dawn at the point's own
 * lat/lon — photocell: while the Sun's centre is below the threshold elevation (± the cell's jitter);
 * astronomical clock: sunset + offset to sunrise + offset (NOAA, −0.833°) — minus the night switch-off
 * window, at the dimming schedule's level. Faults: failure (no light), lit in daylight (on all the time).
 */
export class LightPoint {
  readonly lat: number;
  readonly lon: number;
  readonly nominalW: number;
  private readonly thresholdDeg: number;
  private readonly nights = new Map<number, readonly number[]>();
  private readonly dimming: readonly (readonly [number, number, number])[];
  private readonly failures: readonly FaultWindow[];
  private readonly daylight: readonly FaultWindow[];

  constructor(
    private readonly group: LightGroupSpec,
    readonly id: string,
    seed: number,
    private readonly clock: LocalClock,
    faults: readonly FaultWindow[],
  ) {
    const key = hashString(`light/${id}`, seed);
    const r = (n: number) => noiseUniform(key, n);
    const position = lightPointPosition(group, id);
    this.lat = position.lat;
    this.lon = position.lon;
    this.nominalW = group.nominal_w * (1 + 0.02 * (2 * r(3) - 1));
    const c = group.control;
    this.thresholdDeg =
      c.mode === 'photocell'
        ? c.threshold_elevation_deg + c.jitter_deg * (2 * r(4) - 1)
        : SUNRISE_ALTITUDE_DEG;
    this.dimming = group.dimming.map(
      (w) => [minutesOfClock(w.from), minutesOfClock(w.to), w.level_pct] as const,
    );
    this.failures = faults.filter((f) => f.kind === 'lamp_failure');
    this.daylight = faults.filter((f) => f.kind === 'lamp_lit_in_daylight');
  }

  /** Lit intervals [start, end) of the night that begins in the evening of local day `day` (flat pairs). */
  nightOf(day: number): readonly number[] {
    let lit = this.nights.get(day);
    if (lit) return lit;
    const evening = sunTimes(calendarDate(day), this.lat, this.lon, this.thresholdDeg);
    const morning = sunTimes(calendarDate(day + 1), this.lat, this.lon, this.thresholdDeg);
    let on = evening.sunset ?? (evening.polar === 'night' ? day * DAY_MS : NaN);
    let off = morning.sunrise ?? (morning.polar === 'night' ? (day + 2) * DAY_MS : NaN);
    const c = this.group.control;
    if (c.mode === 'astronomical') {
      on += c.on_offset_min * MINUTE_MS;
      off += c.off_offset_min * MINUTE_MS;
    }
    lit = Number.isFinite(on) && Number.isFinite(off) && off > on ? [on, off] : [];
    const so = this.group.switch_off;
    if (so && lit.length === 2) {
      const from = minutesOfClock(so.from);
      const to = minutesOfClock(so.to);
      const fromDay = from >= 720 ? day : day + 1;
      const a = this.clock.toUtc(fromDay, from);
      const b = this.clock.toUtc(to > from ? fromDay : fromDay + 1, to);
      const pieces: number[] = [];
      if (a > on) pieces.push(on, M.min(off, a));
      if (b < off) pieces.push(M.max(on, b), off);
      lit = pieces;
    }
    this.nights.set(day, lit);
    return lit;
  }

  /** Whether the schedule (photocell or clock, switch-off) wants the lamp lit at `ts`. */
  commandedAt(ts: number): boolean {
    const day = this.clock.dayNumber(ts);
    return inPairs(this.nightOf(day - 1), ts) || inPairs(this.nightOf(day), ts);
  }

  /** Dimming level (%) of the schedule at `ts`. */
  dimAt(ts: number): number {
    if (this.dimming.length === 0) return 100;
    const m = this.clock.minuteOfDay(ts);
    for (const [from, to, level] of this.dimming) {
      if (from <= to ? m >= from && m < to : m >= from || m < to) return level;
    }
    return 100;
  }

  /** The lamp's state at `ts`, faults included. */
  stateAt(ts: number): { on: boolean; dimPct: number; failure: boolean } {
    if (this.daylight.length > 0 && activeIn(this.daylight, ts))
      return { on: true, dimPct: 100, failure: false };
    const failure = this.failures.length > 0 && activeIn(this.failures, ts);
    const on = !failure && this.commandedAt(ts);
    return { on, dimPct: on ? this.dimAt(ts) : 0, failure };
  }

  powerW(ts: number): number {
    const s = this.stateAt(ts);
    return s.on ? (this.nominalW * s.dimPct) / 100 : 0;
  }

  /** Energy drawn in (a, b] (kWh): exact overlap with the lit intervals; minute steps around faults. */
  energyKwh(a: number, b: number): number {
    if (overlapsAny(this.failures, a, b) || overlapsAny(this.daylight, a, b)) {
      let wh = 0;
      for (let t = a + MINUTE_MS / 2; t < b; t += MINUTE_MS) wh += (this.powerW(t) * MINUTE_MS) / HOUR_MS;
      return wh / 1000;
    }
    const day = this.clock.dayNumber(b);
    let litMs = 0;
    for (let d = day - 2; d <= day; d++) {
      const lit = this.nightOf(d);
      for (let i = 0; i < lit.length; i += 2) litMs += M.max(0, M.min(b, lit[i + 1]) - M.max(a, lit[i]));
    }
    if (litMs === 0) return 0;
    return (this.nominalW * (this.dimAt((a + b) / 2) / 100) * litMs) / HOUR_MS / 1000;
  }
}

/** Where a point stands: the group's base ± spread, a function of the point id only (not of the seed). */
export function lightPointPosition(group: LightGroupSpec, id: string): { lat: number; lon: number } {
  return scatterAround(group, group.spread_m, hashString(`light-position/${id}`));
}

function calendarDate(day: number): { year: number; month: number; day: number } {
  const d = new Date(day * DAY_MS);
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

function inPairs(pairs: readonly number[], ts: number): boolean {
  for (let i = 0; i < pairs.length; i += 2) if (ts >= pairs[i] && ts < pairs[i + 1]) return true;
  return false;
}

function activeIn(windows: readonly FaultWindow[], ts: number): boolean {
  for (const w of windows) if (ts >= w.start && ts < w.end) return true;
  return false;
}

function overlapsAny(windows: readonly FaultWindow[], a: number, b: number): boolean {
  for (const w of windows) if (w.start < b && w.end > a) return true;
  return false;
}
