import { ArgumentsHost, Catch, ExceptionFilter, HttpException } from '@nestjs/common';
import { InfluxError, RegistryError, RegistryErrorCode } from '@vigie/adapters';
import { AlertAdminError, AlertAdminErrorCode } from '@vigie/alerts';
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

/** Maps a domain error to the API's error. Only this filter knows HTTP statuses of domain errors. */
export function toApiError(err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  if (err instanceof KpiEngineError) {
    return err.code === KpiEngineErrorCode.UnknownTenant
      ? new ApiError(ApiErrorCode.TenantNotFound, err.message)
      : new ApiError(ApiErrorCode.InvalidKpiRequest, err.message);
  }
  if (err instanceof RegistryError) {
    return err.code === RegistryErrorCode.TenantNotFound
      ? new ApiError(ApiErrorCode.TenantNotFound, err.message)
      : new ApiError(ApiErrorCode.ValidationFailed, err.message);
  }
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
    if (status >= 400 && status < 500) return new ApiError(ApiErrorCode.ValidationFailed, err.message);
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
