import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Reading the committed Grafana JSON back, as Grafana would see it: the model test and the query-execution test
 * work on these files, not on the builders.
 */

export interface GrafanaTarget {
  readonly refId: string;
  readonly datasource?: { type?: string; uid?: string };
  readonly rawQuery?: boolean;
  readonly query?: string;
  readonly resultFormat?: string;
}

export interface GrafanaPanel {
  readonly id?: number;
  readonly type: string;
  readonly title?: string;
  readonly gridPos?: { x: number; y: number; w: number; h: number };
  readonly datasource?: { type?: string; uid?: string };
  readonly targets?: readonly GrafanaTarget[];
  readonly panels?: readonly GrafanaPanel[];
  readonly timeFrom?: string;
  readonly fieldConfig?: {
    defaults?: { unit?: string; decimals?: number; thresholds?: { steps?: unknown[] } };
    overrides?: readonly { matcher: { id: string; options?: unknown }; properties: unknown[] }[];
  };
  readonly transformations?: readonly { id: string; options?: Record<string, unknown> }[];
}

export interface GrafanaVariable {
  readonly type: string;
  readonly name: string;
  readonly query?: string;
  readonly datasource?: { type?: string; uid?: string };
  readonly multi?: boolean;
  readonly includeAll?: boolean;
  readonly allValue?: string;
}

export interface GrafanaAnnotation {
  readonly name: string;
  readonly datasource?: { type?: string; uid?: string };
  readonly target?: GrafanaTarget;
}

export interface GrafanaDashboard {
  readonly uid: string;
  readonly title: string;
  readonly panels: readonly GrafanaPanel[];
  readonly templating: { list: readonly GrafanaVariable[] };
  readonly annotations: { list: readonly GrafanaAnnotation[] };
  readonly [key: string]: unknown;
}

export interface DashboardFile {
  /** Relative to `dashboards/`: `json/<audience>/<uid>.json`. */
  readonly path: string;
  readonly audience: string;
  readonly model: GrafanaDashboard;
}

/** Every committed dashboard under `<root>/json/<audience>/`. */
export function readCommittedDashboards(root: string): DashboardFile[] {
  const files: DashboardFile[] = [];
  for (const audience of readdirSync(join(root, 'json')).sort()) {
    for (const f of readdirSync(join(root, 'json', audience)).sort()) {
      if (!f.endsWith('.json')) continue;
      const path = `json/${audience}/${f}`;
      files.push({
        path,
        audience,
        model: JSON.parse(readFileSync(join(root, path), 'utf8')) as GrafanaDashboard,
      });
    }
  }
  return files;
}

/** The panels of a dashboard, rows' panels included, rows themselves left out. */
export function panelsOf(model: GrafanaDashboard): GrafanaPanel[] {
  return model.panels.flatMap((p) => (p.type === 'row' ? [...(p.panels ?? [])] : [p]));
}

/** Every panel and row, for id and grid checks. */
export function allPanelsOf(model: GrafanaDashboard): GrafanaPanel[] {
  return model.panels.flatMap((p) => [p, ...(p.panels ?? [])]);
}

/**
 * Column names a panel refers to (field overrides by name, `organize` transformation), beside Grafana's own `Time`:
 * each must be a column of one of the panel's query results.
 */
export function columnsUsedBy(panel: GrafanaPanel): string[] {
  const names = new Set<string>();
  for (const o of panel.fieldConfig?.overrides ?? [])
    if (o.matcher.id === 'byName' && typeof o.matcher.options === 'string') names.add(o.matcher.options);
  for (const t of panel.transformations ?? []) {
    if (t.id !== 'organize') continue;
    for (const key of ['excludeByName', 'renameByName', 'indexByName'])
      for (const name of Object.keys((t.options?.[key] as Record<string, unknown> | undefined) ?? {}))
        names.add(name);
  }
  names.delete('Time');
  return [...names].sort();
}

/** The query without its subqueries (`(SELECT …)`, balanced parentheses). */
function withoutSubqueries(query: string): string {
  let out = '';
  for (let i = 0; i < query.length; i++) {
    if (query.startsWith('(SELECT', i)) {
      let depth = 0;
      for (; i < query.length; i++) {
        if (query[i] === '(') depth++;
        else if (query[i] === ')' && --depth === 0) break;
      }
      out += '(…)';
    } else out += query[i];
  }
  return out;
}

/** The `AS "name"` aliases of an InfluxQL query's outer SELECT: columns its result must have. */
export function selectAliases(query: string): string[] {
  const outer = withoutSubqueries(query);
  const select = outer.slice(0, outer.search(/\bFROM\b/) >>> 0);
  return [...select.matchAll(/\bAS "([^"]+)"/g)].map((m) => m[1]);
}
