/** Why an operator's request on alerts was refused. Values are stable: they label API errors and CLI messages. */
export enum AlertAdminErrorCode {
  TenantNotFound = 'tenant_not_found',
  AlertNotFound = 'alert_not_found',
  /** A rule id that is not in the catalogue. */
  RuleNotFound = 'rule_not_found',
  OverrideNotFound = 'override_not_found',
  SilenceNotFound = 'silence_not_found',
  /** An override that sets nothing, names a parameter the rule does not have, or makes the rule inconsistent. */
  InvalidOverride = 'invalid_override',
  /** A silence whose end is not after its start (or already past), or that gives no reason. */
  InvalidSilence = 'invalid_silence',
  /** The alert cannot make this transition from its state (acknowledging a resolved alert). */
  InvalidTransition = 'invalid_transition',
}

/** One sentence per code, for operators and API clients. */
export function describeAlertAdminErrorCode(code: AlertAdminErrorCode): string {
  switch (code) {
    case AlertAdminErrorCode.TenantNotFound:
      return 'no such tenant';
    case AlertAdminErrorCode.AlertNotFound:
      return 'no such alert';
    case AlertAdminErrorCode.RuleNotFound:
      return 'no such alert rule';
    case AlertAdminErrorCode.OverrideNotFound:
      return 'no such rule override';
    case AlertAdminErrorCode.SilenceNotFound:
      return 'no such silence';
    case AlertAdminErrorCode.InvalidOverride:
      return 'the rule override is invalid';
    case AlertAdminErrorCode.InvalidSilence:
      return 'the silence is invalid';
    case AlertAdminErrorCode.InvalidTransition:
      return 'the alert cannot make this transition';
  }
}

export class AlertAdminError extends Error {
  override readonly name = 'AlertAdminError';

  constructor(
    readonly code: AlertAdminErrorCode,
    readonly detail: string,
    /** The input field at fault (`params.raise`, `to`), when there is one. */
    readonly field?: string,
  ) {
    super(`${describeAlertAdminErrorCode(code)}: ${detail}`);
  }
}
