import { ID_PATTERN } from './ids';

/**
 * The MQTT topic grammar. Nothing outside this file spells a Vigie topic by hand.
 *
 *   vigie/<tenant>/devices/<device>/readings   a device's readings (Vigie JSON or SenML)
 *   vigie/<tenant>/devices/<device>/#          everything a device may subscribe to
 *   vigie/<tenant>/#                           a tenant's whole tree (integration accounts live inside it)
 */
export const TOPIC_ROOT = 'vigie';

export const topics = {
  readings: (tenant: string, device: string): string => `${TOPIC_ROOT}/${tenant}/devices/${device}/readings`,
  deviceTree: (tenant: string, device: string): string => `${TOPIC_ROOT}/${tenant}/devices/${device}/#`,
  tenantTree: (tenant: string): string => `${TOPIC_ROOT}/${tenant}/#`,
  tenantPrefix: (tenant: string): string => `${TOPIC_ROOT}/${tenant}/`,
};

export interface ReadingsTopic {
  readonly tenant: string;
  readonly device: string;
}

export function parseReadingsTopic(topic: string): ReadingsTopic | undefined {
  const levels = topic.split('/');
  if (
    levels.length !== 5 ||
    levels[0] !== TOPIC_ROOT ||
    levels[2] !== 'devices' ||
    levels[4] !== 'readings'
  ) {
    return undefined;
  }
  if (!ID_PATTERN.test(levels[1]) || !ID_PATTERN.test(levels[3])) return undefined;
  return { tenant: levels[1], device: levels[3] };
}

/** Does a topic filter (with `+` and `#`) match a concrete topic? `$`-topics only match filters that name them. */
export function topicMatches(filter: string, topic: string): boolean {
  const f = filter.split('/');
  const t = topic.split('/');
  if (topic.startsWith('$') && (f[0] === '+' || f[0] === '#')) return false;
  for (let i = 0; i < f.length; i++) {
    if (f[i] === '#') return true;
    if (i >= t.length) return false;
    if (f[i] !== '+' && f[i] !== t[i]) return false;
  }
  return f.length === t.length;
}

/** Is every topic that `filter` can match also matched by `pattern`? Used to check subscriptions against an ACL. */
export function filterCovers(pattern: string, filter: string): boolean {
  const p = pattern.split('/');
  if (filter.startsWith('$') && (p[0] === '+' || p[0] === '#')) return false;
  const f = filter.split('/');
  for (let i = 0; i < p.length; i++) {
    if (p[i] === '#') return true;
    if (i >= f.length) return false;
    if (f[i] === '#') return false;
    if (p[i] === '+') continue;
    if (f[i] === '+' || f[i] !== p[i]) return false;
  }
  return p.length === f.length;
}

/** A topic pattern is well formed: `#` only last and alone in its level, `+` alone in its level. */
export function topicFilterProblem(filter: string): string | undefined {
  if (filter.length === 0) return 'a topic pattern cannot be empty';
  const levels = filter.split('/');
  for (let i = 0; i < levels.length; i++) {
    const level = levels[i];
    if (level.includes('#') && (level !== '#' || i !== levels.length - 1)) {
      return `'#' must be the last level on its own in '${filter}'`;
    }
    if (level.includes('+') && level !== '+') return `'+' must stand alone in its level in '${filter}'`;
  }
  return undefined;
}

/**
 * Checks an account's ACL pattern. A tenant's account may only reach topics inside `vigie/<tenant>/`
 * (literal first two levels); an operator account (no tenant) may be granted anything, `#` included.
 */
export function accountAclProblem(tenant: string | undefined, pattern: string): string | undefined {
  const problem = topicFilterProblem(pattern);
  if (problem) return problem;
  if (tenant === undefined) return undefined;
  const prefix = topics.tenantPrefix(tenant);
  if (!pattern.startsWith(prefix) || pattern.length === prefix.length) {
    return `pattern '${pattern}' must lie inside the tenant's tree '${prefix}…' (e.g. '${topics.tenantTree(tenant)}')`;
  }
  return undefined;
}
