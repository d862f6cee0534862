import { kpiErrorCodeOf } from './kpi-error.spec-helper';
import { Sample } from './kpi-inputs.model';
import { KpiErrorCode } from './kpi.errors';
import { dailyDegreeDays, degreeDayCostic, degreeDayMeteo, sumDegreeDays } from './degree-days.calculator';

const H = 3_600_000;
const TOL = 1e-9; // pure arithmetic: absolute tolerance 1e-9 °C·day

describe('B3 degree days — catalogue TV1 (base 18 °C)', () => {
  // Catalogue §8 TV1, working shown there:
  // day 5: (18−8)×(0.08+0.42×10/12) = 10×0.43 = 4.30; day 6: (18−12)×(0.08+0.42×6/14) = 6×0.26 = 1.56.
  const TV1: [number, number, number, number][] = [
    // Tn, Tx, DJ météo, DJ COSTIC
    [-2, 6, 16, 16],
    [0, 8, 14, 14],
    [3, 11, 11, 11],
    [5, 15, 8, 8],
    [8, 20, 4, 4.3],
    [12, 26, 0, 1.56],
    [19, 27, 0, 0],
  ];

  it.each(TV1)('Tn %d, Tx %d → météo %d, COSTIC %d', (tn, tx, meteo, costic) => {
    expect(Math.abs(degreeDayMeteo(tn, tx) - meteo)).toBeLessThan(TOL);
    expect(Math.abs(degreeDayCostic(tn, tx) - costic)).toBeLessThan(TOL);
  });

  it('sums to 53 (météo) and 54.86 (COSTIC)', () => {
    expect(
      Math.abs(sumDegreeDays(TV1.map(([tn, tx]) => ({ dj: degreeDayMeteo(tn, tx) }))) - 53),
    ).toBeLessThan(TOL);
    expect(
      Math.abs(sumDegreeDays(TV1.map(([tn, tx]) => ({ dj: degreeDayCostic(tn, tx) }))) - 54.86),
    ).toBeLessThan(1e-9);
  });

  it.each<[string, number, number]>([
    // S = Tx: upper branch 18 − (10+18)/2 = 4; middle branch (18−10)×(0.08+0.42×8/8) = 8×0.5 = 4
    ['S = Tx', 10, 18],
    // S = Tn: lower branch 0; middle branch (18−18)×… = 0
    ['S = Tn', 18, 25],
  ])('COSTIC is continuous at %s', (_case, tn, tx) => {
    const eps = 1e-9;
    // Move the base across the boundary: both sides agree within 1e-6.
    expect(Math.abs(degreeDayCostic(tn, tx, 18 - eps) - degreeDayCostic(tn, tx, 18 + eps))).toBeLessThan(
      1e-6,
    );
  });

  it('honours another base (SDES base 17): Tn 5, Tx 15 → 17 − 10 = 7', () => {
    expect(degreeDayMeteo(5, 15, 17)).toBe(7);
    expect(degreeDayCostic(5, 15, 17)).toBe(7);
  });

  it.each<[string, () => unknown, KpiErrorCode]>([
    ['Tn > Tx', () => degreeDayCostic(10, 5), KpiErrorCode.InvalidParameter],
    ['NaN Tn', () => degreeDayMeteo(NaN, 5), KpiErrorCode.NonFiniteValue],
    [
      'unsorted temperatures',
      () =>
        dailyDegreeDays(
          [
            { ts: 2, value: 1 },
            { ts: 1, value: 2 },
          ],
          'meteo',
        ),
      KpiErrorCode.UnsortedInput,
    ],
  ])('refuses %s', (_what, fn, code) => {
    expect(kpiErrorCodeOf(fn)).toBe(code);
  });
});

/** Hourly samples of a constant or varying temperature over a local day in Paris, one per real hour. */
function hourly(startIso: string, hours: number, temp: (h: number) => number): Sample[] {
  const t0 = Date.parse(startIso);
  return Array.from({ length: hours }, (_, h) => ({ ts: t0 + h * H, value: temp(h) }));
}

describe('dailyDegreeDays per local day', () => {
  it('groups by Paris day, Tn/Tx from the samples', () => {
    // 2025-01-15 local = 2025-01-14T23:00Z … 2025-01-15T22:59Z. Temps 2 °C at night, 10 °C in the afternoon.
    // 23:30Z on the 15th is already the 16th in Paris (00:30 CET).
    const samples: Sample[] = [
      { ts: Date.parse('2025-01-14T23:00:00Z'), value: 2 },
      { ts: Date.parse('2025-01-15T13:00:00Z'), value: 10 },
      { ts: Date.parse('2025-01-15T23:30:00Z'), value: 4 },
      { ts: Date.parse('2025-01-16T12:00:00Z'), value: 8 },
    ];
    const days = dailyDegreeDays(samples, 'meteo');
    expect(days.map((d) => [d.day, d.tn, d.tx, d.samples])).toEqual([
      ['2025-01-15', 2, 10, 2],
      ['2025-01-16', 4, 8, 2],
    ]);
    // 18 − (2+10)/2 = 12; 18 − (4+8)/2 = 12
    expect(days.map((d) => d.dj)).toEqual([12, 12]);
    // COSTIC, Tx < S on both days → same as météo
    expect(sumDegreeDays(samples, 'costic')).toBe(24);
  });

  it.each<[string, string, number, number]>([
    // constant 10 °C, one sample per real hour: DJ = hours × (18 − 10) / 24
    ['a 24-hour day', '2025-01-14T23:00:00Z', 24, 8], // 24 × 8 / 24 = 8
    ['the 23-hour day 2025-03-30', '2025-03-29T23:00:00Z', 23, (23 * 8) / 24], // 7.6667
    ['the 25-hour day 2025-10-26', '2025-10-25T22:00:00Z', 25, (25 * 8) / 24], // 8.3333
  ])('hourly method on %s uses the real length of the day', (_case, startIso, hours, dj) => {
    const days = dailyDegreeDays(
      hourly(startIso, hours, () => 10),
      'hourly',
    );
    expect(days).toHaveLength(1);
    expect(days[0].hoursWithData).toBe(hours);
    expect(Math.abs(days[0].dj - dj)).toBeLessThan(TOL);
  });

  it('hourly method counts only the hours below the base', () => {
    // 12 h at 12 °C (6 K below 18) and 12 h at 22 °C (0): DJ = 12 × 6 / 24 = 3; météo gives 18 − 17 = 1
    const temps = hourly('2025-01-14T23:00:00Z', 24, (h) => (h < 12 ? 12 : 22));
    expect(dailyDegreeDays(temps, 'hourly')[0].dj).toBe(3);
    expect(dailyDegreeDays(temps, 'meteo')[0].dj).toBe(1);
  });

  it('averages samples within an hour slot (15-min data)', () => {
    // 4 samples in one hour: 8, 10, 12, 14 → mean 11 → (18 − 11)/24 = 0.291666…
    const t0 = Date.parse('2025-01-15T08:00:00Z');
    const temps = [8, 10, 12, 14].map((value, i) => ({ ts: t0 + i * 900_000, value }));
    const d = dailyDegreeDays(temps, 'hourly')[0];
    expect(Math.abs(d.dj - 7 / 24)).toBeLessThan(TOL);
    expect(d.hoursWithData).toBe(1);
  });

  it('returns no day for no sample, one day for a single sample', () => {
    expect(dailyDegreeDays([], 'costic')).toEqual([]);
    expect(sumDegreeDays([], 'meteo')).toBe(0);
    const one = dailyDegreeDays([{ ts: Date.parse('2025-02-01T12:00:00Z'), value: 6 }], 'costic');
    expect(one).toEqual([{ day: '2025-02-01', tn: 6, tx: 6, dj: 12, samples: 1, hoursWithData: 1 }]);
  });
});
