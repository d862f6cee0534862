import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The payload corpus in libs/ingest/testdata/<case>/: `input.json` (or `input.bin` for raw bytes), an optional
 * `case.json` ({"kind", "receivedAt"}), and the expected result: `expected.lp` (line protocol of the accepted
 * readings) and/or `expected.err` (one refusal per line: `<reason>` or `<reason> @<index>`). Golden tests
 * check the pure pipeline against it; the malformed-corpus end-to-end test replays it through the broker.
 */
export const GOLDEN_DIR = join(__dirname, '..', '..', 'ingest', 'testdata');
/**
 * LoRaWAN uplinks, same layout; `case.json` also names the `network` (chirpstack | tts), may give the `topic`, and
 * `duplicateOf` for a copy of another case's uplink.
 */
export const LORAWAN_GOLDEN_DIR = join(__dirname, '..', '..', 'ingest', 'testdata-lorawan');
const DEFAULT_RECEIVED_AT = '2025-03-01T06:00:00.000Z';

export interface GoldenCase {
  readonly name: string;
  readonly kind: string;
  readonly receivedAt: number;
  readonly network?: string;
  readonly topic?: string;
  /** LoRaWAN: this input is a copy of that case's uplink; expected.lp lists what the copy adds to the spool. */
  readonly duplicateOf?: string;
  readonly input: Buffer;
  readonly expectedLines: string[];
  readonly expectedErrors: { reason: string; index?: number }[];
}

export function loadGoldenCases(dir = GOLDEN_DIR): GoldenCase[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => {
      const caseDir = join(dir, d.name);
      const meta = existsSync(join(caseDir, 'case.json'))
        ? (JSON.parse(readFileSync(join(caseDir, 'case.json'), 'utf8')) as {
            kind?: string;
            receivedAt?: string;
            network?: string;
            topic?: string;
            duplicateOf?: string;
          })
        : {};
      const inputFile = existsSync(join(caseDir, 'input.bin')) ? 'input.bin' : 'input.json';
      const read = (f: string) =>
        existsSync(join(caseDir, f)) ? readFileSync(join(caseDir, f), 'utf8') : '';
      const lines = (text: string) =>
        text
          .split('\n')
          .map((l) => l.trim())
          .filter((l) => l && !l.startsWith('#'));
      return {
        name: d.name,
        kind: meta.kind ?? 'energy-meter',
        receivedAt: Date.parse(meta.receivedAt ?? DEFAULT_RECEIVED_AT),
        network: meta.network,
        topic: meta.topic,
        duplicateOf: meta.duplicateOf,
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
