import {
  accountAclProblem,
  idProblem,
  isLorawanNetwork,
  isValidId,
  LORAWAN_NETWORKS,
  LorawanNetwork,
  parseUsername,
  Principal,
  RESERVED_TENANT_IDS,
  usernames,
} from '@vigie/contracts';
import {
  canonicalTimeZone,
  DEFAULT_TIME_ZONE,
  DeviceKind,
  GeoLocation,
  locationProblem,
} from '@vigie/domain';
import { Redis } from 'ioredis';
import { RedisKeys } from '../redis/redis-connection';
import { generateSecret, hashSecret, verifySecret } from './credentials';
import { RegistryError, RegistryErrorCode } from './registry.errors';

export interface Tenant {
  readonly id: string;
  readonly name: string;
  /** IANA time zone of the tenant's local days, months and years (KPI windows). */
  readonly timeZone: string;
  readonly createdAt: string;
  /** Set when the tenant publishes its aggregated KPIs as open data, under this licence. */
  readonly openData?: { readonly licence: string };
}

/** A change of a site's attributes: keys to set (added or replaced) and keys to remove. */
export interface SiteAttributesUpdate {
  readonly set?: Readonly<Record<string, string>>;
  readonly unset?: readonly string[];
}

export interface Site {
  readonly tenant: string;
  readonly id: string;
  readonly name: string;
  readonly attributes: Record<string, string>;
  readonly createdAt: string;
}

export interface Device {
  readonly tenant: string;
  readonly id: string;
  readonly kind: string;
  readonly site?: string;
  /** Expected interval between two reports, seconds. */
  readonly intervalS: number;
  readonly createdAt: string;
  /** Epoch ms of the last accepted reading, if any. */
  readonly lastSeen?: number;
  /** LoRaWAN DevEUI (lowercase, 16 hex digits), unique within the tenant. */
  readonly devEui?: string;
  /** Where the device stands (WGS84 degrees), for the dashboards' maps. */
  readonly location?: GeoLocation;
}

export interface Account {
  readonly username: string;
  readonly tenant?: string;
  readonly id: string;
  readonly acl: readonly string[];
  readonly createdAt: string;
  /** A LoRaWAN network server's integration account: may publish that server's uplink topics. */
  readonly lorawan?: LorawanNetwork;
}

/** What a device or account gets once, at creation: its MQTT credentials. */
export interface IssuedCredentials {
  readonly username: string;
  readonly password: string;
}

export interface NewDevice {
  readonly tenant: string;
  readonly id: string;
  readonly kind: string;
  readonly site?: string;
  readonly intervalS?: number;
  /** LoRaWAN DevEUI: 16 hex digits (any case). */
  readonly devEui?: string;
  /** Where the device stands: WGS84 degrees, lat in [-90, 90], lon in [-180, 180]. */
  readonly location?: GeoLocation;
}

/** A change of a device: its site (`null`: none) and expected reporting interval. */
export interface DeviceUpdate {
  readonly site?: string | null;
  readonly intervalS?: number;
  /** The new position, or `null` to forget it. */
  readonly location?: GeoLocation | null;
}

const DEV_EUI = /^[0-9a-fA-F]{16}$/;

/** Why a DevEUI is not accepted, or undefined. */
export function devEuiProblem(devEui: string): string | undefined {
  return DEV_EUI.test(devEui)
    ? undefined
    : `DevEUI '${devEui.slice(0, 40)}' must be 16 hex digits, e.g. 70b3d57ed0001234`;
}

export type AuthenticatedPrincipal =
  | { readonly type: 'device'; readonly device: Device }
  | { readonly type: 'account'; readonly account: Account };

/** KEYS[1] = site hash; ARGV[1] = JSON object of attributes to set; ARGV[2] = JSON array of keys to remove. */
const UPDATE_SITE_ATTRIBUTES = `
if redis.call('HEXISTS', KEYS[1], 'id') == 0 then return nil end
local attrs = cjson.decode(redis.call('HGET', KEYS[1], 'attributes') or '{}')
for k, v in pairs(cjson.decode(ARGV[1])) do attrs[k] = v end
for _, k in ipairs(cjson.decode(ARGV[2])) do attrs[k] = nil end
local out = next(attrs) == nil and '{}' or cjson.encode(attrs)
redis.call('HSET', KEYS[1], 'attributes', out)
return out
`;

/** KEYS[1] = a hash; ARGV = field, value, …: sets them only if the hash exists (1), else does nothing (0). */
const UPDATE_IF_EXISTS = `
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
redis.call('HSET', KEYS[1], unpack(ARGV))
return 1
`;

function siteOf(tenant: string, h: Record<string, string>): Site {
  return {
    tenant,
    id: h['id'],
    name: h['name'] ?? h['id'],
    attributes: JSON.parse(h['attributes'] ?? '{}') as Record<string, string>,
    createdAt: h['createdAt'] ?? '',
  };
}

function fail(code: RegistryErrorCode, detail: string): never {
  throw new RegistryError(code, detail);
}

/** The device registry in Redis: tenants, sites, devices, accounts and their hashed credentials. */
export class RegistryRepository {
  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
    private readonly credentialKey: string,
    private readonly kinds: (id: string) => DeviceKind | undefined,
  ) {}

  // Tenants

  async addTenant(id: string, name = id, timeZone = DEFAULT_TIME_ZONE): Promise<Tenant> {
    const problem = idProblem('tenant', id);
    if (problem) fail(RegistryErrorCode.InvalidId, problem);
    if (RESERVED_TENANT_IDS.includes(id)) fail(RegistryErrorCode.InvalidId, `tenant id '${id}' is reserved`);
    const zone = canonicalTimeZone(timeZone);
    if (!zone) {
      fail(
        RegistryErrorCode.InvalidTimeZone,
        `time zone '${timeZone.slice(0, 64)}' is not an IANA time zone, e.g. Europe/Paris or America/Guadeloupe`,
      );
    }
    const tenant: Tenant = { id, name, timeZone: zone, createdAt: new Date().toISOString() };
    const created = await this.redis.hsetnx(this.keys.tenant(id), 'id', id);
    if (!created) fail(RegistryErrorCode.TenantExists, `tenant '${id}' already exists`);
    await this.redis.multi().hset(this.keys.tenant(id), tenant).sadd(this.keys.tenants(), id).exec();
    return tenant;
  }

  async getTenant(id: string): Promise<Tenant | undefined> {
    const h = await this.redis.hgetall(this.keys.tenant(id));
    return h['id']
      ? {
          id: h['id'],
          name: h['name'] ?? id,
          // Tenants added before time zones were stored are in the default zone.
          timeZone: h['timeZone'] || DEFAULT_TIME_ZONE,
          createdAt: h['createdAt'] ?? '',
          ...(h['openDataLicence'] ? { openData: { licence: h['openDataLicence'] } } : {}),
        }
      : undefined;
  }

  /** Publishes the tenant's aggregated KPIs as open data under `licence`, or (undefined) stops publishing. */
  async setOpenData(id: string, licence: string | undefined): Promise<Tenant> {
    await this.requireTenant(id);
    if (licence === undefined) await this.redis.hdel(this.keys.tenant(id), 'openDataLicence');
    else await this.redis.hset(this.keys.tenant(id), 'openDataLicence', licence);
    return (await this.getTenant(id)) as Tenant;
  }

  async listTenants(): Promise<Tenant[]> {
    const ids = (await this.redis.smembers(this.keys.tenants())).sort();
    const all = await Promise.all(ids.map((id) => this.getTenant(id)));
    return all.filter((t): t is Tenant => t !== undefined);
  }

  private async requireTenant(id: string): Promise<void> {
    if (!isValidId(id) || !(await this.redis.exists(this.keys.tenant(id)))) {
      fail(RegistryErrorCode.TenantNotFound, `tenant '${id}' does not exist (see 'vigie tenants list')`);
    }
  }

  // Sites

  async addSite(
    tenant: string,
    id: string,
    name = id,
    attributes: Record<string, string> = {},
  ): Promise<Site> {
    const problem = idProblem('site', id);
    if (problem) fail(RegistryErrorCode.InvalidId, problem);
    await this.requireTenant(tenant);
    const site: Site = { tenant, id, name, attributes, createdAt: new Date().toISOString() };
    const created = await this.redis.hsetnx(this.keys.site(tenant, id), 'id', id);
    if (!created) fail(RegistryErrorCode.SiteExists, `site '${id}' already exists in tenant '${tenant}'`);
    await this.redis
      .multi()
      .hset(this.keys.site(tenant, id), {
        tenant,
        id,
        name,
        attributes: JSON.stringify(attributes),
        createdAt: site.createdAt,
      })
      .sadd(this.keys.sites(tenant), id)
      .exec();
    return site;
  }

  async listSites(tenant: string): Promise<Site[]> {
    await this.requireTenant(tenant);
    const ids = (await this.redis.smembers(this.keys.sites(tenant))).sort();
    const hashes = await Promise.all(ids.map((id) => this.redis.hgetall(this.keys.site(tenant, id))));
    return hashes.filter((h) => h['id']).map((h) => siteOf(tenant, h));
  }

  async getSite(tenant: string, id: string): Promise<Site | undefined> {
    await this.requireTenant(tenant);
    const h = await this.redis.hgetall(this.keys.site(tenant, id));
    return h['id'] ? siteOf(tenant, h) : undefined;
  }

  /**
   * Sets (adds or replaces) and removes attributes of an existing site, atomically in Redis (a Lua script), so two
   * concurrent updates of one site never lose each other's keys. A key both set and unset is refused.
   */
  async updateSite(tenant: string, id: string, update: SiteAttributesUpdate): Promise<Site> {
    const set = update.set ?? {};
    const unset = update.unset ?? [];
    const both = unset.filter((k) => Object.hasOwn(set, k));
    if (both.length) {
      fail(RegistryErrorCode.InvalidAttributes, `attribute(s) both set and unset: ${both.join(', ')}`);
    }
    await this.requireTenant(tenant);
    const key = this.keys.site(tenant, id);
    const updated = (await this.redis.eval(
      UPDATE_SITE_ATTRIBUTES,
      1,
      key,
      JSON.stringify(set),
      JSON.stringify(unset),
    )) as string | null;
    if (updated === null)
      fail(RegistryErrorCode.SiteNotFound, `site '${id}' does not exist in tenant '${tenant}'`);
    const site = await this.getSite(tenant, id);
    if (!site) fail(RegistryErrorCode.SiteNotFound, `site '${id}' does not exist in tenant '${tenant}'`);
    return site;
  }

  // Devices

  /** Checks a new device without writing anything; returns the problems found. */
  async deviceProblems(input: NewDevice): Promise<string[]> {
    const problems: string[] = [];
    const idIssue = idProblem('device', input.id);
    if (idIssue) problems.push(idIssue);
    const kind = this.kinds(input.kind);
    if (!kind) problems.push(`unknown kind '${input.kind}'`);
    if (input.intervalS !== undefined && (!Number.isInteger(input.intervalS) || input.intervalS < 1)) {
      problems.push(`interval must be a whole number of seconds ≥ 1, got ${input.intervalS}`);
    }
    if (input.location !== undefined) {
      const where = locationProblem(input.location.lat, input.location.lon);
      if (where) problems.push(where);
    }
    if (!isValidId(input.tenant) || !(await this.redis.exists(this.keys.tenant(input.tenant)))) {
      problems.push(`tenant '${input.tenant}' does not exist`);
      return problems;
    }
    if (input.site !== undefined && !(await this.redis.exists(this.keys.site(input.tenant, input.site)))) {
      problems.push(`site '${input.site}' does not exist in tenant '${input.tenant}'`);
    }
    if (!idIssue && (await this.redis.exists(this.keys.device(input.tenant, input.id)))) {
      problems.push(`device '${input.id}' already exists in tenant '${input.tenant}'`);
    }
    if (input.devEui !== undefined) {
      const euiIssue = devEuiProblem(input.devEui);
      if (euiIssue) problems.push(euiIssue);
      else {
        if (kind && !kind.lorawan) {
          problems.push(`kind '${kind.id}' does not report over LoRaWAN: it takes no DevEUI`);
        }
        const holder = await this.redis.hget(this.keys.devEuis(input.tenant), input.devEui.toLowerCase());
        if (holder)
          problems.push(
            `DevEUI ${input.devEui.toLowerCase()} already belongs to device '${holder}' in tenant '${input.tenant}'`,
          );
      }
    }
    return problems;
  }

  async addDevice(input: NewDevice): Promise<{ device: Device; credentials: IssuedCredentials }> {
    const [result] = await this.addDevices([input]);
    return result;
  }

  /**
   * Adds devices all together or not at all: every device is checked first, then all are written in one
   * transaction. Throws with the first problem; use `deviceProblems` to report every line.
   */
  async addDevices(
    inputs: readonly NewDevice[],
  ): Promise<{ device: Device; credentials: IssuedCredentials }[]> {
    const seen = new Set<string>();
    for (const input of inputs) {
      const problems = await this.deviceProblems(input);
      const key = `${input.tenant}:${input.id}`;
      if (seen.has(key)) problems.push(`device '${input.id}' appears twice`);
      seen.add(key);
      const euiKey = input.devEui && `${input.tenant}:eui:${input.devEui.toLowerCase()}`;
      if (euiKey && seen.has(euiKey)) problems.push(`DevEUI ${input.devEui?.toLowerCase()} appears twice`);
      if (euiKey) seen.add(euiKey);
      if (problems.length > 0) {
        const code = problems[0].includes('already exists')
          ? RegistryErrorCode.DeviceExists
          : problems[0].startsWith('unknown kind')
            ? RegistryErrorCode.UnknownKind
            : problems[0].startsWith('tenant')
              ? RegistryErrorCode.TenantNotFound
              : problems[0].startsWith('site')
                ? RegistryErrorCode.SiteNotFound
                : /^(latitude|longitude) /.test(problems[0])
                  ? RegistryErrorCode.InvalidLocation
                  : RegistryErrorCode.InvalidId;
        fail(code, problems.join('; '));
      }
    }
    const createdAt = new Date().toISOString();
    const tx = this.redis.multi();
    const out = inputs.map((input) => {
      const kind = this.kinds(input.kind) as DeviceKind;
      const device: Device = {
        tenant: input.tenant,
        id: input.id,
        kind: input.kind,
        site: input.site,
        intervalS: input.intervalS ?? kind.reportingIntervalS,
        createdAt,
        devEui: input.devEui?.toLowerCase(),
        ...(input.location ? { location: { lat: input.location.lat, lon: input.location.lon } } : {}),
      };
      const username = usernames.device(input.tenant, input.id);
      const password = generateSecret();
      tx.hset(this.keys.device(input.tenant, input.id), {
        tenant: device.tenant,
        id: device.id,
        kind: device.kind,
        site: device.site ?? '',
        intervalS: String(device.intervalS),
        createdAt,
        devEui: device.devEui ?? '',
        // Decimal degrees as JavaScript writes them (shortest exact form); '' = no position.
        lat: device.location ? String(device.location.lat) : '',
        lon: device.location ? String(device.location.lon) : '',
        secretHash: hashSecret(this.credentialKey, username, password),
      });
      tx.sadd(this.keys.devices(input.tenant), input.id);
      if (device.devEui) tx.hset(this.keys.devEuis(input.tenant), device.devEui, input.id);
      return { device, credentials: { username, password } };
    });
    await tx.exec();
    return out;
  }

  /** Issues new credentials for a device; the old password stops working at once. */
  async rotateDeviceSecret(tenant: string, id: string): Promise<IssuedCredentials> {
    if (!(await this.getDevice(tenant, id)))
      fail(RegistryErrorCode.DeviceNotFound, `device '${id}' does not exist in tenant '${tenant}'`);
    const username = usernames.device(tenant, id);
    const password = generateSecret();
    await this.redis.hset(
      this.keys.device(tenant, id),
      'secretHash',
      hashSecret(this.credentialKey, username, password),
    );
    return { username, password };
  }

  /**
   * Moves a device to another site (`site: null` detaches it) or changes its expected interval. Atomic: a device
   * deleted meanwhile is not brought back half-written.
   */
  async updateDevice(tenant: string, id: string, update: DeviceUpdate): Promise<Device> {
    await this.requireTenant(tenant);
    if (update.intervalS !== undefined && (!Number.isInteger(update.intervalS) || update.intervalS < 1)) {
      fail(
        RegistryErrorCode.InvalidInterval,
        `interval must be a whole number of seconds ≥ 1, got ${update.intervalS}`,
      );
    }
    const where = update.location ? locationProblem(update.location.lat, update.location.lon) : undefined;
    if (where) fail(RegistryErrorCode.InvalidLocation, where);
    if (typeof update.site === 'string' && !(await this.redis.exists(this.keys.site(tenant, update.site)))) {
      fail(RegistryErrorCode.SiteNotFound, `site '${update.site}' does not exist in tenant '${tenant}'`);
    }
    const fields: string[] = [];
    if (update.site !== undefined) fields.push('site', update.site ?? '');
    if (update.intervalS !== undefined) fields.push('intervalS', String(update.intervalS));
    if (update.location !== undefined) {
      fields.push('lat', update.location ? String(update.location.lat) : '');
      fields.push('lon', update.location ? String(update.location.lon) : '');
    }
    const updated =
      fields.length === 0
        ? await this.redis.exists(this.keys.device(tenant, id))
        : ((await this.redis.eval(UPDATE_IF_EXISTS, 1, this.keys.device(tenant, id), ...fields)) as number);
    const device = updated ? await this.getDevice(tenant, id) : undefined;
    if (!device)
      fail(RegistryErrorCode.DeviceNotFound, `device '${id}' does not exist in tenant '${tenant}'`);
    return device;
  }

  /** Removes a device, its credentials, last-seen time and DevEUI; resolves with what was removed. */
  async deleteDevice(tenant: string, id: string): Promise<Device> {
    await this.requireTenant(tenant);
    const device = await this.getDevice(tenant, id);
    if (!device)
      fail(RegistryErrorCode.DeviceNotFound, `device '${id}' does not exist in tenant '${tenant}'`);
    const tx = this.redis
      .multi()
      .del(this.keys.device(tenant, id))
      .srem(this.keys.devices(tenant), id)
      .hdel(this.keys.lastSeen(tenant), id);
    if (device.devEui) tx.hdel(this.keys.devEuis(tenant), device.devEui);
    await tx.exec();
    return device;
  }

  async getDevice(tenant: string, id: string): Promise<Device | undefined> {
    if (!isValidId(tenant) || !isValidId(id)) return undefined;
    const [h, lastSeen] = await Promise.all([
      this.redis.hgetall(this.keys.device(tenant, id)),
      this.redis.hget(this.keys.lastSeen(tenant), id),
    ]);
    return toDevice(h, lastSeen);
  }

  /** The tenant's device with this DevEUI (any case), if any. */
  async getDeviceByDevEui(tenant: string, devEui: string): Promise<Device | undefined> {
    if (!isValidId(tenant) || devEuiProblem(devEui)) return undefined;
    const id = await this.redis.hget(this.keys.devEuis(tenant), devEui.toLowerCase());
    return id ? this.getDevice(tenant, id) : undefined;
  }

  async listDevices(tenant?: string): Promise<Device[]> {
    const tenantIds = tenant ? [tenant] : (await this.listTenants()).map((t) => t.id);
    if (tenant) await this.requireTenant(tenant);
    const out: Device[] = [];
    for (const t of tenantIds) {
      const ids = (await this.redis.smembers(this.keys.devices(t))).sort();
      const lastSeen = await this.redis.hgetall(this.keys.lastSeen(t));
      const hashes = await Promise.all(ids.map((id) => this.redis.hgetall(this.keys.device(t, id))));
      for (const h of hashes) {
        const d = toDevice(h, lastSeen[h['id']]);
        if (d) out.push(d);
      }
    }
    return out;
  }

  /** When each of `devices` was last heard of (epoch ms, receive time); absent: never. */
  async lastSeenOf(tenant: string, devices: readonly string[]): Promise<Map<string, number>> {
    const out = new Map<string, number>();
    if (devices.length === 0) return out;
    const raw = await this.redis.hmget(this.keys.lastSeen(tenant), ...devices);
    raw.forEach((v, i) => {
      if (v !== null) out.set(devices[i], Number(v));
    });
    return out;
  }

  /** Records when devices were last heard of (epoch ms), in one round trip. */
  async touchDevices(
    seen: ReadonlyMap<string, { tenant: string; device: string; at: number }>,
  ): Promise<void> {
    if (seen.size === 0) return;
    const p = this.redis.pipeline();
    for (const { tenant, device, at } of seen.values())
      p.hset(this.keys.lastSeen(tenant), device, String(at));
    await p.exec();
  }

  // Accounts

  async addAccount(input: {
    tenant?: string;
    id: string;
    acl: readonly string[];
    /** A network server's integration account: it may publish that server's uplink topics. */
    lorawan?: string;
  }): Promise<{ account: Account; credentials: IssuedCredentials }> {
    const problem = idProblem('account', input.id);
    if (problem) fail(RegistryErrorCode.InvalidId, problem);
    if (input.lorawan !== undefined) {
      if (!isLorawanNetwork(input.lorawan)) {
        fail(
          RegistryErrorCode.InvalidLorawan,
          `unknown LoRaWAN network server '${input.lorawan}'; accepted: ${LORAWAN_NETWORKS.join(', ')}`,
        );
      }
      if (input.tenant === undefined) {
        fail(
          RegistryErrorCode.InvalidLorawan,
          'a LoRaWAN integration account belongs to a tenant: give --tenant',
        );
      }
    }
    if (input.tenant !== undefined) await this.requireTenant(input.tenant);
    if (input.acl.length === 0 && input.lorawan === undefined)
      fail(RegistryErrorCode.InvalidAcl, 'an account needs at least one --acl pattern (or --lorawan)');
    for (const pattern of input.acl) {
      const aclIssue = accountAclProblem(input.tenant, pattern);
      if (aclIssue) fail(RegistryErrorCode.InvalidAcl, aclIssue);
    }
    const username = input.tenant ? usernames.account(input.tenant, input.id) : usernames.operator(input.id);
    const created = await this.redis.hsetnx(this.keys.account(username), 'username', username);
    if (!created) fail(RegistryErrorCode.AccountExists, `account '${username}' already exists`);
    const password = generateSecret();
    const account: Account = {
      username,
      tenant: input.tenant,
      id: input.id,
      acl: [...input.acl],
      createdAt: new Date().toISOString(),
      lorawan: input.lorawan as LorawanNetwork | undefined,
    };
    await this.redis
      .multi()
      .hset(this.keys.account(username), {
        username,
        tenant: input.tenant ?? '',
        id: input.id,
        acl: JSON.stringify(account.acl),
        createdAt: account.createdAt,
        lorawan: account.lorawan ?? '',
        secretHash: hashSecret(this.credentialKey, username, password),
      })
      .sadd(this.keys.accounts(), username)
      .exec();
    return { account, credentials: { username, password } };
  }

  /** Issues a new password for an account (`tenant` undefined: an operator); the old one stops working at once. */
  async rotateAccountSecret(tenant: string | undefined, id: string): Promise<IssuedCredentials> {
    const username = tenant === undefined ? usernames.operator(id) : usernames.account(tenant, id);
    if (!(await this.redis.hexists(this.keys.account(username), 'username'))) {
      fail(
        RegistryErrorCode.AccountNotFound,
        `account '${username}' does not exist (see 'vigie accounts list')`,
      );
    }
    const password = generateSecret();
    await this.redis.hset(
      this.keys.account(username),
      'secretHash',
      hashSecret(this.credentialKey, username, password),
    );
    return { username, password };
  }

  /** Removes an account (`tenant` undefined: an operator) and its credentials; resolves with what was removed. */
  async deleteAccount(tenant: string | undefined, id: string): Promise<Account> {
    const username = tenant === undefined ? usernames.operator(id) : usernames.account(tenant, id);
    const account = toAccount(await this.redis.hgetall(this.keys.account(username)));
    if (!account) {
      fail(
        RegistryErrorCode.AccountNotFound,
        `account '${username}' does not exist (see 'vigie accounts list')`,
      );
    }
    await this.redis.multi().del(this.keys.account(username)).srem(this.keys.accounts(), username).exec();
    return account;
  }

  async listAccounts(tenant?: string): Promise<Account[]> {
    const names = (await this.redis.smembers(this.keys.accounts())).sort();
    const hashes = await Promise.all(names.map((n) => this.redis.hgetall(this.keys.account(n))));
    return hashes
      .map((h) => toAccount(h))
      .filter((a): a is Account => a !== undefined && (tenant === undefined || a.tenant === tenant));
  }

  // Credential hashes, for moving a tenant between platforms (`vigie export` / `vigie import`).

  /**
   * The stored secret hashes of a tenant's devices and accounts, by MQTT username. They are HMACs under this
   * platform's CREDENTIAL_KEY: useless without it, and they let devices keep their passwords on a platform that
   * has the same key.
   */
  async credentialHashes(tenant: string): Promise<Map<string, string>> {
    await this.requireTenant(tenant);
    const out = new Map<string, string>();
    const ids = (await this.redis.smembers(this.keys.devices(tenant))).sort();
    const accounts = (await this.listAccounts(tenant)).map((a) => a.username);
    const p = this.redis.pipeline();
    for (const id of ids) p.hget(this.keys.device(tenant, id), 'secretHash');
    for (const u of accounts) p.hget(this.keys.account(u), 'secretHash');
    const results = (await p.exec()) ?? [];
    const names = [...ids.map((id) => usernames.device(tenant, id)), ...accounts];
    results.forEach(([, hash], i) => {
      if (typeof hash === 'string' && hash) out.set(names[i], hash);
    });
    return out;
  }

  /**
   * Replaces the secret hash of existing devices and accounts (by MQTT username); returns the usernames that had no
   * device or account here (nothing written for them).
   */
  async restoreCredentialHashes(hashes: ReadonlyMap<string, string>): Promise<string[]> {
    const missing: string[] = [];
    const p = this.redis.pipeline();
    for (const [username, hash] of hashes) {
      const principal = parseUsername(username);
      const key =
        principal?.type === 'device'
          ? this.keys.device(principal.tenant, principal.id)
          : principal
            ? this.keys.account(username)
            : undefined;
      if (!key || !/^[0-9a-f]{64}$/.test(hash) || !(await this.redis.exists(key))) {
        missing.push(username);
        continue;
      }
      p.hset(key, 'secretHash', hash);
    }
    await p.exec();
    return missing;
  }

  /** Checks MQTT credentials. Unknown users and wrong passwords look the same to the caller. */
  async authenticate(username: string, password: string): Promise<AuthenticatedPrincipal | undefined> {
    const principal: Principal | undefined = parseUsername(username);
    if (!principal) return undefined;
    if (principal.type === 'device') {
      const h = await this.redis.hgetall(this.keys.device(principal.tenant, principal.id));
      if (!h['secretHash'] || !verifySecret(this.credentialKey, username, password, h['secretHash']))
        return undefined;
      const device = toDevice(h, undefined);
      return device ? { type: 'device', device } : undefined;
    }
    const h = await this.redis.hgetall(this.keys.account(username));
    if (!h['secretHash'] || !verifySecret(this.credentialKey, username, password, h['secretHash']))
      return undefined;
    const account = toAccount(h);
    return account ? { type: 'account', account } : undefined;
  }
}

function toDevice(h: Record<string, string>, lastSeen: string | null | undefined): Device | undefined {
  if (!h['id']) return undefined;
  return {
    tenant: h['tenant'],
    id: h['id'],
    kind: h['kind'],
    site: h['site'] || undefined,
    intervalS: Number(h['intervalS']),
    createdAt: h['createdAt'] ?? '',
    lastSeen: lastSeen ? Number(lastSeen) : undefined,
    devEui: h['devEui'] || undefined,
    ...(h['lat'] && h['lon'] ? { location: { lat: Number(h['lat']), lon: Number(h['lon']) } } : {}),
  };
}

function toAccount(h: Record<string, string>): Account | undefined {
  if (!h['username']) return undefined;
  return {
    username: h['username'],
    tenant: h['tenant'] || undefined,
    id: h['id'],
    acl: JSON.parse(h['acl'] ?? '[]') as string[],
    createdAt: h['createdAt'] ?? '',
    lorawan: h['lorawan'] && isLorawanNetwork(h['lorawan']) ? h['lorawan'] : undefined,
  };
}
