import {
  Account,
  AuditRecorder,
  Device,
  DeviceUpdate,
  IssuedCredentials,
  NewDevice,
  RegistryRepository,
  RegistryError,
  RegistryErrorCode,
  Site,
  Tenant,
} from '@vigie/adapters';
import { siteRoleProblem } from '@vigie/devices';
import {
  Actor,
  CLOSED_DAYS_ATTRIBUTE,
  parseClosedDays,
  SITE_ROLE_ATTRIBUTE,
  SITE_SECTOR_ATTRIBUTE,
} from '@vigie/domain';
import { AdminError, AdminErrorCode } from './admin.errors';
import { parseDevicesCsv } from './devices-csv';

/** A device with the credentials it was just given (shown once). */
export interface IssuedDevice {
  readonly device: Device;
  readonly credentials: IssuedCredentials;
}

export interface NewTenant {
  readonly id: string;
  readonly name?: string;
  readonly timeZone?: string;
}

export interface NewSite {
  readonly id: string;
  readonly name?: string;
  readonly attributes?: Readonly<Record<string, string>>;
}

export interface NewAccount {
  readonly tenant?: string;
  readonly id: string;
  readonly acl: readonly string[];
  readonly lorawan?: string;
}

/** A page of a list: `cursor` is where the next page starts (absent on the last page). */
export interface Page<T> {
  readonly items: T[];
  readonly nextCursor?: string;
}

/** Offset pagination over a sorted list (registry lists are sorted by id, so pages are stable). */
export function pageOf<T>(all: readonly T[], limit: number, cursor?: string): Page<T> {
  const start = cursor === undefined ? 0 : Number(cursor);
  const items = all.slice(start, start + limit);
  return start + limit < all.length ? { items, nextCursor: String(start + limit) } : { items };
}

function notFound(code: RegistryErrorCode, message: string): never {
  throw new RegistryError(code, message);
}

/** A refused site attribute; `message` starts with `attribute <name>`. */
function attributeProblem(field: string, message: string): never {
  throw new AdminError(AdminErrorCode.InvalidSiteAttributes, message, [], `attributes.${field}`);
}

/**
 * The registry as the API and the `vigie` command change it: the one place its rules are checked (site
 * attributes, device imports) and every change is written to the audit log with the state before and after.
 * Secrets are never in the log: a device or account is recorded without its credentials.
 */
export class RegistryService {
  constructor(
    readonly registry: RegistryRepository,
    private readonly audit: AuditRecorder,
  ) {}

  // Tenants

  listTenants(): Promise<Tenant[]> {
    return this.registry.listTenants();
  }

  async getTenant(id: string): Promise<Tenant> {
    return (
      (await this.registry.getTenant(id)) ??
      notFound(
        RegistryErrorCode.TenantNotFound,
        `tenant '${id.slice(0, 64)}' does not exist (see 'vigie tenants list')`,
      )
    );
  }

  async addTenant(actor: Actor, input: NewTenant): Promise<Tenant> {
    const tenant = await this.registry.addTenant(input.id, input.name, input.timeZone);
    await this.audit.record(actor, { action: 'tenant.create', target: `tenant:${tenant.id}`, after: tenant });
    return tenant;
  }

  /** Publishes (a licence) or withdraws (undefined) the tenant's aggregated KPIs as open data. */
  async setOpenData(actor: Actor, tenant: string, licence: string | undefined): Promise<Tenant> {
    const before = await this.getTenant(tenant);
    const after = await this.registry.setOpenData(tenant, licence);
    await this.audit.record(actor, {
      tenant,
      action: 'tenant.open-data',
      target: `tenant:${tenant}`,
      before: before.openData ?? null,
      after: after.openData ?? null,
    });
    return after;
  }

  // Sites

  listSites(tenant: string): Promise<Site[]> {
    return this.registry.listSites(tenant);
  }

  async getSite(tenant: string, id: string): Promise<Site> {
    return (
      (await this.registry.getSite(tenant, id)) ??
      notFound(
        RegistryErrorCode.SiteNotFound,
        `site '${id.slice(0, 64)}' does not exist in tenant '${tenant}'`,
      )
    );
  }

  async addSite(actor: Actor, tenant: string, input: NewSite): Promise<Site> {
    const attributes = { ...(input.attributes ?? {}) };
    await this.checkSiteAttributes(tenant, input.id, attributes);
    const site = await this.registry.addSite(tenant, input.id, input.name, attributes);
    await this.audit.record(actor, { tenant, action: 'site.create', target: `site:${site.id}`, after: site });
    return site;
  }

  /** Sets and removes attributes of a site; the other keys are kept. */
  async updateSite(
    actor: Actor,
    tenant: string,
    id: string,
    update: { readonly set?: Readonly<Record<string, string>>; readonly unset?: readonly string[] },
  ): Promise<Site> {
    const before = await this.getSite(tenant, id);
    await this.checkSiteAttributes(tenant, id, update.set ?? {});
    const after = await this.registry.updateSite(tenant, id, update);
    await this.audit.record(actor, { tenant, action: 'site.update', target: `site:${id}`, before, after });
    return after;
  }

  /**
   * The checks on attributes a site is given: a water-meter role the kinds know, closed days that parse, and a
   * water sector that is another site of the tenant.
   */
  async checkSiteAttributes(
    tenant: string,
    site: string,
    attrs: Readonly<Record<string, string>>,
  ): Promise<void> {
    const role = attrs[SITE_ROLE_ATTRIBUTE];
    const roleIssue = role === undefined ? undefined : siteRoleProblem(role);
    if (roleIssue) attributeProblem(SITE_ROLE_ATTRIBUTE, `attribute ${SITE_ROLE_ATTRIBUTE}: ${roleIssue}`);
    const closedIssue = parseClosedDays(attrs[CLOSED_DAYS_ATTRIBUTE]).problem;
    if (closedIssue) attributeProblem(CLOSED_DAYS_ATTRIBUTE, closedIssue);
    const sector = attrs[SITE_SECTOR_ATTRIBUTE];
    if (sector === undefined) return;
    if (sector === site) {
      attributeProblem(
        SITE_SECTOR_ATTRIBUTE,
        `attribute ${SITE_SECTOR_ATTRIBUTE}=${sector}: a site cannot be its own water sector`,
      );
    }
    if (!(await this.registry.listSites(tenant)).some((s) => s.id === sector)) {
      attributeProblem(
        SITE_SECTOR_ATTRIBUTE,
        `attribute ${SITE_SECTOR_ATTRIBUTE}=${sector.slice(0, 64)}: no site '${sector.slice(0, 64)}' in tenant '${tenant}'; add the water sector's site first`,
      );
    }
  }

  // Devices

  listDevices(tenant?: string): Promise<Device[]> {
    return this.registry.listDevices(tenant);
  }

  async getDevice(tenant: string, id: string): Promise<Device> {
    await this.getTenant(tenant);
    return (
      (await this.registry.getDevice(tenant, id)) ??
      notFound(
        RegistryErrorCode.DeviceNotFound,
        `device '${id.slice(0, 64)}' does not exist in tenant '${tenant}'`,
      )
    );
  }

  async addDevice(actor: Actor, input: NewDevice): Promise<IssuedDevice> {
    const issued = await this.registry.addDevice(input);
    await this.audit.record(actor, {
      tenant: input.tenant,
      action: 'device.create',
      target: `device:${input.id}`,
      after: issued.device,
    });
    return issued;
  }

  /**
   * Imports a devices file (see parseDevicesCsv) all or nothing. With `tenant`, every line must name it (an API
   * key imports into its own tenant only). Refused with every problem, each naming its line.
   */
  async importDevices(
    actor: Actor,
    text: string,
    opts: { readonly tenant?: string } = {},
  ): Promise<IssuedDevice[]> {
    const { rows, errors } = parseDevicesCsv(text);
    const seen = new Map<string, number>();
    for (const { line, device } of rows) {
      if (opts.tenant !== undefined && device.tenant !== opts.tenant) {
        errors.push(
          `line ${line}: tenant '${device.tenant.slice(0, 64)}' is not '${opts.tenant}', the tenant imported into`,
        );
        continue;
      }
      const problems = await this.registry.deviceProblems(device);
      const key = `${device.tenant}:${device.id}`;
      if (seen.has(key)) problems.push(`device '${device.id}' already appears on line ${seen.get(key)}`);
      seen.set(key, line);
      const eui = device.devEui && `${device.tenant}:eui:${device.devEui.toLowerCase()}`;
      if (eui && seen.has(eui)) {
        problems.push(`DevEUI ${device.devEui?.toLowerCase()} already appears on line ${seen.get(eui)}`);
      }
      if (eui) seen.set(eui, line);
      for (const p of problems) errors.push(`line ${line}: ${p}`);
    }
    if (errors.length) {
      throw new AdminError(
        AdminErrorCode.ImportRefused,
        `nothing imported: ${errors.length} problem(s)`,
        errors,
      );
    }
    const issued = await this.registry.addDevices(rows.map((r) => r.device));
    for (const { device } of issued) {
      await this.audit.record(actor, {
        tenant: device.tenant,
        action: 'device.create',
        target: `device:${device.id}`,
        after: device,
      });
    }
    return issued;
  }

  async updateDevice(actor: Actor, tenant: string, id: string, update: DeviceUpdate): Promise<Device> {
    const before = await this.getDevice(tenant, id);
    const after = await this.registry.updateDevice(tenant, id, update);
    await this.audit.record(actor, {
      tenant,
      action: 'device.update',
      target: `device:${id}`,
      before,
      after,
    });
    return after;
  }

  async deleteDevice(actor: Actor, tenant: string, id: string): Promise<Device> {
    const before = await this.registry.deleteDevice(tenant, id);
    await this.audit.record(actor, { tenant, action: 'device.delete', target: `device:${id}`, before });
    return before;
  }

  async rotateDeviceSecret(actor: Actor, tenant: string, id: string): Promise<IssuedCredentials> {
    const credentials = await this.registry.rotateDeviceSecret(tenant, id);
    await this.audit.record(actor, { tenant, action: 'device.rotate-secret', target: `device:${id}` });
    return credentials;
  }

  // Accounts

  listAccounts(tenant?: string): Promise<Account[]> {
    return this.registry.listAccounts(tenant);
  }

  async addAccount(
    actor: Actor,
    input: NewAccount,
  ): Promise<{ account: Account; credentials: IssuedCredentials }> {
    const created = await this.registry.addAccount(input);
    await this.audit.record(actor, {
      ...(input.tenant === undefined ? {} : { tenant: input.tenant }),
      action: 'account.create',
      target: `account:${created.account.username}`,
      after: created.account,
    });
    return created;
  }

  async rotateAccountSecret(
    actor: Actor,
    tenant: string | undefined,
    id: string,
  ): Promise<IssuedCredentials> {
    const credentials = await this.registry.rotateAccountSecret(tenant, id);
    await this.audit.record(actor, {
      ...(tenant === undefined ? {} : { tenant }),
      action: 'account.rotate-secret',
      target: `account:${credentials.username}`,
    });
    return credentials;
  }

  async deleteAccount(actor: Actor, tenant: string | undefined, id: string): Promise<Account> {
    const before = await this.registry.deleteAccount(tenant, id);
    await this.audit.record(actor, {
      ...(tenant === undefined ? {} : { tenant }),
      action: 'account.delete',
      target: `account:${before.username}`,
      before,
    });
    return before;
  }
}
