import { LIGHT_CONTROLLER } from '@vigie/devices';
import { OnOffState, Sample } from '@vigie/domain';
import {
  columnSamples,
  INDEX_LOOKBACK_MS,
  IndexWindowDelta,
  indexDeltasOfSamples,
  PerDeviceWindows,
  RawSample,
} from '../../influx-readings.reader';
import { KpiDevice } from '../../kpi-engine.types';
import { KpiWindowSpan } from '../../kpi-windows.utils';
import { scopeOf } from '../kpi-scope.utils';
import { RunReadContext, runField, runReadings, runSamples } from '../run-readings.utils';

/** A lamp state is held at most this many reporting intervals (catalogue §0: gaps > 2 × interval not bridged). */
export const MAX_HOLD_INTERVALS = 2;

/** `lamp_on` samples as on/off states. */
export function lampStates(samples: readonly RawSample[]): OnOffState[] {
  return samples.map((s) => ({ ts: s.ts, on: typeof s.value === 'boolean' ? s.value : s.value !== 0 }));
}

/**
 * The light points' `lamp_on` samples over [span.start, span.end), from as far before `start` as a state may be
 * held into it (L1, L5, L6, L7), cut out of the run's shared read of the light points.
 */
export function readLampSamples(
  ctx: RunReadContext,
  lights: readonly KpiDevice[],
  span: { readonly start: number; readonly end: number },
): Promise<Map<string, RawSample[]>> {
  const hold = Math.max(...lights.map((l) => l.intervalS)) * 1000 * MAX_HOLD_INTERVALS;
  return runSamples(ctx, LIGHT_CONTROLLER, 'lamp_on', span.start - hold, span.end);
}

/**
 * The light points' `energy_kwh` consumption per window of `windows` (sorted, within the run's windows) with the
 * domain's reset rule, from the run's shared read: the interval opening the first window from the last reading
 * before it (as far back as INDEX_LOOKBACK_MS). L2 (per day) and L6 (per night).
 */
export async function lightEnergyDeltas(
  ctx: RunReadContext,
  windows: readonly KpiWindowSpan[],
): Promise<PerDeviceWindows<IndexWindowDelta>> {
  const first = windows[0].start;
  const [read, before] = await Promise.all([
    runReadings(ctx, LIGHT_CONTROLLER),
    ctx.readings.lastReadings(scopeOf(ctx, LIGHT_CONTROLLER), 'energy_kwh', first - INDEX_LOOKBACK_MS, first),
  ]);
  const field = runField(read, 'energy_kwh');
  const out: PerDeviceWindows<IndexWindowDelta> = new Map();
  const devices = new Set([...read.devices.keys(), ...before.keys()]);
  for (const device of devices) {
    const samples: Sample[] = [];
    const prev = before.get(device);
    if (prev) samples.push(prev);
    const columns = read.devices.get(device);
    for (const s of columns ? columnSamples(columns, field, first + 1) : []) {
      if (typeof s.value === 'number') samples.push({ ts: s.ts, value: s.value });
    }
    const deltas = indexDeltasOfSamples(samples, windows);
    if (deltas.size) out.set(device, deltas);
  }
  return out;
}
