import { AlertError, AlertErrorCode } from './alert.errors';
import { AlertRuleDefinition, ruleParam } from './alert-rule.catalogue';
import { DEFAULT_OFFLINE_FACTOR, offlineAt } from './device-silence.evaluator';
import {
  evaluateRateOfChange,
  INITIAL_RATE_STATE,
  RateOfChangeRule,
  RateOfChangeState,
} from './rate-of-change.evaluator';
import {
  ConditionEvent,
  evaluateThreshold,
  flagRule,
  INITIAL_THRESHOLD_STATE,
  ThresholdRule,
  ThresholdState,
} from './threshold.evaluator';

const MIN_MS = 60_000;

/** What a reading rule needs besides the sample: whether the sun is up at a time (lit-in-daylight rules). */
export interface ReadingRuleContext {
  readonly daylight?: (ts: number) => boolean;
}

export type ReadingRuleState = ThresholdState | RateOfChangeState;

export interface ReadingRuleEvaluation {
  readonly state: ReadingRuleState;
  readonly event?: ConditionEvent;
  /** The level the alert reports as its threshold, in the rule's unit. */
  readonly threshold: number;
}

/** The threshold evaluator's rule of a threshold, flag or lit-in-daylight rule. */
export function thresholdRuleOf(rule: Pick<AlertRuleDefinition, 'id' | 'params' | 'source'>): ThresholdRule {
  if (rule.source.type !== 'reading') {
    throw new AlertError(AlertErrorCode.InvalidRule, `rule ${rule.id} is not a reading rule`);
  }
  const minDurationMs = (rule.params.minDurationMin ?? 0) * MIN_MS;
  switch (rule.source.evaluator) {
    case 'threshold':
      return {
        direction: rule.params.direction ?? 'above',
        raise: ruleParam(rule, 'raise'),
        clear: ruleParam(rule, 'clear'),
        minDurationMs,
      };
    case 'flag':
    case 'lit_in_daylight':
      return flagRule(minDurationMs);
    case 'rate_of_change':
      throw new AlertError(AlertErrorCode.InvalidRule, `rule ${rule.id} is a rate-of-change rule`);
  }
}

function rateRuleOf(rule: Pick<AlertRuleDefinition, 'id' | 'params'>): RateOfChangeRule {
  return {
    rise: ruleParam(rule, 'rise'),
    clearRise: ruleParam(rule, 'clearRise'),
    windowMs: ruleParam(rule, 'windowMin') * MIN_MS,
  };
}

/**
 * One sample through one reading rule (threshold with hysteresis and minimum duration, flag, rate of change, lamp lit
 * in daylight = a flag that holds while `lamp_on` is true and the sun is up). Booleans count as 1/0. A sample older
 * than the last one evaluated changes nothing (late or replayed data never flaps an alert).
 */
export function evaluateReadingRule(
  rule: Pick<AlertRuleDefinition, 'id' | 'params' | 'source'>,
  state: ReadingRuleState | undefined,
  ts: number,
  value: number | boolean,
  ctx: ReadingRuleContext = {},
): ReadingRuleEvaluation {
  if (rule.source.type !== 'reading') {
    throw new AlertError(AlertErrorCode.InvalidRule, `rule ${rule.id} is not a reading rule`);
  }
  const v = typeof value === 'boolean' ? (value ? 1 : 0) : value;
  if (rule.source.evaluator === 'rate_of_change') {
    const r = rateRuleOf(rule);
    const s = (state as RateOfChangeState | undefined) ?? INITIAL_RATE_STATE;
    return { ...evaluateRateOfChange(r, s, ts, v), threshold: r.rise };
  }
  const t = thresholdRuleOf(rule);
  const s = (state as ThresholdState | undefined) ?? INITIAL_THRESHOLD_STATE;
  if (rule.source.evaluator === 'lit_in_daylight') {
    if (!ctx.daylight) {
      throw new AlertError(AlertErrorCode.InvalidRule, `rule ${rule.id} needs the position of the lamp`);
    }
    const lit = v === 1 && ctx.daylight(ts) ? 1 : 0;
    const r = evaluateThreshold(t, s, ts, lit);
    // The alert tells how long the lamp has been lit in daylight.
    const event =
      r.event?.type === 'fire' ? { ...r.event, value: (r.event.ts - r.event.since) / MIN_MS } : r.event;
    return { state: r.state, ...(event ? { event } : {}), threshold: t.minDurationMs / MIN_MS };
  }
  return { ...evaluateThreshold(t, s, ts, v), threshold: t.raise };
}

/** The silence rule's memory of a device: its newest report (data time). */
export interface SilenceState {
  readonly lastTs?: number;
}

/** A silence found between two reports: offline from `since` (k × interval after the last report) to `until`. */
export interface SilenceEpisode {
  readonly since: number;
  readonly until: number;
  /** Minutes without a report, and the allowed silence. */
  readonly gapMin: number;
  readonly allowedMin: number;
}

/** k of the silence rule for a kind (`kByKind` where set). */
export function silenceFactor(rule: Pick<AlertRuleDefinition, 'params'>, kind: string): number {
  return rule.params.kByKind?.[kind] ?? rule.params.k ?? DEFAULT_OFFLINE_FACTOR;
}

/**
 * A report at `ts` of a device expected every `intervalS`: when more than k × interval passed since the previous
 * report the device was offline in between (an episode, raised and resolved at once). Reports older than the newest
 * change nothing.
 */
export function evaluateSilence(
  state: SilenceState | undefined,
  ts: number,
  intervalS: number,
  k: number,
): { state: SilenceState; episode?: SilenceEpisode } {
  const last = state?.lastTs;
  if (last !== undefined && ts <= last) return { state: state as SilenceState };
  if (last === undefined) return { state: { lastTs: ts } };
  const since = offlineAt(last, intervalS, k);
  if (ts <= since) return { state: { lastTs: ts } };
  return {
    state: { lastTs: ts },
    episode: { since, until: ts, gapMin: (ts - last) / MIN_MS, allowedMin: (k * intervalS) / 60 },
  };
}
