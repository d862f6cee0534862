import {
  AlertFilter,
  AlertRepository,
  AlertRoutesRepository,
  RedisSpool,
  StoredAlert,
} from '@vigie/adapters';
import {
  AlertAdmin,
  AlertAdminError,
  alertEventView,
  AlertService,
  alertSilenceView,
  alertView,
  NotificationDispatcher,
  OperatorAction,
  parseInstant,
} from '@vigie/alerts';
import { loadConfig } from '@vigie/config';
import { bullPrefix, NOTIFY_QUEUE } from '@vigie/contracts';
import { Queue } from 'bullmq';
import { ALERT_DOMAINS, ALERT_RULES, ALERT_SEVERITIES, AlertRuleParams, AlertSeverity } from '@vigie/domain';
import { Command, Option } from 'commander';
import { withRegistry } from '../context';
import { CliError, printObject, printRows } from '../output';

/** Runs `fn` with an AlertAdmin on Redis (like the registry commands: no HTTP); its refusals become CliErrors. */
async function withAlerts<T>(fn: (admin: AlertAdmin) => Promise<T>): Promise<T> {
  const config = loadConfig(['DEADLETTER_MAX_PER_TENANT', 'REDIS_URL', 'REDIS_PREFIX']);
  try {
    return await withRegistry(async ({ registry, redis, keys }) => {
      // Notifications are enqueued like the API does; `vigie api` workers deliver them.
      const queue = new Queue(NOTIFY_QUEUE, {
        connection: { url: config.REDIS_URL, maxRetriesPerRequest: null },
        prefix: bullPrefix(config.REDIS_PREFIX),
      });
      try {
        const notify = new NotificationDispatcher({
          queue,
          routes: new AlertRoutesRepository(redis, keys),
          redis,
          keys,
        });
        return await fn(
          new AlertAdmin(
            new AlertService(
              new AlertRepository(redis, keys),
              notify,
              new RedisSpool(redis, keys, config.DEADLETTER_MAX_PER_TENANT),
            ),
            registry,
          ),
        );
      } finally {
        await queue.close();
      }
    });
  } catch (err) {
    if (err instanceof AlertAdminError) throw new CliError(err.message);
    throw err;
  }
}

const DURATION = /^(\d+(?:\.\d+)?)(m|h|d)$/;
const UNIT_MS: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000 };

/** `90m`, `2h`, `1.5d` in ms; CliError (usage) otherwise. */
export function parseDuration(text: string): number {
  const m = DURATION.exec(text.trim());
  const ms = m ? Number(m[1]) * UNIT_MS[m[2]] : NaN;
  if (!(ms > 0)) throw new CliError(`--for expects a duration such as 90m, 2h or 1d, got '${text}'`, 2);
  return ms;
}

function instantOption(name: string, text: string): number {
  const ms = parseInstant(text);
  if (ms === undefined) {
    throw new CliError(`${name} expects an ISO date-time such as 2026-03-01T08:00:00Z, got '${text}'`, 2);
  }
  return ms;
}

/**
 * `--param key=value` pairs as rule parameters: numbers, `direction=above|below`, and `kByKind.<kind>=<k>` for the
 * offline rule. Which parameters a rule reads is checked by AlertAdmin (the error lists them).
 */
export function parseParams(pairs: readonly string[]): AlertRuleParams {
  const out: Record<string, unknown> = {};
  const kByKind: Record<string, number> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new CliError(`--param expects key=value, got '${pair}'`, 2);
    const key = pair.slice(0, eq).trim();
    const raw = pair.slice(eq + 1).trim();
    if (key === 'direction') {
      if (raw !== 'above' && raw !== 'below') {
        throw new CliError(`--param direction must be above or below, got '${raw}'`, 2);
      }
      out[key] = raw;
      continue;
    }
    const n = raw === '' ? NaN : Number(raw);
    if (!Number.isFinite(n)) throw new CliError(`--param ${key} must be a number, got '${raw}'`, 2);
    if (key.startsWith('kByKind.') && key.length > 'kByKind.'.length) kByKind[key.slice(8)] = n;
    else out[key] = n;
  }
  if (Object.keys(kByKind).length) out['kByKind'] = kByKind;
  return out as AlertRuleParams;
}

const collect = (value: string, previous: string[]) => [...previous, value];

function withExample(cmd: Command, ...examples: string[]): Command {
  return cmd.addHelpText(
    'after',
    `\nExample${examples.length > 1 ? 's' : ''}:\n${examples.map((e) => `  ${e}`).join('\n')}`,
  );
}

const tenantOption = () => new Option('--tenant <tenant>', 'tenant id').makeOptionMandatory();
const severityOption = (what: string) => new Option('--severity <severity>', what).choices(ALERT_SEVERITIES);

function alertRow(a: StoredAlert): Record<string, unknown> {
  const v = alertView(a);
  return { ...v, value: `${a.value}${a.unit ? ` ${a.unit}` : ''}` };
}

const ALERT_COLUMNS = ['id', 'state', 'severity', 'rule', 'subject', 'site', 'firedAt', 'value', 'assignee'];

function listCommand(): Command {
  return withExample(
    new Command('list')
      .description("List a tenant's alerts, newest first")
      .addOption(tenantOption())
      .addOption(
        new Option('--state <state>', 'open = firing or acknowledged').choices([
          'open',
          'firing',
          'acknowledged',
          'resolved',
        ]),
      )
      .addOption(severityOption('only this severity'))
      .option('--rule <rule>', `only this rule (see 'vigie alerts rules')`)
      .option('--subject <subject>', 'only this subject (device, site…)')
      .addOption(new Option('--domain <domain>', 'only this domain').choices(ALERT_DOMAINS))
      .option('--site <site>', 'only alerts about this site')
      .option('--from <ISO>', 'fired at or after')
      .option('--to <ISO>', 'fired before')
      .option('--limit <n>', 'at most n alerts', (v) => Number(v))
      .option('--json', 'print JSON')
      .action(
        async (o: {
          tenant: string;
          state?: AlertFilter['state'];
          severity?: AlertSeverity;
          rule?: string;
          subject?: string;
          domain?: string;
          site?: string;
          from?: string;
          to?: string;
          limit?: number;
          json?: boolean;
        }) => {
          if (o.limit !== undefined && (!Number.isInteger(o.limit) || o.limit < 1)) {
            throw new CliError('--limit must be a whole number ≥ 1', 2);
          }
          const filter: AlertFilter = {
            state: o.state,
            severity: o.severity,
            rule: o.rule,
            subject: o.subject,
            domain: o.domain,
            site: o.site,
            from: o.from === undefined ? undefined : instantOption('--from', o.from),
            to: o.to === undefined ? undefined : instantOption('--to', o.to),
            limit: o.limit,
          };
          const alerts = await withAlerts((admin) => admin.listAlerts(o.tenant, filter));
          if (o.json)
            printRows(
              alerts.map((a) => ({ ...alertView(a) })),
              true,
            );
          else printRows(alerts.map(alertRow), false, ALERT_COLUMNS);
        },
      ),
    'vigie alerts list --tenant demo --state open --severity critical',
    'vigie alerts list --tenant demo --rule waste.overflow --from 2026-03-01T00:00:00Z --limit 20 --json',
  );
}

function showCommand(): Command {
  return withExample(
    new Command('show')
      .description('Show an alert and its history (fired, acknowledged, assigned, resolved…)')
      .argument('<id>', 'alert id')
      .addOption(tenantOption())
      .option('--json', 'print JSON: {alert, history}')
      .action(async (id: string, o: { tenant: string; json?: boolean }) => {
        const { alert, history } = await withAlerts((admin) => admin.showAlert(o.tenant, id));
        if (o.json) {
          printObject({ alert: alertView(alert), history: history.map(alertEventView) }, true);
          return;
        }
        printObject({ ...alertRow(alert) }, false);
        process.stdout.write('\nhistory:\n');
        printRows(
          history.map((e) => ({ ...alertEventView(e) })),
          false,
          ['at', 'type', 'by', 'state'],
        );
      }),
    'vigie alerts show --tenant demo 9f2c4e1a7b3d5f60',
  );
}

function actionCommand(
  name: string,
  description: string,
  example: string,
  toAction: (o: { by?: string; to?: string }) => OperatorAction,
  withTo = false,
): Command {
  const cmd = new Command(name)
    .description(description)
    .argument('<id>', 'alert id')
    .addOption(tenantOption());
  if (withTo) {
    cmd
      .requiredOption('--to <who>', 'the person now in charge')
      .option('--by <who>', 'who assigns (not recorded yet)');
  } else {
    cmd.requiredOption('--by <who>', 'who does it (name or e-mail)');
  }
  cmd
    .option('--json', 'print JSON')
    .action(async (id: string, o: { tenant: string; by?: string; to?: string; json?: boolean }) => {
      const alert = await withAlerts((admin) => admin.act(o.tenant, id, toAction(o)));
      printObject({ ...alertView(alert) }, !!o.json);
    });
  return withExample(cmd, example);
}

function silenceCommand(): Command {
  return withExample(
    new Command('silence')
      .description(
        'Silence matching alerts (still raised and kept, not notified), or with --maintenance open a maintenance ' +
          'window (not raised at all). Matchers left out match everything.',
      )
      .addOption(tenantOption())
      .option('--rule <rule>', `only this rule (see 'vigie alerts rules')`)
      .option('--subject <subject>', 'only this subject (device, site…)')
      .option('--site <site>', 'only alerts about this site')
      .option('--for <duration>', 'how long from now (or --from): 90m, 2h, 1d')
      .option('--until <ISO>', 'until this instant')
      .option('--from <ISO>', 'starting at this instant (default: now)')
      .option('--maintenance', 'a maintenance window: matching alerts are not raised')
      .requiredOption('--reason <text>', 'why (shown to the other operators)')
      .option('--by <who>', 'who sets it')
      .option('--json', 'print JSON')
      .action(
        async (o: {
          tenant: string;
          rule?: string;
          subject?: string;
          site?: string;
          for?: string;
          until?: string;
          from?: string;
          maintenance?: boolean;
          reason: string;
          by?: string;
          json?: boolean;
        }) => {
          if ((o.for === undefined) === (o.until === undefined)) {
            throw new CliError('give how long: either --for <duration> or --until <ISO>', 2);
          }
          const from = o.from === undefined ? Date.now() : instantOption('--from', o.from);
          const to =
            o.for !== undefined ? from + parseDuration(o.for) : instantOption('--until', o.until ?? '');
          const silence = await withAlerts((admin) =>
            admin.addSilence(o.tenant, {
              kind: o.maintenance ? 'maintenance' : 'silence',
              ...(o.rule === undefined ? {} : { rule: o.rule }),
              ...(o.subject === undefined ? {} : { subject: o.subject }),
              ...(o.site === undefined ? {} : { site: o.site }),
              from,
              to,
              reason: o.reason,
              ...(o.by === undefined ? {} : { createdBy: o.by }),
            }),
          );
          printObject({ ...alertSilenceView(silence) }, !!o.json);
        },
      ),
    'vigie alerts silence --tenant demo --rule waste.overflow --subject bin-12 --for 2h --reason "bin replaced"',
    'vigie alerts silence --tenant demo --site school-1 --until 2026-03-02T18:00:00Z --maintenance --reason "meter works"',
  );
}

function silencesCommand(): Command {
  return withExample(
    new Command('silences')
      .description("List a tenant's silences and maintenance windows")
      .addOption(tenantOption())
      .option('--json', 'print JSON')
      .action(async (o: { tenant: string; json?: boolean }) => {
        const silences = await withAlerts((admin) => admin.listSilences(o.tenant));
        printRows(
          silences.map((s) => ({ ...alertSilenceView(s) })),
          !!o.json,
          ['id', 'kind', 'rule', 'subject', 'site', 'from', 'to', 'reason', 'createdBy'],
        );
      }),
    'vigie alerts silences --tenant demo',
  );
}

function unsilenceCommand(): Command {
  return withExample(
    new Command('unsilence')
      .description('Remove a silence or maintenance window')
      .argument('<id>', "silence id (see 'vigie alerts silences')")
      .addOption(tenantOption())
      .option('--json', 'print JSON')
      .action(async (id: string, o: { tenant: string; json?: boolean }) => {
        await withAlerts((admin) => admin.removeSilence(o.tenant, id));
        printObject({ removed: id }, !!o.json);
      }),
    'vigie alerts unsilence --tenant demo 3fa2b1c4d5e6',
  );
}

function rulesCommand(): Command {
  const ruleIds = ALERT_RULES.map((r) => r.id).join(', ');
  const rules = withExample(
    new Command('rules').description(
      "The alert rules: 'rules' (or 'rules list') shows them with the tenant's settings; 'rules set' and " +
        "'rules unset' change them for the tenant, a site or a device",
    ),
    'vigie alerts rules --tenant demo --json',
    'vigie alerts rules set --tenant demo waste.overflow --device bin-12 --severity critical',
  );
  // The default subcommand: `vigie alerts rules --tenant demo` lists. (Options on `rules` itself would take the
  // --tenant of `set` and `unset`: commander parses a parent's options first.)
  rules.addCommand(
    withExample(
      new Command('list')
        .description("List the alert rules with the tenant's settings and overrides")
        .addOption(tenantOption())
        .option('--json', 'print JSON (defaults, tenant-wide settings and every override)')
        .action(async (o: { tenant: string; json?: boolean }) => {
          const views = await withAlerts((admin) => admin.listRules(o.tenant));
          if (o.json) {
            printRows(
              views.map((v) => ({ ...v })),
              true,
            );
            return;
          }
          printRows(
            views.map((v) => ({
              id: v.id,
              domain: v.domain,
              enabled: v.tenant.enabled,
              severity: v.tenant.severity,
              params: v.tenant.params,
              overrides: v.overrides.length,
              title: v.title,
            })),
            false,
          );
        }),
      'vigie alerts rules --tenant demo',
    ),
    { isDefault: true },
  );
  rules.addCommand(
    withExample(
      new Command('set')
        .description(
          'Override a rule for the tenant, a site (--site) or a device (--device); what you do not give is kept',
        )
        .argument('<rule>', `rule id: ${ruleIds}`)
        .addOption(tenantOption())
        .option('--site <site>', 'only for this site')
        .option('--device <device>', 'only for this device')
        .option('--enable', 'enable the rule')
        .option('--disable', 'disable the rule')
        .addOption(severityOption('severity of the alerts it raises'))
        .option(
          '--param <key=value>',
          'a parameter (repeatable), e.g. --param raise=55 --param clear=45; kByKind.<kind>=<k> for devices.offline',
          collect,
          [],
        )
        .option('--json', 'print JSON')
        .action(
          async (
            rule: string,
            o: {
              tenant: string;
              site?: string;
              device?: string;
              enable?: boolean;
              disable?: boolean;
              severity?: AlertSeverity;
              param: string[];
              json?: boolean;
            },
          ) => {
            if (o.enable && o.disable) throw new CliError('give --enable or --disable, not both', 2);
            const params = parseParams(o.param);
            const override = await withAlerts((admin) =>
              admin.setOverride(
                o.tenant,
                {
                  rule,
                  ...(o.site === undefined ? {} : { site: o.site }),
                  ...(o.device === undefined ? {} : { device: o.device }),
                  ...(o.enable ? { enabled: true } : o.disable ? { enabled: false } : {}),
                  ...(o.severity === undefined ? {} : { severity: o.severity }),
                  ...(Object.keys(params).length ? { params } : {}),
                },
                'merge',
              ),
            );
            printObject({ ...override }, !!o.json);
          },
        ),
      'vigie alerts rules set --tenant demo waste.fill_above_threshold --param raise=85 --param clear=75',
      'vigie alerts rules set --tenant demo lighting.lamp_failure --site old-town --disable',
    ),
  );
  rules.addCommand(
    withExample(
      new Command('unset')
        .description('Remove the override of a rule for the tenant, a site (--site) or a device (--device)')
        .argument('<rule>', 'rule id')
        .addOption(tenantOption())
        .option('--site <site>', 'the override of this site')
        .option('--device <device>', 'the override of this device')
        .option('--json', 'print JSON')
        .action(
          async (rule: string, o: { tenant: string; site?: string; device?: string; json?: boolean }) => {
            const scope = {
              ...(o.site === undefined ? {} : { site: o.site }),
              ...(o.device === undefined ? {} : { device: o.device }),
            };
            await withAlerts((admin) => admin.removeOverride(o.tenant, rule, scope));
            printObject({ removed: rule, ...scope }, !!o.json);
          },
        ),
      'vigie alerts rules unset --tenant demo lighting.lamp_failure --site old-town',
    ),
  );
  return rules;
}

/**
 * `vigie alerts …`: list and read alerts, acknowledge/assign/resolve them, silences and maintenance windows, rule
 * overrides. Other alert commands (the notification routes) attach their subcommands to the returned group.
 */
export function alertsCommand(): Command {
  const cmd = withExample(
    new Command('alerts').description(
      'Alerts: list, acknowledge, assign and resolve them; silences and maintenance windows; rule settings',
    ),
    'vigie alerts list --tenant demo --state open',
    'vigie alerts ack --tenant demo 9f2c4e1a7b3d5f60 --by "j.martin"',
  );
  cmd.addCommand(listCommand());
  cmd.addCommand(showCommand());
  cmd.addCommand(
    actionCommand(
      'ack',
      'Acknowledge a firing alert (someone is on it: no more reminders)',
      'vigie alerts ack --tenant demo 9f2c4e1a7b3d5f60 --by "j.martin"',
      (o) => ({ type: 'acknowledge', by: o.by ?? '' }),
    ),
  );
  cmd.addCommand(
    actionCommand(
      'assign',
      'Assign an open alert to someone',
      'vigie alerts assign --tenant demo 9f2c4e1a7b3d5f60 --to "technician-2"',
      (o) => ({ type: 'assign', to: o.to ?? '', ...(o.by === undefined ? {} : { by: o.by }) }),
      true,
    ),
  );
  cmd.addCommand(
    actionCommand(
      'resolve',
      'Resolve an open alert by hand',
      'vigie alerts resolve --tenant demo 9f2c4e1a7b3d5f60 --by "j.martin"',
      (o) => ({ type: 'resolve', by: o.by ?? '' }),
    ),
  );
  cmd.addCommand(silenceCommand());
  cmd.addCommand(silencesCommand());
  cmd.addCommand(unsilenceCommand());
  cmd.addCommand(rulesCommand());
  return cmd;
}
