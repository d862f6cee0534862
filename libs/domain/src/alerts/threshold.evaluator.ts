import { AlertError, AlertErrorCode } from './alert.errors';

/**
 * A threshold with hysteresis and a minimum duration: the condition holds once the value has stayed beyond
 * `raise` for `minDurationMs`, and clears only when the value comes back beyond `clear` (between the two levels
 * nothing changes, so a value hovering around the threshold raises one alert, not one per sample).
 */
export interface ThresholdRule {
  /** `above`: breach when value ≥ raise, clear when value ≤ clear (clear ≤ raise). `below`: the mirror. */
  readonly direction: 'above' | 'below';
  readonly raise: number;
  readonly clear: number;
  /** How long the breach must last before the condition fires; 0 fires on the first breaching sample. */
  readonly minDurationMs: number;
}

/** Where one (rule, subject) stands; kept between samples (in Redis, so any worker can evaluate the next). */
export interface ThresholdState {
  readonly phase: 'normal' | 'pending' | 'firing';
  /** Start of the current breach (pending or firing). */
  readonly since?: number;
  /** Time of the last sample evaluated: an older sample is ignored (late data does not flap alerts). */
  readonly lastTs?: number;
}

export const INITIAL_THRESHOLD_STATE: ThresholdState = { phase: 'normal' };

export type ConditionEvent =
  | { readonly type: 'fire'; readonly ts: number; readonly since: number; readonly value: number }
  | { readonly type: 'clear'; readonly ts: number; readonly value: number };

export interface Evaluation<S> {
  readonly state: S;
  readonly event?: ConditionEvent;
}

/** Throws AlertError(InvalidRule) when the levels or the duration are inconsistent. */
export function validateThresholdRule(rule: ThresholdRule): void {
  const { raise, clear, minDurationMs, direction } = rule;
  if (![raise, clear, minDurationMs].every(Number.isFinite)) {
    throw new AlertError(AlertErrorCode.InvalidRule, 'raise, clear and minDurationMs must be finite numbers');
  }
  if (minDurationMs < 0) {
    throw new AlertError(AlertErrorCode.InvalidRule, `minDurationMs ${minDurationMs} is negative`);
  }
  if (direction === 'above' ? clear > raise : clear < raise) {
    throw new AlertError(
      AlertErrorCode.InvalidRule,
      `clear ${clear} must be ${direction === 'above' ? '≤' : '≥'} raise ${raise} for a threshold ${direction}`,
    );
  }
}

function checkSample(ts: number, value: number): void {
  if (!Number.isFinite(ts) || !Number.isFinite(value)) {
    throw new AlertError(AlertErrorCode.InvalidSample, `sample (${ts}, ${value}) is not finite`);
  }
}

/** One sample through the rule: the new state, and a `fire` or `clear` event when the condition changes. */
export function evaluateThreshold(
  rule: ThresholdRule,
  state: ThresholdState,
  ts: number,
  value: number,
): Evaluation<ThresholdState> {
  checkSample(ts, value);
  if (state.lastTs !== undefined && ts <= state.lastTs) return { state };
  const breach = rule.direction === 'above' ? value >= rule.raise : value <= rule.raise;
  const cleared = rule.direction === 'above' ? value <= rule.clear : value >= rule.clear;
  switch (state.phase) {
    case 'normal':
    case 'pending': {
      if (!breach) return { state: { phase: 'normal', lastTs: ts } };
      const since = state.phase === 'pending' && state.since !== undefined ? state.since : ts;
      if (ts - since >= rule.minDurationMs) {
        return { state: { phase: 'firing', since, lastTs: ts }, event: { type: 'fire', ts, since, value } };
      }
      return { state: { phase: 'pending', since, lastTs: ts } };
    }
    case 'firing':
      if (cleared) return { state: { phase: 'normal', lastTs: ts }, event: { type: 'clear', ts, value } };
      return { state: { ...state, lastTs: ts } };
  }
}

/** A boolean flag (`lamp_failure`, lit in daylight) as a threshold: true breaches, false clears. */
export function flagRule(minDurationMs = 0): ThresholdRule {
  return { direction: 'above', raise: 1, clear: 0, minDurationMs };
}
