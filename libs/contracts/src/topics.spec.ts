import {
  accountAclProblem,
  filterCovers,
  parseReadingsTopic,
  TOPIC_ROOT,
  topicFilterProblem,
  topicMatches,
  topics,
} from './topics';

describe('topics builders', () => {
  it.each([
    ['readings', topics.readings('t1', 'd1'), 'vigie/t1/devices/d1/readings'],
    ['deviceTree', topics.deviceTree('t1', 'd1'), 'vigie/t1/devices/d1/#'],
    ['tenantTree', topics.tenantTree('t1'), 'vigie/t1/#'],
    ['tenantPrefix', topics.tenantPrefix('t1'), 'vigie/t1/'],
  ])('%s builds %s', (_name, actual, expected) => {
    expect(actual).toBe(expected);
  });

  it('roots every topic at TOPIC_ROOT', () => {
    expect(TOPIC_ROOT).toBe('vigie');
    expect(topics.readings('a', 'b').split('/')[0]).toBe(TOPIC_ROOT);
  });

  it('builds a device tree that matches its own readings topic but not a sibling device', () => {
    expect(topicMatches(topics.deviceTree('t1', 'd1'), topics.readings('t1', 'd1'))).toBe(true);
    expect(topicMatches(topics.deviceTree('t1', 'd1'), topics.readings('t1', 'd2'))).toBe(false);
    expect(topicMatches(topics.tenantTree('t1'), topics.readings('t1', 'd2'))).toBe(true);
    expect(topicMatches(topics.tenantTree('t1'), topics.readings('t2', 'd1'))).toBe(false);
  });
});

describe('parseReadingsTopic', () => {
  it.each([
    ['vigie/t1/devices/d1/readings', { tenant: 't1', device: 'd1' }],
    ['vigie/commune-a/devices/meter_01/readings', { tenant: 'commune-a', device: 'meter_01' }],
    [topics.readings('x9', 'y_8'), { tenant: 'x9', device: 'y_8' }],
  ])('parses %s', (topic, expected) => {
    expect(parseReadingsTopic(topic)).toEqual(expected);
  });

  it.each([
    [''],
    ['vigie'],
    ['vigie/t1'],
    ['vigie/t1/devices'],
    ['vigie/t1/devices/d1'],
    ['vigie/t1/devices/d1/'],
    ['vigie/t1/devices/d1/readings/'],
    ['vigie/t1/devices/d1/readings/extra'],
    ['/vigie/t1/devices/d1/readings'],
    ['Vigie/t1/devices/d1/readings'],
    ['other/t1/devices/d1/readings'],
    ['vigie/t1/device/d1/readings'],
    ['vigie/t1/sites/d1/readings'],
    ['vigie/t1/devices/d1/reading'],
    ['vigie/t1/devices/d1/status'],
    ['vigie//devices/d1/readings'],
    ['vigie/t1/devices//readings'],
    ['vigie/t1/devices/d1/#'],
    ['$SYS/t1/devices/d1/readings'],
    ['vigie/t1/x/devices/d1/readings'],
  ])('refuses %j', (topic) => {
    expect(parseReadingsTopic(topic)).toBeUndefined();
  });
});

describe('topicMatches', () => {
  it.each([
    // exact
    ['a/b/c', 'a/b/c', true],
    ['a/b/c', 'a/b/d', false],
    ['a/b', 'a/b/c', false],
    ['a/b/c', 'a/b', false],
    // single-level wildcard
    ['a/+/c', 'a/b/c', true],
    ['a/+/c', 'a/b/x/c', false],
    ['a/+', 'a/b', true],
    ['a/+', 'a', false],
    ['a/+', 'a/b/c', false],
    ['a/+', 'a/', true],
    ['+', 'a', true],
    ['+', '/a', false],
    ['/+', '/a', true],
    ['+/+', '/a', true],
    ['+/+/+', 'a/b', false],
    ['+/b/+', 'a/b/c', true],
    ['+/b/+', 'a/x/c', false],
    // multi-level wildcard
    ['#', 'a', true],
    ['#', 'a/b/c', true],
    ['#', '/', true],
    ['a/#', 'a', true],
    ['a/#', 'a/b', true],
    ['a/#', 'a/b/c/d', true],
    ['a/#', 'b/a', false],
    ['a/b/#', 'a', false],
    ['a/+/#', 'a/b', true],
    ['a/+/#', 'a', false],
    ['vigie/t1/#', 'vigie/t1/devices/d1/readings', true],
    ['vigie/t1/#', 'vigie/t10/devices/d1/readings', false],
    ['vigie/+/devices/+/readings', 'vigie/t1/devices/d1/readings', true],
    ['vigie/+/devices/+/readings', 'vigie/t1/devices/d1/status', false],
    // $-topics only match filters naming their first level
    ['#', '$SYS/broker/uptime', false],
    ['+/broker/uptime', '$SYS/broker/uptime', false],
    ['+/#', '$SYS/broker', false],
    ['$SYS/#', '$SYS/broker/uptime', true],
    ['$SYS/+/uptime', '$SYS/broker/uptime', true],
    ['$SYS/broker/uptime', '$SYS/broker/uptime', true],
    ['$SYS/#', 'SYS/broker', false],
    ['a/$x', 'a/$x', true],
    ['a/+', 'a/$x', true],
  ])('filter %j vs topic %j → %s', (filter, topic, expected) => {
    expect(topicMatches(filter, topic)).toBe(expected);
  });
});

describe('filterCovers', () => {
  it.each([
    // exact equality
    ['a/b/c', 'a/b/c', true],
    ['vigie/t1/devices/d1/readings', 'vigie/t1/devices/d1/readings', true],
    ['a/b/c', 'a/b/d', false],
    // longer / shorter without wildcards
    ['a/b', 'a/b/c', false],
    ['a/b/c', 'a/b', false],
    // `+` in the pattern
    ['a/+/c', 'a/b/c', true],
    ['a/+/c', 'a/+/c', true],
    ['a/+', 'a/b', true],
    ['a/+', 'a/b/c', false],
    ['a/+', 'a', false],
    ['a/+/c', 'a/+/d', false],
    // `+` in the filter needs `+` or `#` in the pattern at that level
    ['a/b/c', 'a/+/c', false],
    ['a/b', 'a/+', false],
    // `#` in the filter is never covered by `+` or a literal
    ['a/+', 'a/#', false],
    ['a/+/+', 'a/+/#', false],
    ['a/b', 'a/#', false],
    ['vigie/t1/devices/+/readings', 'vigie/t1/devices/#', false],
    ['vigie/t1/devices/d1/#', 'vigie/t1/#', false],
    ['vigie/t1/devices/d1/#', 'vigie/t1/devices/+/readings', false],
    ['vigie/t1/devices/d1/#', 'vigie/#', false],
    ['vigie/t1/devices/d1/#', '#', false],
    // `#` in the pattern
    ['#', '#', true],
    ['#', 'a/b/c', true],
    ['#', '+/+', true],
    ['#', 'a/#', true],
    ['a/#', 'a', true],
    ['a/#', 'a/#', true],
    ['a/#', 'a/b/c', true],
    ['a/#', 'a/+/#', true],
    ['a/#', 'b/#', false],
    ['a/#', 'b', false],
    ['a/b/#', 'a', false],
    ['a/b/#', 'a/#', false],
    ['a/+/#', 'a/b/c', true],
    ['a/+/#', 'a/+', true],
    ['a/+/#', 'a/#', false],
    ['vigie/t1/#', 'vigie/t1/devices/+/readings', true],
    ['vigie/t1/#', 'vigie/t2/devices/+/readings', false],
    ['vigie/t1/devices/d1/#', 'vigie/t1/devices/d1/readings', true],
    ['vigie/t1/devices/d1/#', 'vigie/t1/devices/d1/#', true],
    ['vigie/t1/devices/d1/#', 'vigie/t1/devices/d2/readings', false],
  ])('pattern %j covers filter %j → %s', (pattern, filter, expected) => {
    expect(filterCovers(pattern, filter)).toBe(expected);
  });

  it.each([
    ['a/+/c', 'a/b/c'],
    ['a/#', 'a/+/x'],
    ['vigie/t1/#', 'vigie/t1/devices/+/readings'],
    ['a/+/#', 'a/+'],
  ])(
    'when %j covers %j, every sample topic the filter matches is matched by the pattern',
    (pattern, filter) => {
      const samples = [
        'a',
        'a/b',
        'a/b/c',
        'a/z/c',
        'a/b/x',
        'a/q/x',
        'a/b/c/d',
        'vigie/t1/devices/d1/readings',
        'vigie/t1/devices/d9/readings',
      ];
      const matched = samples.filter((t) => topicMatches(filter, t));
      expect(matched.length).toBeGreaterThan(0);
      for (const t of matched) expect([t, topicMatches(pattern, t)]).toEqual([t, true]);
    },
  );
});

describe('topicFilterProblem', () => {
  it.each([
    ['#'],
    ['+'],
    ['a'],
    ['a/b/c'],
    ['a/#'],
    ['a/+/c'],
    ['+/+/#'],
    ['/'],
    ['a//b'],
    ['$SYS/#'],
    ['vigie/t1/devices/+/readings'],
  ])('accepts %j', (filter) => {
    expect(topicFilterProblem(filter)).toBeUndefined();
  });

  it('refuses an empty pattern', () => {
    expect(topicFilterProblem('')).toBe('a topic pattern cannot be empty');
  });

  it.each([['#/a'], ['a/#/b'], ['a#'], ['a/b#'], ['a/#b'], ['##'], ['#/'], ['a/#/#']])(
    'refuses %j: # not last or not alone',
    (filter) => {
      expect(topicFilterProblem(filter)).toBe(`'#' must be the last level on its own in '${filter}'`);
    },
  );

  it.each([['a+'], ['a/+b'], ['a/b+/c'], ['++'], ['+a/#']])(
    'refuses %j: + not alone in its level',
    (filter) => {
      expect(topicFilterProblem(filter)).toBe(`'+' must stand alone in its level in '${filter}'`);
    },
  );
});

describe('accountAclProblem', () => {
  it.each([
    ['t1', 'vigie/t1/#'],
    ['t1', 'vigie/t1/devices/+/readings'],
    ['t1', 'vigie/t1/devices/d1/readings'],
    ['t1', 'vigie/t1/+'],
    ['t1', 'vigie/t1/exports/#'],
  ])('tenant %s may be granted %j', (tenant, pattern) => {
    expect(accountAclProblem(tenant, pattern)).toBeUndefined();
  });

  it.each([
    ['t1', '#'],
    ['t1', '+/#'],
    ['t1', 'vigie/#'],
    ['t1', 'vigie/+/#'],
    ['t1', 'vigie/+/devices/d1/readings'],
    ['t1', '+/t1/#'],
    ['t1', 'vigie/t2/#'],
    ['t1', 'vigie/t10/#'],
    ['t1', 'vigie/t'],
    ['t1', 'vigie/t1'],
    ['t1', 'vigie/t1/'],
    ['t1', 'other/t1/#'],
    ['t1', '$SYS/#'],
    ['t1', '/vigie/t1/#'],
  ])('tenant %s may not be granted %j (outside vigie/<tenant>/…)', (tenant, pattern) => {
    expect(accountAclProblem(tenant, pattern)).toBe(
      `pattern '${pattern}' must lie inside the tenant's tree 'vigie/${tenant}/…' (e.g. 'vigie/${tenant}/#')`,
    );
  });

  it.each([
    ['t1', 'vigie/t1/#/x', `'#' must be the last level on its own in 'vigie/t1/#/x'`],
    ['t1', 'vigie/t1/a+', `'+' must stand alone in its level in 'vigie/t1/a+'`],
    ['t1', '', 'a topic pattern cannot be empty'],
    [undefined, 'a/#/b', `'#' must be the last level on its own in 'a/#/b'`],
    [undefined, '', 'a topic pattern cannot be empty'],
  ])('tenant %s, malformed pattern %j → the pattern problem', (tenant, pattern, expected) => {
    expect(accountAclProblem(tenant, pattern)).toBe(expected);
  });

  it.each([['#'], ['+/#'], ['vigie/#'], ['vigie/+/devices/+/readings'], ['$SYS/#'], ['anything/else']])(
    'an operator account (no tenant) may be granted %j',
    (pattern) => {
      expect(accountAclProblem(undefined, pattern)).toBeUndefined();
    },
  );
});
