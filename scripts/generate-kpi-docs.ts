// Writes docs/kpis.md from the KPI catalogue in libs/contracts (`npm run docs:kpis`).
import { renderKpiDoc } from '@vigie/contracts';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

writeFileSync(join(process.cwd(), 'docs', 'kpis.md'), renderKpiDoc());
process.stdout.write('wrote docs/kpis.md\n');
