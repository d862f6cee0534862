import { ArgumentsHost, Catch, ExceptionFilter, HttpException } from '@nestjs/common';
import { InfluxError, RegistryError, RegistryErrorCode } from '@vigie/adapters';
import { AdminError, AdminErrorCode } from '@vigie/admin';
import { AlertAdminError, AlertAdminErrorCode } from '@vigie/alerts';
import { AlertError, AlertErrorCode } from '@vigie/domain';
import { KpiEngineError, KpiEngineErrorCode } from '@vigie/kpi';
import type { Logger } from 'pino';
import { ApiError, ApiErrorCode, apiErrorStatus, ApiIssue } from './api.errors';

/** The JSON body of every error response. */
export interface ApiErrorBody {
  readonly statusCode: number;
  readonly error: ApiErrorCode;
  readonly message: string;
  readonly issues?: readonly ApiIssue[];
}

const ALERT_ADMIN_ERRORS: Record<AlertAdminErrorCode, ApiErrorCode> = {
  [AlertAdminErrorCode.TenantNotFound]: ApiErrorCode.TenantNotFound,
  [AlertAdminErrorCode.AlertNotFound]: ApiErrorCode.AlertNotFound,
  [AlertAdminErrorCode.RuleNotFound]: ApiErrorCode.AlertRuleNotFound,
  [AlertAdminErrorCode.OverrideNotFound]: ApiErrorCode.AlertOverrideNotFound,
  [AlertAdminErrorCode.SilenceNotFound]: ApiErrorCode.SilenceNotFound,
  [AlertAdminErrorCode.InvalidOverride]: ApiErrorCode.ValidationFailed,
  [AlertAdminErrorCode.InvalidSilence]: ApiErrorCode.ValidationFailed,
  [AlertAdminErrorCode.InvalidTransition]: ApiErrorCode.InvalidAlertTransition,
};

const REGISTRY_ERRORS: Record<RegistryErrorCode, ApiErrorCode> = {
  [RegistryErrorCode.InvalidId]: ApiErrorCode.ValidationFailed,
  [RegistryErrorCode.TenantExists]: ApiErrorCode.Conflict,
  [RegistryErrorCode.TenantNotFound]: ApiErrorCode.TenantNotFound,
  [RegistryErrorCode.SiteExists]: ApiErrorCode.Conflict,
  [RegistryErrorCode.SiteNotFound]: ApiErrorCode.SiteNotFound,
  [RegistryErrorCode.DeviceExists]: ApiErrorCode.Conflict,
  [RegistryErrorCode.DeviceNotFound]: ApiErrorCode.DeviceNotFound,
  [RegistryErrorCode.UnknownKind]: ApiErrorCode.ValidationFailed,
  [RegistryErrorCode.InvalidInterval]: ApiErrorCode.ValidationFailed,
  [RegistryErrorCode.AccountExists]: ApiErrorCode.Conflict,
  [RegistryErrorCode.AccountNotFound]: ApiErrorCode.AccountNotFound,
  [RegistryErrorCode.InvalidAcl]: ApiErrorCode.ValidationFailed,
  [RegistryErrorCode.InvalidLorawan]: ApiErrorCode.ValidationFailed,
  [RegistryErrorCode.InvalidTimeZone]: ApiErrorCode.ValidationFailed,
  [RegistryErrorCode.InvalidAttributes]: ApiErrorCode.ValidationFailed,
  [RegistryErrorCode.InvalidLocation]: ApiErrorCode.ValidationFailed,
};

const ADMIN_ERRORS: Record<AdminErrorCode, ApiErrorCode> = {
  [AdminErrorCode.ImportRefused]: ApiErrorCode.ValidationFailed,
  [AdminErrorCode.InvalidSiteAttributes]: ApiErrorCode.ValidationFailed,
  [AdminErrorCode.ApiKeyNotFound]: ApiErrorCode.ApiKeyNotFound,
  [AdminErrorCode.RoleNotAssignable]: ApiErrorCode.Forbidden,
  [AdminErrorCode.InvalidExpiry]: ApiErrorCode.ValidationFailed,
};

/** An error of Express's body parser (malformed JSON, body too large): it carries its status and a type. */
function bodyParserError(err: unknown): ApiError | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const { type, status } = err as { type?: unknown; status?: unknown };
  if (typeof type !== 'string' || typeof status !== 'number') return undefined;
  if (type === 'entity.too.large')
    return new ApiError(ApiErrorCode.PayloadTooLarge, 'the request body is too large');
  if (status >= 400 && status < 500) {
    const what =
      type === 'entity.parse.failed' ? 'the body is not valid JSON' : `the body cannot be read (${type})`;
    return new ApiError(ApiErrorCode.MalformedBody, what, [{ field: 'body', message: what }]);
  }
  return undefined;
}

/** Maps a domain error to the API's error. Only this filter knows HTTP statuses of domain errors. */
export function toApiError(err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  if (err instanceof KpiEngineError) {
    return err.code === KpiEngineErrorCode.UnknownTenant
      ? new ApiError(ApiErrorCode.TenantNotFound, err.message)
      : new ApiError(ApiErrorCode.InvalidKpiRequest, err.message);
  }
  if (err instanceof RegistryError) return new ApiError(REGISTRY_ERRORS[err.code], err.message);
  if (err instanceof AdminError) {
    const issues = err.problems.length
      ? err.problems.map((message) => ({ field: 'body.csv', message }))
      : err.field
        ? [{ field: `body.${err.field}`, message: err.message }]
        : [];
    return new ApiError(
      ADMIN_ERRORS[err.code],
      err.problems.length ? `${err.message}: ${err.problems.join('; ')}` : err.message,
      issues,
    );
  }
  if (err instanceof AlertError && err.code === AlertErrorCode.InvalidRoute) {
    return new ApiError(ApiErrorCode.ValidationFailed, err.detail, [{ field: 'body', message: err.detail }]);
  }
  const parser = bodyParserError(err);
  if (parser) return parser;
  if (err instanceof AlertAdminError) {
    const issues = err.field ? [{ field: `body.${err.field}`, message: err.detail }] : [];
    return new ApiError(ALERT_ADMIN_ERRORS[err.code], err.message, issues);
  }
  if (err instanceof InfluxError) {
    return new ApiError(ApiErrorCode.ServiceUnavailable, `InfluxDB: ${err.message}`);
  }
  if (err instanceof HttpException) {
    const status = err.getStatus();
    if (status === 404) return new ApiError(ApiErrorCode.RouteNotFound, err.message);
    if (status === 413) return new ApiError(ApiErrorCode.PayloadTooLarge, 'the request body is too large');
    // Our code throws ApiErrors; a Nest HttpException 400 is its mapping of Express's SyntaxError (a body that
    // is not JSON) or URIError (a bad percent-encoding in the path).
    if (status >= 400 && status < 500) {
      const json = /JSON/i.test(err.message);
      const message = json
        ? `the body is not valid JSON: ${err.message}`
        : `the request cannot be read: ${err.message}`;
      return new ApiError(ApiErrorCode.MalformedBody, message, [{ field: json ? 'body' : 'path', message }]);
    }
  }
  return new ApiError(ApiErrorCode.Internal, 'internal error (see the server logs)');
}

/** The part of the HTTP response (Express) the filter uses. */
interface JsonResponse {
  status(code: number): { json(body: unknown): void };
}

@Catch()
export class ApiExceptionFilter implements ExceptionFilter {
  constructor(private readonly logger: Logger) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<JsonResponse>();
    const err = toApiError(exception);
    const statusCode = apiErrorStatus(err.code);
    if (statusCode >= 500) {
      this.logger.error(
        { err: exception instanceof Error ? (exception.stack ?? exception.message) : String(exception) },
        'request failed',
      );
    }
    const body: ApiErrorBody = {
      statusCode,
      error: err.code,
      message: err.message,
      ...(err.issues.length ? { issues: err.issues } : {}),
    };
    res.status(statusCode).json(body);
  }
}
