import {
  assignableRoles,
  isRole,
  Permission,
  PLATFORM_ROLE,
  Role,
  roleGrants,
  ROLES,
  TENANT_ROLES,
} from './access-control';

// Written by hand from the doc comment of GRANTS, not derived from the table under test.
const EVERY_PERMISSION: readonly Permission[] = [
  Permission.PlatformAdmin,
  Permission.TenantRead,
  Permission.TenantWrite,
  Permission.RegistryRead,
  Permission.SitesWrite,
  Permission.DevicesWrite,
  Permission.AccountsRead,
  Permission.AccountsWrite,
  Permission.ReadingsRead,
  Permission.KpiRead,
  Permission.KpiCompute,
  Permission.AlertsRead,
  Permission.AlertsAct,
  Permission.AlertRulesWrite,
  Permission.SilencesWrite,
  Permission.ApiKeysManage,
  Permission.AuditRead,
];

const READS: readonly Permission[] = [
  Permission.TenantRead,
  Permission.RegistryRead,
  Permission.ReadingsRead,
  Permission.KpiRead,
  Permission.AlertsRead,
];

const EXPECTED: Record<Role, { may: readonly Permission[]; mayNot: readonly Permission[] }> = {
  viewer: {
    may: READS,
    mayNot: [
      Permission.PlatformAdmin,
      Permission.TenantWrite,
      Permission.SitesWrite,
      Permission.DevicesWrite,
      Permission.AccountsRead,
      Permission.AccountsWrite,
      Permission.KpiCompute,
      Permission.AlertsAct,
      Permission.AlertRulesWrite,
      Permission.SilencesWrite,
      Permission.ApiKeysManage,
      Permission.AuditRead,
    ],
  },
  technician: {
    may: [...READS, Permission.DevicesWrite, Permission.AlertsAct, Permission.SilencesWrite],
    mayNot: [
      Permission.PlatformAdmin,
      Permission.TenantWrite,
      Permission.SitesWrite,
      Permission.AccountsRead,
      Permission.AccountsWrite,
      Permission.KpiCompute,
      Permission.AlertRulesWrite,
      Permission.ApiKeysManage,
      Permission.AuditRead,
    ],
  },
  'energy-manager': {
    may: [
      ...READS,
      Permission.SitesWrite,
      Permission.KpiCompute,
      Permission.AlertsAct,
      Permission.AlertRulesWrite,
      Permission.SilencesWrite,
    ],
    mayNot: [
      Permission.PlatformAdmin,
      Permission.TenantWrite,
      Permission.DevicesWrite,
      Permission.AccountsRead,
      Permission.AccountsWrite,
      Permission.ApiKeysManage,
      Permission.AuditRead,
    ],
  },
  admin: {
    may: [
      Permission.TenantRead,
      Permission.TenantWrite,
      Permission.RegistryRead,
      Permission.SitesWrite,
      Permission.DevicesWrite,
      Permission.AccountsRead,
      Permission.AccountsWrite,
      Permission.ReadingsRead,
      Permission.KpiRead,
      Permission.KpiCompute,
      Permission.AlertsRead,
      Permission.AlertsAct,
      Permission.AlertRulesWrite,
      Permission.SilencesWrite,
      Permission.ApiKeysManage,
      Permission.AuditRead,
    ],
    mayNot: [Permission.PlatformAdmin],
  },
  'platform-operator': { may: EVERY_PERMISSION, mayNot: [] },
};

describe('roles', () => {
  it('lists the tenant roles from the most to the least powerful, then the platform role first in ROLES', () => {
    expect(TENANT_ROLES).toEqual(['admin', 'energy-manager', 'technician', 'viewer']);
    expect(PLATFORM_ROLE).toBe('platform-operator');
    expect(ROLES).toEqual(['platform-operator', 'admin', 'energy-manager', 'technician', 'viewer']);
  });

  it('has exactly the permissions the table below knows', () => {
    expect([...Object.values(Permission)].sort()).toEqual([...EVERY_PERMISSION].sort());
  });

  it.each([
    ['viewer', true],
    ['technician', true],
    ['energy-manager', true],
    ['admin', true],
    ['platform-operator', true],
    ['Admin', false],
    ['root', false],
    ['', false],
    [' viewer', false],
    ['energy_manager', false],
    ['platform', false],
  ])('isRole(%j) is %s', (value, expected) => {
    expect(isRole(value)).toBe(expected);
  });
});

describe('roleGrants', () => {
  it('every role has its may and may-not lists covering each permission exactly once', () => {
    for (const role of ROLES) {
      expect([...EXPECTED[role].may, ...EXPECTED[role].mayNot].sort()).toEqual([...EVERY_PERMISSION].sort());
    }
  });

  describe.each(ROLES.map((role) => [role]))('%s', (role) => {
    it.each(EXPECTED[role].may.map((p) => [p]))('may %s', (permission) => {
      expect(roleGrants(role, permission)).toBe(true);
    });

    it('grants exactly the permissions of its may list', () => {
      expect(EVERY_PERMISSION.filter((p) => roleGrants(role, p))).toEqual(
        EVERY_PERMISSION.filter((p) => EXPECTED[role].may.includes(p)),
      );
    });
  });

  // The platform operator is refused nothing (its may-not list is empty, which test.each does not take).
  describe.each(TENANT_ROLES.map((role) => [role]))('%s', (role) => {
    it.each(EXPECTED[role].mayNot.map((p) => [p]))('may not %s', (permission) => {
      expect(roleGrants(role, permission)).toBe(false);
    });
  });

  it('matches a compact hand-written summary', () => {
    const summary = Object.fromEntries(
      ROLES.map((role) => [role, EVERY_PERMISSION.filter((p) => roleGrants(role, p)).length]),
    );
    expect(summary).toEqual({
      'platform-operator': 17,
      admin: 16,
      'energy-manager': 10,
      technician: 8,
      viewer: 5,
    });
  });
});

describe('assignableRoles', () => {
  it.each<[Role, readonly Role[]]>([
    ['platform-operator', ['platform-operator', 'admin', 'energy-manager', 'technician', 'viewer']],
    ['admin', ['admin', 'energy-manager', 'technician', 'viewer']],
    ['energy-manager', ['energy-manager', 'technician', 'viewer']],
    ['technician', ['technician', 'viewer']],
    ['viewer', ['viewer']],
  ])('a %s may give %j', (role, expected) => {
    expect(assignableRoles(role)).toEqual(expected);
  });

  it('never lets a tenant role give the platform role', () => {
    for (const role of TENANT_ROLES) expect(assignableRoles(role)).not.toContain(PLATFORM_ROLE);
  });
});
