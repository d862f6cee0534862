import { LIGHT_CONTROLLER } from '@vigie/devices';
import { OnOffState } from '@vigie/domain';
import {
  INDEX_LOOKBACK_MS,
  IndexWindowDelta,
  indexDeltasOfColumn,
  lowerBound,
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
  for (const device of new Set([...read.devices.keys(), ...before.keys()])) {
    const columns = read.devices.get(device);
    const ts = columns?.ts ?? [];
    const deltas = indexDeltasOfColumn(ts, columns?.values[field] ?? [], windows, {
      from: lowerBound(ts, first + 1),
      before: before.get(device),
    });
    if (deltas.size) out.set(device, deltas);
  }
  return out;
}
