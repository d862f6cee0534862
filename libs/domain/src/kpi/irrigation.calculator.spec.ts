import { kpiErrorCodeOf } from './kpi-error.spec-helper';
import { KpiErrorCode } from './kpi.errors';
import {
  cropEvapotranspiration,
  depthToVolumeM3,
  effectiveRain,
  extraterrestrialRadiation,
  hargreavesEt0,
  irrigationNeedMm,
  irrigationRatio,
} from './irrigation.calculator';

describe('W8 irrigation need (FAO-56)', () => {
  it('Ra of FAO-56 example 8: 20° S on 3 September (J = 246) ≈ 32.2 MJ m⁻² day⁻¹', () => {
    // δ = 0.409 sin(2π·246/365 − 1.39) = 0.409 × sin(2.84467) = 0.409 × 0.29256 = 0.119655 rad = 6.85573°;
    // dr = 1 + 0.033 cos(4.23467) = 1 − 0.033 × 0.46034 = 0.984829; ωs = arccos(−tan(−20°) tan δ) =
    // arccos(0.36397 × 0.12023) = arccos(0.043760) = 1.527022 rad;
    // Ra = 1440/π × 0.082 × 0.984829 × [1.527022 × sin(−20°) sin δ + cos(−20°) cos δ sin ωs]
    //    = 37.5870 × 0.984829 × [1.527022 × (−0.34202) × 0.11937 + 0.93969 × 0.99285 × 0.99904]
    //    = 37.0168 × [−0.062345 + 0.932073] = 37.0168 × 0.869728 = 32.194 (FAO: 32.2).
    expect(
      extraterrestrialRadiation({ latitudeDeg: -20, declinationDeg: 6.85573180878858, dayOfYear: 246 }),
    ).toBeCloseTo(32.194, 3);
  });

  it('Ra is 0 in the polar night and the full day-long sum in the polar day', () => {
    // 80° N at the December solstice (δ = −23.44°): tanφ tanδ = 5.671 × (−0.4335) → −tanφ tanδ > 1 → ωs = 0 → Ra = 0.
    expect(extraterrestrialRadiation({ latitudeDeg: 80, declinationDeg: -23.44, dayOfYear: 355 })).toBe(0);
    // 80° N at the June solstice: ωs = π → Ra = 1440/π × 0.082 × dr × π sinφ sinδ, dr = 1 + 0.033 cos(2π·172/365)
    // = 1 + 0.033 × cos(2.96082) = 1 − 0.033 × 0.98251 = 0.967577 → 1440 × 0.082 × 0.967577 × sin 80° × sin 23.44°
    // = 114.2515 × 0.984808 × 0.397788 = 44.756.
    expect(extraterrestrialRadiation({ latitudeDeg: 80, declinationDeg: 23.44, dayOfYear: 172 })).toBeCloseTo(
      44.756,
      2,
    );
    expect(
      kpiErrorCodeOf(() => extraterrestrialRadiation({ latitudeDeg: 91, declinationDeg: 0, dayOfYear: 1 })),
    ).toBe(KpiErrorCode.InvalidParameter);
  });

  it('Hargreaves ET0 = 0.0023 (Tmean + 17.8) √(Tmax − Tmin) × 0.408 Ra', () => {
    // Tmin 20, Tmax 30, Ra 32.194 MJ: Tmean 25 → 0.0023 × 42.8 × √10 × (0.408 × 32.194)
    // = 0.09844 × 3.162278 × 13.13515 = 4.0889 mm/day.
    expect(hargreavesEt0({ tminC: 20, tmaxC: 30, raMjM2Day: 32.193995875112726 })).toBeCloseTo(4.0889, 4);
    // Tmin = Tmax → √0 = 0; Tmean ≤ −17.8 → 0, never negative.
    expect(hargreavesEt0({ tminC: 10, tmaxC: 10, raMjM2Day: 30 })).toBe(0);
    expect(hargreavesEt0({ tminC: -30, tmaxC: -20, raMjM2Day: 5 })).toBe(0);
    expect(kpiErrorCodeOf(() => hargreavesEt0({ tminC: 12, tmaxC: 10, raMjM2Day: 5 }))).toBe(
      KpiErrorCode.InvalidParameter,
    );
  });

  it('ETc, effective rain, need, volume and ratio', () => {
    // Lawn Kc 0.8, ET0 5 mm → ETc 4 mm.
    expect(cropEvapotranspiration({ kc: 0.8, et0Mm: 5 })).toBe(4);
    // 10 mm of rain → 0.8 × 10 = 8 mm; 1.5 mm (< 2 mm) → 0; exactly 2 mm → 1.6 mm.
    expect(effectiveRain(10)).toBe(8);
    expect(effectiveRain(1.5)).toBe(0);
    expect(effectiveRain(2)).toBeCloseTo(1.6, 12);
    expect(effectiveRain(10, { share: 1, minMm: 0 })).toBe(10);
    // A week: Σ ETc 28 mm, Σ Peff 8 mm → need 20 mm; on 6,000 m² = 20 × 6,000 / 1,000 = 120 m³.
    expect(irrigationNeedMm({ etcMm: 28, effectiveRainMm: 8 })).toBe(20);
    expect(irrigationNeedMm({ etcMm: 5, effectiveRainMm: 8 })).toBe(0);
    expect(depthToVolumeM3({ depthMm: 20, areaM2: 6000 })).toBe(120);
    // 150 m³ applied for 120 m³ needed → 1.25 (over-watering).
    expect(irrigationRatio({ applied: 150, need: 120 })).toBe(1.25);
    expect(kpiErrorCodeOf(() => irrigationRatio({ applied: 3, need: 0 }))).toBe(KpiErrorCode.ZeroDenominator);
  });
});
