import { DURATION, FaultKind, Scenario } from './scenario.schema';
import { DevicePlan } from './town.layout';
import { GroundTruthFault } from './town.types';

/** A fault resolved to absolute times (epoch ms, [start, end)). */
export interface FaultWindow {
  readonly kind: FaultKind;
  readonly subject: string;
  readonly start: number;
  readonly end: number;
  readonly magnitude: number;
  readonly unit?: string;
  readonly note?: string;
}

/** `2d6h30m` → ms (days, hours, minutes, seconds, in that order, each optional). */
export function parseDurationMs(text: string): number {
  const m = DURATION.exec(text);
  if (!m) throw new Error(`'${text}' is not a duration: write it like 30d, 12h, 90m, 45s or 1d12h`);
  const [, d, h, mi, s] = m;
  const n = (part: string | undefined) => (part ? Number(part.slice(0, -1)) : 0);
  return ((n(d) * 24 + n(h)) * 60 + n(mi)) * 60_000 + n(s) * 1000;
}

/** An ISO date-time, or an offset from the simulation start. */
export function resolveInstant(text: string, startMs: number): number {
  return DURATION.test(text) ? startMs + parseDurationMs(text) : Date.parse(text);
}

function defaults(
  kind: FaultKind,
  plan: DevicePlan | undefined,
  scenario: Scenario,
  subject: string,
  durationMs: number,
) {
  switch (kind) {
    case 'water_leak':
      return {
        magnitude: 2,
        unit: 'm³/h',
        note: "step in the sector's inflow (night flow rises by the magnitude)",
      };
    case 'lamp_failure':
      return {
        magnitude: plan?.role === 'light' ? plan.group.nominal_w : 0,
        unit: 'W',
        note: 'lamp gives no light when it should (lamp_failure set, power 0)',
      };
    case 'lamp_lit_in_daylight':
      return {
        magnitude: plan?.role === 'light' ? plan.group.nominal_w : 0,
        unit: 'W',
        note: 'lamp lit at full power through the whole window, daylight included',
      };
    case 'heating_on_in_holiday': {
      const b = scenario.buildings.find((x) => x.id === subject);
      return {
        magnitude: b?.heating.setpoint_c ?? 19,
        unit: '°C',
        note: 'heating held at the occupied setpoint while the building is closed (holidays, nights, weekends)',
      };
    }
    case 'water_running':
      return {
        magnitude: 12,
        unit: 'L/h',
        note: 'a fixture (cistern, tap) runs without stopping: the magnitude flows all the time, closed hours included',
      };
    case 'bin_overflow':
      return {
        magnitude: 115,
        unit: '%',
        note: 'fill rises to the magnitude and collections are missed until the end',
      };
    case 'bin_fire':
      return {
        magnitude: 85,
        unit: '°C',
        note: 'container temperature rises to the magnitude within 30 min',
      };
    case 'device_silent':
      return { magnitude: durationMs / 3_600_000, unit: 'h', note: 'no report at all in the window' };
    case 'meter_index_reset':
      return { magnitude: 0, note: 'cumulative index restarts from the magnitude at the start' };
    case 'duplicated_messages':
      return { magnitude: 2, unit: 'copies', note: 'every report in the window is sent that many times' };
    case 'out_of_order_messages':
      return {
        magnitude: 1,
        unit: 'reports',
        note: 'consecutive reports in the window are sent in swapped pairs',
      };
    case 'clock_skew':
      return {
        magnitude: 3600,
        unit: 's',
        note: 'stated timestamps are off by the magnitude (true time + skew)',
      };
    case 'malformed_payloads':
      return {
        magnitude: 1,
        unit: 'share',
        note: 'that share of the reports in the window is sent as broken payloads',
      };
  }
}

export function resolveFaults(
  scenario: Scenario,
  plans: ReadonlyMap<string, DevicePlan>,
  startMs: number,
): FaultWindow[] {
  return scenario.faults.map((f) => {
    const start = resolveInstant(f.start, startMs);
    const durationMs = parseDurationMs(f.duration);
    const d = defaults(f.kind, plans.get(f.subject), scenario, f.subject, durationMs);
    const window: FaultWindow = {
      kind: f.kind,
      subject: f.subject,
      start,
      end: start + durationMs,
      magnitude: f.magnitude ?? d.magnitude,
      ...(d.unit ? { unit: d.unit } : {}),
      note: f.note ?? d.note,
    };
    return window;
  });
}

export function toGroundTruth(w: FaultWindow): GroundTruthFault {
  return {
    kind: w.kind,
    subject: w.subject,
    start: new Date(w.start).toISOString(),
    end: new Date(w.end).toISOString(),
    magnitude: w.magnitude,
    ...(w.unit ? { unit: w.unit } : {}),
    ...(w.note ? { note: w.note } : {}),
  };
}

/** Whether `ts` is inside one of the windows. */
export function activeAt(windows: readonly FaultWindow[], ts: number): FaultWindow | undefined {
  for (const w of windows) if (ts >= w.start && ts < w.end) return w;
  return undefined;
}
