import { applyDecorators, createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import { ApiExtension, ApiSecurity } from '@nestjs/swagger';
import { ApiKey } from '@vigie/adapters';
import { Actor, Permission } from '@vigie/domain';

export const PERMISSION_METADATA = 'vigie:permission';
export const PUBLIC_METADATA = 'vigie:public';
/** The OpenAPI security scheme: `Authorization: Bearer vk_<id>.<secret>`. */
export const API_KEY_SCHEME = 'api-key';

/**
 * What a route needs. The guard refuses a key whose role does not grant it (403), and a tenant key on another
 * tenant's path (403). The permission is also in the OpenAPI document (`x-vigie-permission`).
 */
export function Requires(permission: Permission) {
  return applyDecorators(
    SetMetadata(PERMISSION_METADATA, permission),
    ApiSecurity(API_KEY_SCHEME),
    ApiExtension('x-vigie-permission', permission),
  );
}

/** A route anyone may call without a key (health, metrics, open data, the API's own documentation). */
export function Public() {
  return applyDecorators(SetMetadata(PUBLIC_METADATA, true), ApiExtension('x-vigie-public', true));
}

/** What the guard puts on an authenticated request. */
export interface AuthenticatedRequest {
  actor?: Actor;
  apiKey?: ApiKey;
}

/** The actor of the request (the key that made it), for the audit log. */
export const CurrentActor = createParamDecorator((_: unknown, ctx: ExecutionContext): Actor => {
  const actor = ctx.switchToHttp().getRequest<AuthenticatedRequest>().actor;
  if (!actor) throw new Error('CurrentActor on a route without authentication');
  return actor;
});

/** The key of the request. */
export const CurrentKey = createParamDecorator((_: unknown, ctx: ExecutionContext): ApiKey => {
  const key = ctx.switchToHttp().getRequest<AuthenticatedRequest>().apiKey;
  if (!key) throw new Error('CurrentKey on a route without authentication');
  return key;
});
