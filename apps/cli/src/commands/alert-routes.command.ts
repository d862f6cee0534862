import { AlertRoutesRepository, AlertRouteSummary, createRedis, RedisKeys } from '@vigie/adapters';
import { loadConfig } from '@vigie/config';
import {
  ALERT_DOMAINS,
  ALERT_SEVERITIES,
  AlertDomain,
  AlertError,
  AlertRecipient,
  AlertRoute,
  AlertSeverity,
  validateAlertRoute,
} from '@vigie/domain';
import { Command } from 'commander';
import { CliError, printObject, printRows } from '../output';

const collect = (value: string, previous: string[]) => [
  ...previous,
  ...value
    .split(',')
    .map((v) => v.trim())
    .filter(Boolean),
];

/** Opens the routes repository for one command (REDIS_URL and REDIS_PREFIX only) and closes it after. */
async function withRoutes<T>(fn: (routes: AlertRoutesRepository) => Promise<T>): Promise<T> {
  const config = loadConfig(['REDIS_URL', 'REDIS_PREFIX']);
  const redis = createRedis(config.REDIS_URL, { name: 'vigie-cli' });
  redis.on('error', () => undefined);
  try {
    await Promise.race([
      redis.ping(),
      new Promise((_, reject) =>
        setTimeout(
          () =>
            reject(
              new CliError(
                `cannot reach Redis at ${config.REDIS_URL} (is 'vigie stack' running, or REDIS_URL set?)`,
              ),
            ),
          5000,
        ),
      ),
    ]);
    return await fn(new AlertRoutesRepository(redis, new RedisKeys(config.REDIS_PREFIX)));
  } catch (err) {
    if (err instanceof AlertError) throw new CliError(err.message, 2);
    throw err;
  } finally {
    redis.disconnect();
  }
}

/** A recipient id from an e-mail address: stable (same address, same id, same idempotency keys). */
export function recipientIdOf(address: string): string {
  return address
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .slice(0, 64);
}

function positiveMinutes(flag: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0)
    throw new CliError(`${flag} expects a positive number of minutes, got '${v}'`, 2);
  return n;
}

interface AddOptions {
  tenant: string;
  id: string;
  domain: string[];
  severity: string[];
  site: string[];
  email: string[];
  webhook: string[];
  secret?: string;
  remindAfterMin?: string;
  escalateAfterMin?: string;
  escalateTo: string[];
  digest?: boolean;
  json?: boolean;
}

/** The route `vigie alerts routes add` describes (validated: AlertError InvalidRoute names what is wrong). */
export function routeFromOptions(o: AddOptions): AlertRoute {
  for (const d of o.domain) {
    if (!(ALERT_DOMAINS as readonly string[]).includes(d)) {
      throw new CliError(`--domain '${d}' is not one of ${ALERT_DOMAINS.join(', ')}`, 2);
    }
  }
  for (const s of o.severity) {
    if (!(ALERT_SEVERITIES as readonly string[]).includes(s)) {
      throw new CliError(`--severity '${s}' is not one of ${ALERT_SEVERITIES.join(', ')}`, 2);
    }
  }
  if (o.webhook.length > 0 && !o.secret) {
    throw new CliError('--webhook needs --secret (the key receivers verify X-Vigie-Signature with)', 2);
  }
  if (o.secret && o.webhook.length === 0) throw new CliError('--secret is only used with --webhook', 2);
  const recipients: AlertRecipient[] = [
    ...o.email.map((email) => ({ id: recipientIdOf(email), email })),
    ...o.webhook.map((webhook, i) => ({ id: `webhook-${i + 1}`, webhook })),
  ];
  const escalateTo: AlertRecipient[] = o.escalateTo.map((email) => ({ id: recipientIdOf(email), email }));
  const remindAfterMin = positiveMinutes('--remind-after-min', o.remindAfterMin);
  const escalateAfterMin = positiveMinutes('--escalate-after-min', o.escalateAfterMin);
  const route: AlertRoute = {
    id: o.id,
    tenant: o.tenant,
    ...(o.domain.length ? { domains: o.domain as AlertDomain[] } : {}),
    ...(o.severity.length ? { severities: o.severity as AlertSeverity[] } : {}),
    ...(o.site.length ? { sites: o.site } : {}),
    recipients,
    ...(remindAfterMin === undefined ? {} : { remindAfterMin }),
    ...(escalateAfterMin === undefined ? {} : { escalateAfterMin }),
    ...(escalateTo.length ? { escalateTo } : {}),
    ...(o.digest ? { digest: true } : {}),
    ...(o.secret ? { webhookSecret: o.secret } : {}),
  };
  try {
    return validateAlertRoute(route);
  } catch (err) {
    if (err instanceof AlertError) throw new CliError(err.message, 2);
    throw err;
  }
}

function row(r: AlertRouteSummary): Record<string, unknown> {
  const who = (list: readonly AlertRecipient[] | undefined) =>
    (list ?? []).map((x) => x.email ?? x.webhook ?? x.id).join(',');
  return {
    id: r.id,
    domains: (r.domains ?? []).join(',') || '*',
    severities: (r.severities ?? []).join(',') || '*',
    sites: (r.sites ?? []).join(',') || '*',
    recipients: who(r.recipients),
    remindAfterMin: r.remindAfterMin,
    escalateAfterMin: r.escalateAfterMin,
    escalateTo: who(r.escalateTo),
    digest: r.digest ? 'yes' : '',
    hasSecret: r.hasSecret ? 'yes' : '',
  };
}

/** Adds `routes` (add, list, remove) to the `alerts` command group. */
export function addAlertRoutesCommand(alerts: Command): Command {
  const cmd = alerts
    .command('routes')
    .description('Notification routes: who receives which alerts of a tenant, by e-mail or webhook');
  cmd
    .command('add')
    .description('Add a route, or replace the route of the same id')
    .requiredOption('--tenant <tenant>', 'tenant id')
    .requiredOption('--id <route>', 'route id (letters, digits, . _ -)')
    .option(
      '--domain <domain>',
      `only alerts of this domain (repeatable): ${ALERT_DOMAINS.join(', ')}`,
      collect,
      [],
    )
    .option(
      '--severity <severity>',
      `only this severity (repeatable): ${ALERT_SEVERITIES.join(', ')}`,
      collect,
      [],
    )
    .option('--site <site>', 'only alerts of this site (repeatable)', collect, [])
    .option('--email <address>', 'send each alert event to this address (repeatable)', collect, [])
    .option(
      '--webhook <url>',
      'POST each alert event as signed JSON to this http(s) URL (repeatable)',
      collect,
      [],
    )
    .option(
      '--secret <secret>',
      'key of the X-Vigie-Signature HMAC-SHA256 of webhook bodies (with --webhook)',
    )
    .option('--remind-after-min <n>', 'remind of a critical alert nobody acknowledged every n minutes')
    .option('--escalate-after-min <n>', 'escalate an alert still firing after n minutes (with --escalate-to)')
    .option('--escalate-to <address>', 'e-mail address escalations go to (repeatable)', collect, [])
    .option('--digest', 'send one daily digest e-mail instead of a message per event')
    .option('--json', 'print JSON')
    .addHelpText(
      'after',
      '\nExample: vigie alerts routes add --tenant demo --id oncall --severity critical --email astreinte@ville.fr \\\n' +
        '  --remind-after-min 15 --escalate-after-min 30 --escalate-to dgs@ville.fr',
    )
    .action(async (o: AddOptions) => {
      const route = routeFromOptions(o);
      const { replaced } = await withRoutes((routes) => routes.put(route));
      const { webhookSecret, ...shown } = route;
      printObject({ ...shown, hasSecret: !!webhookSecret, replaced }, !!o.json);
    });
  cmd
    .command('list')
    .description(
      "List a tenant's routes (webhook secrets are never shown: hasSecret says whether there is one)",
    )
    .requiredOption('--tenant <tenant>', 'tenant id')
    .option('--json', 'print JSON')
    .action(async (o: { tenant: string; json?: boolean }) => {
      const list = await withRoutes((routes) => routes.list(o.tenant));
      if (o.json)
        printRows(
          list.map((r) => ({ ...r })),
          true,
        );
      else printRows(list.map(row), false);
    });
  cmd
    .command('remove')
    .description('Remove a route')
    .requiredOption('--tenant <tenant>', 'tenant id')
    .requiredOption('--id <route>', 'route id')
    .option('--json', 'print JSON')
    .action(async (o: { tenant: string; id: string; json?: boolean }) => {
      const removed = await withRoutes((routes) => routes.remove(o.tenant, o.id));
      if (!removed) throw new CliError(`no route '${o.id}' in tenant '${o.tenant}'`);
      printObject({ tenant: o.tenant, id: o.id, removed }, !!o.json);
    });
  return cmd;
}
