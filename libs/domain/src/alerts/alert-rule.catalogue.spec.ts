import { AlertRuleOverride, effectiveRule, findAlertRule } from './alert-rule.catalogue';

const rule = (id: string) => {
  const def = findAlertRule(id);
  if (!def) throw new Error(`no rule ${id}`);
  return def;
};

describe('effectiveRule', () => {
  const ooh = rule('energy.out_of_hours_share');

  it.each([
    ['office', true],
    ['school', true],
    ['town-hall', true],
    ['library', false],
    ['gym', false],
    ['nursery', false],
    ['workshop', false],
    [undefined, true],
  ])('judges the out-of-hours share of a %s site by default: %s', (siteUse, enabled) => {
    expect(effectiveRule(ooh, [], { site: 's1', ...(siteUse ? { siteUse } : {}) }).enabled).toBe(enabled);
  });

  it('lets an override enable the rule for a site outside its uses, or disable it for one inside', () => {
    const overrides: AlertRuleOverride[] = [
      { rule: ooh.id, site: 'library-1', enabled: true, params: { floor: 0.6 } },
      { rule: ooh.id, site: 'school-1', enabled: false },
    ];
    const library = effectiveRule(ooh, overrides, { site: 'library-1', siteUse: 'library' });
    expect([library.enabled, library.params.floor, library.params.factor]).toEqual([true, 0.6, 1.25]);
    expect(effectiveRule(ooh, overrides, { site: 'school-1', siteUse: 'school' }).enabled).toBe(false);
    expect(effectiveRule(ooh, overrides, { site: 'library-2', siteUse: 'library' }).enabled).toBe(false);
  });

  it('applies rules without siteUses to every use', () => {
    const leak = rule('water.closed_hours_flow');
    expect(effectiveRule(leak, [], { site: 'gym-1', siteUse: 'gym' }).enabled).toBe(true);
  });
});
