/**
 * Who may do what through the API: the roles an API key carries and the permissions each role grants. Pure data,
 * one table: the API's guard and its tests read it, nothing else decides.
 */

/** Roles of a tenant's API keys, from the most to the least powerful. */
export const TENANT_ROLES = ['admin', 'energy-manager', 'technician', 'viewer'] as const;
export type TenantRole = (typeof TENANT_ROLES)[number];

/** The platform operator: every tenant, and what no tenant key may do (create tenants, platform keys). */
export const PLATFORM_ROLE = 'platform-operator';
export type Role = TenantRole | typeof PLATFORM_ROLE;
export const ROLES: readonly Role[] = [PLATFORM_ROLE, ...TENANT_ROLES];

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}

/** What a route needs. Names read `<resource>:<verb>`. */
export enum Permission {
  /** Create tenants, manage platform keys, read every tenant. */
  PlatformAdmin = 'platform:admin',
  TenantRead = 'tenant:read',
  /** The tenant's settings (open data). */
  TenantWrite = 'tenant:write',
  RegistryRead = 'registry:read',
  SitesWrite = 'sites:write',
  DevicesWrite = 'devices:write',
  AccountsRead = 'accounts:read',
  AccountsWrite = 'accounts:write',
  ReadingsRead = 'readings:read',
  KpiRead = 'kpi:read',
  KpiCompute = 'kpi:compute',
  AlertsRead = 'alerts:read',
  /** Acknowledge, assign, resolve. */
  AlertsAct = 'alerts:act',
  /** Rule overrides and notification routes. */
  AlertRulesWrite = 'alert-rules:write',
  SilencesWrite = 'silences:write',
  ApiKeysManage = 'api-keys:manage',
  AuditRead = 'audit:read',
}

const READ: readonly Permission[] = [
  Permission.TenantRead,
  Permission.RegistryRead,
  Permission.ReadingsRead,
  Permission.KpiRead,
  Permission.AlertsRead,
];

/**
 * The permissions of each role. A viewer reads; a technician also installs devices and handles alerts; an energy
 * manager also runs KPIs, tunes rules and routes and describes sites; a tenant admin does everything in its tenant;
 * the platform operator everything everywhere.
 */
const GRANTS: Record<Role, readonly Permission[]> = {
  viewer: READ,
  technician: [...READ, Permission.DevicesWrite, Permission.AlertsAct, Permission.SilencesWrite],
  'energy-manager': [
    ...READ,
    Permission.SitesWrite,
    Permission.KpiCompute,
    Permission.AlertsAct,
    Permission.AlertRulesWrite,
    Permission.SilencesWrite,
  ],
  admin: Object.values(Permission).filter((p) => p !== Permission.PlatformAdmin),
  [PLATFORM_ROLE]: Object.values(Permission),
};

export function roleGrants(role: Role, permission: Permission): boolean {
  return GRANTS[role].includes(permission);
}

/** The roles a key of `role` may give to keys it creates: its own and weaker ones, never the platform's. */
export function assignableRoles(role: Role): readonly Role[] {
  if (role === PLATFORM_ROLE) return ROLES;
  const from = TENANT_ROLES.indexOf(role);
  return TENANT_ROLES.slice(from);
}

/** Who made a change: an API key (`key:<id>`), the command line (`cli:<user>`) or the platform itself. */
export interface Actor {
  readonly id: string;
  readonly role: Role;
}
