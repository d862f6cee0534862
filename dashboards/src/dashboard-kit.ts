import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import { VIGIE_DATASOURCE } from './datasource';
import { InfluxQueryBuilder } from './influxql-query.builder';
import { ALERT_MEASUREMENT, TENANT } from './vigie-data';

/** Which Grafana organisation a dashboard is provisioned into: the technicians' or the citizens' (anonymous). */
export type DashboardAudience = 'vigie' | 'public';

/** A dashboard of this folder: its audience and its builder (one file per dashboard). */
export interface VigieDashboard {
  readonly uid: string;
  readonly audience: DashboardAudience;
  build(): dashboard.DashboardBuilder;
}

/** The title, tags, time range and look every Vigie dashboard shares. */
export function vigieDashboard(
  uid: string,
  title: string,
  opts: { description: string; time?: string; tags?: string[] },
): dashboard.DashboardBuilder {
  return new dashboard.DashboardBuilder(title)
    .uid(uid)
    .description(opts.description)
    .tags(['vigie', ...(opts.tags ?? [])])
    .timezone('browser')
    .time({ from: opts.time ?? 'now-30d', to: 'now' })
    .refresh('15m')
    .tooltip(dashboard.DashboardCursorSync.Crosshair)
    .readonly();
}

/** The commune: every tenant that has KPI points. */
export function tenantVariable(): dashboard.QueryVariableBuilder {
  const query = 'SHOW TAG VALUES FROM "kpi" WITH KEY = "tenant"';
  return new dashboard.QueryVariableBuilder('tenant')
    .label('Commune')
    .datasource(VIGIE_DATASOURCE)
    .query(query)
    .definition(query)
    .refresh(dashboard.VariableRefresh.OnDashboardLoad)
    .sort(dashboard.VariableSort.AlphabeticalAsc);
}

/**
 * A tag of the tenant's points as a variable (site, device, sector), with "All": use it as `"tag" =~ /^$name$/`.
 * `where` narrows the values (e.g. a site's devices). All is `.*` (every value, also those not listed), or, with
 * `allListed`, the listed values (`(a|b|c)`: a site's devices only).
 */
export function tagVariable(
  name: string,
  label: string,
  measurement: string,
  key: string,
  where = '',
  allListed = false,
): dashboard.QueryVariableBuilder {
  const query = `SHOW TAG VALUES FROM "${measurement}" WITH KEY = "${key}" WHERE ${TENANT}${where ? ` AND ${where}` : ''}`;
  const v = new dashboard.QueryVariableBuilder(name)
    .label(label)
    .datasource(VIGIE_DATASOURCE)
    .query(query)
    .definition(query)
    .refresh(dashboard.VariableRefresh.OnTimeRangeChanged)
    .sort(dashboard.VariableSort.AlphabeticalAsc)
    .includeAll(true);
  return allListed ? v : v.allValue('.*');
}

/** Alert events of the tenant (optionally of some domains) as annotations: one marker per raised alert. */
export function alertAnnotation(domains?: readonly string[]): dashboard.AnnotationQueryBuilder {
  const domainFilter = domains ? ` AND "domain" =~ /^(${domains.join('|')})$/` : '';
  const query =
    `SELECT "title", "text", "rule", "severity", "subject" FROM "${ALERT_MEASUREMENT}" ` +
    `WHERE ${TENANT} AND "event" = 'fired'${domainFilter} AND $timeFilter`;
  return new dashboard.AnnotationQueryBuilder()
    .name('Alerts')
    .datasource(VIGIE_DATASOURCE)
    .enable(true)
    .iconColor('red')
    .target(new InfluxQueryBuilder('Anno', query).table())
    .mappings({
      title: new dashboard.AnnotationEventFieldMappingBuilder()
        .source(dashboard.AnnotationEventFieldSource.Field)
        .value('title'),
      text: new dashboard.AnnotationEventFieldMappingBuilder()
        .source(dashboard.AnnotationEventFieldSource.Field)
        .value('text'),
      tags: new dashboard.AnnotationEventFieldMappingBuilder()
        .source(dashboard.AnnotationEventFieldSource.Field)
        .value('rule'),
    });
}

/** A panel of the model as JSON (the SDK's Panel or RowPanel). */
type PanelJson = Record<string, unknown> & { panels?: PanelJson[] };

/**
 * The SDK's dashboard as Grafana's JSON model: `templating` and `annotations` as `{ "list": [...] }` (the SDK
 * leaves `{}` when there are none), panel ids 1…n in order (rows' panels included), no functions (the SDK's
 * query variant marker), and the InfluxQL column names of annotations in the legacy fields as well.
 */
export function dashboardModel(built: dashboard.Dashboard): Record<string, unknown> {
  const model = JSON.parse(JSON.stringify(built)) as Record<string, unknown>;
  const listOf = (v: unknown) => ((v as { list?: unknown[] } | undefined)?.list ?? []) as unknown[];
  model['templating'] = { list: listOf(model['templating']) };
  model['annotations'] = {
    list: listOf(model['annotations']).map((a) => {
      const anno = a as Record<string, unknown>;
      const target = anno['target'] as Record<string, unknown> | undefined;
      return target && typeof target['query'] === 'string'
        ? {
            ...anno,
            query: target['query'],
            titleColumn: 'title',
            textColumn: 'text',
            tagsColumn: 'rule,severity',
          }
        : anno;
    }),
  };
  let id = 0;
  const number = (panels: PanelJson[]): PanelJson[] =>
    panels.map((p) => {
      const withId: PanelJson = { id: ++id, ...p };
      if (p.panels) withId.panels = number(p.panels);
      return withId;
    });
  model['panels'] = number((model['panels'] as PanelJson[] | undefined) ?? []);
  return model;
}
