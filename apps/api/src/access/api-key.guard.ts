import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ApiKeyRepository } from '@vigie/adapters';
import { Permission, PLATFORM_ROLE, roleGrants } from '@vigie/domain';
import { ApiError, ApiErrorCode } from '../http/api.errors';
import { API_KEYS } from '../platform/platform.tokens';
import { AuthenticatedRequest, PERMISSION_METADATA, PUBLIC_METADATA } from './access.decorators';

interface HttpRequest extends AuthenticatedRequest {
  readonly headers: Record<string, string | string[] | undefined>;
  readonly params: Record<string, string | undefined>;
}

const REFUSALS = {
  malformed: 'the API key is malformed (expected vk_<16 hex>.<32 characters>)',
  unknown: 'the API key is not known',
  revoked: 'the API key was revoked',
  expired: 'the API key has expired',
} as const;

/**
 * Every route is closed unless it says otherwise: `@Public()` opens it, `@Requires(permission)` asks for a key
 * (`Authorization: Bearer …`) whose role grants the permission and, on a `/tenants/:tenant/…` path, whose tenant is
 * that tenant (the platform operator's keys reach every tenant). A route with neither is refused to everyone.
 */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(
    @Inject(Reflector) private readonly reflector: Reflector,
    @Inject(API_KEYS) private readonly keys: ApiKeyRepository,
  ) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    const targets = [ctx.getHandler(), ctx.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_METADATA, targets)) return true;
    const permission = this.reflector.getAllAndOverride<Permission | undefined>(PERMISSION_METADATA, targets);
    const req = ctx.switchToHttp().getRequest<HttpRequest>();
    const header = req.headers['authorization'];
    const token = typeof header === 'string' ? /^Bearer\s+(\S+)\s*$/i.exec(header)?.[1] : undefined;
    if (!token) {
      throw new ApiError(
        ApiErrorCode.Unauthenticated,
        'this route needs an API key: send the header Authorization: Bearer <key> (see vigie apikeys add)',
      );
    }
    const verified = await this.keys.verify(token);
    if ('refused' in verified) throw new ApiError(ApiErrorCode.Unauthenticated, REFUSALS[verified.refused]);
    const key = verified.key;
    if (permission === undefined || !roleGrants(key.role, permission)) {
      throw new ApiError(
        ApiErrorCode.Forbidden,
        permission === undefined
          ? 'this route is not open to API keys'
          : `a '${key.role}' key may not do this (needs ${permission})`,
      );
    }
    const tenant = req.params['tenant'];
    if (tenant !== undefined && key.role !== PLATFORM_ROLE && key.tenant !== tenant) {
      throw new ApiError(
        ApiErrorCode.Forbidden,
        `this key belongs to tenant '${key.tenant}' and may not reach tenant '${tenant.slice(0, 64)}'`,
      );
    }
    req.apiKey = key;
    req.actor = { id: `key:${key.id}`, role: key.role };
    return true;
  }
}
