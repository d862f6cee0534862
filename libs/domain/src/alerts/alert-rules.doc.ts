import { ALERT_RULES, AlertRuleDefinition } from './alert-rule.catalogue';

function source(r: AlertRuleDefinition): string {
  switch (r.source.type) {
    case 'reading':
      return `reading \`${r.source.metric}\` of ${r.source.kind} (${r.source.evaluator.replace(/_/g, ' ')})`;
    case 'kpi':
      return `KPI \`${r.source.kpi}\` (${r.source.evaluator.replace(/_/g, ' ')})`;
    case 'silence':
      return 'reports of every device';
  }
}

function params(r: AlertRuleDefinition): string {
  return Object.entries(r.params)
    .map(([k, v]) => `${k}=${typeof v === 'object' ? JSON.stringify(v) : String(v)}`)
    .join(', ');
}

/** The Markdown of `docs/alert-rules.md`, generated from ALERT_RULES (`npm run docs:kpis` writes it too). */
export function renderAlertRulesDoc(): string {
  const lines = [
    '# Alert rules',
    '',
    '<!-- Generated from libs/domain/src/alerts/alert-rule.catalogue.ts by `npm run docs:kpis`: do not edit. -->',
    '',
    'Every rule Vigie evaluates, with its default parameters (settings: override them per tenant, site or device',
    'with `vigie alerts rules set` or `PUT /api/v1/tenants/:tenant/alert-rules/:rule/overrides`). Reading rules run as',
    'readings arrive, KPI rules after each KPI run, the silence rule on every report and once a minute. Operational',
    'rules tell what to do next (a bin to collect) rather than a fault.',
    '',
    '| rule | severity | domain | watches | defaults | unit | from the catalogue |',
    '| --- | --- | --- | --- | --- | --- | --- |',
  ];
  for (const r of ALERT_RULES) {
    lines.push(
      `| \`${r.id}\`${r.operational ? ' (operational)' : ''} | ${r.severity} | ${r.domain} | ${source(r)} | ${params(r)} | ${r.unit || '—'} | ${r.ref} |`,
    );
  }
  return lines.join('\n') + '\n';
}
