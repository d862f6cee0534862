import { KpiError, KpiErrorCode } from './kpi.errors';

/** One reading of a numeric series: epoch ms and value. */
export interface Sample {
  readonly ts: number;
  readonly value: number;
}

/** One reading of an on/off state (lamp lit, valve open…). */
export interface OnOffState {
  readonly ts: number;
  readonly on: boolean;
}

/** Throws `UnsortedInput` / `NonFiniteValue` unless every ts is finite and the series is sorted (ties allowed). */
export function assertSortedTimestamps(items: readonly { readonly ts: number }[], what: string): void {
  let prev = -Infinity;
  for (let i = 0; i < items.length; i++) {
    const ts = items[i].ts;
    if (!Number.isFinite(ts)) throw new KpiError(KpiErrorCode.NonFiniteValue, `${what}[${i}].ts is ${ts}`);
    if (ts < prev) throw new KpiError(KpiErrorCode.UnsortedInput, `${what}[${i}].ts ${ts} < ${prev}`);
    prev = ts;
  }
}

/** Throws `NonFiniteValue` unless `value` is a finite number. */
export function assertFinite(value: number, what: string): void {
  if (!Number.isFinite(value)) throw new KpiError(KpiErrorCode.NonFiniteValue, `${what} is ${value}`);
}
