import { SpoolBatch } from '@vigie/adapters';
import { IngestOutcome } from './readings.ingestor';
import { REJECTED_MEASUREMENT } from './line-protocol';

/**
 * The checks every golden case makes on what the ingestor would spool (for device t1/s1/d1): the readings'
 * lines, the rejections with their reasons (and indexes where the case gives them), one dead letter when
 * anything was refused, and one `rejected` point per reason counting its refused readings. Used by specs only.
 */
/** What a golden case expects (libs/testing's GoldenCase satisfies it). */
export interface GoldenExpectation {
  readonly receivedAt: number;
  readonly expectedLines: readonly string[];
  readonly expectedErrors: readonly { readonly reason: string; readonly index?: number }[];
}

export function expectGoldenOutcome(c: GoldenExpectation, outcome: IngestOutcome, batch: SpoolBatch): void {
  const isRejected = (l: string) => l.startsWith(`${REJECTED_MEASUREMENT},`);
  expect(batch.lines.filter((l) => !isRejected(l))).toEqual(c.expectedLines);
  const withIndex = c.expectedErrors.some((e) => e.index !== undefined);
  expect(
    outcome.rejections.map((r) => ({ reason: r.reason, ...(withIndex ? { index: r.index } : {}) })),
  ).toEqual(
    c.expectedErrors.map((e) => ({ reason: e.reason, ...(e.index !== undefined ? { index: e.index } : {}) })),
  );
  for (const r of outcome.rejections) expect(r.detail.length).toBeGreaterThan(10);
  expect(batch.deadLetters.length).toBe(c.expectedErrors.length > 0 ? 1 : 0);
  const perReason: Record<string, number> = {};
  for (const e of c.expectedErrors) perReason[e.reason] = (perReason[e.reason] ?? 0) + 1;
  expect(batch.lines.filter(isRejected).sort()).toEqual(
    Object.entries(perReason)
      .map(
        ([reason, n]) =>
          `rejected,device=d1,site=s1,reason=${reason},tenant=t1 readings=${n} ${c.receivedAt}`,
      )
      .sort(),
  );
}
