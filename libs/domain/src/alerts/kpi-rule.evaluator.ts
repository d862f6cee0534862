import { AlertError, AlertErrorCode } from './alert.errors';
import { AlertRuleDefinition, ruleParam } from './alert-rule.catalogue';
import { validateThresholdRule } from './threshold.evaluator';

/** One KPI value of one subject, as the `kpi` measurement holds it: `ts` is the start of its window. */
export interface KpiSample {
  readonly ts: number;
  readonly value: number;
  /** Share (0–1) of the expected input data that was present. */
  readonly completeness: number;
}

/**
 * One breach of a KPI rule by one subject: since the start of the first breaching window of the run, fired at the
 * end of the `consecutive`-th one, cleared (if it did) at the end of the first window past the clear level.
 */
export interface KpiEpisode {
  /** Start of the first breaching window (epoch ms): with tenant, rule and subject, the alert's id. */
  readonly since: number;
  /** End of the window the rule fired on. */
  readonly firedAt: number;
  /** The KPI value of the window the rule fired on, and the level it crossed (above_baseline: factor × baseline). */
  readonly value: number;
  readonly threshold: number;
  readonly completeness: number;
  /** End of the first window past the clear level; absent while the breach lasts. */
  readonly clearedAt?: number;
}

/**
 * What a window says:
 * - `incomplete`: completeness below `minCompleteness`, not judged (no breach, no clear, no effect on a run or on
 *   the baseline);
 * - `no_baseline`: above_baseline with fewer than `baselineMin` earlier windows to compare with;
 * - `breach`: beyond the raise level; `clear`: past the clear level; `between`: neither (hysteresis: a firing
 *   episode stays firing, a run of breaches is broken).
 */
export type KpiWindowVerdict = 'incomplete' | 'no_baseline' | 'breach' | 'between' | 'clear';

export interface KpiWindowJudgement {
  readonly ts: number;
  readonly end: number;
  readonly value: number;
  readonly verdict: KpiWindowVerdict;
  /** The raise level the window was compared with (above_baseline: factor × baseline); absent when not judged. */
  readonly threshold?: number;
}

export interface KpiRuleEvaluation {
  /** Every episode, oldest first; only the last one may lack `clearedAt`. */
  readonly episodes: readonly KpiEpisode[];
  /** One judgement per sample, in time order (a sample at or before the previous one's ts is dropped). */
  readonly windows: readonly KpiWindowJudgement[];
  /** Samples below `minCompleteness`. */
  readonly notJudged: number;
}

/** The end of a window: a fixed length (ms), or a function of its start (local days, weeks, months, DST). */
export type KpiWindowEnd = number | ((start: number) => number);

/** The KPI rule's settings a series is judged with (the effective rule: overrides merged). */
export type KpiRuleInput = Pick<AlertRuleDefinition, 'id' | 'source' | 'params'>;

/** Median of a non-empty list (mean of the two middle values for an even count). */
export function medianOf(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

function positiveInteger(rule: KpiRuleInput, key: 'consecutive' | 'baselineMin' | 'baselineMax'): number {
  const v = ruleParam(rule, key);
  if (!Number.isInteger(v) || v < 1) {
    throw new AlertError(AlertErrorCode.InvalidRule, `rule ${rule.id}: ${key} ${v} is not an integer ≥ 1`);
  }
  return v;
}

interface Judge {
  /** The verdict of a judgeable value and the raise level it was compared with. */
  judge(value: number): { verdict: Exclude<KpiWindowVerdict, 'incomplete'>; threshold?: number };
  /** A judged window's value, once its verdict and the episode state after it are known. */
  record(value: number, verdict: KpiWindowVerdict, firingAfter: boolean): void;
}

function levelJudge(rule: KpiRuleInput): Judge {
  const direction = ruleParam(rule, 'direction');
  const raise = ruleParam(rule, 'raise');
  const clear = ruleParam(rule, 'clear');
  try {
    validateThresholdRule({ direction, raise, clear, minDurationMs: 0 });
  } catch (err) {
    if (err instanceof AlertError) throw new AlertError(err.code, `rule ${rule.id}: ${err.detail}`);
    throw err;
  }
  return {
    judge(value) {
      const breach = direction === 'above' ? value >= raise : value <= raise;
      const cleared = direction === 'above' ? value <= clear : value >= clear;
      return { verdict: breach ? 'breach' : cleared ? 'clear' : 'between', threshold: raise };
    },
    record() {
      // A level needs no memory beyond the episode state.
    },
  };
}

/**
 * Baseline = median of the values of the subject's previous *normal* windows (judgeable, not breaching, not
 * inside a firing episode), the latest `baselineMax` of them, at least `baselineMin`. Leaving breaching and firing
 * windows out keeps a leak from raising its own baseline: 10 nights of a leak do not become the new normal, the
 * episode clears only when the flow comes back under clearFactor × the pre-leak baseline. A breaching window of a
 * run too short to fire (one odd night) is left out too: it is an outlier either way. With a `floor`, a value
 * must also reach it to breach: "above its own normal" only counts where the level itself matters.
 */
function baselineJudge(rule: KpiRuleInput): Judge {
  const factor = ruleParam(rule, 'factor');
  const clearFactor = ruleParam(rule, 'clearFactor');
  const min = positiveInteger(rule, 'baselineMin');
  const max = positiveInteger(rule, 'baselineMax');
  if (!(factor > 0) || !(clearFactor > 0) || clearFactor > factor) {
    throw new AlertError(
      AlertErrorCode.InvalidRule,
      `rule ${rule.id}: factor ${factor} and clearFactor ${clearFactor} must be > 0 with clearFactor ≤ factor`,
    );
  }
  if (max < min) {
    throw new AlertError(
      AlertErrorCode.InvalidRule,
      `rule ${rule.id}: baselineMax ${max} < baselineMin ${min}`,
    );
  }
  const floor = rule.params.floor;
  if (floor !== undefined && !Number.isFinite(floor)) {
    throw new AlertError(AlertErrorCode.InvalidRule, `rule ${rule.id}: floor ${floor} is not a number`);
  }
  const normal: number[] = [];
  return {
    judge(value) {
      if (normal.length < min) return { verdict: 'no_baseline' };
      const baseline = medianOf(normal.slice(-max));
      const threshold = floor === undefined ? factor * baseline : Math.max(factor * baseline, floor);
      if (value > threshold) return { verdict: 'breach', threshold };
      return { verdict: value <= clearFactor * baseline ? 'clear' : 'between', threshold };
    },
    record(value, verdict, firingAfter) {
      // Warm-up windows (no baseline yet) and windows that neither breach nor belong to an episode feed it.
      if (verdict !== 'breach' && !firingAfter) normal.push(value);
    },
  };
}

/**
 * Judges one subject's series of KPI values against a KPI rule (`level` or `above_baseline`) and derives its
 * episodes. A rule fires at the `consecutive`-th breaching window in a row and clears at the first window past
 * the clear level; between the two levels a firing episode keeps firing.
 *
 * Windows below `minCompleteness` are not judged and are transparent: they neither breach, clear, break a run nor
 * feed the baseline, so "2 consecutive nights" means 2 consecutive judged nights — a night with half its data
 * missing between two leak nights neither hides the leak nor counts as one. A window with no point at all is
 * treated the same way (the series only holds the windows that were computed).
 *
 * Pure and deterministic: the same series always gives the same episodes, so re-evaluating a period is idempotent
 * once episodes are keyed by their `since`.
 */
export function evaluateKpiRule(
  rule: KpiRuleInput,
  samples: readonly KpiSample[],
  windowEnd: KpiWindowEnd,
): KpiRuleEvaluation {
  if (rule.source.type !== 'kpi') {
    throw new AlertError(AlertErrorCode.InvalidRule, `rule ${rule.id} is not a KPI rule`);
  }
  const consecutive = positiveInteger(rule, 'consecutive');
  const minCompleteness = rule.params.minCompleteness ?? 0;
  const judge = rule.source.evaluator === 'level' ? levelJudge(rule) : baselineJudge(rule);
  const endOf = typeof windowEnd === 'number' ? (ts: number) => ts + windowEnd : windowEnd;

  const episodes: KpiEpisode[] = [];
  const windows: KpiWindowJudgement[] = [];
  let notJudged = 0;
  let open: KpiEpisode | undefined;
  let run: { since: number; count: number } | undefined;
  let lastTs = -Infinity;

  for (const s of samples) {
    if (!Number.isFinite(s.ts) || !Number.isFinite(s.value) || !Number.isFinite(s.completeness)) {
      throw new AlertError(
        AlertErrorCode.InvalidSample,
        `KPI sample (${s.ts}, ${s.value}, ${s.completeness}) is not finite`,
      );
    }
    if (s.ts <= lastTs) continue;
    lastTs = s.ts;
    const end = endOf(s.ts);
    if (s.completeness < minCompleteness) {
      notJudged++;
      windows.push({ ts: s.ts, end, value: s.value, verdict: 'incomplete' });
      continue;
    }
    const { verdict, threshold } = judge.judge(s.value);
    windows.push({
      ts: s.ts,
      end,
      value: s.value,
      verdict,
      ...(threshold === undefined ? {} : { threshold }),
    });
    if (open) {
      if (verdict === 'clear') {
        episodes[episodes.length - 1] = { ...open, clearedAt: end };
        open = undefined;
      }
    } else if (verdict === 'breach' && threshold !== undefined) {
      run = run ? { since: run.since, count: run.count + 1 } : { since: s.ts, count: 1 };
      if (run.count >= consecutive) {
        open = { since: run.since, firedAt: end, value: s.value, threshold, completeness: s.completeness };
        episodes.push(open);
        run = undefined;
      }
    } else {
      run = undefined;
    }
    judge.record(s.value, verdict, open !== undefined);
  }
  return { episodes, windows, notJudged };
}
