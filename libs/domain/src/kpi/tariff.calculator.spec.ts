import { kpiErrorCodeOf } from './kpi-error.spec-helper';
import { KpiErrorCode } from './kpi.errors';
import {
  clipIntervals,
  energyCost,
  EnergySpan,
  meanVariablePrice,
  parseTariff,
  priceBoundaries,
  savingsEur,
  subscriptionCost,
  Tariff,
  tariffPriceAt,
} from './tariff.calculator';

const H = 3_600_000;
const TOL = 1e-9;
const HPHC = '2025-01-01 base 0.2016; 2026-02-01 hp 0.2146 hc 0.1696 hc=22:00-06:00 sub 0.45';

function tariff(raw: string): Tariff {
  const { tariff: t, problem } = parseTariff(raw);
  if (!t) throw new Error(problem ?? 'no tariff');
  return t;
}

/** `n` consecutive intervals of `hours` h each from `t0`, `kwh` each. */
function hourly(t0: number, n: number, kwh = 1, hours = 1): EnergySpan[] {
  return Array.from({ length: n }, (_, i) => ({
    start: t0 + i * hours * H,
    end: t0 + (i + 1) * hours * H,
    kwh,
  }));
}

describe('B8 tariff model', () => {
  it('parses versions with validity dates, slots, windows and subscription', () => {
    const t = tariff(HPHC);
    expect(t.versions).toEqual([
      { from: '2025-01-01', fromDay: 20089, prices: { base: 0.2016 }, offPeak: [], subscriptionPerDay: 0 },
      {
        from: '2026-02-01',
        fromDay: 20485,
        prices: { hp: 0.2146, hc: 0.1696 },
        offPeak: [[1320, 360]], // 22:00 = 1320 min, 06:00 = 360 min (wraps past midnight)
        subscriptionPerDay: 0.45,
      },
    ]);
    // words in any order, several windows, 24:00
    expect(tariff('2026-01-01 hc=12:00-14:00,22:00-24:00 sub 1 hc 0.1 hp 0.3').versions[0].offPeak).toEqual([
      [720, 840],
      [1320, 1440],
    ]);
    expect(parseTariff(undefined)).toEqual({});
    expect(parseTariff('  ')).toEqual({});
  });

  it.each<[string, string]>([
    ['2025-13-01 base 0.2', "version 1 '2025-13-01 base 0.2': '2025-13-01' is not a YYYY-MM-DD date"],
    ['2025-01-01 base abc', "'base' needs a price ≥ 0 such as 0.2016, got 'abc'"],
    ['2025-01-01 base -0.1', "'base' needs a price ≥ 0 such as 0.2016, got '-0.1'"],
    ['2025-01-01 hp 0.2 hc 0.1', "needs all of 'hp <€/kWh>', 'hc <€/kWh>' and 'hc=HH:MM-HH:MM'"],
    ['2025-01-01 base 0.2 hp 0.3', "'base' cannot be combined with hp/hc"],
    ['2025-01-01 hp 0.2 hc 0.1 hc=22:00-6:00', "'22:00-6:00' is not an HH:MM-HH:MM window"],
    ['2025-01-01 hp 0.2 hc 0.1 hc=22:00-22:00', "window '22:00-22:00' is empty"],
    ['2025-01-01 flat 0.2', "unknown word 'flat' (expected base, hp, hc, hc=…, sub)"],
    ['2025-01-01 base 0.2 base 0.3', "'base' is given twice"],
    ['2025-01-01', 'no price'],
    ['2025-01-01 base 0.2;', "version 2 '' is empty"],
    [
      '2025-02-01 base 0.2; 2025-01-01 base 0.3',
      "version 2 '2025-01-01 base 0.3': 2025-01-01 is not after 2025-02-01 (versions must be in date order)",
    ],
  ])('refuses %j, naming the problem', (raw, expected) => {
    const { tariff: t, problem } = parseTariff(raw);
    expect(t).toBeUndefined();
    expect(problem).toContain(expected);
  });

  it('gives the slot at the HP/HC boundaries, in local time', () => {
    const t = tariff(HPHC);
    // 2026-02-10 is in CET (UTC+1): 22:00 local = 21:00Z, 06:00 local = 05:00Z.
    const at = (iso: string) => tariffPriceAt(t, Date.parse(iso));
    expect(at('2026-02-10T20:59:59.999Z')?.slot).toBe('hp'); // 21:59:59.999
    expect(at('2026-02-10T21:00:00Z')).toMatchObject({ slot: 'hc', price: 0.1696 }); // 22:00
    expect(at('2026-02-11T04:59:59.999Z')?.slot).toBe('hc'); // 05:59:59.999
    expect(at('2026-02-11T05:00:00Z')).toMatchObject({ slot: 'hp', price: 0.2146 }); // 06:00
    // In summer (CEST, UTC+2) 22:00 local = 20:00Z.
    expect(at('2026-07-01T20:00:00Z')?.slot).toBe('hc');
    expect(at('2026-07-01T19:59:00Z')?.slot).toBe('hp');
    // The version changes at 00:00 local on 2026-02-01 = 2026-01-31T23:00Z.
    expect(at('2026-01-31T22:59:59Z')).toMatchObject({ slot: 'base', price: 0.2016 });
    expect(at('2026-01-31T23:00:00Z')?.slot).toBe('hc');
    // Before the first version: no price.
    expect(at('2024-12-31T22:59:59Z')).toBeUndefined();
  });

  it('prices an interval across 22:00 pro rata of its two slots', () => {
    const t = tariff(HPHC);
    // 21:45 → 22:15 local on 2026-02-10, 2 kWh: 1 kWh HP + 1 kWh HC = 0.2146 + 0.1696 = 0.3842 €
    const start = Date.parse('2026-02-10T20:45:00Z');
    expect(priceBoundaries(t, start, start + H / 2)).toEqual([Date.parse('2026-02-10T21:00:00Z')]);
    const c = energyCost(t, [{ start, end: start + H / 2, kwh: 2 }]);
    expect(c.bySlot.hp.kwh).toBeCloseTo(1, 12);
    expect(c.bySlot.hc.kwh).toBeCloseTo(1, 12);
    expect(Math.abs(c.variableEur - 0.3842)).toBeLessThan(TOL);
    expect(c.versions).toEqual(['2026-02-01']);
  });

  it('prices the 23 h and 25 h DST days by their real hours', () => {
    const t = tariff(HPHC);
    // 2026-03-29 (spring forward): 00:00 CET = 2026-03-28T23:00Z → 00:00 CEST = 2026-03-29T22:00Z, 23 h, 1 kWh/h.
    // HC = 00:00–06:00 minus the missing 02:00 hour (5 h) + 22:00–24:00 (2 h) = 7 h; HP = 06:00–22:00 = 16 h.
    // Cost = 7 × 0.1696 + 16 × 0.2146 = 1.1872 + 3.4336 = 4.6208 €; + 0.45 €/day subscription = 5.0708 €.
    const spring = energyCost(t, hourly(Date.parse('2026-03-28T23:00:00Z'), 23));
    expect(spring.bySlot.hc.kwh).toBeCloseTo(7, 12);
    expect(spring.bySlot.hp.kwh).toBeCloseTo(16, 12);
    expect(Math.abs(spring.variableEur - 4.6208)).toBeLessThan(TOL);
    const day = 20541; // 2026-03-29
    expect(Math.abs(spring.variableEur + subscriptionCost(t, day, day) - 5.0708)).toBeLessThan(TOL);
    // 2026-10-25 (fall back): 00:00 CEST = 2026-10-24T22:00Z → 00:00 CET = 2026-10-25T23:00Z, 25 h.
    // HC = 00:00–06:00 with 02:00 twice (7 h) + 2 h = 9 h; HP = 16 h. Cost = 9 × 0.1696 + 16 × 0.2146 = 4.96 €.
    const autumn = energyCost(t, hourly(Date.parse('2026-10-24T22:00:00Z'), 25));
    expect(autumn.bySlot.hc.kwh).toBeCloseTo(9, 12);
    expect(Math.abs(autumn.variableEur - 4.96)).toBeLessThan(TOL);
  });

  it('follows a tariff change in the middle of a month', () => {
    const t = tariff('2026-01-01 base 0.20; 2026-01-16 base 0.25');
    // January 2026 (CET all month), 1 kWh every hour: 744 h. 1–15 Jan: 360 h × 0.20 = 72 €; 16–31 Jan: 384 h ×
    // 0.25 = 96 €; total 168 €, mean variable price 168 / 744 = 0.225806… €/kWh.
    const c = energyCost(t, hourly(Date.parse('2025-12-31T23:00:00Z'), 744));
    expect(Math.abs(c.variableEur - 168)).toBeLessThan(TOL);
    expect(c.kwh).toBeCloseTo(744, 9);
    expect(Math.abs(meanVariablePrice(c) - 168 / 744)).toBeLessThan(TOL);
    expect(c.versions).toEqual(['2026-01-01', '2026-01-16']);
    // One interval 23:30 on the 15th → 00:30 on the 16th, 1 kWh: 0.5 × 0.20 + 0.5 × 0.25 = 0.225 €.
    const across = energyCost(t, [
      { start: Date.parse('2026-01-15T22:30:00Z'), end: Date.parse('2026-01-15T23:30:00Z'), kwh: 1 },
    ]);
    expect(Math.abs(across.variableEur - 0.225)).toBeLessThan(TOL);
  });

  it('leaves energy before the first version unpriced', () => {
    const t = tariff('2026-01-01 base 0.2');
    // 2025-12-31 23:00 → 2026-01-01 01:00 local (22:00Z → 00:00Z), 2 kWh: 1 kWh unpriced, 1 kWh at 0.2 €.
    const c = energyCost(t, [
      { start: Date.parse('2025-12-31T22:00:00Z'), end: Date.parse('2026-01-01T00:00:00Z'), kwh: 2 },
    ]);
    expect(c.unpricedKwh).toBeCloseTo(1, 12);
    expect(c.kwh).toBeCloseTo(1, 12);
    expect(c.variableEur).toBeCloseTo(0.2, 12);
  });

  it('clips intervals to a window pro rata', () => {
    // A 1 h interval of 4 kWh, window from its 15th to its 60th minute: 3 kWh kept.
    expect(clipIntervals([{ start: 0, end: H, kwh: 4 }], H / 4, 2 * H)).toEqual([
      { start: H / 4, end: H, kwh: 3 },
    ]);
    expect(clipIntervals([{ start: 0, end: H, kwh: 4 }], H, 2 * H)).toEqual([]);
  });

  it('values savings at the variable price', () => {
    // 1,250 kWh avoided × 0.1875 €/kWh = 234.375 €; an overconsumption is a negative saving.
    expect(savingsEur(1250, 0.1875)).toBeCloseTo(234.375, 12);
    expect(savingsEur(-100, 0.2)).toBeCloseTo(-20, 12);
  });

  it.each<[string, () => unknown, KpiErrorCode]>([
    [
      'a mean price without energy',
      () => meanVariablePrice(energyCost(tariff(HPHC), [])),
      KpiErrorCode.ZeroDenominator,
    ],
    [
      'a negative interval energy',
      () => energyCost(tariff(HPHC), [{ start: 0, end: H, kwh: -1 }]),
      KpiErrorCode.InvalidParameter,
    ],
    [
      'an empty interval',
      () => energyCost(tariff(HPHC), [{ start: H, end: H, kwh: 1 }]),
      KpiErrorCode.InvalidParameter,
    ],
    ['a NaN saving', () => savingsEur(NaN, 0.2), KpiErrorCode.NonFiniteValue],
    ['a negative price', () => savingsEur(1, -0.2), KpiErrorCode.InvalidParameter],
  ])('refuses %s', (_what, fn, code) => {
    expect(kpiErrorCodeOf(fn)).toBe(code);
  });
});
