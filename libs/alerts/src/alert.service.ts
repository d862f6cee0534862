import { AlertRepository, escapeLineProtocol, StoredAlert } from '@vigie/adapters';
import {
  AlertAction,
  AlertEvent,
  alertIdOf,
  AlertRuleDefinition,
  AlertSilence,
  coveringSilences,
} from '@vigie/domain';

/** The measurement alert events are written to (Grafana annotations). */
export const ALERT_MEASUREMENT = 'alert';

/** Sends an event's notifications (routes → deliveries). Idempotent per event id. */
export interface AlertNotifyPort {
  dispatch(event: AlertEvent): Promise<unknown>;
}

/** Where alert events go on their way to InfluxDB: the durable spool the broker's writers drain. */
export interface AlertLinesPort {
  append(batch: { lines: readonly string[]; deadLetters: readonly never[] }): Promise<void>;
}

/** A breach to raise. */
export interface RaiseInput {
  readonly tenant: string;
  readonly rule: Pick<AlertRuleDefinition, 'id' | 'severity' | 'title' | 'domain' | 'unit'>;
  readonly subject: string;
  readonly site?: string;
  /** When the condition started to hold, and when it was judged to fire (epoch ms, data time). */
  readonly since: number;
  readonly firedAt: number;
  readonly value: number;
  readonly threshold: number;
  readonly window?: string;
  readonly completeness?: number;
}

const quote = (s: string) => `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
const num = (v: number | undefined) => (v !== undefined && Number.isFinite(v) ? v : undefined);

/** One `alert` line per event: tags tenant, rule, subject, severity, domain, event; the alert's values as fields. */
export function alertEventLine(e: AlertEvent): string {
  const a = e.alert;
  const tags: [string, string | undefined][] = [
    ['domain', a.domain],
    ['event', e.type],
    ['rule', a.rule],
    ['severity', a.severity],
    ['site', a.site],
    ['subject', a.subject],
    ['tenant', a.tenant],
  ];
  const tagText = tags
    .filter(([, v]) => v !== undefined && v !== '')
    .map(([k, v]) => `,${k}=${escapeLineProtocol(v as string)}`)
    .join('');
  const text = [
    `${a.title ?? a.rule} — ${a.subject}: ${e.type}`,
    `value ${a.value}${a.unit ? ` ${a.unit}` : ''}, threshold ${a.threshold}${a.unit ? ` ${a.unit}` : ''}`,
    e.by ? `by ${e.by}` : undefined,
  ]
    .filter(Boolean)
    .join('; ');
  const fields = [
    `alert_id=${quote(a.id)}`,
    `title=${quote(a.title ?? a.rule)}`,
    `text=${quote(text)}`,
    `state=${quote(a.state)}`,
    ...(num(a.value) === undefined ? [] : [`value=${a.value}`]),
    ...(num(a.threshold) === undefined ? [] : [`threshold=${a.threshold}`]),
    ...(num(a.completeness) === undefined ? [] : [`completeness=${a.completeness}`]),
  ];
  return `${ALERT_MEASUREMENT}${tagText} ${fields.join(',')} ${Math.round(e.at)}`;
}

/**
 * Raising, clearing and acting on alerts: the store keeps at most one open alert per rule and subject, every event
 * goes to InfluxDB (through the spool) and to the notification routes unless a silence covers it. A breach has a
 * stable id (tenant, rule, subject, since), so evaluating the same data twice raises and notifies it once.
 */
export class AlertService {
  private silenceCache = new Map<string, { at: number; silences: AlertSilence[] }>();

  constructor(
    readonly repository: AlertRepository,
    private readonly notify: AlertNotifyPort,
    private readonly lines: AlertLinesPort,
    private readonly opts: { silenceCacheMs?: number; now?: () => number } = {},
  ) {}

  private now(): number {
    return (this.opts.now ?? Date.now)();
  }

  private async silences(tenant: string): Promise<AlertSilence[]> {
    const hit = this.silenceCache.get(tenant);
    const ttl = this.opts.silenceCacheMs ?? 5000;
    if (hit && this.now() - hit.at < ttl) return hit.silences;
    const silences = await this.repository.listSilences(tenant);
    this.silenceCache.set(tenant, { at: this.now(), silences });
    return silences;
  }

  /** Forgets cached silences (after a change through this process). */
  invalidateSilences(tenant: string): void {
    this.silenceCache.delete(tenant);
  }

  /**
   * Raises a breach; undefined when a maintenance window covers it (no alert). An alert already open for the rule
   * and subject stays the one alert (its event is dispatched again: deliveries are idempotent).
   */
  async raise(input: RaiseInput): Promise<StoredAlert | undefined> {
    const silences = await this.silences(input.tenant);
    const match = { rule: input.rule.id, subject: input.subject, site: input.site };
    if (coveringSilences(silences, match, input.since, 'maintenance').length) return undefined;
    const alert: StoredAlert = {
      id: alertIdOf({
        tenant: input.tenant,
        rule: input.rule.id,
        subject: input.subject,
        since: input.since,
      }),
      tenant: input.tenant,
      rule: input.rule.id,
      subject: input.subject,
      severity: input.rule.severity,
      state: 'firing',
      since: input.since,
      firedAt: input.firedAt,
      value: input.value,
      threshold: input.threshold,
      unit: input.rule.unit,
      title: input.rule.title,
      domain: input.rule.domain,
      ...(input.site === undefined ? {} : { site: input.site }),
      ...(input.window === undefined ? {} : { window: input.window }),
      ...(input.completeness === undefined ? {} : { completeness: input.completeness }),
    };
    const { alert: held, event, created } = await this.repository.fire(alert);
    // Re-emitting an existing alert's fired event is harmless (same point, same idempotency keys) and covers a
    // process that died between storing and dispatching.
    if (created || (held.id === alert.id && held.state !== 'resolved')) await this.emit(event, silences);
    return held;
  }

  /** The condition of an open alert cleared at `at` (data time): resolves it. */
  async clear(tenant: string, rule: string, subject: string, at: number): Promise<StoredAlert | undefined> {
    const open = await this.repository.findOpen(tenant, rule, subject);
    if (!open) return undefined;
    return this.act(tenant, open.id, { type: 'condition_cleared', at: Math.max(at, open.firedAt) });
  }

  /** A person's action (acknowledge, assign, resolve) or the condition clearing. */
  async act(tenant: string, id: string, action: AlertAction): Promise<StoredAlert | undefined> {
    const r = await this.repository.act(tenant, id, action);
    if (!r) return undefined;
    if (r.event) await this.emit(r.event, await this.silences(tenant));
    return r.alert;
  }

  /** Writes the event to InfluxDB (spool) and notifies it unless silenced. */
  async emit(event: AlertEvent, silences?: readonly AlertSilence[]): Promise<void> {
    await this.lines.append({ lines: [alertEventLine(event)], deadLetters: [] });
    const covering = coveringSilences(
      silences ?? (await this.silences(event.alert.tenant)),
      event.alert,
      event.at,
      'silence',
    );
    if (covering.length === 0) await this.notify.dispatch(event);
  }
}
