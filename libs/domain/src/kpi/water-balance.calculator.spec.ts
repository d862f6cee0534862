import { kpiErrorCodeOf } from './kpi-error.spec-helper';
import { KpiErrorCode } from './kpi.errors';
import { infrastructureLeakageIndex, realLosses, unavoidableRealLosses } from './water-balance.calculator';

describe('W6 IWA water balance and ILI', () => {
  it('CARL = water losses minus the apparent share', () => {
    // V4 = 1,100,000, V6 = 860,000 → losses 240,000 m³; apparent 10 % → CARL = 240,000 × 0.9 = 216,000 m³.
    expect(realLosses({ v4: 1_100_000, v6: 860_000, apparentLossesShare: 0.1 })).toBeCloseTo(216_000, 6);
    // Default share 0: CARL = 240,000.
    expect(realLosses({ v4: 1_100_000, v6: 860_000 })).toBe(240_000);
    // Metering errors can make V6 > V4: a negative CARL, kept (the KPI shows it, nothing hides it).
    expect(realLosses({ v4: 100, v6: 120 })).toBe(-20);
    expect(kpiErrorCodeOf(() => realLosses({ v4: 1, v6: 0, apparentLossesShare: 1.5 }))).toBe(
      KpiErrorCode.InvalidParameter,
    );
  });

  it('UARL = (18 Lm + 0.8 Nc + 25 Lp) × P', () => {
    // Lm = 38 km, Nc = 3,200, Lp = 0, P = 41.8 m: (684 + 2,560 + 0) × 41.8 = 3,244 × 41.8 = 135,599.2 L/day.
    expect(unavoidableRealLosses({ mainsKm: 38, connections: 3200, pressureM: 41.8 })).toBeCloseTo(
      135_599.2,
      6,
    );
    // With Lp = 16 km (5 m per connection): (684 + 2,560 + 400) × 41.8 = 3,644 × 41.8 = 152,319.2 L/day.
    expect(
      unavoidableRealLosses({ mainsKm: 38, connections: 3200, privatePipeKm: 16, pressureM: 41.8 }),
    ).toBeCloseTo(152_319.2, 6);
    expect(kpiErrorCodeOf(() => unavoidableRealLosses({ mainsKm: -1, connections: 0, pressureM: 30 }))).toBe(
      KpiErrorCode.InvalidParameter,
    );
  });

  it('ILI = CARL / UARL', () => {
    // CARL 216,000 m³/yr = 591,780.82 L/day (216,000,000 L / 365); UARL 135,599.2 L/day → ILI = 4.3642…
    const carl = 216_000_000 / 365;
    expect(infrastructureLeakageIndex({ carl, uarl: 135_599.2 })).toBeCloseTo(591_780.8219 / 135_599.2, 6);
    expect(infrastructureLeakageIndex({ carl: 270_000, uarl: 135_000 })).toBe(2);
    expect(kpiErrorCodeOf(() => infrastructureLeakageIndex({ carl: 1, uarl: 0 }))).toBe(
      KpiErrorCode.ZeroDenominator,
    );
  });
});
