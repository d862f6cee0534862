import { AlertErrorCode } from './alert.errors';
import { AlertRuleParams, findAlertRule, kpiRules } from './alert-rule.catalogue';
import { evaluateKpiRule, KpiRuleInput, KpiSample, medianOf } from './kpi-rule.evaluator';

const DAY = 86_400_000;
/** Night n (1-based) starts at n days; every window lasts one day. */
const night = (n: number) => n * DAY;

function catalogueRule(id: string, params: AlertRuleParams = {}): KpiRuleInput {
  const def = findAlertRule(id);
  if (!def) throw new Error(`no rule ${id}`);
  return { ...def, params: { ...def.params, ...params } };
}

/** Samples of consecutive windows 1, 2, …; a number is a complete window, [value, completeness] otherwise. */
function series(values: readonly (number | [number, number])[]): KpiSample[] {
  return values.map((v, i) =>
    typeof v === 'number'
      ? { ts: night(i + 1), value: v, completeness: 1 }
      : { ts: night(i + 1), value: v[0], completeness: v[1] },
  );
}

const LEAK = catalogueRule('water.night_flow_leak'); // factor 1.2, clear 1.1, baseline 7–28 nights, 2 in a row, 80 %

describe('evaluateKpiRule — above_baseline (W5 night flow leak)', () => {
  it('fires at night 9 since night 8 on the catalogue example', () => {
    // Nights 1–7 at 2.0 m³/h: fewer than 7 earlier nights each, so no baseline yet; they build it.
    // Night 8: baseline = median(7 × 2.0) = 2.0, threshold 1.2 × 2.0 = 2.4; 6.5 > 2.4 → breach 1 (not fed).
    // Night 9: baseline still 2.0 (night 8 left out); 6.4 > 2.4 → breach 2 = consecutive → fires.
    // since = night 8's start, firedAt = night 9's end (= night 10's start), value 6.4, threshold 2.4.
    const r = evaluateKpiRule(LEAK, series([2, 2, 2, 2, 2, 2, 2, 6.5, 6.4]), DAY);
    expect(r.episodes).toEqual([
      {
        since: night(8),
        firedAt: night(10),
        value: 6.4,
        threshold: expect.closeTo(2.4, 12),
        completeness: 1,
      },
    ]);
    expect(r.windows.map((w) => w.verdict)).toEqual([
      ...new Array(7).fill('no_baseline'),
      'breach',
      'breach',
    ]);
    expect(r.notJudged).toBe(0);
  });

  it('does not let the leak raise its own baseline, and clears under clearFactor × the pre-leak baseline', () => {
    // Nights 1–7 at 2.0, nights 8–20 leak at 6.5: were the leak nights fed, the median of the last 28 would
    // reach 6.5 by night 16 and the alert would clear itself. Left out, the baseline stays 2.0 (threshold 2.4,
    // clear level 1.1 × 2.0 = 2.2).
    // Night 21 at 2.3: between 2.2 and 2.4 → still firing (hysteresis). Night 22 at 2.1 ≤ 2.2 → clears at its end.
    const values = [...new Array(7).fill(2), ...new Array(13).fill(6.5), 2.3, 2.1];
    const r = evaluateKpiRule(LEAK, series(values), DAY);
    expect(r.episodes).toEqual([
      {
        since: night(8),
        firedAt: night(10),
        value: 6.5,
        threshold: expect.closeTo(2.4, 12),
        completeness: 1,
        clearedAt: night(23),
      },
    ]);
    expect(r.windows[20]).toMatchObject({ verdict: 'between', threshold: expect.closeTo(2.4, 12) });
    expect(r.windows[21]).toMatchObject({ verdict: 'clear' });
  });

  it('skips an incomplete night: it neither breaks the run nor counts in it nor feeds the baseline', () => {
    // Nights 1–7 at 2.0; night 8 at 6.5 (breach 1); night 9 at 0.1 but only 50 % complete (< 80 %): not judged;
    // night 10 at 6.6 (breach 2) → fires at night 10's end, since night 8.
    const r = evaluateKpiRule(LEAK, series([2, 2, 2, 2, 2, 2, 2, 6.5, [0.1, 0.5], 6.6]), DAY);
    expect(r.episodes).toEqual([
      {
        since: night(8),
        firedAt: night(11),
        value: 6.6,
        threshold: expect.closeTo(2.4, 12),
        completeness: 1,
      },
    ]);
    expect(r.notJudged).toBe(1);
    expect(r.windows[8]).toEqual({ ts: night(9), end: night(10), value: 0.1, verdict: 'incomplete' });
  });

  it('never fires from incomplete nights alone', () => {
    // Nights 8 and 9 leak but are 60 % complete: not judged, no episode.
    const r = evaluateKpiRule(LEAK, series([2, 2, 2, 2, 2, 2, 2, [6.5, 0.6], [6.4, 0.6]]), DAY);
    expect(r.episodes).toEqual([]);
    expect(r.notJudged).toBe(2);
  });

  it('needs baselineMin earlier nights: a leak from the first nights is not judged against itself', () => {
    // Only 6 nights before the jump: night 7 has 6 earlier values < 7 → no baseline, it feeds instead.
    // Night 8: baseline = median(2,2,2,2,2,2,6.5) = 2.0 → 6.5 > 2.4 breach 1. Night 9: breach 2 → fires.
    const r = evaluateKpiRule(LEAK, series([2, 2, 2, 2, 2, 2, 6.5, 6.5, 6.5]), DAY);
    expect(r.windows[6].verdict).toBe('no_baseline');
    expect(r.episodes.map((e) => [e.since, e.firedAt])).toEqual([[night(8), night(10)]]);
  });

  it('takes the median of the latest baselineMax normal nights only', () => {
    // baselineMin 3, baselineMax 3. Nights 1–3 at 10 (warm-up), nights 4–6 at 2, 2, 2: night 4 baseline
    // median(10,10,10) = 10 → 2 ≤ 11 clear, fed; night 5 median(10,10,2) = 10; night 6 median(10,2,2) = 2.
    // Night 7 at 3: baseline median(2,2,2) = 2, threshold 2.4 → breach 1; night 8 at 3 → breach 2 → fires.
    const rule = catalogueRule('water.night_flow_leak', { baselineMin: 3, baselineMax: 3 });
    const r = evaluateKpiRule(rule, series([10, 10, 10, 2, 2, 2, 3, 3]), DAY);
    expect(r.windows.map((w) => w.threshold)).toEqual([
      undefined,
      undefined,
      undefined,
      12,
      12,
      expect.closeTo(2.4, 12),
      expect.closeTo(2.4, 12),
      expect.closeTo(2.4, 12),
    ]);
    expect(r.episodes.map((e) => [e.since, e.value])).toEqual([[night(7), 3]]);
  });

  it('does not fire on a single odd night, and leaves that night out of the baseline', () => {
    // Night 8 at 9.0 breaches, night 9 at 2.0 breaks the run (≤ 2.2: clear). No episode. Night 8 was not fed:
    // the 8 normal nights are all 2.0.
    const r = evaluateKpiRule(LEAK, series([2, 2, 2, 2, 2, 2, 2, 9, 2, 2.5]), DAY);
    expect(r.episodes).toEqual([]);
    // Night 10 at 2.5 is compared with the median of eight 2.0 nights (1–7 and 9) → threshold 2.4 → breach 1 only.
    expect(r.windows[9]).toMatchObject({ verdict: 'breach', threshold: expect.closeTo(2.4, 12) });
  });
});

describe('evaluateKpiRule — above_baseline with a floor (B5 out-of-hours share)', () => {
  const WEEK = 7 * DAY;
  const weeks = (values: readonly number[]) =>
    values.map((value, i) => ({ ts: i * WEEK, value, completeness: 0.95 }));
  const OOH = catalogueRule('energy.out_of_hours_share'); // > max(0.3, 1.25 × median of 2–8 weeks), clear 1.1 ×

  it('never flags a building for its opening hours: a school steady at 31–36 % stays quiet', () => {
    // The catalogue's level alone (30 %) would fire on the first week and stay open for ever.
    const r = evaluateKpiRule(OOH, weeks([0.325, 0.355, 0.31, 0.34, 0.33]), WEEK);
    expect(r.episodes).toEqual([]);
    expect(r.windows.map((w) => w.verdict)).toEqual([
      'no_baseline',
      'no_baseline',
      'clear',
      'clear',
      'clear',
    ]);
  });

  it('fires when the share rises above 1.25 × its own weeks, and clears under 1.1 ×', () => {
    // w1 0.32, w2 0.33: the baseline (median 0.325); w3 0.5 > max(0.3, 0.406) → fires at w3's end;
    // w4 0.37 between 0.3575 and 0.406 → firing; w5 0.34 ≤ 0.3575 → clears at w5's end.
    const r = evaluateKpiRule(OOH, weeks([0.32, 0.33, 0.5, 0.37, 0.34]), WEEK);
    expect(r.episodes).toEqual([
      {
        since: 2 * WEEK,
        firedAt: 3 * WEEK,
        value: 0.5,
        threshold: expect.closeTo(0.40625, 12),
        completeness: 0.95,
        clearedAt: 5 * WEEK,
      },
    ]);
  });

  it('does not fire below the floor, however much the share rose', () => {
    // Baseline 0.1, 0.25 = 2.5 × it but under 30 %: the catalogue's level is not reached.
    const r = evaluateKpiRule(OOH, weeks([0.1, 0.1, 0.25, 0.29]), WEEK);
    expect(r.episodes).toEqual([]);
    expect(r.windows[2]).toMatchObject({ verdict: 'between', threshold: 0.3 });
    const risen = evaluateKpiRule(OOH, weeks([0.1, 0.1, 0.31]), WEEK);
    expect(risen.episodes).toMatchObject([{ since: 2 * WEEK, value: 0.31, threshold: 0.3 }]);
  });
});

describe('evaluateKpiRule — level', () => {
  it('B5 after-closing load above 35 % on 2 closings in a row fires, clears at or under 25 %', () => {
    // Days with a closing. raise 0.35, clear 0.25, consecutive 2.
    // d1 0.1 clear; d2 0.5 breach 1; d3 0.55 breach 2 → fires, since d2's start, firedAt d3's end; d4 0.3 between →
    // firing; d5 0.25 ≤ 0.25 → clears at d5's end; d6 0.6 breach 1 alone: no new episode.
    const rule = catalogueRule('energy.no_setback_at_closing');
    const r = evaluateKpiRule(rule, series([0.1, 0.5, 0.55, 0.3, 0.25, 0.6]), DAY);
    expect(r.episodes).toEqual([
      {
        since: night(2),
        firedAt: night(4),
        value: 0.55,
        threshold: 0.35,
        completeness: 1,
        clearedAt: night(6),
      },
    ]);
    expect(r.windows.map((w) => w.verdict)).toEqual([
      'clear',
      'breach',
      'breach',
      'between',
      'clear',
      'breach',
    ]);
  });

  it('one evening with the load kept on (a meeting in the building) is not an alert', () => {
    const rule = catalogueRule('energy.no_setback_at_closing');
    expect(evaluateKpiRule(rule, series([0.1, 0.6, 0.1, 0.12]), DAY).episodes).toEqual([]);
  });

  it('L7 compliance below 50 % on 2 consecutive nights (below), an incomplete night in between is skipped', () => {
    // raise 0.5 (≤ breaches), clear 0.9 (≥ clears), consecutive 2, minCompleteness 0.8.
    // n1 0.95 clear; n2 0.4 breach 1; n3 0.1 at 50 % complete: skipped; n4 0.45 breach 2 → fires since n2 at n4's
    // end; n5 0.7 between → firing; n6 0.9 → clears at n6's end.
    const rule = catalogueRule('lighting.switch_off_breach');
    const r = evaluateKpiRule(rule, series([0.95, 0.4, [0.1, 0.5], 0.45, 0.7, 0.9]), DAY);
    expect(r.episodes).toEqual([
      {
        since: night(2),
        firedAt: night(5),
        value: 0.45,
        threshold: 0.5,
        completeness: 1,
        clearedAt: night(7),
      },
    ]);
    expect(r.notJudged).toBe(1);
  });

  it('a judged window under the raise level breaks a run', () => {
    // n1 0.4 breach 1; n2 0.6 between (not a breach) → run broken; n3 0.4 breach 1 again: no episode.
    const rule = catalogueRule('lighting.switch_off_breach');
    expect(evaluateKpiRule(rule, series([0.4, 0.6, 0.4]), DAY).episodes).toEqual([]);
  });

  it('B6 savings fraction below −10 % (consumption above the baseline model)', () => {
    // raise −0.1, clear 0, minCompleteness 0.9: m1 −0.05 between; m2 −0.12 at 85 %: not judged;
    // m3 −0.15 ≤ −0.1 → fires; m4 0.01 ≥ 0 → clears.
    const rule = catalogueRule('energy.above_baseline');
    const r = evaluateKpiRule(rule, series([-0.05, [-0.12, 0.85], -0.15, 0.01]), DAY);
    expect(r.episodes).toEqual([
      {
        since: night(3),
        firedAt: night(4),
        value: -0.15,
        threshold: -0.1,
        completeness: 1,
        clearedAt: night(5),
      },
    ]);
  });

  it('takes the window end from a function (a local month, a DST night)', () => {
    const rule = catalogueRule('energy.peak_near_subscribed');
    const r = evaluateKpiRule(
      rule,
      [{ ts: 1000, value: 0.95, completeness: 1 }],
      (start) => start + 25 * 3600_000,
    );
    expect(r.episodes[0]).toMatchObject({ since: 1000, firedAt: 1000 + 25 * 3600_000 });
  });

  it('drops a sample at or before the previous one', () => {
    const rule = catalogueRule('energy.peak_near_subscribed');
    const r = evaluateKpiRule(
      rule,
      [
        { ts: DAY, value: 0.1, completeness: 1 },
        { ts: DAY, value: 0.95, completeness: 1 },
      ],
      DAY,
    );
    expect(r.windows).toHaveLength(1);
    expect(r.episodes).toEqual([]);
  });
});

describe('evaluateKpiRule — invalid rules and samples', () => {
  it.each([
    ['clear above raise for a level above', catalogueRule('energy.peak_near_subscribed', { clear: 0.95 })],
    ['consecutive 0', catalogueRule('energy.peak_near_subscribed', { consecutive: 0 })],
    ['a floor that is not a number', catalogueRule('energy.out_of_hours_share', { floor: Number.NaN })],
    ['clearFactor above factor', catalogueRule('water.night_flow_leak', { clearFactor: 1.5 })],
    ['baselineMax under baselineMin', catalogueRule('water.night_flow_leak', { baselineMax: 3 })],
    ['a missing parameter', { ...LEAK, params: { ...LEAK.params, factor: undefined } }],
  ])('refuses %s with InvalidRule', (_, rule) => {
    expect(() => evaluateKpiRule(rule, [], DAY)).toThrow(
      expect.objectContaining({ code: AlertErrorCode.InvalidRule }),
    );
  });

  it('refuses a non-finite value with InvalidSample', () => {
    expect(() => evaluateKpiRule(LEAK, [{ ts: 0, value: Number.NaN, completeness: 1 }], DAY)).toThrow(
      expect.objectContaining({ code: AlertErrorCode.InvalidSample }),
    );
  });

  it('accepts every KPI rule of the catalogue as it is', () => {
    for (const rule of kpiRules()) expect(() => evaluateKpiRule(rule, [], DAY)).not.toThrow();
  });
});

describe('medianOf', () => {
  it.each([
    [[3], 3],
    [[5, 1, 3], 3],
    [[4, 1, 3, 2], 2.5],
  ])('median of %j is %d', (values, expected) => expect(medianOf(values)).toBe(expected));
});
