/** Why the API refused a request. Values are stable: they are the `error` field of every 4xx/5xx body. */
export enum ApiErrorCode {
  ValidationFailed = 'validation_failed',
  TenantNotFound = 'tenant_not_found',
  JobNotFound = 'job_not_found',
  RouteNotFound = 'route_not_found',
  InvalidKpiRequest = 'invalid_kpi_request',
  AlertNotFound = 'alert_not_found',
  AlertRuleNotFound = 'alert_rule_not_found',
  AlertOverrideNotFound = 'alert_override_not_found',
  SilenceNotFound = 'silence_not_found',
  /** The alert cannot make the transition from its state (acknowledging a resolved alert). */
  InvalidAlertTransition = 'invalid_alert_transition',
  ServiceUnavailable = 'service_unavailable',
  Internal = 'internal_error',
}

/** The HTTP status of each code (one exhaustive switch). */
export function apiErrorStatus(code: ApiErrorCode): number {
  switch (code) {
    case ApiErrorCode.ValidationFailed:
    case ApiErrorCode.InvalidKpiRequest:
      return 400;
    case ApiErrorCode.TenantNotFound:
    case ApiErrorCode.JobNotFound:
    case ApiErrorCode.RouteNotFound:
    case ApiErrorCode.AlertNotFound:
    case ApiErrorCode.AlertRuleNotFound:
    case ApiErrorCode.AlertOverrideNotFound:
    case ApiErrorCode.SilenceNotFound:
      return 404;
    case ApiErrorCode.InvalidAlertTransition:
      return 409;
    case ApiErrorCode.ServiceUnavailable:
      return 503;
    case ApiErrorCode.Internal:
      return 500;
  }
}

/** One problem of a request, naming the field (`body.from`, `query.kpi`). */
export interface ApiIssue {
  readonly field: string;
  readonly message: string;
}

/** A refusal the API knows how to explain; the exception filter turns it into its HTTP response. */
export class ApiError extends Error {
  override readonly name = 'ApiError';

  constructor(
    readonly code: ApiErrorCode,
    message: string,
    readonly issues: readonly ApiIssue[] = [],
  ) {
    super(message);
  }
}
