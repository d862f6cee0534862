// Writes docs/kpis.md from the KPI catalogue in libs/contracts and docs/alert-rules.md from the alert rules in
// libs/domain (`npm run docs:kpis`).
import { renderKpiDoc } from '@vigie/contracts';
import { renderAlertRulesDoc } from '@vigie/domain';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

writeFileSync(join(process.cwd(), 'docs', 'kpis.md'), renderKpiDoc());
writeFileSync(join(process.cwd(), 'docs', 'alert-rules.md'), renderAlertRulesDoc());
process.stdout.write('wrote docs/kpis.md and docs/alert-rules.md\n');
