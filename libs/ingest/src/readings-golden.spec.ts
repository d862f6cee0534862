import { findDeviceKind } from '@vigie/devices';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ReadingsIngestor } from './readings.ingestor';

/**
 * Golden files for payload decoding: testdata/<case>/ holds `input.json` (or `input.bin` for raw bytes),
 * an optional `case.json` ({"kind", "receivedAt"}), and the expected result: `expected.lp` (line protocol
 * of the accepted readings) and/or `expected.err` (one refusal per line: `<reason>` or `<reason> @<index>`).
 * The same corpus is replayed through the real broker by test/ingest/malformed-corpus.e2e-spec.ts.
 */
const TESTDATA = join(__dirname, '..', 'testdata');
const DEFAULT_RECEIVED_AT = '2025-03-01T06:00:00.000Z';

export interface GoldenCase {
  readonly name: string;
  readonly kind: string;
  readonly receivedAt: number;
  readonly input: Buffer;
  readonly expectedLines: string[];
  readonly expectedErrors: { reason: string; index?: number }[];
}

export function loadGoldenCases(dir = TESTDATA): GoldenCase[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => {
      const caseDir = join(dir, d.name);
      const meta = existsSync(join(caseDir, 'case.json'))
        ? (JSON.parse(readFileSync(join(caseDir, 'case.json'), 'utf8')) as { kind?: string; receivedAt?: string })
        : {};
      const inputFile = existsSync(join(caseDir, 'input.bin')) ? 'input.bin' : 'input.json';
      const read = (f: string) => (existsSync(join(caseDir, f)) ? readFileSync(join(caseDir, f), 'utf8') : '');
      const lines = (text: string) => text.split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
      return {
        name: d.name,
        kind: meta.kind ?? 'energy-meter',
        receivedAt: Date.parse(meta.receivedAt ?? DEFAULT_RECEIVED_AT),
        input: readFileSync(join(caseDir, inputFile)),
        expectedLines: lines(read('expected.lp')),
        expectedErrors: lines(read('expected.err')).map((l) => {
          const [reason, at] = l.split(/\s+/);
          return { reason, index: at?.startsWith('@') ? Number(at.slice(1)) : undefined };
        }),
      };
    })
    .sort((a, b) => a.name.localeCompare(b.name));
}

const cases = loadGoldenCases();
const ingestor = new ReadingsIngestor(
  { append: async () => undefined },
  { message: () => undefined, accepted: () => undefined, rejected: () => undefined, deadLettered: () => undefined, committed: () => undefined },
  {
    limits: { maxReadings: 1000, maxDepth: 8 },
    window: { maxPastMs: 400 * 86_400_000, maxFutureMs: 600_000 },
    commitsInFlight: 1,
  },
);

describe('readings payload golden files', () => {
  it('has a corpus of cases, each with an expectation', () => {
    expect(cases.length).toBeGreaterThanOrEqual(10);
    for (const c of cases) expect(c.expectedLines.length + c.expectedErrors.length).toBeGreaterThan(0);
  });

  it.each(cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const kind = findDeviceKind(c.kind);
    expect(kind).toBeDefined();
    const { outcome, batch } = ingestor.prepare({ tenant: 't1', site: 's1', device: 'd1', kind }, 'vigie/t1/devices/d1/readings', c.input, c.receivedAt);
    expect([...batch.lines]).toEqual(c.expectedLines);
    expect(outcome.rejections.map((r) => ({ reason: r.reason, ...(c.expectedErrors.some((e) => e.index !== undefined) ? { index: r.index } : {}) }))).toEqual(
      c.expectedErrors.map((e) => ({ reason: e.reason, ...(e.index !== undefined ? { index: e.index } : {}) })),
    );
    for (const r of outcome.rejections) expect(r.detail.length).toBeGreaterThan(10);
    expect(batch.deadLetters.length).toBe(c.expectedErrors.length > 0 ? 1 : 0);
  });
});
