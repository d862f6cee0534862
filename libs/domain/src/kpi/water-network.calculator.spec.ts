import { kpiErrorCodeOf } from './kpi-error.spec-helper';
import { KpiErrorCode } from './kpi.errors';
import {
  grenelleCompliant,
  grenelleThreshold,
  ilc,
  ilp,
  ilvnc,
  networkEfficiency,
  volumeInDistribution,
} from './water-network.calculator';

// A service over one year: V1 = 1,000,000 m³ produced, V2 = 200,000 bought, V3 = 100,000 sold, V7 = 800,000
// metered, V6 = 860,000 authorised; L = 250 km; D = 365 → L × D = 91,250 km·day.
const V = { v1: 1_000_000, v2: 200_000, v3: 100_000, v6: 860_000, v7: 800_000 };
const L = 250;
const REL = 1e-12;
const close = (a: number, b: number): boolean => Math.abs(a - b) <= REL * Math.max(1, Math.abs(b));

describe('W1–W4 water network indicators', () => {
  it('W1 rendement = (860,000 + 100,000) / (1,000,000 + 200,000) × 100 = 80 %', () => {
    expect(close(networkEfficiency(V), 80)).toBe(true);
  });

  it('V4 = 1,000,000 + 200,000 − 100,000 = 1,100,000 m³', () => {
    expect(volumeInDistribution(V)).toBe(1_100_000);
  });

  it.each<[string, number, number]>([
    // (1,100,000 − 800,000) / 91,250 = 3.287671…
    ['W2 ILVNC', ilvnc({ v4: 1_100_000, v7: V.v7, lengthKm: L }), 300_000 / 91_250],
    // (1,100,000 − 860,000) / 91,250 = 2.630137…
    ['W3 ILP', ilp({ v4: 1_100_000, v6: V.v6, lengthKm: L }), 240_000 / 91_250],
    // (860,000 + 100,000) / 91,250 = 10.520548…
    ['W4 ILC', ilc({ v6: V.v6, v3: V.v3, lengthKm: L }), 960_000 / 91_250],
    // a 30-day month: (1,100,000/12 − 800,000/12) / (250 × 30) = 25,000 / 7,500 = 3.3333…
    [
      'W2 ILVNC over 30 days',
      ilvnc({ v4: 1_100_000 / 12, v7: 800_000 / 12, lengthKm: L, days: 30 }),
      25_000 / 7_500,
    ],
  ])('%s = %d m³/km/day', (_name, value, expected) => {
    expect(close(value, expected)).toBe(true);
  });

  it.each<[number, boolean, number]>([
    [960_000 / 91_250, false, 65 + 960_000 / 91_250 / 5], // 65 + 2.1041 = 67.1041
    [960_000 / 91_250, true, 70 + 960_000 / 91_250 / 5], // ZRE: 72.1041
    [150, false, 85], // 65 + 30 = 95 → capped at 85
    [60, true, 82], // 70 + 12 = 82 < 85
    [0, false, 65],
  ])('Grenelle threshold for ILC %d (ZRE %s) = %d %%', (ilcValue, zre, threshold) => {
    expect(close(grenelleThreshold({ ilc: ilcValue, zre }), threshold)).toBe(true);
  });

  it.each<[number, number, boolean, boolean]>([
    [80, 10.52, false, true], // 80 ≥ 67.104
    [70, 10.52, true, false], // 70 < 72.104
    [85, 500, false, true], // 85 ≥ min(85, 165)
    [84.9, 500, false, false],
    [67.104, 10.52, false, true], // exactly at the threshold 65 + 2.104
  ])('rendement %d %%, ILC %d, ZRE %s → compliant %s', (efficiencyPct, ilcValue, zre, ok) => {
    expect(grenelleCompliant({ efficiencyPct, ilc: ilcValue, zre })).toBe(ok);
  });

  it.each<[string, () => unknown, KpiErrorCode]>([
    ['V1 + V2 = 0', () => networkEfficiency({ v1: 0, v2: 0, v3: 0, v6: 0 }), KpiErrorCode.ZeroDenominator],
    ['a zero network length', () => ilp({ v4: 10, v6: 5, lengthKm: 0 }), KpiErrorCode.ZeroDenominator],
    ['zero days', () => ilc({ v6: 10, v3: 0, lengthKm: 1, days: 0 }), KpiErrorCode.ZeroDenominator],
    ['a negative volume', () => networkEfficiency({ ...V, v6: -1 }), KpiErrorCode.InvalidParameter],
    ['a negative length', () => ilvnc({ v4: 10, v7: 5, lengthKm: -3 }), KpiErrorCode.InvalidParameter],
    ['a NaN volume', () => volumeInDistribution({ v1: NaN, v2: 0, v3: 0 }), KpiErrorCode.NonFiniteValue],
  ])('refuses %s', (_what, fn, code) => {
    expect(kpiErrorCodeOf(fn)).toBe(code);
  });
});
