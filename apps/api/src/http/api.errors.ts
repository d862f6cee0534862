/** Why the API refused a request. Values are stable: they are the `error` field of every 4xx/5xx body. */
export enum ApiErrorCode {
  ValidationFailed = 'validation_failed',
  /** The body is not JSON (or not the declared content type). */
  MalformedBody = 'malformed_body',
  PayloadTooLarge = 'payload_too_large',
  /** No API key, or one that is unknown, revoked or expired. */
  Unauthenticated = 'unauthenticated',
  /** The key's role or tenant does not allow the request. */
  Forbidden = 'forbidden',
  /** The thing to create exists already. */
  Conflict = 'conflict',
  SiteNotFound = 'site_not_found',
  DeviceNotFound = 'device_not_found',
  AccountNotFound = 'account_not_found',
  ApiKeyNotFound = 'api_key_not_found',
  AlertRouteNotFound = 'alert_route_not_found',
  /** The tenant does not publish open data. */
  OpenDataNotPublished = 'open_data_not_published',
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
    case ApiErrorCode.MalformedBody:
    case ApiErrorCode.InvalidKpiRequest:
      return 400;
    case ApiErrorCode.Unauthenticated:
      return 401;
    case ApiErrorCode.Forbidden:
      return 403;
    case ApiErrorCode.PayloadTooLarge:
      return 413;
    case ApiErrorCode.SiteNotFound:
    case ApiErrorCode.DeviceNotFound:
    case ApiErrorCode.AccountNotFound:
    case ApiErrorCode.ApiKeyNotFound:
    case ApiErrorCode.AlertRouteNotFound:
    case ApiErrorCode.OpenDataNotPublished:
    case ApiErrorCode.TenantNotFound:
    case ApiErrorCode.JobNotFound:
    case ApiErrorCode.RouteNotFound:
    case ApiErrorCode.AlertNotFound:
    case ApiErrorCode.AlertRuleNotFound:
    case ApiErrorCode.AlertOverrideNotFound:
    case ApiErrorCode.SilenceNotFound:
      return 404;
    case ApiErrorCode.InvalidAlertTransition:
    case ApiErrorCode.Conflict:
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
