import { idProblem, isValidId, parseUsername, Principal, RESERVED_TENANT_IDS, usernames } from './ids';

const ID_63 = 'a'.repeat(63);
const ID_64 = 'a'.repeat(64);

describe('isValidId', () => {
  it.each([
    ['a'],
    ['0'],
    ['t1'],
    ['commune-a'],
    ['meter_01'],
    ['9lives'],
    ['a-'],
    ['a_'],
    ['a--b__c'],
    [ID_63],
  ])('accepts %j', (id) => {
    expect(isValidId(id)).toBe(true);
  });

  it.each([
    [''],
    ['-a'],
    ['_a'],
    ['A'],
    ['abC'],
    ['a b'],
    ['a.b'],
    ['a/b'],
    ['a:b'],
    ['a+'],
    ['#'],
    ['é'],
    [' a'],
    ['a\n'],
    [ID_64],
  ])('refuses %j', (id) => {
    expect(isValidId(id)).toBe(false);
  });
});

describe('idProblem', () => {
  it.each([
    ['device', 'd1'],
    ['tenant', ID_63],
    ['account', 'svc_export-2'],
  ])('no problem with %s id %j', (what, id) => {
    expect(idProblem(what, id)).toBeUndefined();
  });

  it.each([
    ['device', 'D1'],
    ['tenant', ''],
    ['site', ID_64],
    ['account', '-x'],
  ])('%s id %j → a message naming what and the id', (what, id) => {
    expect(idProblem(what, id)).toBe(
      `${what} id '${id}' is invalid: use 1-63 characters among a-z, 0-9, '-' and '_', starting with a letter or digit`,
    );
  });
});

describe('usernames', () => {
  it.each([
    ['device', usernames.device('t1', 'd1'), 't1:d1'],
    ['account', usernames.account('t1', 'svc'), 'account:t1:svc'],
    ['operator', usernames.operator('ops'), 'operator:ops'],
  ])('%s → %s', (_type, actual, expected) => {
    expect(actual).toBe(expected);
  });

  it.each<[Principal, string]>([
    [{ type: 'device', tenant: 't1', id: 'd1' }, 't1:d1'],
    [{ type: 'account', tenant: 't1', id: 'svc' }, 'account:t1:svc'],
    [{ type: 'operator', id: 'ops' }, 'operator:ops'],
  ])('of(%j) → %s', (principal, expected) => {
    expect(usernames.of(principal)).toBe(expected);
  });
});

describe('parseUsername', () => {
  it.each<[Principal]>([
    [{ type: 'device', tenant: 't1', id: 'd1' }],
    [{ type: 'device', tenant: 'commune-a', id: 'meter_01' }],
    [{ type: 'device', tenant: ID_63, id: ID_63 }],
    [{ type: 'account', tenant: 't1', id: 'svc' }],
    [{ type: 'account', tenant: 'commune-a', id: 'export_2' }],
    [{ type: 'operator', id: 'ops' }],
    [{ type: 'operator', id: 'grafana-ro' }],
  ])('round-trips %j through usernames.of', (principal) => {
    expect(parseUsername(usernames.of(principal))).toEqual(principal);
  });

  it.each([
    ['t1:d1', { type: 'device', tenant: 't1', id: 'd1' }],
    ['account:t1:svc', { type: 'account', tenant: 't1', id: 'svc' }],
    ['operator:ops', { type: 'operator', id: 'ops' }],
    // a 2-part username whose first part is "operator" is always an operator, never a device
    ['operator:d1', { type: 'operator', id: 'd1' }],
  ])('parses %j', (username, expected) => {
    expect(parseUsername(username)).toEqual(expected);
  });

  it('has the reserved tenant ids the username and topic grammars need', () => {
    expect([...RESERVED_TENANT_IDS].sort()).toEqual(['account', 'operator', 'sys', 'vigie']);
  });

  it.each(RESERVED_TENANT_IDS.filter((t) => t !== 'operator').map((t) => [`${t}:d1`]))(
    'refuses %j: a device username cannot use a reserved tenant id',
    (username) => {
      expect(parseUsername(username)).toBeUndefined();
    },
  );

  it.each([
    // wrong part counts
    [''],
    ['t1'],
    ['operator'],
    ['account'],
    ['t1:d1:x'],
    ['account:t1'],
    ['account:t1:svc:x'],
    ['operator:ops:x'],
    ['a:b:c:d'],
    [':'],
    ['::'],
    // empty parts
    ['t1:'],
    [':d1'],
    ['operator:'],
    ['account::svc'],
    ['account:t1:'],
    // invalid ids
    ['T1:d1'],
    ['t1:D1'],
    ['t 1:d1'],
    ['t1:d/1'],
    ['-t1:d1'],
    [`${ID_64}:d1`],
    [`t1:${ID_64}`],
    ['operator:Ops'],
    [`operator:${ID_64}`],
    ['account:T1:svc'],
    ['account:t1:s.v.c'],
    ['Account:t1:svc'],
    ['OPERATOR:ops'],
  ])('refuses %j', (username) => {
    expect(parseUsername(username)).toBeUndefined();
  });
});
