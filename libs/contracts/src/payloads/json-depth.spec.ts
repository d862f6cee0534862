import { jsonDepthExceeds, parseJsonWithin } from './json-depth';

const DEPTHS: [string, number, boolean][] = [
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
];

describe('jsonDepthExceeds', () => {
  it.each(DEPTHS)('%s with max depth %p → %p', (text, maxDepth, expected) => {
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

describe('parseJsonWithin', () => {
  it.each(DEPTHS)(
    'judges %s with max depth %p as the text scan does (too deep: %p)',
    (text, maxDepth, deep) => {
      const parsed = parseJsonWithin(text, maxDepth);
      expect(parsed).toEqual(deep ? { ok: false, tooDeep: true } : { ok: true, value: JSON.parse(text) });
    },
  );

  it('measures the depth on the value: brackets in strings and keys do not count', () => {
    expect(parseJsonWithin('{"[[[[":"{{{{","a":[1]}', 2)).toEqual({
      ok: true,
      value: { '[[[[': '{{{{', a: [1] },
    });
    expect(parseJsonWithin('{"[[[[":"{{{{","a":[1]}', 1)).toEqual({ ok: false, tooDeep: true });
  });

  it('refuses a deep document that does not parse as too deep, a shallow one with the syntax error', () => {
    expect(parseJsonWithin('['.repeat(100), 8)).toEqual({ ok: false, tooDeep: true });
    const broken = parseJsonWithin('{"values": {"power_w": 1', 8);
    expect(broken).toMatchObject({ ok: false, tooDeep: false });
    expect(broken.ok === false && !broken.tooDeep && broken.syntaxError).toMatch(/JSON/);
  });

  it('parses a very deep valid document without exhausting the stack, and refuses it', () => {
    const deep = '['.repeat(60_000) + ']'.repeat(60_000);
    expect(parseJsonWithin(deep, 8)).toEqual({ ok: false, tooDeep: true });
  });
});
