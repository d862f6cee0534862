import { findKpiOutput, KpiOutputId, KpiWindow } from '@vigie/contracts';
import {
  AlertError,
  AlertRuleDefinition,
  AlertRuleOverride,
  alertIdOf,
  DAY_MS,
  DEFAULT_TIME_ZONE,
  effectiveRule,
  evaluateKpiRule,
  KpiRuleEvaluation,
  kpiRules,
  KpiSample,
  localDayNumber,
  localWallToUtc,
  nightBounds,
  localDay,
} from '@vigie/domain';
import { dayWindows, KpiPoint, KpiPointsReader, KpiRegistryPort, parsePeriod } from '@vigie/kpi';
import { AlertService } from './alert.service';

const HOUR_MS = 3_600_000;

/** Why a KPI alert evaluation was refused. Values are stable (job failure reasons, logs). */
export enum KpiAlertErrorCode {
  /** The tenant is not in the registry. */
  UnknownTenant = 'unknown_tenant',
}

export function describeKpiAlertErrorCode(code: KpiAlertErrorCode): string {
  switch (code) {
    case KpiAlertErrorCode.UnknownTenant:
      return 'the tenant does not exist';
  }
}

export class KpiAlertError extends Error {
  override readonly name = 'KpiAlertError';

  constructor(
    readonly code: KpiAlertErrorCode,
    readonly detail: string,
  ) {
    super(`${describeKpiAlertErrorCode(code)}: ${detail}`);
  }
}

/** What one KPI rule did over a period. */
export interface KpiRuleRunSummary {
  /** Subjects whose series was judged (rule enabled for them). */
  readonly subjects: number;
  /** Alerts opened by this run (a breach already stored, or covered by a maintenance window, is not counted). */
  readonly raised: number;
  /** Open alerts resolved because their condition cleared. */
  readonly cleared: number;
  /** Windows of the period not judged: completeness below the rule's `minCompleteness`. */
  readonly notJudged: number;
  /** Subjects the rule is disabled for. */
  readonly disabled: number;
  /** A rule that could not run (bad override, unknown KPI output), with the reason. */
  readonly error?: string;
}

export interface KpiAlertRunSummary {
  readonly tenant: string;
  readonly from: string;
  readonly to: string;
  /** By rule id. */
  readonly rules: Readonly<Record<string, KpiRuleRunSummary>>;
}

/**
 * The end of a KPI window from its start in the tenant's time zone (DST days last 23 or 25 h, months vary).
 * A snapshot is judged as a daily value.
 */
export function kpiWindowEnd(window: KpiWindow, timeZone: string): (start: number) => number {
  const dayAfter = (n: number) => (ts: number) =>
    localWallToUtc((localDayNumber(ts, timeZone) + n) * DAY_MS, timeZone);
  switch (window) {
    case 'hour':
      return (ts) => ts + HOUR_MS;
    case 'day':
    case 'snapshot':
      return dayAfter(1);
    case 'night':
      return (ts) => nightBounds(localDay(ts, timeZone), timeZone).end;
    case 'week':
      return dayAfter(7);
    case 'month':
      return (ts) => {
        const d = new Date(localDayNumber(ts, timeZone) * DAY_MS);
        return localWallToUtc(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1), timeZone);
      };
    case 'year':
      return (ts) => {
        const d = new Date(localDayNumber(ts, timeZone) * DAY_MS);
        return localWallToUtc(Date.UTC(d.getUTCFullYear() + 1, 0, 1), timeZone);
      };
  }
}

/** The longest a window of each kind lasts (look-back sizing). */
const LONGEST_WINDOW_MS: Readonly<Record<KpiWindow, number>> = {
  hour: HOUR_MS,
  day: DAY_MS + HOUR_MS,
  snapshot: DAY_MS + HOUR_MS,
  night: DAY_MS + HOUR_MS,
  week: 7 * DAY_MS + HOUR_MS,
  month: 31 * DAY_MS + HOUR_MS,
  year: 366 * DAY_MS + HOUR_MS,
};

/**
 * Windows read before the period: enough for a run of `consecutive` breaches and, for above_baseline, the
 * `baselineMax` windows of its baseline; doubled, because windows not judged (incomplete) or inside a breach do
 * not count towards either.
 */
export function lookBackWindows(rule: Pick<AlertRuleDefinition, 'source' | 'params'>): number {
  const consecutive = rule.params.consecutive ?? 1;
  const baseline =
    rule.source.type === 'kpi' && rule.source.evaluator === 'above_baseline'
      ? (rule.params.baselineMax ?? 0)
      : 0;
  return 2 * (consecutive + baseline);
}

export interface KpiAlertEvaluatorDeps {
  readonly alerts: AlertService;
  readonly points: Pick<KpiPointsReader, 'read'>;
  readonly registry: KpiRegistryPort;
}

interface SubjectScope {
  readonly site?: string;
  readonly device?: string;
  /** The site's `use` attribute (rules with `siteUses` judge only those uses by default). */
  readonly siteUse?: string;
}

/**
 * The KPI rules of a tenant over a period (after a KPI run): for every KPI rule, its KPI output is read over the
 * period plus a look-back, each subject's series is judged by `evaluateKpiRule` (with the tenant's, the subject's
 * site's and device's overrides; disabled rules skipped), and the episodes are reconciled with the alert store:
 * - an episode not yet stored is raised (its id comes from its `since`, so re-running a period raises nothing
 *   new); an episode that fired and cleared before the period is history and left alone;
 * - an episode that cleared resolves the open alert of the rule and subject at `clearedAt`;
 * - an open alert whose subject's latest judged window is past the clear level is resolved there (an alert opened
 *   before the look-back, or from data since recomputed).
 * The look-back starts before the period, or before the earliest open alert of the rule when that is earlier, so
 * an open breach is judged with the windows that preceded it. A subject that is a site is its own site; a
 * device's site is the registry's.
 */
export class KpiAlertEvaluator {
  constructor(private readonly deps: KpiAlertEvaluatorDeps) {}

  /** `from` / `to`: local days 'YYYY-MM-DD', inclusive (KpiEngineError for bad dates). */
  async evaluate(tenant: string, from: string, to: string): Promise<KpiAlertRunSummary> {
    const period = parsePeriod(from, to);
    const t = await this.deps.registry.getTenant(tenant);
    if (!t) throw new KpiAlertError(KpiAlertErrorCode.UnknownTenant, `no tenant '${tenant}'`);
    const timeZone = t.timeZone ?? DEFAULT_TIME_ZONE;
    const days = dayWindows(period, timeZone);
    const start = days[0].start;
    const end = days[days.length - 1].end;

    const [sites, devices, overrides, open] = await Promise.all([
      this.deps.registry.listSites(tenant),
      this.deps.registry.listDevices(tenant),
      this.deps.alerts.repository.listOverrides(tenant),
      this.deps.alerts.repository.listOpen(tenant),
    ]);
    // The earliest open alert of each rule: the read reaches back before it (see evaluateRule).
    const openSince = new Map<string, number>();
    for (const a of open) openSince.set(a.rule, Math.min(a.since, openSince.get(a.rule) ?? Infinity));
    const siteUses = new Map(sites.map((s) => [s.id, s.attributes['use']]));
    const deviceSites = new Map(devices.map((d) => [d.id, d.site]));
    const withUse = (scope: SubjectScope): SubjectScope => {
      const use = scope.site === undefined ? undefined : siteUses.get(scope.site);
      return use === undefined ? scope : { ...scope, siteUse: use };
    };
    const scopeOf = (subject: string): SubjectScope => {
      if (deviceSites.has(subject)) {
        const site = deviceSites.get(subject);
        return withUse(site === undefined ? { device: subject } : { device: subject, site });
      }
      return siteUses.has(subject) ? withUse({ site: subject }) : {};
    };

    const rules: Record<string, KpiRuleRunSummary> = {};
    for (const def of kpiRules()) {
      const readFrom = Math.min(start, openSince.get(def.id) ?? Infinity);
      rules[def.id] = await this.evaluateRule(tenant, def, overrides, scopeOf, timeZone, {
        readFrom,
        start,
        end,
      });
    }
    return { tenant, from, to, rules };
  }

  private async evaluateRule(
    tenant: string,
    def: AlertRuleDefinition,
    allOverrides: readonly AlertRuleOverride[],
    scopeOf: (subject: string) => SubjectScope,
    timeZone: string,
    range: { readonly readFrom: number; readonly start: number; readonly end: number },
  ): Promise<KpiRuleRunSummary> {
    const { start, end } = range;
    const summary = { subjects: 0, raised: 0, cleared: 0, notJudged: 0, disabled: 0 };
    if (def.source.type !== 'kpi') return summary;
    const output = findKpiOutput(def.source.kpi);
    if (!output) return { ...summary, error: `KPI output ${def.source.kpi} is not in the catalogue` };
    const overrides = allOverrides.filter((o) => o.rule === def.id);
    // The longest look-back any scope of the rule asks for, before the period or before the earliest open alert of
    // the rule, whichever is earlier: a leak open for longer than the look-back is still judged against the nights
    // before it (read from its start only, it would become its own baseline and look cleared).
    const windows = Math.max(
      lookBackWindows(def),
      ...overrides.map((o) => lookBackWindows({ ...def, params: { ...def.params, ...(o.params ?? {}) } })),
    );
    const points = await this.deps.points.read(
      tenant,
      output.id as KpiOutputId,
      range.readFrom - windows * LONGEST_WINDOW_MS[output.window],
      end,
    );
    const windowEnd = kpiWindowEnd(output.window, timeZone);
    const errors: string[] = [];
    for (const [subject, series] of bySubject(points)) {
      const scope = scopeOf(subject);
      const rule = effectiveRule(def, overrides, scope);
      if (!rule.enabled) {
        summary.disabled++;
        continue;
      }
      let evaluation: KpiRuleEvaluation;
      try {
        evaluation = evaluateKpiRule(rule, series, windowEnd);
      } catch (err) {
        if (err instanceof AlertError) {
          errors.push(`${subject}: ${err.message}`);
          continue;
        }
        throw err;
      }
      summary.subjects++;
      summary.notJudged += evaluation.windows.filter(
        (w) => w.verdict === 'incomplete' && w.ts >= start,
      ).length;
      const r = await this.reconcile(tenant, rule, subject, scope.site, output.window, evaluation, start);
      summary.raised += r.raised;
      summary.cleared += r.cleared;
    }
    return errors.length ? { ...summary, error: errors.join('; ') } : summary;
  }

  private async reconcile(
    tenant: string,
    rule: AlertRuleDefinition,
    subject: string,
    site: string | undefined,
    window: KpiWindow,
    evaluation: KpiRuleEvaluation,
    periodStart: number,
  ): Promise<{ raised: number; cleared: number }> {
    const { alerts } = this.deps;
    const repo = alerts.repository;
    let raised = 0;
    let cleared = 0;
    for (const ep of evaluation.episodes) {
      // Fired and cleared before the period: the runs of those days settled it.
      if (ep.clearedAt !== undefined && ep.clearedAt <= periodStart) continue;
      const id = alertIdOf({ tenant, rule: rule.id, subject, since: ep.since });
      const [known, open] = await Promise.all([
        repo.get(tenant, id),
        repo.findOpen(tenant, rule.id, subject),
      ]);
      // Raised already (a re-run), or the rule and subject hold an open alert (the same breach seen from a
      // shorter look-back, or a later one): nothing new to raise.
      if (!known && !open) {
        const held = await alerts.raise({
          tenant,
          rule,
          subject,
          ...(site === undefined ? {} : { site }),
          since: ep.since,
          firedAt: ep.firedAt,
          value: ep.value,
          threshold: ep.threshold,
          window,
          completeness: ep.completeness,
        });
        if (held?.id === id) raised++;
      }
      if (ep.clearedAt !== undefined) {
        const now = await repo.findOpen(tenant, rule.id, subject);
        // Only an alert of this breach (or one opened before it): never a later one.
        if (now && now.since <= ep.since) {
          await alerts.clear(tenant, rule.id, subject, ep.clearedAt);
          cleared++;
        }
      }
    }
    const last = evaluation.episodes[evaluation.episodes.length - 1];
    if (last === undefined || last.clearedAt !== undefined) {
      const judged = evaluation.windows.filter(
        (w) => w.verdict !== 'incomplete' && w.verdict !== 'no_baseline',
      );
      const latest = judged[judged.length - 1];
      if (latest?.verdict === 'clear') {
        const open = await repo.findOpen(tenant, rule.id, subject);
        if (open && open.since <= latest.ts) {
          await alerts.clear(tenant, rule.id, subject, latest.end);
          cleared++;
        }
      }
    }
    return { raised, cleared };
  }
}

/** Points (sorted by subject then time, as KpiPointsReader returns them) as one series per subject. */
function bySubject(points: readonly KpiPoint[]): Map<string, KpiSample[]> {
  const out = new Map<string, KpiSample[]>();
  for (const p of points) {
    let s = out.get(p.subject);
    if (!s) out.set(p.subject, (s = []));
    s.push({ ts: p.ts, value: p.value, completeness: p.completeness });
  }
  for (const s of out.values()) s.sort((a, b) => a.ts - b.ts);
  return out;
}
