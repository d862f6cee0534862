import { kpiErrorCodeOf } from './kpi-error.spec-helper';
import { Sample } from './kpi-inputs.model';
import { KpiErrorCode } from './kpi.errors';
import { dailyIndexConsumption, indexConsumption, intervalConsumption } from './index-consumption.calculator';

const H = 3_600_000;
const series = (...values: number[]): Sample[] => values.map((value, i) => ({ ts: i * H, value }));

describe('B1 index consumption', () => {
  it.each<[string, Sample[], number | undefined, number, number[]]>([
    ['no sample', [], undefined, 0, []],
    ['one sample', series(1234), undefined, 0, []],
    // 105 − 100 + 112 − 105 = 12
    ['steady growth', series(100, 105, 112), undefined, 12, []],
    ['flat index', series(50, 50, 50), undefined, 0, []],
    // 105−100 = 5; 3 < 105 → reset, delta = 3; 10 − 3 = 7 → 15, reset at ts 2 h
    ['a reset', series(100, 105, 3, 10), undefined, 15, [2 * H]],
    // modulus 100,000: 99,998 − 99,990 = 8; rollover 5 + (100,000 − 99,998) = 7 → 15
    ['a rollover', series(99_990, 99_998, 5), 100_000, 15, [2 * H]],
    // two resets: 10 + (reset) 2 + 3 + (reset) 1 = 16
    ['two resets', series(0, 10, 2, 5, 1), undefined, 16, [2 * H, 4 * H]],
  ])('%s', (_case, samples, maxIndex, consumption, resets) => {
    const r = indexConsumption(samples, { maxIndex });
    expect(r.consumption).toBe(consumption);
    expect(r.resets).toEqual(resets);
  });

  it('gives per-interval deltas, never negative', () => {
    expect(intervalConsumption(series(100, 105, 3, 10))).toEqual([
      { startTs: 0, ts: H, delta: 5, reset: false },
      { startTs: H, ts: 2 * H, delta: 3, reset: true },
      { startTs: 2 * H, ts: 3 * H, delta: 7, reset: false },
    ]);
  });

  it('treats a drop below the old value as a reset when the old value exceeds maxIndex', () => {
    // old 120 > modulus 100: inconsistent with a rollover, so reset: delta = new = 4
    expect(indexConsumption(series(120, 4), { maxIndex: 100 }).consumption).toBe(4);
  });

  it('splits daily consumption on Paris days, 25 h on 2025-10-26', () => {
    // +1 kWh every real hour from 2025-10-25 00:00 CEST (2025-10-24T22:00Z) to 2025-10-27 00:00 CET (23:00Z):
    // 2025-10-25 has 24 h → 24 kWh; 2025-10-26 has 25 h → 25 kWh. The reading at midnight closes the previous day.
    const t0 = Date.parse('2025-10-24T22:00:00Z');
    const samples = Array.from({ length: 50 }, (_, h) => ({ ts: t0 + h * H, value: 1000 + h }));
    expect(dailyIndexConsumption(samples)).toEqual([
      { day: '2025-10-25', consumption: 24, resets: 0 },
      { day: '2025-10-26', consumption: 25, resets: 0 },
    ]);
  });

  it.each<[string, () => unknown, KpiErrorCode]>([
    [
      'unsorted readings',
      () =>
        indexConsumption([
          { ts: 2, value: 1 },
          { ts: 1, value: 2 },
        ]),
      KpiErrorCode.UnsortedInput,
    ],
    ['a NaN reading', () => indexConsumption(series(1, NaN)), KpiErrorCode.NonFiniteValue],
    ['a zero modulus', () => indexConsumption(series(1, 2), { maxIndex: 0 }), KpiErrorCode.InvalidParameter],
  ])('refuses %s', (_what, fn, code) => {
    expect(kpiErrorCodeOf(fn)).toBe(code);
  });
});
