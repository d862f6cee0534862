import { findDeviceKind } from '@vigie/devices';
import { loadGoldenCases } from '@vigie/testing';
import { dryRunIngestor } from './ingest-options';
import { expectGoldenOutcome } from './golden-outcome.expect';

/** Golden files for payload decoding: see libs/testing/src/golden-cases.ts for the layout. */
const cases = loadGoldenCases();
const ingestor = dryRunIngestor();

describe('readings payload golden files', () => {
  it('has a corpus of cases, each with an expectation', () => {
    expect(cases.length).toBeGreaterThanOrEqual(10);
    for (const c of cases) expect(c.expectedLines.length + c.expectedErrors.length).toBeGreaterThan(0);
  });

  it.each(cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const kind = findDeviceKind(c.kind);
    expect(kind).toBeDefined();
    const { outcome, batch } = ingestor.prepare(
      { tenant: 't1', site: 's1', device: 'd1', kind },
      'vigie/t1/devices/d1/readings',
      c.input,
      c.receivedAt,
    );
    expectGoldenOutcome(c, outcome, batch);
  });
});
