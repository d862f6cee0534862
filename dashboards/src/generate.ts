import { DASHBOARDS, renderDashboard } from './dashboards';
import { dashboardProvidersYaml, datasourcesYaml } from './provisioning';

/**
 * Every generated file of `dashboards/`, path relative to it → content: JSON indented by 2, YAML as the `yaml`
 * package writes it (both listed in .prettierignore: generated, never edited by hand).
 */
export function generatedFiles(): Map<string, string> {
  const files = new Map<string, string>();
  for (const d of DASHBOARDS) {
    const { path, model } = renderDashboard(d);
    files.set(path, JSON.stringify(model, null, 2) + '\n');
  }
  files.set('provisioning/datasources/vigie.yaml', datasourcesYaml());
  files.set('provisioning/dashboards/vigie.yaml', dashboardProvidersYaml());
  return files;
}
