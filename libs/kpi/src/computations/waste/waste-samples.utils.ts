import { BIN_SENSOR } from '@vigie/devices';
import { Sample } from '@vigie/domain';
import { RawSample } from '../../influx-readings.reader';
import { KpiWindowSpan, windowIndexOf } from '../../kpi-windows.utils';
import { RunReadContext, runSamples } from '../run-readings.utils';

/**
 * The bins' raw `fill_pct` samples over [start − lookbackMs, end) (the look-back lets a KPI see the state before),
 * cut out of the run's shared read of the bins.
 */
export function readFillSamples(
  ctx: RunReadContext,
  span: { readonly start: number; readonly end: number },
  lookbackMs = 0,
): Promise<Map<string, RawSample[]>> {
  return runSamples(ctx, BIN_SENSOR, 'fill_pct', span.start - lookbackMs, span.end);
}

/** The numeric samples of a raw series (booleans left out). */
export function numericSamples(raw: readonly RawSample[] | undefined): Sample[] {
  const out: Sample[] = [];
  for (const s of raw ?? []) if (typeof s.value === 'number') out.push({ ts: s.ts, value: s.value });
  return out;
}

/** Samples (sorted) per window of `windows` (sorted): index → samples in [start, end). */
export function samplesPerWindow(samples: readonly Sample[], windows: readonly KpiWindowSpan[]): Sample[][] {
  const out = windows.map((): Sample[] => []);
  for (const s of samples) {
    const i = windowIndexOf(windows, s.ts);
    if (i >= 0) out[i].push(s);
  }
  return out;
}
