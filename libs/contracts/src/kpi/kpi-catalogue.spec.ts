import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  findKpiOutput,
  KPI_FAMILIES,
  KPI_IDS,
  KPI_OUTPUTS,
  KPI_WINDOWS,
  renderKpiDoc,
} from './kpi-catalogue';

describe('the KPI output catalogue', () => {
  it('names every output <catalogue id>.<snake_case output>, once, in its own family', () => {
    const ids = KPI_OUTPUTS.map((o) => o.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(Object.values(KPI_IDS).sort());
    for (const o of KPI_OUTPUTS) {
      expect(o.id).toMatch(/^[BWKLX]\d\.[a-z0-9_]+$/);
      expect(o.id.split('.')[0]).toBe(o.family);
      expect(Object.keys(KPI_FAMILIES)).toContain(o.family);
      expect(KPI_WINDOWS).toContain(o.window);
    }
    expect(findKpiOutput('B3.dju')?.methods).toEqual(['meteo', 'costic']);
    expect(findKpiOutput('B1.consumption_kwh')?.methods).toBeUndefined();
    expect(findKpiOutput('B1.nope')).toBeUndefined();
  });

  it('matches the committed docs/kpis.md (regenerate with `npm run docs:kpis`)', () => {
    const committed = readFileSync(join(__dirname, '..', '..', '..', '..', 'docs', 'kpis.md'), 'utf8');
    expect(committed).toBe(renderKpiDoc());
  });
});
