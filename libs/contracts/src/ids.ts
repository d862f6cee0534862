/** Identifiers of tenants, sites, devices and accounts: lowercase, digits, '-' and '_', 1 to 63 characters. */
export const ID_PATTERN = /^[a-z0-9][a-z0-9_-]{0,62}$/;

/** Tenant ids that would make credential usernames or topics ambiguous. */
export const RESERVED_TENANT_IDS: readonly string[] = ['account', 'operator', 'vigie', 'sys'];

export function isValidId(id: string): boolean {
  return ID_PATTERN.test(id);
}

export function idProblem(what: string, id: string): string | undefined {
  if (!isValidId(id)) {
    return `${what} id '${id}' is invalid: use 1-63 characters among a-z, 0-9, '-' and '_', starting with a letter or digit`;
  }
  return undefined;
}

/** Who is behind an MQTT connection, as told by its username. */
export type Principal =
  | { readonly type: 'device'; readonly tenant: string; readonly id: string }
  | { readonly type: 'account'; readonly tenant: string; readonly id: string }
  | { readonly type: 'operator'; readonly id: string };

/** MQTT usernames: `<tenant>:<device>`, `account:<tenant>:<account>`, `operator:<account>`. */
export const usernames = {
  device: (tenant: string, device: string): string => `${tenant}:${device}`,
  account: (tenant: string, account: string): string => `account:${tenant}:${account}`,
  operator: (account: string): string => `operator:${account}`,
  of(principal: Principal): string {
    switch (principal.type) {
      case 'device':
        return usernames.device(principal.tenant, principal.id);
      case 'account':
        return usernames.account(principal.tenant, principal.id);
      case 'operator':
        return usernames.operator(principal.id);
    }
  },
};

export function parseUsername(username: string): Principal | undefined {
  const parts = username.split(':');
  if (parts.length === 2 && parts[0] === 'operator' && isValidId(parts[1])) {
    return { type: 'operator', id: parts[1] };
  }
  if (
    parts.length === 2 &&
    !RESERVED_TENANT_IDS.includes(parts[0]) &&
    isValidId(parts[0]) &&
    isValidId(parts[1])
  ) {
    return { type: 'device', tenant: parts[0], id: parts[1] };
  }
  if (parts.length === 3 && parts[0] === 'account' && isValidId(parts[1]) && isValidId(parts[2])) {
    return { type: 'account', tenant: parts[1], id: parts[2] };
  }
  return undefined;
}
