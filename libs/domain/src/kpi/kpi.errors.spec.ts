import { ALL_KPI_ERROR_CODES, describeKpiErrorCode, KpiError, KpiErrorCode } from './kpi.errors';

describe('KpiError', () => {
  it('describes every code with its own sentence', () => {
    const sentences = ALL_KPI_ERROR_CODES.map(describeKpiErrorCode);
    expect(new Set(sentences).size).toBe(ALL_KPI_ERROR_CODES.length);
    for (const s of sentences) expect(s.length).toBeGreaterThan(15);
  });

  it('carries its code and detail in the message', () => {
    const e = new KpiError(KpiErrorCode.ZeroDenominator, 'V1 + V2 = 0');
    expect(e).toBeInstanceOf(Error);
    expect(e.name).toBe('KpiError');
    expect(e.code).toBe('zero_denominator');
    expect(e.message).toBe("the KPI's denominator is zero: V1 + V2 = 0");
  });
});
