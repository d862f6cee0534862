import { findAlertRule, AlertRuleDefinition } from './alert-rule.catalogue';
import {
  evaluateReadingRule,
  evaluateSilence,
  ReadingRuleState,
  silenceFactor,
} from './reading-rule.evaluator';

const MIN = 60_000;

function rule(id: string): AlertRuleDefinition {
  const r = findAlertRule(id);
  if (!r) throw new Error(`no rule ${id}`);
  return r;
}

/** Runs samples through a rule: the events with their sample index. */
function run(
  r: AlertRuleDefinition,
  samples: [number, number | boolean][],
  daylight?: (ts: number) => boolean,
): [number, string, number, number?][] {
  let state: ReadingRuleState | undefined;
  const out: [number, string, number, number?][] = [];
  samples.forEach(([ts, v], i) => {
    const e = evaluateReadingRule(r, state, ts, v, daylight ? { daylight } : {});
    state = e.state;
    if (e.event)
      out.push([i, e.event.type, e.event.value, e.event.type === 'fire' ? e.event.since : undefined]);
  });
  return out;
}

describe('reading rules with the catalogue defaults', () => {
  it('fires a bin overflow at 100 % and clears it at 90 % (hysteresis)', () => {
    // fill 95 → 101 (≥ 100: fire) → 96 (between 90 and 100: still firing) → 90 (≤ 90: clear).
    expect(
      run(rule('waste.overflow'), [
        [0, 95],
        [60 * MIN, 101],
        [120 * MIN, 96],
        [180 * MIN, 90],
      ]),
    ).toEqual([
      [1, 'fire', 101, 60 * MIN],
      [3, 'clear', 90, undefined],
    ]);
  });

  it('treats the lamp_failure flag as 1/0', () => {
    expect(
      run(rule('lighting.lamp_failure'), [
        [0, false],
        [15 * MIN, true],
        [30 * MIN, true],
        [45 * MIN, false],
      ]).map(([i, t]) => [i, t]),
    ).toEqual([
      [1, 'fire'],
      [3, 'clear'],
    ]);
  });

  it('fires lit-in-daylight after 30 min lit while the sun is up, and reports the minutes', () => {
    // The sun is up from 30 min on. Lit at 0 (night: no breach), 30, 45, 60 (30 min lit in daylight: fire, value
    // 30 min), still lit at 75, off at 90 (clear).
    const up = (ts: number) => ts >= 30 * MIN;
    expect(
      run(
        rule('lighting.lit_in_daylight'),
        [
          [0, true],
          [30 * MIN, true],
          [45 * MIN, true],
          [60 * MIN, true],
          [75 * MIN, true],
          [90 * MIN, false],
        ],
        up,
      ),
    ).toEqual([
      [3, 'fire', 30, 30 * MIN],
      [5, 'clear', 0, undefined],
    ]);
  });

  it('needs the lamp position for lit-in-daylight', () => {
    expect(() => evaluateReadingRule(rule('lighting.lit_in_daylight'), undefined, 0, true)).toThrow(
      'needs the position of the lamp',
    );
  });

  it('fires a fast temperature rise with the rate-of-change rule', () => {
    // 20 → 25 (5 min) → 31 (10 min: +11 over the window ≥ 10: fire since 0).
    expect(
      run(rule('waste.temperature_rise'), [
        [0, 20],
        [5 * MIN, 25],
        [10 * MIN, 31],
      ]),
    ).toEqual([[2, 'fire', 31, 0]]);
  });
});

describe('evaluateSilence', () => {
  const H = 60 * MIN;
  it('finds an offline episode when the gap exceeds k × interval, none for late or close reports', () => {
    // Hourly device, k = 3: reports at 0 and 2 h (gap 2 h ≤ 3 h: none), then 7 h (gap 5 h: offline from 5 h to 7 h).
    let s = evaluateSilence(undefined, 0, 3600, 3);
    expect(s.episode).toBeUndefined();
    s = evaluateSilence(s.state, 2 * H, 3600, 3);
    expect(s.episode).toBeUndefined();
    const late = evaluateSilence(s.state, 1 * H, 3600, 3);
    expect(late.state).toBe(s.state);
    s = evaluateSilence(s.state, 7 * H, 3600, 3);
    expect(s.episode).toEqual({ since: 5 * H, until: 7 * H, gapMin: 300, allowedMin: 180 });
    expect(s.state).toEqual({ lastTs: 7 * H });
  });

  it('takes k per kind where the rule says so', () => {
    const r = rule('devices.offline');
    expect(silenceFactor(r, 'bin-sensor')).toBe(3);
    expect(silenceFactor({ params: { ...r.params, kByKind: { 'water-meter': 2 } } }, 'water-meter')).toBe(2);
  });
});
