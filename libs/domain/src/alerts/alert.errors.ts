/** Why an alert rule, sample or transition was refused. Values are stable: they label API errors and logs. */
export enum AlertErrorCode {
  /** A rule's parameters are inconsistent (clear level on the wrong side of the raise level, negative duration…). */
  InvalidRule = 'invalid_rule',
  /** A sample's time or value is not a finite number. */
  InvalidSample = 'invalid_sample',
  /** The transition is not allowed from the alert's state (acknowledging a resolved alert…). */
  InvalidTransition = 'invalid_transition',
  /** A notification route is unusable (no recipient, a recipient with neither e-mail nor webhook, a bad URL…). */
  InvalidRoute = 'invalid_route',
}

/** One sentence per code, for operators and API clients. */
export function describeAlertErrorCode(code: AlertErrorCode): string {
  switch (code) {
    case AlertErrorCode.InvalidRule:
      return 'the alert rule is invalid';
    case AlertErrorCode.InvalidSample:
      return 'the sample cannot be evaluated';
    case AlertErrorCode.InvalidTransition:
      return 'the alert cannot make this transition';
    case AlertErrorCode.InvalidRoute:
      return 'the notification route is invalid';
  }
}

export class AlertError extends Error {
  override readonly name = 'AlertError';

  constructor(
    readonly code: AlertErrorCode,
    readonly detail: string,
  ) {
    super(`${describeAlertErrorCode(code)}: ${detail}`);
  }
}
