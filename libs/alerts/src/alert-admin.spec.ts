import { findAlertRule } from '@vigie/domain';
import { alertView, parseInstant, ruleParamKeys } from './alert-admin';

describe('parseInstant', () => {
  it.each([
    ['2026-03-01', Date.UTC(2026, 2, 1)],
    ['2026-03-01T08:00Z', Date.UTC(2026, 2, 1, 8)],
    ['2026-03-01T08:00:00.250Z', Date.UTC(2026, 2, 1, 8, 0, 0, 250)],
    ['2026-03-01T08:00:00+02:00', Date.UTC(2026, 2, 1, 6)],
  ])('%s is %d', (text, ms) => expect(parseInstant(text)).toBe(ms));

  it.each(['yesterday', '2026-03-01T08:00:00', '01/03/2026', '2026-13-01', '1772352000000', ''])(
    'refuses %j (not ISO, or no offset)',
    (text) => expect(parseInstant(text)).toBeUndefined(),
  );
});

describe('ruleParamKeys', () => {
  it.each([
    ['waste.overflow', ['clear', 'direction', 'minDurationMin', 'raise']],
    ['waste.temperature_rise', ['clearRise', 'rise', 'windowMin']],
    ['devices.offline', ['k', 'kByKind']],
    [
      'water.night_flow_leak',
      ['baselineMax', 'baselineMin', 'clearFactor', 'consecutive', 'factor', 'minCompleteness'],
    ],
  ])('%s reads %j', (id, keys) => {
    const def = findAlertRule(id);
    if (!def) throw new Error(`no rule ${id}`);
    expect(ruleParamKeys(def)).toEqual(keys);
  });
});

describe('alertView', () => {
  it('gives instants as ISO strings and leaves absent ones out', () => {
    const view = alertView({
      id: 'a1',
      tenant: 't',
      rule: 'waste.overflow',
      subject: 'bin-1',
      severity: 'major',
      state: 'acknowledged',
      since: Date.UTC(2026, 2, 1, 8),
      firedAt: Date.UTC(2026, 2, 1, 8, 5),
      acknowledgedAt: Date.UTC(2026, 2, 1, 9),
      acknowledgedBy: 'j.martin',
      value: 100,
      threshold: 100,
    });
    expect(view).toEqual({
      id: 'a1',
      tenant: 't',
      rule: 'waste.overflow',
      subject: 'bin-1',
      severity: 'major',
      state: 'acknowledged',
      since: '2026-03-01T08:00:00.000Z',
      firedAt: '2026-03-01T08:05:00.000Z',
      acknowledgedAt: '2026-03-01T09:00:00.000Z',
      acknowledgedBy: 'j.martin',
      value: 100,
      threshold: 100,
    });
  });
});
