import { BIN_SENSOR, LIGHT_CONTROLLER } from '@vigie/devices';
import type { DeviceKind } from '@vigie/domain';
import { columnSamples, RawSample, ReadingColumns } from '../influx-readings.reader';
import { devicesOfKind, KpiContext } from '../kpi-engine.types';
import { KpiWindowSpan } from '../kpi-windows.utils';
import { scopeOf } from './kpi-scope.utils';
import { FILL_TREND_LOOKBACK_MS } from './waste/fill-forecast.kpi';

/** A kind whose raw readings several KPIs of a run need: which fields, and from how far before the run. */
export interface RunReadSpec {
  readonly fields: readonly string[];
  /** How far before the run's first window the read starts, given the kind's longest reporting interval. */
  reachMs(maxIntervalMs: number): number;
}

/**
 * The kinds read raw once per run for every KPI that needs their sequence, instead of once per KPI (a year of a
 * thousand light points is 25 M readings; InfluxDB 1.x returns about 150 k raw points/s here, and a second field in
 * the same query costs a third of a first):
 * - light points: `lamp_on` states (L1, L5, L6, L7: a state is held 2 intervals) and the `energy_kwh` index (L2,
 *   L6), and as proof of presence for X2 (a device stays online 3 intervals after a report);
 * - bins: `fill_pct` (K1, K3, K4, K5, K6: the longest look-back is K6's fill trend) and `temperature_c` (K7's
 *   suspect days).
 */
export const RUN_READS: Readonly<Record<string, RunReadSpec>> = {
  [LIGHT_CONTROLLER.id]: { fields: ['lamp_on', 'energy_kwh'], reachMs: (interval) => 3 * interval },
  [BIN_SENSOR.id]: { fields: ['fill_pct', 'temperature_c'], reachMs: () => FILL_TREND_LOOKBACK_MS },
};

/** One run's shared read of a kind: per device, the columns of the spec's fields. */
export interface RunReadings {
  readonly spec: RunReadSpec;
  readonly devices: ReadonlyMap<string, ReadingColumns>;
}

/** What of a run its shared reads depend on. */
export type RunReadContext = Pick<
  KpiContext,
  'tenant' | 'timeZone' | 'readings' | 'days' | 'nights' | 'months' | 'devices'
>;

/** What a run computes once for several KPIs, keyed by its reader (one per run) and then by name. */
const runValues = new WeakMap<object, Map<string, Promise<unknown>>>();

/**
 * `make()`, once per run: the first call of the run with `key` makes it, the others share its promise. `key` must
 * name one thing of the run (the run's context decides it all, never a caller's argument).
 */
export function runShared<T>(
  ctx: Pick<KpiContext, 'readings'>,
  key: string,
  make: () => Promise<T>,
): Promise<T> {
  let values = runValues.get(ctx.readings);
  if (!values) {
    values = new Map();
    runValues.set(ctx.readings, values);
  }
  let value = values.get(key) as Promise<T> | undefined;
  if (!value) {
    value = make();
    values.set(key, value);
  }
  return value;
}

/** The span the windows of a run that KPIs read raw cover (days, nights and months). */
export function runSpan(ctx: Pick<KpiContext, 'days' | 'nights' | 'months'>): { start: number; end: number } {
  const windows: KpiWindowSpan[] = [...ctx.days, ...ctx.nights, ...ctx.months];
  let start = Infinity;
  let end = -Infinity;
  for (const w of windows) {
    start = Math.min(start, w.start);
    end = Math.max(end, w.end);
  }
  return { start, end };
}

/**
 * The run's raw readings of `kind` (one of RUN_READS) over every window of the run, from the spec's reach before
 * it: read once, on the first call, and shared by every KPI of the run asking for it (each cuts out its own span).
 */
export function runReadings(ctx: RunReadContext, kind: DeviceKind): Promise<RunReadings> {
  const spec = RUN_READS[kind.id];
  if (!spec) throw new Error(`no shared run read is declared for device kind '${kind.id}'`);
  return runShared(ctx, `read:${kind.id}`, () => {
    const maxIntervalMs = Math.max(0, ...devicesOfKind(ctx, kind.id).map((d) => d.intervalS * 1000));
    const span = runSpan(ctx);
    const start = span.start - spec.reachMs(maxIntervalMs);
    // Through the end inclusive: a reading at the end of the last window closes that window's last interval.
    const end = span.end + 1;
    return ctx.readings
      .rawColumns(scopeOf(ctx, kind), spec.fields, start, end)
      .then((devices) => ({ spec, devices }));
  });
}

/** Per device, the samples of `field` in [from, to), cut out of the run's shared read of `kind`. */
export async function runSamples(
  ctx: RunReadContext,
  kind: DeviceKind,
  field: string,
  from: number,
  to: number,
): Promise<Map<string, RawSample[]>> {
  const read = await runReadings(ctx, kind);
  const column = runField(read, field);
  const out = new Map<string, RawSample[]>();
  for (const [device, columns] of read.devices) {
    const own = columnSamples(columns, column, from, to);
    if (own.length) out.set(device, own);
  }
  return out;
}

/** Per device, the timestamps of a run read's rows (reports holding any of its fields). */
export function reportTimesOf(read: RunReadings): Map<string, readonly number[]> {
  const out = new Map<string, readonly number[]>();
  for (const [device, columns] of read.devices) out.set(device, columns.ts);
  return out;
}

/** The index of `field` in a run read's columns (a programming error when the spec does not read it). */
export function runField(read: RunReadings, field: string): number {
  const i = read.spec.fields.indexOf(field);
  if (i < 0) throw new Error(`the shared run read does not hold '${field}'`);
  return i;
}
