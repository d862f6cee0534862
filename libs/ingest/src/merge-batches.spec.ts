import { DeadLetter } from '@vigie/adapters';
import { AlertSampleRecord } from '@vigie/contracts';
import { mergeBatches } from './readings.ingestor';

const dl = (device: string) => ({ device }) as unknown as DeadLetter;
const sample = (device: string): AlertSampleRecord => ({ t: 'town', d: device, k: 'bin-sensor', r: [] });

describe('mergeBatches (one group commit)', () => {
  it('keeps every line, dead letter and sample, in submission order', () => {
    const merged = mergeBatches([
      { lines: ['a1', 'a2'], deadLetters: [], samples: [sample('a')] },
      { lines: [], deadLetters: [dl('b')] },
      { lines: ['c1'], deadLetters: [dl('c')], samples: [sample('c'), sample('c2')] },
    ]);
    expect(merged.lines).toEqual(['a1', 'a2', 'c1']);
    expect(merged.deadLetters.map((d) => d.device)).toEqual(['b', 'c']);
    expect(merged.samples?.map((s) => s.d)).toEqual(['a', 'c', 'c2']);
  });

  it('hands a single batch over as it is', () => {
    const one = { lines: ['x'], deadLetters: [dl('y')], samples: [] };
    expect(mergeBatches([one])).toBe(one);
  });

  it('gives an empty batch for no batches', () => {
    expect(mergeBatches([])).toEqual({ lines: [], deadLetters: [], samples: [] });
  });
});
