import { AlertErrorCode } from './alert.errors';
import {
  ConditionEvent,
  evaluateThreshold,
  flagRule,
  INITIAL_THRESHOLD_STATE,
  ThresholdRule,
  ThresholdState,
  validateThresholdRule,
} from './threshold.evaluator';

const MIN = 60_000;

/** Runs samples through a rule and returns the events with their sample index. */
function run(rule: ThresholdRule, samples: [number, number][]): { i: number; e: ConditionEvent }[] {
  let state: ThresholdState = INITIAL_THRESHOLD_STATE;
  const out: { i: number; e: ConditionEvent }[] = [];
  samples.forEach(([ts, v], i) => {
    const r = evaluateThreshold(rule, state, ts, v);
    state = r.state;
    if (r.event) out.push({ i, e: r.event });
  });
  return out;
}

describe('evaluateThreshold', () => {
  // Bin fill: raise at 80 %, clear at 70 %, must hold 10 min. Samples every 5 min.
  const fill: ThresholdRule = { direction: 'above', raise: 80, clear: 70, minDurationMs: 10 * MIN };

  it('fires once after the minimum duration and clears only below the clear level', () => {
    const events = run(fill, [
      [0, 60],
      [5 * MIN, 82], // breach starts: pending since 5 min
      [10 * MIN, 79], // back under 80 but above 70: still a breach? no — below raise: pending is dropped
      [15 * MIN, 85], // new breach since 15 min
      [20 * MIN, 90], // 5 min of breach: still pending
      [25 * MIN, 81], // 10 min ≥ 10 min: fires, since 15 min
      [30 * MIN, 75], // between 70 and 80: stays firing (hysteresis)
      [35 * MIN, 88], // still firing, no second event
      [40 * MIN, 70], // ≤ 70: clears
    ]);
    expect(events).toEqual([
      { i: 5, e: { type: 'fire', ts: 25 * MIN, since: 15 * MIN, value: 81 } },
      { i: 8, e: { type: 'clear', ts: 40 * MIN, value: 70 } },
    ]);
  });

  it('fires on the first breaching sample when the minimum duration is 0', () => {
    expect(run({ ...fill, minDurationMs: 0 }, [[0, 80]])).toEqual([
      { i: 0, e: { type: 'fire', ts: 0, since: 0, value: 80 } },
    ]);
  });

  it('mirrors for a threshold below (battery under 20 %, clear at 30 %)', () => {
    const battery: ThresholdRule = { direction: 'below', raise: 20, clear: 30, minDurationMs: 0 };
    expect(
      run(battery, [
        [0, 25],
        [1, 19],
        [2, 25],
        [3, 31],
      ]).map((x) => [x.i, x.e.type]),
    ).toEqual([
      [1, 'fire'],
      [3, 'clear'],
    ]);
  });

  it('ignores a sample older than the last one evaluated (late data does not flap)', () => {
    const rule = { ...fill, minDurationMs: 0 };
    const fired = evaluateThreshold(rule, INITIAL_THRESHOLD_STATE, 10 * MIN, 90);
    const late = evaluateThreshold(rule, fired.state, 5 * MIN, 10);
    expect(late).toEqual({ state: fired.state });
  });

  it('treats a boolean flag as 1/0: true fires, false clears', () => {
    expect(
      run(flagRule(), [
        [0, 0],
        [1, 1],
        [2, 1],
        [3, 0],
      ]).map((x) => [x.i, x.e.type]),
    ).toEqual([
      [1, 'fire'],
      [3, 'clear'],
    ]);
  });

  it('refuses inconsistent rules and non-finite samples with the reason', () => {
    expect(() => validateThresholdRule({ ...fill, clear: 85 })).toThrow(
      'the alert rule is invalid: clear 85 must be ≤ raise 80 for a threshold above',
    );
    expect(() => validateThresholdRule({ ...fill, minDurationMs: -1 })).toThrow(
      'minDurationMs -1 is negative',
    );
    expect(() => validateThresholdRule(fill)).not.toThrow();
    expect(() => evaluateThreshold(fill, INITIAL_THRESHOLD_STATE, 0, Number.NaN)).toThrow(
      expect.objectContaining({ code: AlertErrorCode.InvalidSample }),
    );
  });
});
