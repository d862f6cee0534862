import { AlertError, AlertErrorCode } from './alert.errors';
import { Evaluation } from './threshold.evaluator';

/**
 * A rise of at least `rise` within `windowMs` (a bin's temperature +10 °C in 10 min): fires when the value exceeds
 * the lowest value of the last `windowMs` by `rise` or more; clears when the rise over the window has fallen to
 * `clearRise` or less (hysteresis).
 */
export interface RateOfChangeRule {
  readonly rise: number;
  readonly clearRise: number;
  readonly windowMs: number;
}

export interface RateOfChangeState {
  readonly firing: boolean;
  /** The samples of the last `windowMs`, oldest first (bounded by the window). */
  readonly window: readonly { readonly ts: number; readonly value: number }[];
}

export const INITIAL_RATE_STATE: RateOfChangeState = { firing: false, window: [] };

export function validateRateOfChangeRule(rule: RateOfChangeRule): void {
  if (
    ![rule.rise, rule.clearRise, rule.windowMs].every(Number.isFinite) ||
    rule.rise <= 0 ||
    rule.windowMs <= 0
  ) {
    throw new AlertError(AlertErrorCode.InvalidRule, 'rise and windowMs must be positive numbers');
  }
  if (rule.clearRise > rule.rise || rule.clearRise < 0) {
    throw new AlertError(
      AlertErrorCode.InvalidRule,
      `clearRise ${rule.clearRise} must be in [0, rise ${rule.rise}]`,
    );
  }
}

export function evaluateRateOfChange(
  rule: RateOfChangeRule,
  state: RateOfChangeState,
  ts: number,
  value: number,
): Evaluation<RateOfChangeState> {
  if (!Number.isFinite(ts) || !Number.isFinite(value)) {
    throw new AlertError(AlertErrorCode.InvalidSample, `sample (${ts}, ${value}) is not finite`);
  }
  const last = state.window[state.window.length - 1];
  if (last && ts <= last.ts) return { state };
  const window = [...state.window.filter((s) => s.ts >= ts - rule.windowMs), { ts, value }];
  let low = window[0];
  for (const s of window) if (s.value < low.value) low = s;
  const rise = value - low.value;
  if (!state.firing && rise >= rule.rise) {
    return { state: { firing: true, window }, event: { type: 'fire', ts, since: low.ts, value } };
  }
  if (state.firing && rise <= rule.clearRise) {
    return { state: { firing: false, window }, event: { type: 'clear', ts, value } };
  }
  return { state: { firing: state.firing, window } };
}
