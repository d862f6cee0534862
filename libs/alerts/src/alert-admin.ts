import { AlertFilter, AuditRecorder, RegistryRepository, StoredAlert } from '@vigie/adapters';
import {
  Actor,
  ALERT_RULES,
  AlertError,
  AlertErrorCode,
  AlertEvent,
  AlertRuleDefinition,
  AlertRuleOverride,
  AlertRuleParams,
  AlertSeverity,
  AlertSilence,
  effectiveRule,
  findAlertRule,
  validateRateOfChangeRule,
  validateSilence,
  validateThresholdRule,
} from '@vigie/domain';
import { randomBytes } from 'node:crypto';
import { AlertAdminError, AlertAdminErrorCode } from './alert-admin.errors';
import { AlertService } from './alert.service';

/** What an operator does to an alert (REST `POST …/alerts/:id/<action>`, `vigie alerts ack|assign|resolve`). */
export type OperatorAction =
  | { readonly type: 'acknowledge'; readonly by: string }
  | { readonly type: 'assign'; readonly to: string; readonly by?: string }
  | { readonly type: 'resolve'; readonly by: string };

/** A silence or maintenance window to create; the id is given by `addSilence`. */
export type NewSilence = Omit<AlertSilence, 'id' | 'tenant'>;

/** The scope of an override: the whole tenant, a site or a device. */
export interface OverrideScope {
  readonly site?: string;
  readonly device?: string;
}

/** A catalogue rule as a tenant sees it: its defaults, its tenant-wide settings and every override. */
export interface AlertRuleView {
  readonly id: string;
  readonly domain: string;
  readonly title: string;
  readonly unit: string;
  readonly source: AlertRuleDefinition['source'];
  readonly ref: string;
  readonly operational: boolean;
  /** The catalogue's severity and parameters. */
  readonly defaults: { readonly severity: AlertSeverity; readonly params: AlertRuleParams };
  /** With the tenant-wide override applied (site and device overrides may differ). */
  readonly tenant: {
    readonly enabled: boolean;
    readonly severity: AlertSeverity;
    readonly params: AlertRuleParams;
  };
  readonly overrides: readonly AlertRuleOverride[];
}

/** An alert as operators read it: instants as ISO strings. */
export type AlertView = Omit<StoredAlert, 'since' | 'firedAt' | 'acknowledgedAt' | 'resolvedAt'> & {
  readonly since: string;
  readonly firedAt: string;
  readonly acknowledgedAt?: string;
  readonly resolvedAt?: string;
};

/** One event of an alert's history. */
export interface AlertEventView {
  readonly id: string;
  readonly type: AlertEvent['type'];
  readonly at: string;
  readonly by?: string;
  /** The alert's state after the event. */
  readonly state: string;
}

export type AlertSilenceView = Omit<AlertSilence, 'from' | 'to'> & {
  readonly from: string;
  readonly to: string;
};

const iso = (ms: number) => new Date(ms).toISOString();

export function alertView(a: StoredAlert): AlertView {
  const { since, firedAt, acknowledgedAt, resolvedAt, ...rest } = a;
  return {
    ...rest,
    since: iso(since),
    firedAt: iso(firedAt),
    ...(acknowledgedAt === undefined ? {} : { acknowledgedAt: iso(acknowledgedAt) }),
    ...(resolvedAt === undefined ? {} : { resolvedAt: iso(resolvedAt) }),
  };
}

export function alertEventView(e: AlertEvent): AlertEventView {
  return {
    id: e.id,
    type: e.type,
    at: iso(e.at),
    ...(e.by === undefined ? {} : { by: e.by }),
    state: e.alert.state,
  };
}

export function alertSilenceView(s: AlertSilence): AlertSilenceView {
  return { ...s, from: iso(s.from), to: iso(s.to) };
}

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2}))?$/;

/**
 * Epoch ms of an ISO 8601 date (`2026-03-01`, midnight UTC) or date-time with its offset (`2026-03-01T08:00Z`,
 * `2026-03-01T08:00:00+02:00`); undefined when it is neither.
 */
export function parseInstant(text: string): number | undefined {
  if (!ISO_INSTANT.test(text)) return undefined;
  const ms = Date.parse(text);
  return Number.isFinite(ms) ? ms : undefined;
}

/** The message naming a rule id that is not in the catalogue, with the known ones. */
export function unknownRuleMessage(rule: string): string {
  return `unknown rule '${rule.slice(0, 80)}'; known rules: ${ALERT_RULES.map((r) => r.id).join(', ')}`;
}

function ruleOrFail(rule: string): AlertRuleDefinition {
  const def = findAlertRule(rule);
  if (!def) throw new AlertAdminError(AlertAdminErrorCode.RuleNotFound, unknownRuleMessage(rule));
  return def;
}

/** The parameters a rule reads: its defaults' keys, `kByKind` for the offline rule, `minCompleteness` for KPIs. */
export function ruleParamKeys(def: AlertRuleDefinition): string[] {
  const keys = new Set(Object.keys(def.params));
  if (def.source.type === 'silence') keys.add('kByKind');
  if (def.source.type === 'kpi') keys.add('minCompleteness');
  return [...keys].sort();
}

function invalidOverride(detail: string, field?: string): never {
  throw new AlertAdminError(AlertAdminErrorCode.InvalidOverride, detail, field);
}

/** Refuses parameters the rule does not read and values of the wrong kind. */
function checkParams(def: AlertRuleDefinition, params: AlertRuleParams): void {
  const allowed = ruleParamKeys(def);
  for (const [key, value] of Object.entries(params) as [string, unknown][]) {
    const field = `params.${key}`;
    if (!allowed.includes(key)) {
      invalidOverride(
        `rule ${def.id} has no parameter '${key}' (its parameters: ${allowed.join(', ')})`,
        field,
      );
    }
    if (key === 'direction') {
      if (value !== 'above' && value !== 'below') invalidOverride(`direction must be above or below`, field);
    } else if (key === 'kByKind') {
      const ok =
        typeof value === 'object' &&
        value !== null &&
        Object.values(value).every((k) => typeof k === 'number' && Number.isFinite(k) && k > 0);
      if (!ok) invalidOverride('kByKind maps device kinds to positive numbers', field);
    } else if (typeof value !== 'number' || !Number.isFinite(value)) {
      invalidOverride(`${key} must be a finite number`, field);
    }
  }
}

/** Refuses settings under which the rule's evaluator cannot work (clear on the wrong side of raise…). */
function checkConsistent(def: AlertRuleDefinition, p: AlertRuleParams): void {
  const min = (v: number | undefined) => (v ?? 0) * 60_000;
  const nonNegative: (keyof AlertRuleParams)[] = ['minDurationMin', 'toleranceMin'];
  for (const k of nonNegative) {
    const v = p[k];
    if (typeof v === 'number' && v < 0) invalidOverride(`${k} ${v} is negative`, `params.${k}`);
  }
  if (p.consecutive !== undefined && (!Number.isInteger(p.consecutive) || p.consecutive < 1)) {
    invalidOverride(`consecutive ${p.consecutive} must be a whole number ≥ 1`, 'params.consecutive');
  }
  if (p.minCompleteness !== undefined && (p.minCompleteness < 0 || p.minCompleteness > 1)) {
    invalidOverride(`minCompleteness ${p.minCompleteness} must be within [0, 1]`, 'params.minCompleteness');
  }
  if (p.k !== undefined && p.k <= 0) invalidOverride(`k ${p.k} must be positive`, 'params.k');
  if (p.factor !== undefined && p.clearFactor !== undefined && !(p.factor > 0 && p.clearFactor <= p.factor)) {
    invalidOverride(`clearFactor ${p.clearFactor} must be ≤ factor ${p.factor} (> 0)`, 'params.clearFactor');
  }
  if (p.baselineMin !== undefined && p.baselineMax !== undefined && p.baselineMin > p.baselineMax) {
    invalidOverride(
      `baselineMin ${p.baselineMin} must be ≤ baselineMax ${p.baselineMax}`,
      'params.baselineMin',
    );
  }
  try {
    const evaluator = def.source.type === 'silence' ? undefined : def.source.evaluator;
    if (
      (evaluator === 'threshold' || evaluator === 'level') &&
      p.raise !== undefined &&
      p.clear !== undefined
    ) {
      validateThresholdRule({
        direction: p.direction ?? 'above',
        raise: p.raise,
        clear: p.clear,
        minDurationMs: min(p.minDurationMin),
      });
    }
    if (evaluator === 'rate_of_change' && p.rise !== undefined && p.clearRise !== undefined) {
      validateRateOfChangeRule({ rise: p.rise, clearRise: p.clearRise, windowMs: min(p.windowMin) });
    }
  } catch (err) {
    if (err instanceof AlertError) invalidOverride(`rule ${def.id}: ${err.detail}`, 'params');
    throw err;
  }
}

/**
 * The operator's side of alerts, shared by the REST API and the `vigie alerts` commands: list and read alerts,
 * acknowledge/assign/resolve them (through AlertService, so each action is stored, written to InfluxDB and
 * notified), the tenant's rule overrides and its silences. Every refusal is an AlertAdminError.
 */
export class AlertAdmin {
  constructor(
    private readonly alerts: AlertService,
    private readonly tenants: Pick<RegistryRepository, 'getTenant'>,
    private readonly now: () => number = Date.now,
    /** Where changes are recorded, with the actor each mutating call names. */
    private readonly audit?: AuditRecorder,
  ) {}

  private async record(
    actor: Actor | undefined,
    tenant: string,
    action: string,
    target: string,
    before: unknown,
    after: unknown,
  ): Promise<void> {
    if (actor && this.audit) await this.audit.record(actor, { tenant, action, target, before, after });
  }

  private get repository() {
    return this.alerts.repository;
  }

  /** Refuses (TenantNotFound) a tenant that does not exist. */
  async tenantOrFail(tenant: string): Promise<void> {
    if (!(await this.tenants.getTenant(tenant))) {
      throw new AlertAdminError(
        AlertAdminErrorCode.TenantNotFound,
        `tenant '${tenant.slice(0, 64)}' does not exist (see 'vigie tenants list')`,
      );
    }
  }

  /** Alerts of a tenant matching the filter, newest first. */
  async listAlerts(tenant: string, filter: AlertFilter = {}): Promise<StoredAlert[]> {
    await this.tenantOrFail(tenant);
    return this.repository.list(tenant, filter);
  }

  /** An alert and its events, oldest first. */
  async showAlert(tenant: string, id: string): Promise<{ alert: StoredAlert; history: AlertEvent[] }> {
    await this.tenantOrFail(tenant);
    const alert = await this.repository.get(tenant, id);
    if (!alert) {
      throw new AlertAdminError(
        AlertAdminErrorCode.AlertNotFound,
        `tenant '${tenant}' has no alert '${id.slice(0, 64)}' (see 'vigie alerts list')`,
      );
    }
    return { alert, history: await this.repository.history(tenant, id) };
  }

  /**
   * Acknowledges, assigns or resolves an alert. Acknowledging an acknowledged alert changes nothing; anything on a
   * resolved alert is refused (InvalidTransition). `by` of an assignment is not recorded: the event names the
   * assignee.
   */
  async act(tenant: string, id: string, action: OperatorAction, actor?: Actor): Promise<StoredAlert> {
    await this.tenantOrFail(tenant);
    const at = this.now();
    const before = actor ? await this.repository.get(tenant, id) : undefined;
    try {
      const after = await this.alerts.act(
        tenant,
        id,
        action.type === 'assign' ? { type: 'assign', to: action.to, at } : { ...action, at },
      );
      if (!after) {
        throw new AlertAdminError(
          AlertAdminErrorCode.AlertNotFound,
          `tenant '${tenant}' has no alert '${id.slice(0, 64)}' (see 'vigie alerts list')`,
        );
      }
      await this.record(actor, tenant, `alert.${action.type}`, `alert:${id}`, before, after);
      return after;
    } catch (err) {
      if (err instanceof AlertError && err.code === AlertErrorCode.InvalidTransition) {
        throw new AlertAdminError(AlertAdminErrorCode.InvalidTransition, err.detail);
      }
      throw err;
    }
  }

  /** Every catalogue rule with its defaults, its tenant-wide settings and the tenant's overrides. */
  async listRules(tenant: string): Promise<AlertRuleView[]> {
    await this.tenantOrFail(tenant);
    const overrides = await this.repository.listOverrides(tenant);
    return ALERT_RULES.map((def) => {
      const eff = effectiveRule(def, overrides, {});
      return {
        id: def.id,
        domain: def.domain,
        title: def.title,
        unit: def.unit,
        source: def.source,
        ref: def.ref,
        operational: def.operational ?? false,
        defaults: { severity: def.severity, params: def.params },
        tenant: { enabled: eff.enabled, severity: eff.severity, params: eff.params },
        overrides: overrides.filter((o) => o.rule === def.id),
      };
    });
  }

  /**
   * Stores the override of a rule at a scope (tenant, site or device). `replace` drops what the scope set before;
   * `merge` keeps the fields not given (parameters merged key by key). Refused when it names a parameter the rule
   * does not read, or makes the rule inconsistent at that scope.
   */
  async setOverride(
    tenant: string,
    override: AlertRuleOverride,
    mode: 'replace' | 'merge' = 'replace',
    actor?: Actor,
  ): Promise<AlertRuleOverride> {
    await this.tenantOrFail(tenant);
    const def = ruleOrFail(override.rule);
    const scope: OverrideScope = {
      ...(override.site === undefined ? {} : { site: override.site }),
      ...(override.device === undefined ? {} : { device: override.device }),
    };
    const all = await this.repository.listOverrides(tenant);
    const sameScope = (o: AlertRuleOverride) =>
      o.rule === def.id && o.site === scope.site && o.device === scope.device;
    const previous = all.find(sameScope);
    const before = mode === 'merge' ? previous : undefined;
    const enabled = override.enabled ?? before?.enabled;
    const severity = override.severity ?? before?.severity;
    const params = { ...(before?.params ?? {}), ...(override.params ?? {}) };
    const next: AlertRuleOverride = {
      rule: def.id,
      ...scope,
      ...(enabled === undefined ? {} : { enabled }),
      ...(severity === undefined ? {} : { severity }),
      ...(Object.keys(params).length ? { params } : {}),
    };
    if (next.enabled === undefined && next.severity === undefined && next.params === undefined) {
      invalidOverride('the override sets nothing: give enabled, severity or params');
    }
    checkParams(def, next.params ?? {});
    checkConsistent(def, effectiveRule(def, [...all.filter((o) => !sameScope(o)), next], scope).params);
    await this.repository.putOverride(tenant, next);
    await this.record(actor, tenant, 'alert-rule.override', `alert-rule:${def.id}`, previous ?? null, next);
    return next;
  }

  /** Removes the override of a rule at a scope. */
  async removeOverride(
    tenant: string,
    rule: string,
    scope: OverrideScope = {},
    actor?: Actor,
  ): Promise<void> {
    await this.tenantOrFail(tenant);
    const def = ruleOrFail(rule);
    const previous = (await this.repository.listOverrides(tenant)).find(
      (o) => o.rule === def.id && o.site === scope.site && o.device === scope.device,
    );
    if (!(await this.repository.removeOverride(tenant, { rule: def.id, ...scope }))) {
      const where = scope.device
        ? `device '${scope.device}'`
        : scope.site
          ? `site '${scope.site}'`
          : 'the tenant';
      throw new AlertAdminError(
        AlertAdminErrorCode.OverrideNotFound,
        `rule ${def.id} has no override for ${where}${scope.device && scope.site ? ` of site '${scope.site}'` : ''}`,
      );
    }
    await this.record(
      actor,
      tenant,
      'alert-rule.remove-override',
      `alert-rule:${def.id}`,
      previous ?? null,
      null,
    );
  }

  async listSilences(tenant: string): Promise<AlertSilence[]> {
    await this.tenantOrFail(tenant);
    return this.repository.listSilences(tenant);
  }

  /** Creates a silence (no notification) or a maintenance window (no alert) and returns it with its new id. */
  async addSilence(tenant: string, input: NewSilence, actor?: Actor): Promise<AlertSilence> {
    await this.tenantOrFail(tenant);
    if (input.rule !== undefined) ruleOrFail(input.rule);
    const silence: AlertSilence = {
      id: randomBytes(6).toString('hex'),
      tenant,
      kind: input.kind,
      ...(input.rule === undefined ? {} : { rule: input.rule }),
      ...(input.subject === undefined ? {} : { subject: input.subject }),
      ...(input.site === undefined ? {} : { site: input.site }),
      from: input.from,
      to: input.to,
      reason: input.reason.trim(),
      ...(input.createdBy === undefined ? {} : { createdBy: input.createdBy }),
    };
    try {
      validateSilence(silence);
    } catch (err) {
      if (err instanceof AlertError) {
        throw new AlertAdminError(
          AlertAdminErrorCode.InvalidSilence,
          err.detail,
          silence.reason ? 'to' : 'reason',
        );
      }
      throw err;
    }
    if (silence.to <= this.now()) {
      throw new AlertAdminError(
        AlertAdminErrorCode.InvalidSilence,
        `it would end in the past (${iso(silence.to)}) and silence nothing`,
        'to',
      );
    }
    await this.repository.putSilence(tenant, silence);
    this.alerts.invalidateSilences(tenant);
    await this.record(actor, tenant, 'silence.create', `silence:${silence.id}`, null, silence);
    return silence;
  }

  async removeSilence(tenant: string, id: string, actor?: Actor): Promise<void> {
    await this.tenantOrFail(tenant);
    const previous = actor
      ? (await this.repository.listSilences(tenant)).find((x) => x.id === id)
      : undefined;
    if (!(await this.repository.removeSilence(tenant, id))) {
      throw new AlertAdminError(
        AlertAdminErrorCode.SilenceNotFound,
        `tenant '${tenant}' has no silence '${id.slice(0, 64)}' (see 'vigie alerts silences')`,
      );
    }
    this.alerts.invalidateSilences(tenant);
    await this.record(actor, tenant, 'silence.remove', `silence:${id}`, previous ?? null, null);
  }
}
