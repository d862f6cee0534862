import { ALERT_DOMAINS, AlertDomain, findAlertRule } from './alert-rule.catalogue';
import { AlertError, AlertErrorCode } from './alert.errors';
import { Alert, ALERT_SEVERITIES, AlertEvent, AlertSeverity } from './alert.model';

/** Someone (or something) a route notifies: by e-mail, by webhook, or both. */
export interface AlertRecipient {
  readonly id: string;
  readonly name?: string;
  readonly email?: string;
  /** An http(s) URL receiving each event as a signed JSON POST. */
  readonly webhook?: string;
}

/**
 * Who hears about which alerts of a tenant. A route matches an alert when each filter it sets holds (absent or
 * empty = every value): the rule's domain, the severity, the subject's site.
 */
export interface AlertRoute {
  readonly id: string;
  readonly tenant: string;
  readonly domains?: readonly AlertDomain[];
  readonly severities?: readonly AlertSeverity[];
  readonly sites?: readonly string[];
  readonly recipients: readonly AlertRecipient[];
  /** Reminders of a critical alert nobody acknowledged, every N minutes after it fired. */
  readonly remindAfterMin?: number;
  /** Once, N minutes after it fired, an alert still firing goes to `escalateTo` too. */
  readonly escalateAfterMin?: number;
  readonly escalateTo?: readonly AlertRecipient[];
  /**
   * A digest route sends no message per event: its recipients get one e-mail a day listing the day's alerts the
   * route matches (for operational and low-severity alerts that would otherwise flood a mailbox).
   */
  readonly digest?: boolean;
  /** Key of the HMAC-SHA256 signing webhook bodies (`X-Vigie-Signature`). */
  readonly webhookSecret?: string;
}

export type DeliveryChannel = 'email' | 'webhook';

/** One message to one recipient on one channel (the shape of a notify job's data). */
export interface Delivery {
  /** `<event id>:<route id>:<recipient id>:<channel>`: the same event never reaches a recipient twice. */
  readonly idempotencyKey: string;
  readonly tenant: string;
  readonly channel: DeliveryChannel;
  /** An e-mail address or a webhook URL. */
  readonly to: string;
  readonly route: string;
  readonly subject: string;
  readonly text: string;
  readonly body: unknown;
}

export interface RenderedNotification {
  readonly subject: string;
  readonly text: string;
  /** JSON-able: what a webhook receives. */
  readonly body: unknown;
}

const ID = /^[A-Za-z0-9._-]{1,64}$/;
// Deliberately simple: one @, no spaces, a dot in the domain. The SMTP server has the last word.
const EMAIL = /^[^\s@<>(),;:"]+@[^\s@<>(),;:"]+\.[^\s@<>(),;:".]+$/;

function invalid(detail: string): never {
  throw new AlertError(AlertErrorCode.InvalidRoute, detail);
}

/** Why an e-mail address is refused, or undefined. */
export function emailProblem(email: string): string | undefined {
  return EMAIL.test(email) ? undefined : `'${email.slice(0, 80)}' is not an e-mail address`;
}

/** Why a webhook URL is refused, or undefined. */
export function webhookUrlProblem(url: string): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return `'${url.slice(0, 80)}' is not a URL`;
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    return `webhook '${url.slice(0, 80)}' must be an http:// or https:// URL`;
  }
  return undefined;
}

function checkRecipients(routeId: string, field: string, list: readonly AlertRecipient[]): void {
  const seen = new Set<string>();
  for (const r of list) {
    if (!r || typeof r.id !== 'string' || !ID.test(r.id)) {
      invalid(
        `route ${routeId}: ${field} id '${String(r?.id)}' must be 1-64 letters, digits, '.', '_' or '-'`,
      );
    }
    if (seen.has(r.id)) invalid(`route ${routeId}: ${field} '${r.id}' is listed twice`);
    seen.add(r.id);
    if (!r.email && !r.webhook) {
      invalid(`route ${routeId}: ${field} '${r.id}' has neither an e-mail address nor a webhook`);
    }
    const problem =
      (r.email !== undefined && emailProblem(r.email)) ||
      (r.webhook !== undefined && webhookUrlProblem(r.webhook));
    if (problem) invalid(`route ${routeId}: ${field} '${r.id}': ${problem}`);
  }
}

function checkMinutes(routeId: string, field: string, v: number | undefined): void {
  if (v === undefined) return;
  if (!Number.isFinite(v) || v <= 0)
    invalid(`route ${routeId}: ${field} ${v} must be a positive number of minutes`);
}

/** The route if it can be used; AlertError(InvalidRoute) saying what is wrong otherwise. */
export function validateAlertRoute(route: AlertRoute): AlertRoute {
  if (!route || typeof route.id !== 'string' || !ID.test(route.id)) {
    invalid(`route id '${String(route?.id)}' must be 1-64 letters, digits, '.', '_' or '-'`);
  }
  if (typeof route.tenant !== 'string' || !ID.test(route.tenant)) {
    invalid(`route ${route.id}: tenant '${String(route.tenant)}' is not a tenant id`);
  }
  for (const d of route.domains ?? []) {
    if (!(ALERT_DOMAINS as readonly string[]).includes(d)) {
      invalid(`route ${route.id}: domain '${d}' is not one of ${ALERT_DOMAINS.join(', ')}`);
    }
  }
  for (const s of route.severities ?? []) {
    if (!(ALERT_SEVERITIES as readonly string[]).includes(s)) {
      invalid(`route ${route.id}: severity '${s}' is not one of ${ALERT_SEVERITIES.join(', ')}`);
    }
  }
  if (!Array.isArray(route.recipients) || route.recipients.length === 0) {
    invalid(`route ${route.id}: no recipient (give at least one e-mail address or webhook)`);
  }
  checkRecipients(route.id, 'recipient', route.recipients);
  checkMinutes(route.id, 'remindAfterMin', route.remindAfterMin);
  checkMinutes(route.id, 'escalateAfterMin', route.escalateAfterMin);
  const escalateTo = route.escalateTo ?? [];
  if (route.escalateAfterMin !== undefined && escalateTo.length === 0) {
    invalid(`route ${route.id}: escalateAfterMin needs someone to escalate to (escalateTo)`);
  }
  if (escalateTo.length > 0 && route.escalateAfterMin === undefined) {
    invalid(`route ${route.id}: escalateTo needs escalateAfterMin`);
  }
  checkRecipients(route.id, 'escalateTo', escalateTo);
  if (route.webhookSecret !== undefined && route.webhookSecret.length < 8) {
    invalid(`route ${route.id}: webhookSecret must be at least 8 characters`);
  }
  return route;
}

/** The domain of an alert: its own, or its rule's in the catalogue. */
export function alertDomainOf(alert: Pick<Alert, 'domain' | 'rule'>): string | undefined {
  return alert.domain ?? findAlertRule(alert.rule)?.domain;
}

/** Whether the route's filters let the alert through. */
export function routeMatches(route: AlertRoute, alert: Alert): boolean {
  if (route.tenant !== alert.tenant) return false;
  const domain = alertDomainOf(alert);
  if (
    route.domains?.length &&
    !(domain !== undefined && (route.domains as readonly string[]).includes(domain))
  ) {
    return false;
  }
  if (route.severities?.length && !route.severities.includes(alert.severity)) return false;
  if (route.sites?.length && !(alert.site !== undefined && route.sites.includes(alert.site))) return false;
  return true;
}

function channelsOf(r: AlertRecipient): { channel: DeliveryChannel; to: string }[] {
  const out: { channel: DeliveryChannel; to: string }[] = [];
  if (r.email) out.push({ channel: 'email', to: r.email });
  if (r.webhook) out.push({ channel: 'webhook', to: r.webhook });
  return out;
}

export function deliveryKey(
  eventId: string,
  routeId: string,
  recipientId: string,
  channel: DeliveryChannel,
): string {
  return `${eventId}:${routeId}:${recipientId}:${channel}`;
}

/**
 * The messages an event sends: one per matching (non-digest) route × recipient × channel. An `escalated` event
 * goes to the route's `escalateTo` only, every other event to its `recipients`.
 */
export function deliveriesFor(event: AlertEvent, routes: readonly AlertRoute[]): Delivery[] {
  const rendered = renderNotification(event);
  const out: Delivery[] = [];
  for (const route of routes) {
    if (route.digest || !routeMatches(route, event.alert)) continue;
    const recipients = event.type === 'escalated' ? (route.escalateTo ?? []) : route.recipients;
    for (const recipient of recipients) {
      for (const { channel, to } of channelsOf(recipient)) {
        out.push({
          idempotencyKey: deliveryKey(event.id, route.id, recipient.id, channel),
          tenant: event.alert.tenant,
          channel,
          to,
          route: route.id,
          ...rendered,
        });
      }
    }
  }
  return out;
}

/** What has already been sent for an alert on a route (kept between sweeps). */
export interface FollowUpsSent {
  readonly reminders: number;
  readonly escalated: boolean;
}

const MIN_MS = 60_000;

/**
 * The follow-ups due for an alert on a route at `now`, given those already sent:
 * - a reminder while a critical alert is still firing (nobody acknowledged it), every `remindAfterMin` after it
 *   fired: the n-th is due at firedAt + n × remindAfterMin. After a long pause only the latest due one is returned
 *   (one reminder, not a burst), with id `<alert id>:reminder:<n>`;
 * - an escalation, once, `escalateAfterMin` after it fired while it is still firing: `<alert id>:escalated`.
 * An acknowledged or resolved alert, or one the route does not match, has none.
 */
export function dueFollowUps(
  alert: Alert & { readonly id: string },
  route: AlertRoute,
  now: number,
  already: FollowUpsSent,
): AlertEvent[] {
  if (alert.state !== 'firing' || !routeMatches(route, alert)) return [];
  const elapsed = now - alert.firedAt;
  const out: AlertEvent[] = [];
  if (route.remindAfterMin !== undefined && route.remindAfterMin > 0 && alert.severity === 'critical') {
    const n = Math.floor(elapsed / (route.remindAfterMin * MIN_MS));
    if (n > already.reminders) {
      out.push({ id: `${alert.id}:reminder:${n}`, type: 'reminder', at: now, alert });
    }
  }
  if (
    route.escalateAfterMin !== undefined &&
    (route.escalateTo?.length ?? 0) > 0 &&
    !already.escalated &&
    elapsed >= route.escalateAfterMin * MIN_MS
  ) {
    out.push({ id: `${alert.id}:escalated`, type: 'escalated', at: now, alert });
  }
  return out;
}

/** The reminder number of a reminder event id (`…:reminder:<n>`), or undefined. */
export function reminderNumber(eventId: string): number | undefined {
  const m = /:reminder:(\d+)$/.exec(eventId);
  return m ? Number(m[1]) : undefined;
}

function titleOf(alert: Alert): string {
  return alert.title ?? findAlertRule(alert.rule)?.title ?? alert.rule;
}

function withUnit(v: number, unit: string | undefined): string {
  return unit ? `${v} ${unit}` : String(v);
}

function iso(ms: number): string {
  return Number.isFinite(ms) ? new Date(ms).toISOString() : String(ms);
}

const EVENT_LABEL: Record<AlertEvent['type'], string> = {
  fired: '',
  acknowledged: 'Acknowledged: ',
  assigned: 'Assigned: ',
  resolved: 'Resolved: ',
  reminder: 'Reminder: ',
  escalated: 'Escalated: ',
};

/** The subject line, plain text and JSON body of one event's message. */
export function renderNotification(event: AlertEvent): RenderedNotification {
  const a = event.alert;
  const title = titleOf(a);
  const subject = `[${a.severity.toUpperCase()}] ${EVENT_LABEL[event.type]}${title} — ${a.subject}`;
  const lines = [
    `${title} — ${a.subject}`,
    '',
    `Event: ${event.type} at ${iso(event.at)}${event.by ? ` by ${event.by}` : ''}`,
    `State: ${a.state}`,
    `Severity: ${a.severity}`,
    `Value: ${withUnit(a.value, a.unit)} (threshold ${withUnit(a.threshold, a.unit)})`,
    `Since: ${iso(a.since)}`,
    `Fired at: ${iso(a.firedAt)}`,
  ];
  if (a.window !== undefined) lines.push(`Window: ${a.window}`);
  if (a.completeness !== undefined) lines.push(`Completeness: ${Math.round(a.completeness * 100)} %`);
  if (a.acknowledgedAt !== undefined) {
    lines.push(`Acknowledged: ${iso(a.acknowledgedAt)}${a.acknowledgedBy ? ` by ${a.acknowledgedBy}` : ''}`);
  }
  if (a.assignee !== undefined) lines.push(`Assignee: ${a.assignee}`);
  if (a.resolvedAt !== undefined) {
    lines.push(`Resolved: ${iso(a.resolvedAt)}${a.resolvedBy ? ` by ${a.resolvedBy}` : ''}`);
  }
  lines.push(`Tenant: ${a.tenant}`);
  if (a.site !== undefined) lines.push(`Site: ${a.site}`);
  lines.push(`Rule: ${a.rule}`, `Alert id: ${a.id}`);
  return {
    subject,
    text: lines.join('\n') + '\n',
    body: {
      id: event.id,
      type: event.type,
      at: iso(event.at),
      ...(event.by === undefined ? {} : { by: event.by }),
      alert: { ...a },
    },
  };
}

/** The daily digest e-mail of one recipient: the day's alerts, most severe first. */
export function renderDigest(
  recipient: AlertRecipient,
  alerts: readonly Alert[],
  day: string,
): RenderedNotification {
  const rank = (s: AlertSeverity) => ALERT_SEVERITIES.indexOf(s);
  const sorted = [...alerts].sort((x, y) => rank(x.severity) - rank(y.severity) || x.firedAt - y.firedAt);
  const subject = `[Vigie] Digest of ${day}: ${alerts.length} alert${alerts.length === 1 ? '' : 's'}`;
  const lines = [`Alerts of ${day}${recipient.name ? ` for ${recipient.name}` : ''}:`, ''];
  if (sorted.length === 0) lines.push('(none)');
  for (const a of sorted) {
    lines.push(
      `- [${a.severity.toUpperCase()}] ${titleOf(a)} — ${a.subject}: ${withUnit(a.value, a.unit)} ` +
        `(threshold ${withUnit(a.threshold, a.unit)}), fired ${iso(a.firedAt)}, ${a.state}`,
    );
  }
  return {
    subject,
    text: lines.join('\n') + '\n',
    body: { day, alerts: sorted.map((a) => ({ ...a })) },
  };
}
