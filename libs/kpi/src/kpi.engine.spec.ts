import { KPI_OUTPUTS } from '@vigie/contracts';
import { KpiEngineError, KpiEngineErrorCode } from './kpi-engine.errors';
import { KPI_COMPUTATIONS, KPI_LANES, selectComputations } from './kpi.engine';

/** Every catalogue id the engine must compute (issue #4): B1–B9, W1–W8, K1–K7, L1–L8, X1–X3. */
const CATALOGUE = [
  ...Array.from({ length: 9 }, (_, i) => `B${i + 1}`),
  ...Array.from({ length: 8 }, (_, i) => `W${i + 1}`),
  ...Array.from({ length: 7 }, (_, i) => `K${i + 1}`),
  ...Array.from({ length: 8 }, (_, i) => `L${i + 1}`),
  ...Array.from({ length: 3 }, (_, i) => `X${i + 1}`),
];

describe('selectComputations', () => {
  const order: string[] = selectComputations().map((c) => c.family);

  it('runs every KPI of the catalogue by default, each once', () => {
    expect([...order].sort()).toEqual([...CATALOGUE].sort());
    expect(new Set(order).size).toBe(order.length);
  });

  it('writes every output of the contract, each from exactly one KPI of its family', () => {
    const written = KPI_COMPUTATIONS.flatMap((c) => c.outputs.map((o) => [o, c.family] as const));
    expect(written.map(([o]) => o).sort()).toEqual(KPI_OUTPUTS.map((o) => o.id).sort());
    for (const [output, family] of written) expect(output.split('.')[0]).toBe(family);
  });

  it('puts every KPI in one lane, each lane in run order', () => {
    const inLanes = KPI_LANES.flat().map((c) => c.family);
    expect([...inLanes].sort()).toEqual([...order].sort());
    expect(new Set(inLanes).size).toBe(inLanes.length);
    for (const lane of KPI_LANES) {
      const idx = lane.map((c) => order.indexOf(c.family));
      expect(idx).toEqual([...idx].sort((a, b) => a - b));
    }
  });

  it('runs a KPI after the KPIs whose stored points it reads, in the same lane', () => {
    const laneOf = (f: string) => KPI_LANES.findIndex((l) => l.some((c) => c.family === f));
    const before = (a: string, b: string) => {
      expect(order.indexOf(a)).toBeLessThan(order.indexOf(b));
      expect(laneOf(a)).toBe(laneOf(b));
    };
    // B2, B4, B6 read B1's days; B4 and B6 read B3's; B9 reads B4's years; X3 reads B6 and B8.
    for (const reader of ['B2', 'B4', 'B6']) before('B1', reader);
    for (const reader of ['B4', 'B6']) before('B3', reader);
    before('B4', 'B9');
    before('B6', 'X3');
    before('B8', 'X3');
  });

  it('takes catalogue ids and output ids, each KPI once, in run order', () => {
    expect(
      selectComputations(['X1', 'B3.dju', 'B3', 'K2.count_above_threshold']).map((c) => c.family),
    ).toEqual(['B3', 'K2', 'X1']);
  });

  it.each([
    ['Z9', "'Z9' is not a KPI id; use a catalogue id (B1, B3, B5"],
    ['B1.peak_kw', "'B1.peak_kw' is not a KPI id"],
    ['X4', 'X4 (Alert hygiene) is in the catalogue but not computed yet; computed: B1, B3, B5'],
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
