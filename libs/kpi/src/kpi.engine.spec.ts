import { KpiEngineError, KpiEngineErrorCode } from './kpi-engine.errors';
import { KPI_COMPUTATIONS, selectComputations } from './kpi.engine';

describe('selectComputations', () => {
  it('runs every KPI by default, in a stable order', () => {
    expect(selectComputations().map((c) => c.family)).toEqual([
      'B1',
      'B3',
      'B5',
      'W1',
      'W5',
      'K2',
      'K3',
      'L1',
      'L5',
      'L7',
      'X1',
      'X2',
    ]);
    expect(KPI_COMPUTATIONS.flatMap((c) => c.outputs)).toHaveLength(16);
  });

  it('takes catalogue ids and output ids, each KPI once', () => {
    expect(
      selectComputations(['X1', 'B3.dju', 'B3', 'K2.count_above_threshold']).map((c) => c.family),
    ).toEqual(['B3', 'K2', 'X1']);
  });

  it.each([
    ['Z9', "'Z9' is not a KPI id; use a catalogue id (B1, B3, B5, W1, W5, K2, K3, L1, L5, L7, X1, X2)"],
    ['B1.peak_kw', "'B1.peak_kw' is not a KPI id"],
    [
      'W2',
      'W2 (P105.3 ILVNC) is in the catalogue but not computed yet; computed: B1, B3, B5, W1, W5, K2, K3, L1, L5, L7, X1, X2',
    ],
  ])('refuses %s', (id, message) => {
    let error: unknown;
    try {
      selectComputations([id]);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(KpiEngineError);
    expect((error as KpiEngineError).code).toBe(KpiEngineErrorCode.UnknownKpi);
    expect((error as KpiEngineError).message).toContain(message);
  });
});
