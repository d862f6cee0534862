import { AlertError, AlertErrorCode } from './alert.errors';

/** Severities, most urgent first. */
export const ALERT_SEVERITIES = ['critical', 'major', 'minor', 'info'] as const;
export type AlertSeverity = (typeof ALERT_SEVERITIES)[number];

/** An alert's life: firing → (acknowledged →) resolved. A resolved alert is history; a new breach opens a new one. */
export const ALERT_STATES = ['firing', 'acknowledged', 'resolved'] as const;
export type AlertState = (typeof ALERT_STATES)[number];

/** Who resolved an alert: the condition clearing by itself, or a person. */
export const RESOLVED_BY_CONDITION = 'condition_cleared';

/** One alert: at most one open (firing or acknowledged) per tenant, rule and subject. */
export interface Alert {
  /** Stable id (`alertId`): the same breach always gets the same id, so a re-evaluation never duplicates it. */
  readonly id?: string;
  readonly tenant: string;
  /** Rule id, e.g. `bin.fire_temperature`, `kpi.W5.night_flow_rise`, `device.offline`. */
  readonly rule: string;
  /** The site, sector, device… the alert is about. */
  readonly subject: string;
  readonly severity: AlertSeverity;
  readonly state: AlertState;
  /** When the condition started to hold (epoch ms): the alert fires after the rule's minimum duration. */
  readonly since: number;
  /** When the alert fired (epoch ms). */
  readonly firedAt: number;
  readonly acknowledgedAt?: number;
  readonly acknowledgedBy?: string;
  readonly resolvedAt?: number;
  /** `condition_cleared` or the person who resolved it. */
  readonly resolvedBy?: string;
  readonly assignee?: string;
  /** The value that fired the alert and the threshold it crossed, in the rule's unit. */
  readonly value: number;
  readonly threshold: number;
  readonly unit?: string;
  /** The rule's title and domain (routing), the subject's site, the KPI window and its completeness. */
  readonly title?: string;
  readonly domain?: string;
  readonly site?: string;
  readonly window?: string;
  readonly completeness?: number;
}

/** What happened to an alert; each event is notified (per route) and written to InfluxDB's `alert` measurement. */
export const ALERT_EVENT_TYPES = [
  'fired',
  'acknowledged',
  'assigned',
  'resolved',
  'reminder',
  'escalated',
] as const;
export type AlertEventType = (typeof ALERT_EVENT_TYPES)[number];

export interface AlertEvent {
  /** `<alert id>:<type>` (`:<n>` for the n-th reminder): the root of every delivery's idempotency key. */
  readonly id: string;
  readonly type: AlertEventType;
  readonly at: number;
  /** Who acknowledged, assigned or resolved (absent when the condition cleared by itself). */
  readonly by?: string;
  /** The alert after the event. */
  readonly alert: Alert & { readonly id: string };
}

/** A short stable id for a breach: tenant, rule, subject and the instant the condition started. */
export function alertIdOf(a: Pick<Alert, 'tenant' | 'rule' | 'subject' | 'since'>): string {
  // FNV-1a 64-bit over the identifying fields: pure, stable across processes and versions.
  let h = 0xcbf29ce484222325n;
  const text = `${a.tenant}\n${a.rule}\n${a.subject}\n${a.since}`;
  for (let i = 0; i < text.length; i++) {
    h ^= BigInt(text.charCodeAt(i));
    h = (h * 0x100000001b3n) & 0xffffffffffffffffn;
  }
  return h.toString(16).padStart(16, '0');
}

/** The key of an open alert: one per tenant, rule and subject. */
export function openAlertKey(a: Pick<Alert, 'tenant' | 'rule' | 'subject'>): string {
  return `${a.tenant}\n${a.rule}\n${a.subject}`;
}

export type AlertAction =
  | { readonly type: 'acknowledge'; readonly by: string; readonly at: number }
  | { readonly type: 'assign'; readonly to: string; readonly at: number }
  | { readonly type: 'resolve'; readonly by: string; readonly at: number }
  | { readonly type: 'condition_cleared'; readonly at: number };

/**
 * The alert after an action. Acknowledging is allowed while firing (again while acknowledged: no change);
 * assigning while open; resolving (by a person or by the condition clearing) while open. Anything on a resolved
 * alert is refused with AlertError(InvalidTransition).
 */
export function applyAlertAction(alert: Alert, action: AlertAction): Alert {
  if (alert.state === 'resolved') {
    throw new AlertError(
      AlertErrorCode.InvalidTransition,
      `${action.type} on the resolved alert ${alert.rule} of ${alert.subject}`,
    );
  }
  switch (action.type) {
    case 'acknowledge':
      if (alert.state === 'acknowledged') return alert;
      return { ...alert, state: 'acknowledged', acknowledgedAt: action.at, acknowledgedBy: action.by };
    case 'assign':
      return { ...alert, assignee: action.to };
    case 'resolve':
      return { ...alert, state: 'resolved', resolvedAt: action.at, resolvedBy: action.by };
    case 'condition_cleared':
      return { ...alert, state: 'resolved', resolvedAt: action.at, resolvedBy: RESOLVED_BY_CONDITION };
  }
}
