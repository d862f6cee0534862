import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ALERT_RULES } from './alert-rule.catalogue';
import { renderAlertRulesDoc } from './alert-rules.doc';

describe('docs/alert-rules.md', () => {
  it('matches the rules (regenerate with `npm run docs:kpis`)', () => {
    const committed = readFileSync(join(__dirname, '..', '..', '..', '..', 'docs', 'alert-rules.md'), 'utf8');
    expect(committed).toBe(renderAlertRulesDoc());
  });

  it('lists every rule once, with its default parameters', () => {
    const doc = renderAlertRulesDoc();
    for (const r of ALERT_RULES) expect(doc.split(`| \`${r.id}\``).length).toBe(2);
    expect(doc).toContain('factor=1.2, clearFactor=1.1, baselineMin=7, baselineMax=28, consecutive=2');
  });
});
