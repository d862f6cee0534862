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

/** The lamp samples of a run, shared by its lamp KPIs (the reader is the run's own: one entry per run). */
const sharedSamples = new WeakMap<object, { key: string; samples: Promise<Map<string, RawSample[]>> }>();

/**
 * The light points' `lamp_on` samples over [span.start, span.end), read back from before `start` as far as a state
 * may be held into it (L1, L5, L6, L7). The run's days and nights (nights end at noon after the last day) are read
 * once, and shared by the lamp KPIs; each gets its own span cut out of them.
 */
export async function readLampSamples(
  ctx: Pick<KpiContext, 'tenant' | 'timeZone' | 'readings' | 'days' | 'nights'>,
  lights: readonly KpiDevice[],
  span: { readonly start: number; readonly end: number },
): Promise<Map<string, RawSample[]>> {
  const hold = Math.max(...lights.map((l) => l.intervalS)) * 1000 * MAX_HOLD_INTERVALS;
  const windows = [...ctx.days, ...ctx.nights, span];
  const start = Math.min(...windows.map((w) => w.start)) - hold;
  const end = Math.max(...windows.map((w) => w.end));
  const key = `${start}/${end}`;
  let hit = sharedSamples.get(ctx.readings);
  if (hit?.key !== key) {
    hit = { key, samples: ctx.readings.rawSamples(scopeOf(ctx, LIGHT_CONTROLLER), 'lamp_on', start, end) };
    sharedSamples.set(ctx.readings, hit);
  }
  const all = await hit.samples;
  const from = span.start - hold;
  const out = new Map<string, RawSample[]>();
  for (const [device, samples] of all) {
    const own = samples.filter((x) => x.ts >= from && x.ts < span.end);
    if (own.length) out.set(device, own);
  }
  return out;
}
