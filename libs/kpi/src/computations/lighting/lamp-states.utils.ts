import { LIGHT_CONTROLLER } from '@vigie/devices';
import { OnOffState } from '@vigie/domain';
import { RawSample } from '../../influx-readings.reader';
import { KpiContext, KpiDevice } from '../../kpi-engine.types';
import { scopeOf } from '../kpi-scope.utils';

/** A lamp state is held at most this many reporting intervals (catalogue §0: gaps > 2 × interval not bridged). */
export const MAX_HOLD_INTERVALS = 2;

/** `lamp_on` samples as on/off states. */
export function lampStates(samples: readonly RawSample[]): OnOffState[] {
  return samples.map((s) => ({ ts: s.ts, on: typeof s.value === 'boolean' ? s.value : s.value !== 0 }));
}

/**
 * The light points' `lamp_on` samples over [start, end), read back from before `start` as far as a state may be
 * held into it (L1, L5, L7).
 */
export function readLampSamples(
  ctx: Pick<KpiContext, 'tenant' | 'timeZone' | 'readings'>,
  lights: readonly KpiDevice[],
  span: { readonly start: number; readonly end: number },
): Promise<Map<string, RawSample[]>> {
  const hold = Math.max(...lights.map((l) => l.intervalS)) * 1000 * MAX_HOLD_INTERVALS;
  return ctx.readings.rawSamples(scopeOf(ctx, LIGHT_CONTROLLER), 'lamp_on', span.start - hold, span.end);
}
