import { Controller, Delete, Get, HttpCode, Inject, Post, Put, Patch } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Account, ApiKey, Device, IssuedCredentials, Site, Tenant } from '@vigie/adapters';
import { pageOf, Page, RegistryService } from '@vigie/admin';
import { topics } from '@vigie/contracts';
import { Actor, Permission, PLATFORM_ROLE } from '@vigie/domain';
import { CurrentActor, CurrentKey, Requires } from '../access/access.decorators';
import { DEFAULT_PAGE_SIZE } from '../http/common.schemas';
import { IdParam, ZodBody, ZodQuery } from '../http/zod-params';
import { REGISTRY_SERVICE } from '../platform/platform.tokens';
import {
  deviceImportSchema,
  deviceListQuerySchema,
  deviceUpdateSchema,
  newAccountSchema,
  newDeviceSchema,
  newSiteSchema,
  newTenantSchema,
  openDataSchema,
  pageQuerySchema,
  siteUpdateSchema,
} from './registry-api.schemas';
import { z } from 'zod';

const TENANT = () => IdParam('tenant', 'tenant id');

/** A device as the API shows it: last report as ISO and whether it reports on time. */
export interface DeviceView extends Omit<Device, 'lastSeen'> {
  readonly lastSeen?: string;
  /** `online`: heard of within twice its interval; `offline`: not since; `never`: not yet. */
  readonly status: 'online' | 'offline' | 'never';
  /** The topic it publishes its readings to. */
  readonly topic: string;
}

export function deviceView(d: Device, now = Date.now()): DeviceView {
  const { lastSeen, ...rest } = d;
  return {
    ...rest,
    ...(lastSeen === undefined ? {} : { lastSeen: new Date(lastSeen).toISOString() }),
    status:
      lastSeen === undefined ? 'never' : now - lastSeen <= 2 * d.intervalS * 1000 ? 'online' : 'offline',
    topic: topics.readings(d.tenant, d.id),
  };
}

/**
 * Tenants, sites, devices and integration accounts (`/api/v1`). Every change goes through RegistryService, the
 * service the `vigie` command uses too, and is audited.
 */
@ApiTags('registry')
@Controller('v1')
export class RegistryApiController {
  constructor(@Inject(REGISTRY_SERVICE) private readonly service: RegistryService) {}

  /** Tenants the key may see: every tenant for the platform operator, its own for a tenant key. */
  @Get('tenants')
  @Requires(Permission.TenantRead)
  async tenants(@CurrentKey() key: ApiKey): Promise<{ tenants: Tenant[] }> {
    const all = await this.service.listTenants();
    return { tenants: key.role === PLATFORM_ROLE ? all : all.filter((t) => t.id === key.tenant) };
  }

  @Post('tenants')
  @Requires(Permission.PlatformAdmin)
  async addTenant(
    @CurrentActor() actor: Actor,
    @ZodBody(newTenantSchema) b: z.infer<typeof newTenantSchema>,
  ): Promise<{ tenant: Tenant }> {
    return { tenant: await this.service.addTenant(actor, b) };
  }

  @Get('tenants/:tenant')
  @Requires(Permission.TenantRead)
  async tenant(@TENANT() tenant: string): Promise<{ tenant: Tenant }> {
    return { tenant: await this.service.getTenant(tenant) };
  }

  /** Publishes the tenant's aggregated KPIs at `/api/v1/open-data/:tenant` under the licence given. */
  @Put('tenants/:tenant/open-data')
  @Requires(Permission.TenantWrite)
  async publish(
    @CurrentActor() actor: Actor,
    @TENANT() tenant: string,
    @ZodBody(openDataSchema) b: z.infer<typeof openDataSchema>,
  ): Promise<{ tenant: Tenant }> {
    return { tenant: await this.service.setOpenData(actor, tenant, b.licence) };
  }

  @Delete('tenants/:tenant/open-data')
  @Requires(Permission.TenantWrite)
  async unpublish(@CurrentActor() actor: Actor, @TENANT() tenant: string): Promise<{ tenant: Tenant }> {
    return { tenant: await this.service.setOpenData(actor, tenant, undefined) };
  }

  // Sites

  @Get('tenants/:tenant/sites')
  @Requires(Permission.RegistryRead)
  async sites(
    @TENANT() tenant: string,
    @ZodQuery(pageQuerySchema) q: z.infer<typeof pageQuerySchema>,
  ): Promise<Page<Site>> {
    return pageOf(await this.service.listSites(tenant), q.limit ?? DEFAULT_PAGE_SIZE, q.cursor);
  }

  @Post('tenants/:tenant/sites')
  @Requires(Permission.SitesWrite)
  async addSite(
    @CurrentActor() actor: Actor,
    @TENANT() tenant: string,
    @ZodBody(newSiteSchema) b: z.infer<typeof newSiteSchema>,
  ): Promise<{ site: Site }> {
    return { site: await this.service.addSite(actor, tenant, b) };
  }

  @Get('tenants/:tenant/sites/:site')
  @Requires(Permission.RegistryRead)
  async site(@TENANT() tenant: string, @IdParam('site', 'site id') id: string): Promise<{ site: Site }> {
    return { site: await this.service.getSite(tenant, id) };
  }

  /** Sets and removes attributes; the others are kept. */
  @Patch('tenants/:tenant/sites/:site')
  @Requires(Permission.SitesWrite)
  async updateSite(
    @CurrentActor() actor: Actor,
    @TENANT() tenant: string,
    @IdParam('site', 'site id') id: string,
    @ZodBody(siteUpdateSchema) b: z.infer<typeof siteUpdateSchema>,
  ): Promise<{ site: Site }> {
    return { site: await this.service.updateSite(actor, tenant, id, b) };
  }

  // Devices

  @Get('tenants/:tenant/devices')
  @Requires(Permission.RegistryRead)
  async devices(
    @TENANT() tenant: string,
    @ZodQuery(deviceListQuerySchema) q: z.infer<typeof deviceListQuerySchema>,
  ): Promise<Page<DeviceView>> {
    const now = Date.now();
    const all = (await this.service.listDevices(tenant)).filter(
      (d) => (q.site === undefined || d.site === q.site) && (q.kind === undefined || d.kind === q.kind),
    );
    const page = pageOf(all, q.limit ?? DEFAULT_PAGE_SIZE, q.cursor);
    return { ...page, items: page.items.map((d) => deviceView(d, now)) };
  }

  /** Creates a device; its MQTT password is in this response only (Vigie keeps a hash). */
  @Post('tenants/:tenant/devices')
  @Requires(Permission.DevicesWrite)
  async addDevice(
    @CurrentActor() actor: Actor,
    @TENANT() tenant: string,
    @ZodBody(newDeviceSchema) b: z.infer<typeof newDeviceSchema>,
  ): Promise<{ device: DeviceView; credentials: IssuedCredentials }> {
    const { device, credentials } = await this.service.addDevice(actor, { tenant, ...b });
    return { device: deviceView(device), credentials };
  }

  /** Imports devices from the CSV of `vigie devices import`, all or none; a refusal lists every bad line. */
  @Post('tenants/:tenant/devices/import')
  @Requires(Permission.DevicesWrite)
  async importDevices(
    @CurrentActor() actor: Actor,
    @TENANT() tenant: string,
    @ZodBody(deviceImportSchema) b: z.infer<typeof deviceImportSchema>,
  ): Promise<{ imported: { device: DeviceView; credentials: IssuedCredentials }[] }> {
    const issued = await this.service.importDevices(actor, b.csv, { tenant });
    return {
      imported: issued.map(({ device, credentials }) => ({ device: deviceView(device), credentials })),
    };
  }

  /** A device and its status (last seen, online or not). */
  @Get('tenants/:tenant/devices/:device')
  @Requires(Permission.RegistryRead)
  async device(
    @TENANT() tenant: string,
    @IdParam('device', 'device id') id: string,
  ): Promise<{ device: DeviceView }> {
    return { device: deviceView(await this.service.getDevice(tenant, id)) };
  }

  @Patch('tenants/:tenant/devices/:device')
  @Requires(Permission.DevicesWrite)
  async updateDevice(
    @CurrentActor() actor: Actor,
    @TENANT() tenant: string,
    @IdParam('device', 'device id') id: string,
    @ZodBody(deviceUpdateSchema) b: z.infer<typeof deviceUpdateSchema>,
  ): Promise<{ device: DeviceView }> {
    return { device: deviceView(await this.service.updateDevice(actor, tenant, id, b)) };
  }

  /** Removes a device and its credentials (its readings stay in InfluxDB). */
  @Delete('tenants/:tenant/devices/:device')
  @Requires(Permission.DevicesWrite)
  @HttpCode(204)
  async deleteDevice(
    @CurrentActor() actor: Actor,
    @TENANT() tenant: string,
    @IdParam('device', 'device id') id: string,
  ): Promise<void> {
    await this.service.deleteDevice(actor, tenant, id);
  }

  /** Issues a new MQTT password (in this response only); the old one stops working at once. */
  @Post('tenants/:tenant/devices/:device/rotate-secret')
  @Requires(Permission.DevicesWrite)
  @HttpCode(200)
  async rotateDevice(
    @CurrentActor() actor: Actor,
    @TENANT() tenant: string,
    @IdParam('device', 'device id') id: string,
  ): Promise<{ credentials: IssuedCredentials }> {
    return { credentials: await this.service.rotateDeviceSecret(actor, tenant, id) };
  }

  // Integration accounts

  @Get('tenants/:tenant/accounts')
  @Requires(Permission.AccountsRead)
  async accounts(
    @TENANT() tenant: string,
    @ZodQuery(pageQuerySchema) q: z.infer<typeof pageQuerySchema>,
  ): Promise<Page<Account>> {
    await this.service.getTenant(tenant);
    return pageOf(await this.service.listAccounts(tenant), q.limit ?? DEFAULT_PAGE_SIZE, q.cursor);
  }

  /** Creates an integration account (bridge, LoRaWAN network server, dashboard); its password is shown once. */
  @Post('tenants/:tenant/accounts')
  @Requires(Permission.AccountsWrite)
  async addAccount(
    @CurrentActor() actor: Actor,
    @TENANT() tenant: string,
    @ZodBody(newAccountSchema) b: z.infer<typeof newAccountSchema>,
  ): Promise<{ account: Account; credentials: IssuedCredentials }> {
    return this.service.addAccount(actor, { tenant, id: b.id, acl: b.acl ?? [], lorawan: b.lorawan });
  }

  @Delete('tenants/:tenant/accounts/:account')
  @Requires(Permission.AccountsWrite)
  @HttpCode(204)
  async deleteAccount(
    @CurrentActor() actor: Actor,
    @TENANT() tenant: string,
    @IdParam('account', 'account id') id: string,
  ): Promise<void> {
    await this.service.getTenant(tenant);
    await this.service.deleteAccount(actor, tenant, id);
  }

  @Post('tenants/:tenant/accounts/:account/rotate-secret')
  @Requires(Permission.AccountsWrite)
  @HttpCode(200)
  async rotateAccount(
    @CurrentActor() actor: Actor,
    @TENANT() tenant: string,
    @IdParam('account', 'account id') id: string,
  ): Promise<{ credentials: IssuedCredentials }> {
    await this.service.getTenant(tenant);
    return { credentials: await this.service.rotateAccountSecret(actor, tenant, id) };
  }
}
