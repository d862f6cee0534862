import { Sample } from '@vigie/domain';
import { RawSample } from '../../influx-readings.reader';
import { KpiWindowSpan, windowIndexOf } from '../../kpi-windows.utils';

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
