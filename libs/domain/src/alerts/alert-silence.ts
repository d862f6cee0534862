import { AlertError, AlertErrorCode } from './alert.errors';
import { Alert } from './alert.model';

/**
 * A silence keeps matching alerts from being notified (they are still raised and kept in the history); a
 * maintenance window keeps them from being raised at all (works on a site or a device are expected to break
 * readings). Matchers left out match everything; `[from, to)` epoch ms.
 */
export interface AlertSilence {
  readonly id: string;
  readonly tenant: string;
  readonly kind: 'silence' | 'maintenance';
  readonly rule?: string;
  readonly subject?: string;
  readonly site?: string;
  readonly from: number;
  readonly to: number;
  readonly reason: string;
  readonly createdBy?: string;
}

export function validateSilence(s: AlertSilence): void {
  if (!Number.isFinite(s.from) || !Number.isFinite(s.to) || s.to <= s.from) {
    throw new AlertError(
      AlertErrorCode.InvalidRule,
      `silence ${s.id}: its end must come after its start (from ${s.from}, to ${s.to})`,
    );
  }
  if (!s.reason.trim()) {
    throw new AlertError(AlertErrorCode.InvalidRule, `silence ${s.id}: say why (reason is empty)`);
  }
}

/** The silences or maintenance windows that cover an alert of `rule`/`subject`/`site` at `at`. */
export function coveringSilences(
  silences: readonly AlertSilence[],
  a: Pick<Alert, 'rule' | 'subject' | 'site'>,
  at: number,
  kind: AlertSilence['kind'],
): AlertSilence[] {
  return silences.filter(
    (s) =>
      s.kind === kind &&
      at >= s.from &&
      at < s.to &&
      (s.rule === undefined || s.rule === a.rule) &&
      (s.subject === undefined || s.subject === a.subject) &&
      (s.site === undefined || s.site === a.site),
  );
}
