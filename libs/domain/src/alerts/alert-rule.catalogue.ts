import { AlertError, AlertErrorCode } from './alert.errors';
import { AlertSeverity } from './alert.model';

/** Who an alert is for: routes pick recipients by domain and severity. */
export const ALERT_DOMAINS = ['energy', 'water', 'waste', 'lighting', 'devices'] as const;
export type AlertDomain = (typeof ALERT_DOMAINS)[number];

/**
 * What a rule watches:
 * - `reading`: a metric of a device kind, evaluated as readings arrive (threshold with hysteresis and minimum
 *   duration, rate of change, boolean flag, or a lamp lit while the sun is up);
 * - `kpi`: a KPI output, evaluated after each KPI run (above/below a level, or above a multiple of the median of
 *   the subject's previous windows, for a number of consecutive windows);
 * - `silence`: a device kind's reports, offline after k × the expected interval.
 */
export type AlertRuleSource =
  | {
      readonly type: 'reading';
      readonly kind: string;
      readonly metric: string;
      readonly evaluator: 'threshold' | 'rate_of_change' | 'flag' | 'lit_in_daylight';
    }
  | { readonly type: 'kpi'; readonly kpi: string; readonly evaluator: 'level' | 'above_baseline' }
  | { readonly type: 'silence'; readonly kinds: readonly string[] };

/**
 * Parameters of a rule, all settings with the catalogue's defaults (tenant, site and device overrides change
 * them). Which ones a rule reads depends on its evaluator:
 * - threshold / level: `direction`, `raise`, `clear`, `minDurationMin` (level: `consecutive` windows);
 * - rate_of_change: `rise`, `clearRise`, `windowMin`;
 * - flag: `minDurationMin`;
 * - lit_in_daylight: `toleranceMin` (after sunrise, before sunset), `minDurationMin`;
 * - above_baseline: `factor`, `clearFactor`, `baselineMin`/`baselineMax` windows, `consecutive`, and `floor`
 *   (optional: the level a value must also reach to breach);
 * - silence: `k` (× the expected interval), `kByKind` where a kind differs.
 * `minCompleteness` (KPI rules): a KPI value below it is not judged.
 */
export interface AlertRuleParams {
  readonly direction?: 'above' | 'below';
  readonly raise?: number;
  readonly clear?: number;
  readonly minDurationMin?: number;
  readonly rise?: number;
  readonly clearRise?: number;
  readonly windowMin?: number;
  readonly toleranceMin?: number;
  readonly factor?: number;
  readonly clearFactor?: number;
  readonly baselineMin?: number;
  readonly baselineMax?: number;
  readonly floor?: number;
  readonly consecutive?: number;
  readonly k?: number;
  /** Silence: k per device kind, where it differs from `k`. */
  readonly kByKind?: Readonly<Record<string, number>>;
  readonly minCompleteness?: number;
}

export interface AlertRuleDefinition {
  /** Stable id, `<domain>.<what>`; alerts and overrides name it. */
  readonly id: string;
  readonly domain: AlertDomain;
  readonly severity: AlertSeverity;
  readonly title: string;
  /** The unit of the value and threshold an alert carries. */
  readonly unit: string;
  readonly source: AlertRuleSource;
  readonly params: AlertRuleParams;
  /** The catalogue entry the default comes from. */
  readonly ref: string;
  /**
   * Operational alerts (a bin to collect) tell what to do next; they are not faults. Fault-detection scoring
   * leaves them out.
   */
  readonly operational?: boolean;
  /**
   * The building uses (site attribute `use`) the default applies to: a site of another use is not judged unless an
   * override enables the rule for it. A site without `use` is judged.
   */
  readonly siteUses?: readonly string[];
}

const BIN = 'bin-sensor';
const LIGHT = 'light-controller';

/** Every rule with its default parameters (catalogue §§1–5 and X4). */
export const ALERT_RULES: readonly AlertRuleDefinition[] = [
  {
    id: 'waste.fire_temperature',
    domain: 'waste',
    severity: 'critical',
    title: 'Bin temperature at fire level',
    unit: '°C',
    source: { type: 'reading', kind: BIN, metric: 'temperature_c', evaluator: 'threshold' },
    params: { direction: 'above', raise: 60, clear: 50, minDurationMin: 0 },
    ref: 'K7: T ≥ 60 °C',
  },
  {
    id: 'waste.temperature_rise',
    domain: 'waste',
    severity: 'critical',
    title: 'Bin temperature rising fast',
    unit: '°C',
    source: { type: 'reading', kind: BIN, metric: 'temperature_c', evaluator: 'rate_of_change' },
    params: { rise: 10, clearRise: 2, windowMin: 10 },
    ref: 'K7: +10 °C within 10 min',
  },
  {
    id: 'waste.overflow',
    domain: 'waste',
    severity: 'major',
    title: 'Bin overflowing',
    unit: '%',
    source: { type: 'reading', kind: BIN, metric: 'fill_pct', evaluator: 'threshold' },
    params: { direction: 'above', raise: 100, clear: 90, minDurationMin: 0 },
    ref: 'K4: fill ≥ 100 %',
  },
  {
    id: 'waste.fill_above_threshold',
    domain: 'waste',
    severity: 'info',
    title: 'Bin above its fill threshold',
    unit: '%',
    source: { type: 'reading', kind: BIN, metric: 'fill_pct', evaluator: 'threshold' },
    params: { direction: 'above', raise: 80, clear: 70, minDurationMin: 0 },
    ref: 'K2: fill ≥ 80 %',
    operational: true,
  },
  {
    id: 'waste.full_before_collection',
    domain: 'waste',
    severity: 'info',
    title: 'Bin full before its next collection',
    unit: 'days',
    source: { type: 'kpi', kpi: 'K6.days_to_threshold', evaluator: 'level' },
    params: { direction: 'below', raise: 1, clear: 2, consecutive: 1, minCompleteness: 0.5 },
    ref: 'K6: time to threshold below the next collection (1 day by default)',
    operational: true,
  },
  {
    id: 'lighting.lamp_failure',
    domain: 'lighting',
    severity: 'minor',
    title: 'Lamp failure',
    unit: '',
    source: { type: 'reading', kind: LIGHT, metric: 'lamp_failure', evaluator: 'flag' },
    params: { minDurationMin: 0 },
    ref: 'L4: TALQ lampFailure',
  },
  {
    id: 'lighting.lit_in_daylight',
    domain: 'lighting',
    severity: 'minor',
    title: 'Lamp lit in daylight',
    unit: 'min',
    source: { type: 'reading', kind: LIGHT, metric: 'lamp_on', evaluator: 'lit_in_daylight' },
    params: { toleranceMin: 15, minDurationMin: 30 },
    ref: 'L5: lit > 30 min between sunrise + 15 min and sunset − 15 min',
  },
  {
    id: 'lighting.switch_off_breach',
    domain: 'lighting',
    severity: 'minor',
    title: 'Lamp lit in the switch-off window',
    unit: '',
    source: { type: 'kpi', kpi: 'L7.switch_off_compliance', evaluator: 'level' },
    params: { direction: 'below', raise: 0.5, clear: 0.9, consecutive: 2, minCompleteness: 0.8 },
    ref: 'L7: compliance below 50 % on 2 consecutive nights',
  },
  {
    id: 'water.night_flow_leak',
    domain: 'water',
    severity: 'major',
    title: 'Night flow above its baseline (leak)',
    unit: 'm³/h',
    source: { type: 'kpi', kpi: 'W5.min_night_flow_m3h', evaluator: 'above_baseline' },
    params: {
      factor: 1.2,
      clearFactor: 1.1,
      baselineMin: 7,
      baselineMax: 28,
      consecutive: 2,
      minCompleteness: 0.8,
    },
    ref: 'W5: MNF > 1.2 × median of the last 7–28 nights, 2 consecutive nights',
  },
  {
    id: 'water.closed_hours_flow',
    domain: 'water',
    severity: 'minor',
    title: 'Water running while the building is closed',
    unit: 'L/h',
    // The catalogue's first criterion (flow that never stops while closed), not its share of the day's volume: a
    // cistern running 12 L/h is 20 % of a Sunday's short opening and 2 % of a busy Monday, so a share flips with
    // the opening hours and would raise the same leak again every week.
    source: { type: 'kpi', kpi: 'W7.closed_min_flow_lh', evaluator: 'level' },
    params: { direction: 'above', raise: 1, clear: 0.5, consecutive: 1, minCompleteness: 0.8 },
    ref: 'W7: flow > 0 continuously during closure (minimum closed-hours flow ≥ 1 L/h)',
  },
  {
    id: 'water.irrigation_in_rain',
    domain: 'water',
    severity: 'minor',
    title: 'Irrigation while it rains',
    unit: 'events',
    source: { type: 'kpi', kpi: 'W8.watering_in_rain_events', evaluator: 'level' },
    params: { direction: 'above', raise: 1, clear: 0, consecutive: 1, minCompleteness: 0.8 },
    ref: 'W8: watering in rain events',
  },
  {
    id: 'energy.out_of_hours_share',
    domain: 'energy',
    severity: 'minor',
    title: 'Consumption out of hours too high',
    unit: '',
    source: { type: 'kpi', kpi: 'B5.out_of_hours_share', evaluator: 'above_baseline' },
    // Above 30 % (the catalogue's level) and above 1.25 × the building's own weeks: a school open 48 h a week is
    // near 30 % out of hours by its opening hours alone, an office near 50 %, and a level alone would flag them
    // every week, for ever. The catalogue's other criterion (base load rising vs the same week last year) is the
    // same idea on a year of history, which a new installation does not have. Heating kept on through nights and
    // weekends shows sooner in energy.no_setback_at_closing.
    params: {
      factor: 1.25,
      clearFactor: 1.1,
      baselineMin: 2,
      baselineMax: 8,
      floor: 0.3,
      consecutive: 1,
      minCompleteness: 0.8,
    },
    siteUses: ['office', 'school', 'town-hall'],
    ref: "B5: out-of-hours share > 30 % (offices, schools, town halls) and rising (> 1.25 × the building's previous 2–8 weeks)",
  },
  {
    id: 'energy.no_setback_at_closing',
    domain: 'energy',
    severity: 'minor',
    title: 'Heating (or equipment) not set back when the building closes',
    unit: '',
    source: { type: 'kpi', kpi: 'B5.after_closing_load_ratio', evaluator: 'level' },
    // With a night or weekend setback the load falls to the base load when the building closes (a tenth to a
    // fifth of the open load); heating held at its occupied setpoint keeps about half. Two closings in a row: one
    // evening event in the building is not a fault.
    params: { direction: 'above', raise: 0.35, clear: 0.25, consecutive: 2, minCompleteness: 0.8 },
    ref: 'B5 (Vigie): load of the 2 h after closing > 35 % of the 2 h before, 2 closings in a row',
  },
  {
    id: 'energy.peak_near_subscribed',
    domain: 'energy',
    severity: 'minor',
    title: 'Peak demand near the subscribed power',
    unit: '',
    source: { type: 'kpi', kpi: 'B7.peak_share_of_subscribed', evaluator: 'level' },
    params: { direction: 'above', raise: 0.9, clear: 0.85, consecutive: 1, minCompleteness: 0.8 },
    ref: 'B7: peak > 90 % of the subscribed power',
  },
  {
    id: 'energy.above_baseline',
    domain: 'energy',
    severity: 'minor',
    title: 'Consumption above the baseline model',
    unit: '',
    source: { type: 'kpi', kpi: 'B6.savings_fraction', evaluator: 'level' },
    params: { direction: 'below', raise: -0.1, clear: 0, consecutive: 1, minCompleteness: 0.9 },
    ref: 'B6: consumption more than 10 % above the adjusted baseline',
  },
  {
    id: 'devices.offline',
    domain: 'devices',
    severity: 'major',
    title: 'Device offline',
    unit: 'min',
    source: { type: 'silence', kinds: [] },
    params: { k: 3 },
    ref: 'X2: no report for k × the expected interval (k = 3)',
  },
];

const BY_ID = new Map(ALERT_RULES.map((r) => [r.id, r]));

export function findAlertRule(id: string): AlertRuleDefinition | undefined {
  return BY_ID.get(id);
}

/** The reading rules of a device kind. */
export function readingRulesOf(kind: string): AlertRuleDefinition[] {
  return ALERT_RULES.filter((r) => r.source.type === 'reading' && r.source.kind === kind);
}

const WATCHED = new Map<string, ReadonlySet<string>>();

/** The metrics of a kind some reading rule watches: the ones ingestion hands to alert evaluation. */
export function watchedMetrics(kind: string): ReadonlySet<string> {
  let out = WATCHED.get(kind);
  if (!out) {
    const set = new Set<string>();
    for (const r of readingRulesOf(kind)) if (r.source.type === 'reading') set.add(r.source.metric);
    out = set;
    WATCHED.set(kind, out);
  }
  return out;
}

/** The KPI rules whose output is `kpi` (or every KPI rule). */
export function kpiRules(kpi?: string): AlertRuleDefinition[] {
  return ALERT_RULES.filter((r) => r.source.type === 'kpi' && (kpi === undefined || r.source.kpi === kpi));
}

/**
 * An override of a rule's settings for a tenant, a site or a device (the most specific wins, field by field):
 * enable/disable, severity, parameters.
 */
export interface AlertRuleOverride {
  readonly rule: string;
  /** Absent: the whole tenant. */
  readonly site?: string;
  readonly device?: string;
  readonly enabled?: boolean;
  readonly severity?: AlertSeverity;
  readonly params?: AlertRuleParams;
}

/** A rule as it applies to one subject: its definition with the overrides merged. */
export interface EffectiveAlertRule extends AlertRuleDefinition {
  readonly enabled: boolean;
}

/**
 * The rule for a subject (device and/or site): enabled unless its site's use is outside the rule's `siteUses`, then
 * tenant-wide overrides, then the site's, then the device's, each replacing the fields it sets.
 */
export function effectiveRule(
  def: AlertRuleDefinition,
  overrides: readonly AlertRuleOverride[],
  subject: { readonly site?: string; readonly device?: string; readonly siteUse?: string },
): EffectiveAlertRule {
  const rank = (o: AlertRuleOverride): number => (o.device ? 2 : o.site ? 1 : 0);
  const applicable = overrides
    .filter(
      (o) =>
        o.rule === def.id &&
        (o.device === undefined || o.device === subject.device) &&
        (o.site === undefined || o.site === subject.site),
    )
    .sort((a, b) => rank(a) - rank(b));
  const outOfScope =
    def.siteUses !== undefined && subject.siteUse !== undefined && !def.siteUses.includes(subject.siteUse);
  let rule: EffectiveAlertRule = { ...def, enabled: !outOfScope };
  for (const o of applicable) {
    rule = {
      ...rule,
      ...(o.enabled === undefined ? {} : { enabled: o.enabled }),
      ...(o.severity === undefined ? {} : { severity: o.severity }),
      params: { ...rule.params, ...(o.params ?? {}) },
    };
  }
  return rule;
}

/** A required parameter of a rule, or AlertError(InvalidRule) naming it. */
export function ruleParam<K extends keyof AlertRuleParams>(
  rule: Pick<AlertRuleDefinition, 'id' | 'params'>,
  key: K,
): NonNullable<AlertRuleParams[K]> {
  const v = rule.params[key];
  if (v === undefined || v === null) {
    throw new AlertError(AlertErrorCode.InvalidRule, `rule ${rule.id} has no ${String(key)} parameter`);
  }
  return v as NonNullable<AlertRuleParams[K]>;
}
