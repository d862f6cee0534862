import {
  evaluateRateOfChange,
  INITIAL_RATE_STATE,
  RateOfChangeRule,
  RateOfChangeState,
  validateRateOfChangeRule,
} from './rate-of-change.evaluator';

const MIN = 60_000;

describe('evaluateRateOfChange', () => {
  // Catalogue K7: a rise of ≥ 10 °C within 10 min; clears when the rise over 10 min is ≤ 2 °C.
  const fire: RateOfChangeRule = { rise: 10, clearRise: 2, windowMs: 10 * MIN };

  it('fires on a fast rise, not on the same rise spread over a longer time, and clears when it levels off', () => {
    const samples: [number, number][] = [
      [0, 20],
      [5 * MIN, 24],
      [10 * MIN, 29], // 29 − 20 = 9 within 10 min: no
      [15 * MIN, 31], // window [5, 15]: 31 − 24 = 7: no (the slow climb never reaches +10 in 10 min)
      [20 * MIN, 42], // window [10, 20]: 42 − 29 = 13 ≥ 10: fires, since 10 min
      [25 * MIN, 45], // still firing
      [30 * MIN, 46], // window [20, 30]: 46 − 42 = 4 > 2: still firing
      [35 * MIN, 46.5], // window [25, 35]: 46.5 − 45 = 1.5 ≤ 2: clears
    ];
    let state: RateOfChangeState = INITIAL_RATE_STATE;
    const events: [number, string, number?][] = [];
    samples.forEach(([ts, v], i) => {
      const r = evaluateRateOfChange(fire, state, ts, v);
      state = r.state;
      if (r.event) events.push([i, r.event.type, r.event.type === 'fire' ? r.event.since : undefined]);
    });
    expect(events).toEqual([
      [4, 'fire', 10 * MIN],
      [7, 'clear', undefined],
    ]);
    // The window keeps only the last 10 minutes: samples at 25, 30 and 35 min.
    expect(state.window.map((s) => s.ts)).toEqual([25 * MIN, 30 * MIN, 35 * MIN]);
  });

  it('refuses a clear rise above the rise', () => {
    expect(() => validateRateOfChangeRule({ ...fire, clearRise: 12 })).toThrow(
      'clearRise 12 must be in [0, rise 10]',
    );
  });
});
