import { RegistryError } from '@vigie/adapters';
import { AdminError, API_KEY_DEFAULT_DAYS, API_KEY_MAX_DAYS } from '@vigie/admin';
import { isRole, PLATFORM_ROLE, ROLES } from '@vigie/domain';
import { Command } from 'commander';
import { withRegistry } from '../context';
import { CliError, printObject, printRows } from '../output';

async function call<T>(fn: Parameters<typeof withRegistry<T>>[0]): Promise<T> {
  try {
    return await withRegistry(fn);
  } catch (err) {
    if (err instanceof RegistryError || err instanceof AdminError) throw new CliError(err.message, 2);
    throw err;
  }
}

/** `--expires-in 30d` / `--expires-in 12h` → an ISO instant from now. */
export function expiryOf(value: string, now = Date.now()): string {
  const m = /^(\d{1,4})([dh])$/.exec(value);
  if (!m) throw new CliError(`--expires-in expects a duration such as 90d or 12h, got '${value}'`, 2);
  return new Date(now + Number(m[1]) * (m[2] === 'd' ? 86_400_000 : 3_600_000)).toISOString();
}

export function apiKeysCommand(): Command {
  const cmd = new Command('apikeys').description(
    'API keys of the REST API (/api/v1): each has a role and, but for platform keys, a tenant',
  );
  cmd
    .command('add')
    .description('Create an API key; prints its token once (Vigie stores only a hash)')
    .option('--tenant <tenant>', 'the tenant the key is scoped to (omit for a platform-operator key)')
    .requiredOption('--role <role>', `role: ${ROLES.join(', ')} (${PLATFORM_ROLE} only without --tenant)`)
    .requiredOption('--name <name>', 'what the key is for, e.g. grafana or "jeanne (energy manager)"')
    .option(
      '--expires-in <duration>',
      `lifetime, e.g. 30d or 12h (default ${API_KEY_DEFAULT_DAYS}d, at most ${API_KEY_MAX_DAYS}d)`,
    )
    .option('--json', 'print JSON: {token, key}')
    .addHelpText(
      'after',
      '\nExample: vigie apikeys add --tenant demo --role energy-manager --name jeanne --expires-in 30d',
    )
    .action(
      async (o: { tenant?: string; role: string; name: string; expiresIn?: string; json?: boolean }) => {
        if (!isRole(o.role))
          throw new CliError(`--role must be one of ${ROLES.join(', ')}, got '${o.role}'`, 2);
        const role = o.role;
        const expiresAt = o.expiresIn === undefined ? undefined : expiryOf(o.expiresIn);
        const { key, token } = await call(({ apiKeys, actor }) =>
          apiKeys.create(actor, { tenant: o.tenant, role, name: o.name, expiresAt }),
        );
        printObject({ token, ...key, tenant: key.tenant ?? '(platform)' }, !!o.json);
        if (!o.json)
          process.stderr.write(
            'Keep the token now: Vigie stores only its hash. Send it as Authorization: Bearer <token>.\n',
          );
      },
    );
  cmd
    .command('list')
    .description("List a tenant's API keys (or, without --tenant, the platform's); never their tokens")
    .option('--tenant <tenant>', 'tenant id')
    .option('--json', 'print JSON')
    .action(async (o: { tenant?: string; json?: boolean }) => {
      const keys = await call(({ apiKeys }) => apiKeys.list(o.tenant));
      printRows(
        keys.map((k) => ({ ...k, tenant: k.tenant ?? '(platform)' })),
        !!o.json,
        ['id', 'tenant', 'role', 'name', 'createdBy', 'expiresAt', 'revokedAt'],
      );
    });
  cmd
    .command('revoke <id>')
    .description('Revoke an API key: it stops working at once')
    .option('--tenant <tenant>', 'the tenant of the key (omit for a platform key)')
    .option('--json', 'print JSON')
    .action(async (id: string, o: { tenant?: string; json?: boolean }) => {
      const key = await call(({ apiKeys, actor }) => apiKeys.revoke(actor, o.tenant, id));
      printObject({ ...key, tenant: key.tenant ?? '(platform)' }, !!o.json);
    });
  return cmd;
}

export function auditCommand(): Command {
  const cmd = new Command('audit').description('The audit log: who changed what, when, before and after');
  cmd
    .command('list')
    .description("A tenant's changes (or, without --tenant, the platform's), newest first")
    .option('--tenant <tenant>', 'tenant id')
    .option('--limit <n>', 'how many', (v) => Number(v), 50)
    .option('--json', 'print JSON (with before and after)')
    .action(async (o: { tenant?: string; limit: number; json?: boolean }) => {
      if (!Number.isInteger(o.limit) || o.limit < 1 || o.limit > 1000)
        throw new CliError('--limit must be a whole number from 1 to 1000', 2);
      const { entries } = await call(({ audit }) => audit.list(o.tenant ?? '', { limit: o.limit }));
      printRows(
        entries.map((e) => ({ ...e })),
        !!o.json,
        ['at', 'actor', 'role', 'action', 'target'],
      );
    });
  return cmd;
}
