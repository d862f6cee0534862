import { GrafanaVariable } from '@vigie/dashboards';

/** What Grafana's InfluxDB data source does to a raw InfluxQL query before sending it. */
export interface TimeRange {
  readonly fromMs: number;
  readonly toMs: number;
}

const escapeRegex = (s: string) => s.replace(/[\\^$*+?.()|[\]{}/]/g, '\\$&');

/**
 * The text Grafana puts in place of a variable: with `all`, its All option (its `allValue`, else every value it
 * lists), otherwise the first value it lists. A variable with "All" or several values is formatted for a regular
 * expression (escaped; several values as `(a|b)`), the others are put as they are.
 */
export function variableText(variable: GrafanaVariable, listed: readonly string[], all: boolean): string {
  if (all && variable.allValue !== undefined) return variable.allValue;
  if (!variable.multi && !variable.includeAll) return listed[0];
  const values = all ? listed : listed.slice(0, 1);
  return values.length === 1 ? escapeRegex(values[0]) : `(${values.map(escapeRegex).join('|')})`;
}

/**
 * `query` as the data source sends it: `$timeFilter` → `time >= <from>ms and time <= <to>ms`, `$__interval`, and
 * each variable's text (`$name`, `${name}`, `[[name]]`).
 */
export function interpolate(
  query: string,
  variables: ReadonlyMap<string, string>,
  range: TimeRange,
  interval: string,
): string {
  let out = query
    .replace(/\$timeFilter\b/g, `time >= ${range.fromMs}ms and time <= ${range.toMs}ms`)
    .replace(/\$__interval\b/g, interval);
  // Longest names first, so that `$site` does not eat the start of `$siteId`.
  for (const name of [...variables.keys()].sort((a, b) => b.length - a.length)) {
    const text = variables.get(name) as string;
    out = out.split(`\${${name}}`).join(text).split(`[[${name}]]`).join(text);
    out = out.replace(new RegExp(`\\$${name}(?![A-Za-z0-9_])`, 'g'), () => text);
  }
  const left = /\$(?!timeFilter)[A-Za-z_][A-Za-z0-9_]*|\[\[\w+\]\]/.exec(out);
  if (left) throw new Error(`unresolved ${left[0]} in: ${out}`);
  return out;
}

/** A Grafana relative time (`now-30d`, or a panel's `timeFrom` such as `1y`, `90d`) before `nowMs`. */
export function relativeStart(text: string, nowMs: number): number {
  const m = /^(?:now-)?(\d+)([smhdwMy])$/.exec(text);
  if (!m) throw new Error(`unsupported relative time "${text}"`);
  const unitMs: Record<string, number> = {
    s: 1000,
    m: 60_000,
    h: 3_600_000,
    d: 86_400_000,
    w: 7 * 86_400_000,
    M: 30 * 86_400_000,
    y: 365 * 86_400_000,
  };
  return nowMs - Number(m[1]) * unitMs[m[2]];
}
