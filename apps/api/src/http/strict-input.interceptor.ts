import { CallHandler, ExecutionContext, Inject, Injectable, NestInterceptor } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { Observable } from 'rxjs';
import { ApiError, ApiErrorCode } from './api.errors';
import { BODY_SCHEMA_METADATA, QUERY_SCHEMA_METADATA } from './zod-params';

interface HttpRequest {
  readonly body?: unknown;
  readonly query?: Record<string, unknown>;
}

/**
 * Nothing a client sends goes unchecked: a route that declares no body schema refuses a body, one that declares
 * no query schema refuses query parameters (routes that do are checked by their zod schema, strict).
 */
@Injectable()
export class StrictInputInterceptor implements NestInterceptor {
  constructor(@Inject(Reflector) private readonly reflector: Reflector) {}

  intercept(ctx: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (ctx.getType() !== 'http') return next.handle();
    const handler = ctx.getHandler();
    const req = ctx.switchToHttp().getRequest<HttpRequest>();
    if (!this.reflector.get<boolean>(QUERY_SCHEMA_METADATA, handler)) {
      const unknown = Object.keys(req.query ?? {});
      if (unknown.length) {
        throw new ApiError(
          ApiErrorCode.ValidationFailed,
          `invalid query: this route takes no query parameters (got ${unknown.slice(0, 5).join(', ')})`,
          unknown.slice(0, 20).map((k) => ({ field: `query.${k.slice(0, 64)}`, message: 'unknown field' })),
        );
      }
    }
    if (!this.reflector.get<boolean>(BODY_SCHEMA_METADATA, handler)) {
      const body = req.body;
      const empty =
        body === undefined || (typeof body === 'object' && body !== null && Object.keys(body).length === 0);
      if (!empty) {
        throw new ApiError(ApiErrorCode.ValidationFailed, 'invalid body: this route takes no body', [
          { field: 'body', message: 'this route takes no body' },
        ]);
      }
    }
    return next.handle();
  }
}
