import { Controller, Delete, Get, Inject, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ApiKey, AuditEntry, AuditLogRepository } from '@vigie/adapters';
import { ApiKeysService } from '@vigie/admin';
import { Actor, Permission, PLATFORM_ROLE } from '@vigie/domain';
import { z } from 'zod';
import { CurrentActor, Requires } from './access.decorators';
import { DEFAULT_PAGE_SIZE } from '../http/common.schemas';
import { IdParam, TOKEN_ID_SCHEMA, ZodBody, ZodQuery } from '../http/zod-params';
import { API_KEYS_SERVICE, AUDIT_LOG } from '../platform/platform.tokens';
import { auditQuerySchema, newPlatformKeySchema, newTenantKeySchema } from './access.schemas';

type AuditQuery = z.infer<typeof auditQuerySchema>;

/**
 * API keys and the audit log. A tenant admin manages its tenant's keys (roles up to its own) and reads its log;
 * the platform operator also manages platform keys and reads the platform's log (tenants created, platform keys).
 */
@ApiTags('access')
@Controller('v1')
export class AccessController {
  constructor(
    @Inject(API_KEYS_SERVICE) private readonly keys: ApiKeysService,
    @Inject(AUDIT_LOG) private readonly audit: AuditLogRepository,
  ) {}

  @Get('tenants/:tenant/api-keys')
  @Requires(Permission.ApiKeysManage)
  async tenantKeys(@IdParam('tenant', 'tenant id') tenant: string): Promise<{ keys: ApiKey[] }> {
    return { keys: await this.keys.list(tenant) };
  }

  /** Creates a key; its token is in this response only (Vigie keeps a hash). */
  @Post('tenants/:tenant/api-keys')
  @Requires(Permission.ApiKeysManage)
  async addTenantKey(
    @CurrentActor() actor: Actor,
    @IdParam('tenant', 'tenant id') tenant: string,
    @ZodBody(newTenantKeySchema) b: z.infer<typeof newTenantKeySchema>,
  ): Promise<{ key: ApiKey; token: string }> {
    return this.keys.create(actor, { tenant, ...b });
  }

  /** Revokes a key: it stops working at once and stays listed. */
  @Delete('tenants/:tenant/api-keys/:key')
  @Requires(Permission.ApiKeysManage)
  async revokeTenantKey(
    @CurrentActor() actor: Actor,
    @IdParam('tenant', 'tenant id') tenant: string,
    @IdParam('key', 'API key id', TOKEN_ID_SCHEMA) id: string,
  ): Promise<{ key: ApiKey }> {
    return { key: await this.keys.revoke(actor, tenant, id) };
  }

  @Get('tenants/:tenant/audit')
  @Requires(Permission.AuditRead)
  async tenantAudit(
    @IdParam('tenant', 'tenant id') tenant: string,
    @ZodQuery(auditQuerySchema) q: AuditQuery,
  ): Promise<{ entries: AuditEntry[]; nextCursor?: string }> {
    return this.audit.list(tenant, { ...q, limit: q.limit ?? DEFAULT_PAGE_SIZE });
  }

  @Get('platform/api-keys')
  @Requires(Permission.PlatformAdmin)
  async platformKeys(): Promise<{ keys: ApiKey[] }> {
    return { keys: await this.keys.list(undefined) };
  }

  @Post('platform/api-keys')
  @Requires(Permission.PlatformAdmin)
  async addPlatformKey(
    @CurrentActor() actor: Actor,
    @ZodBody(newPlatformKeySchema) b: z.infer<typeof newPlatformKeySchema>,
  ): Promise<{ key: ApiKey; token: string }> {
    return this.keys.create(actor, { name: b.name, role: PLATFORM_ROLE, expiresAt: b.expiresAt });
  }

  @Delete('platform/api-keys/:key')
  @Requires(Permission.PlatformAdmin)
  async revokePlatformKey(
    @CurrentActor() actor: Actor,
    @IdParam('key', 'API key id', TOKEN_ID_SCHEMA) id: string,
  ): Promise<{ key: ApiKey }> {
    return { key: await this.keys.revoke(actor, undefined, id) };
  }

  @Get('platform/audit')
  @Requires(Permission.PlatformAdmin)
  async platformAudit(
    @ZodQuery(auditQuerySchema) q: AuditQuery,
  ): Promise<{ entries: AuditEntry[]; nextCursor?: string }> {
    return this.audit.list('', { ...q, limit: q.limit ?? DEFAULT_PAGE_SIZE });
  }
}
