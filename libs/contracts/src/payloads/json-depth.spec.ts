import { jsonDepthExceeds } from './json-depth';

describe('jsonDepthExceeds', () => {
  it.each([
    ['1', 0, false],
    ['"x"', 0, false],
    ['{}', 0, true],
    ['{}', 1, false],
    ['[]', 1, false],
    ['[[]]', 1, true],
    ['[[]]', 2, false],
    ['{"a":{"b":{"c":1}}}', 2, true],
    ['{"a":{"b":{"c":1}}}', 3, false],
    ['[{"a":[1]}]', 2, true],
    ['[{"a":[1]}]', 3, false],
    // siblings do not add up: depth goes back down after each closing bracket
    ['[[],[],[],[]]', 2, false],
    ['{"a":[1],"b":{"c":2},"d":[[3]]}', 3, false],
    ['{"a":[1],"b":{"c":2},"d":[[3]]}', 2, true],
    ['[1,[2,[3,[4]]]]', 3, true],
    ['[1,[2,[3,[4]]]]', 4, false],
  ])('%s with max depth %p → %p', (text, maxDepth, expected) => {
    expect(jsonDepthExceeds(text, maxDepth)).toBe(expected);
  });

  it.each([
    ['brackets inside a string', '{"a":"[[[[{{{{"}'],
    ['an escaped quote followed by brackets', '{"a":"\\"[[[[{{{{"}'],
    ['several escaped quotes', '{"a":"\\"\\"[[[\\"{{{"}'],
    ['an escaped backslash then the closing quote', '{"a":"\\\\","b":"[[[["}'],
    ['brackets in a key', '{"[[[[":1}'],
    ['a unicode escape', '{"a":"\\u005b\\u005b[[[["}'],
  ])('skips %s', (_what, text) => {
    expect(JSON.parse(text)).toBeDefined();
    expect(jsonDepthExceeds(text, 1)).toBe(false);
    expect(jsonDepthExceeds(text, 0)).toBe(true);
  });

  it('does not let closing brackets inside a string lower the depth', () => {
    // real depth 3: [ [ "…" , [ 1 ] ] ]
    const text = '[["]]]]}}}}",[1]]]';
    expect(JSON.parse(text)).toEqual([[']]]]}}}}', [1]]]);
    expect(jsonDepthExceeds(text, 2)).toBe(true);
    expect(jsonDepthExceeds(text, 3)).toBe(false);
  });

  it('counts brackets after an escaped backslash closed the string', () => {
    // "\\" ends the string: the following [[ are structure, three levels in all.
    const text = '["\\\\",[["x"]]]';
    expect(JSON.parse(text)).toEqual(['\\', [['x']]]);
    expect(jsonDepthExceeds(text, 2)).toBe(true);
    expect(jsonDepthExceeds(text, 3)).toBe(false);
  });

  it('detects a deep nesting without reading to the end of the text', () => {
    const deep = '['.repeat(10_000) + ']'.repeat(10_000);
    expect(jsonDepthExceeds(deep, 64)).toBe(true);
    expect(jsonDepthExceeds('['.repeat(65), 64)).toBe(true);
    expect(jsonDepthExceeds('['.repeat(64) + ']'.repeat(64), 64)).toBe(false);
  });
});
