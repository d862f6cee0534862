import {
  ApiKey,
  ApiKeyRepository,
  AuditRecorder,
  RegistryRepository,
  RegistryError,
  RegistryErrorCode,
} from '@vigie/adapters';
import { Actor, assignableRoles, PLATFORM_ROLE, Role } from '@vigie/domain';
import { AdminError, AdminErrorCode } from './admin.errors';

/** Longest life of a key: a year. Keys expire so that a forgotten one stops working on its own. */
export const API_KEY_MAX_DAYS = 366;
export const API_KEY_DEFAULT_DAYS = 90;

export interface NewApiKeyRequest {
  /** undefined: a platform key (platform operator only). */
  readonly tenant?: string;
  readonly role: Role;
  readonly name: string;
  /** ISO instant; default API_KEY_DEFAULT_DAYS from now. */
  readonly expiresAt?: string;
}

/**
 * API keys as the API and `vigie apikeys` manage them: created with a role no higher than the creator's, a
 * tenant key only inside a tenant, a platform key only by the platform; revocable; every change audited.
 */
export class ApiKeysService {
  constructor(
    readonly keys: ApiKeyRepository,
    private readonly tenants: Pick<RegistryRepository, 'getTenant'>,
    private readonly audit: AuditRecorder,
    private readonly now: () => number = Date.now,
  ) {}

  async create(actor: Actor, input: NewApiKeyRequest): Promise<{ key: ApiKey; token: string }> {
    const platform = input.tenant === undefined;
    if (platform !== (input.role === PLATFORM_ROLE)) {
      throw new AdminError(
        AdminErrorCode.RoleNotAssignable,
        platform
          ? `a key without a tenant is a platform key: its role must be '${PLATFORM_ROLE}'`
          : `role '${PLATFORM_ROLE}' belongs to platform keys, which have no tenant`,
        [],
        'role',
      );
    }
    if (!assignableRoles(actor.role).includes(input.role)) {
      throw new AdminError(
        AdminErrorCode.RoleNotAssignable,
        `a '${actor.role}' may not create a '${input.role}' key; it may create: ${assignableRoles(actor.role).join(', ')}`,
        [],
        'role',
      );
    }
    if (input.tenant !== undefined && !(await this.tenants.getTenant(input.tenant))) {
      throw new RegistryError(
        RegistryErrorCode.TenantNotFound,
        `tenant '${input.tenant.slice(0, 64)}' does not exist`,
      );
    }
    const now = this.now();
    const expiresAt =
      input.expiresAt === undefined ? now + API_KEY_DEFAULT_DAYS * 86_400_000 : Date.parse(input.expiresAt);
    if (!Number.isFinite(expiresAt) || expiresAt <= now || expiresAt > now + API_KEY_MAX_DAYS * 86_400_000) {
      throw new AdminError(
        AdminErrorCode.InvalidExpiry,
        `expiresAt must be an ISO date-time in the future and within ${API_KEY_MAX_DAYS} days, got '${String(input.expiresAt).slice(0, 40)}'`,
        [],
        'expiresAt',
      );
    }
    const created = await this.keys.create({
      ...(input.tenant === undefined ? {} : { tenant: input.tenant }),
      role: input.role,
      name: input.name,
      expiresAt,
      createdBy: actor.id,
    });
    await this.audit.record(actor, {
      ...(input.tenant === undefined ? {} : { tenant: input.tenant }),
      action: 'api-key.create',
      target: `api-key:${created.key.id}`,
      after: created.key,
    });
    return created;
  }

  /** The keys of a tenant, or with undefined the platform's. */
  list(tenant: string | undefined): Promise<ApiKey[]> {
    return this.keys.list(tenant ?? '');
  }

  /** Revokes a key of the tenant (undefined: a platform key); a key of another scope is not found. */
  async revoke(actor: Actor, tenant: string | undefined, id: string): Promise<ApiKey> {
    const key = await this.keys.get(id);
    if (!key || key.tenant !== tenant) {
      throw new AdminError(
        AdminErrorCode.ApiKeyNotFound,
        `${tenant === undefined ? 'the platform' : `tenant '${tenant}'`} has no API key '${id.slice(0, 64)}'`,
      );
    }
    const after = (await this.keys.revoke(id)) as ApiKey;
    await this.audit.record(actor, {
      ...(tenant === undefined ? {} : { tenant }),
      action: 'api-key.revoke',
      target: `api-key:${id}`,
      before: key,
      after,
    });
    return after;
  }
}
