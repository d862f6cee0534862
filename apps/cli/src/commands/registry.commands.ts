import { NewDevice, RegistryError, RegistryRepository } from '@vigie/adapters';
import { LORAWAN_NETWORKS, lorawanTopics, topics } from '@vigie/contracts';
import { DEVICE_KINDS, SITE_ROLES, siteRoleProblem } from '@vigie/devices';
import {
  CLOSED_DAYS_ATTRIBUTE,
  DEFAULT_TIME_ZONE,
  parseClosedDays,
  SITE_ROLE_ATTRIBUTE,
  SITE_SECTOR_ATTRIBUTE,
} from '@vigie/domain';
import { Command } from 'commander';
import { readFileSync } from 'node:fs';
import { withRegistry } from '../context';
import { CliError, printObject, printRows } from '../output';

const collect = (value: string, previous: string[]) => [...previous, value];

function attributes(pairs: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new CliError(`--attr expects key=value, got '${pair}'`, 2);
    out[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  return out;
}

/**
 * Checks attributes a site is given (by `sites add` or `sites set`): a known water-meter role, closed days that
 * parse, and a water sector that is a site of the tenant (other than the site itself).
 */
async function checkSiteAttributes(
  registry: RegistryRepository,
  tenant: string,
  site: string,
  attrs: Record<string, string>,
): Promise<void> {
  const role = attrs[SITE_ROLE_ATTRIBUTE];
  const roleIssue = role === undefined ? undefined : siteRoleProblem(role);
  if (roleIssue) throw new CliError(roleIssue, 2);
  const closedIssue = parseClosedDays(attrs[CLOSED_DAYS_ATTRIBUTE]).problem;
  if (closedIssue) throw new CliError(`--attr ${closedIssue}`, 2);
  const sector = attrs[SITE_SECTOR_ATTRIBUTE];
  if (sector === undefined) return;
  if (sector === site) {
    throw new CliError(`--attr ${SITE_SECTOR_ATTRIBUTE}=${sector}: a site cannot be its own water sector`, 2);
  }
  if (!(await registry.listSites(tenant)).some((s) => s.id === sector)) {
    throw new CliError(
      `--attr ${SITE_SECTOR_ATTRIBUTE}=${sector}: no site '${sector}' in tenant '${tenant}'; add the water sector's site first`,
      2,
    );
  }
}

async function registryCall<T>(fn: Parameters<typeof withRegistry<T>>[0]): Promise<T> {
  try {
    return await withRegistry(fn);
  } catch (err) {
    if (err instanceof RegistryError) throw new CliError(err.message);
    throw err;
  }
}

export function tenantsCommand(): Command {
  const cmd = new Command('tenants').description('Tenants: the communes sharing this Vigie');
  cmd
    .command('add <id>')
    .description('Add a tenant')
    .option('--name <name>', 'display name')
    .option(
      '--time-zone <IANA>',
      "time zone of the tenant's local days, months and years (KPI windows), e.g. America/Guadeloupe",
      DEFAULT_TIME_ZONE,
    )
    .option('--json', 'print JSON')
    .action(async (id: string, o: { name?: string; timeZone: string; json?: boolean }) => {
      const tenant = await registryCall(({ registry }) => registry.addTenant(id, o.name, o.timeZone));
      printObject({ ...tenant }, !!o.json);
    });
  cmd
    .command('list')
    .description('List tenants')
    .option('--json', 'print JSON')
    .action(async (o: { json?: boolean }) => {
      const tenants = await registryCall(({ registry }) => registry.listTenants());
      printRows(
        tenants.map((t) => ({ ...t })),
        !!o.json,
        ['id', 'name', 'timeZone', 'createdAt'],
      );
    });
  return cmd;
}

export function sitesCommand(): Command {
  const cmd = new Command('sites').description("Sites: a tenant's buildings, water sectors, zones, streets");
  cmd
    .command('add <id>')
    .description('Add a site to a tenant')
    .requiredOption('--tenant <tenant>', 'tenant id')
    .option('--name <name>', 'display name')
    .option(
      '--attr <key=value>',
      `an attribute (repeatable), e.g. --attr surface_m2=1200 --attr use=school; ` +
        `${SITE_ROLE_ATTRIBUTE}=<${SITE_ROLES.join('|')}> says what a water meter's site measures, ` +
        `${SITE_SECTOR_ATTRIBUTE}=<site id> names its water sector (a site added before), ` +
        `${CLOSED_DAYS_ATTRIBUTE}=2026-01-01,2026-02-21..2026-03-08 the days a building stays closed (holidays)`,
      collect,
      [],
    )
    .option('--json', 'print JSON')
    .action(async (id: string, o: { tenant: string; name?: string; attr: string[]; json?: boolean }) => {
      const attrs = attributes(o.attr);
      const site = await registryCall(async ({ registry }) => {
        await checkSiteAttributes(registry, o.tenant, id, attrs);
        return registry.addSite(o.tenant, id, o.name, attrs);
      });
      printObject({ ...site }, !!o.json);
    });
  cmd
    .command('set <id>')
    .description(
      "Change a site's attributes: --attr adds or replaces a key, --unset removes one; the other keys are kept",
    )
    .requiredOption('--tenant <tenant>', 'tenant id')
    .option(
      '--attr <key=value>',
      `an attribute to add or replace (repeatable), checked as in 'sites add' ` +
        `(${SITE_ROLE_ATTRIBUTE}=<${SITE_ROLES.join('|')}>, ${SITE_SECTOR_ATTRIBUTE}=<an existing site id>)`,
      collect,
      [],
    )
    .option('--unset <key>', 'an attribute to remove (repeatable)', collect, [])
    .option('--json', 'print JSON')
    .addHelpText(
      'after',
      '\nExample: vigie sites set --tenant demo school-1 --attr surface_m2=1250 --unset use',
    )
    .action(async (id: string, o: { tenant: string; attr: string[]; unset: string[]; json?: boolean }) => {
      const attrs = attributes(o.attr);
      if (Object.keys(attrs).length === 0 && o.unset.length === 0) {
        throw new CliError('nothing to change: give --attr key=value or --unset key', 2);
      }
      const site = await registryCall(async ({ registry }) => {
        await checkSiteAttributes(registry, o.tenant, id, attrs);
        return registry.updateSite(o.tenant, id, { set: attrs, unset: o.unset });
      });
      printObject({ ...site }, !!o.json);
    });
  cmd
    .command('list')
    .description("List a tenant's sites")
    .requiredOption('--tenant <tenant>', 'tenant id')
    .option('--json', 'print JSON')
    .action(async (o: { tenant: string; json?: boolean }) => {
      const sites = await registryCall(({ registry }) => registry.listSites(o.tenant));
      printRows(
        sites.map((s) => ({ ...s })),
        !!o.json,
        ['id', 'name', 'attributes', 'createdAt'],
      );
    });
  return cmd;
}

const CSV_HEADER = ['tenant', 'id', 'kind', 'site', 'interval_s', 'dev_eui'];

/** Parses the import CSV: a header line naming at least tenant,id,kind; optional site and interval_s. */
export function parseDevicesCsv(text: string): {
  rows: { line: number; device: NewDevice }[];
  errors: string[];
} {
  const lines = text.split(/\r?\n/);
  const errors: string[] = [];
  const rows: { line: number; device: NewDevice }[] = [];
  const header = (lines[0] ?? '').split(',').map((h) => h.trim().toLowerCase());
  for (const required of ['tenant', 'id', 'kind']) {
    if (!header.includes(required))
      errors.push(`line 1: the header must name the columns ${CSV_HEADER.join(',')} (missing '${required}')`);
  }
  const unknown = header.filter((h) => h && !CSV_HEADER.includes(h));
  if (unknown.length)
    errors.push(`line 1: unknown column(s) ${unknown.join(', ')}; allowed: ${CSV_HEADER.join(', ')}`);
  if (errors.length) return { rows, errors };
  for (let i = 1; i < lines.length; i++) {
    const raw = lines[i].trim();
    if (!raw || raw.startsWith('#')) continue;
    const cells = raw.split(',').map((c) => c.trim());
    if (cells.length !== header.length) {
      errors.push(`line ${i + 1}: expected ${header.length} fields, found ${cells.length}`);
      continue;
    }
    const get = (name: string) => {
      const idx = header.indexOf(name);
      return idx >= 0 && cells[idx] !== '' ? cells[idx] : undefined;
    };
    const interval = get('interval_s');
    if (interval !== undefined && !/^\d+$/.test(interval)) {
      errors.push(`line ${i + 1}: interval_s must be a whole number of seconds, got '${interval}'`);
      continue;
    }
    rows.push({
      line: i + 1,
      device: {
        tenant: get('tenant') ?? '',
        id: get('id') ?? '',
        kind: get('kind') ?? '',
        site: get('site'),
        intervalS: interval === undefined ? undefined : Number(interval),
        devEui: get('dev_eui'),
      },
    });
  }
  if (rows.length === 0 && errors.length === 0) errors.push('the file has no device lines');
  return { rows, errors };
}

export function devicesCommand(): Command {
  const cmd = new Command('devices').description('Devices and their MQTT credentials');
  cmd
    .command('add')
    .description('Add a device; prints its MQTT credentials once (they cannot be shown again)')
    .requiredOption('--tenant <tenant>', 'tenant id')
    .requiredOption('--id <id>', 'device id')
    .requiredOption('--kind <kind>', `device kind: ${DEVICE_KINDS.map((k) => k.id).join(', ')}`)
    .option('--site <site>', 'site the device belongs to')
    .option('--interval <seconds>', "expected reporting interval (default: the kind's)", (v) => Number(v))
    .option(
      '--dev-eui <eui>',
      `LoRaWAN DevEUI (16 hex digits, unique in the tenant): its uplinks through the tenant's network-server account are its readings; kinds: ${DEVICE_KINDS.filter(
        (k) => k.lorawan,
      )
        .map((k) => k.id)
        .join(', ')}`,
    )
    .option('--json', 'print JSON: {username, password, topic, ...}')
    .action(
      async (o: {
        tenant: string;
        id: string;
        kind: string;
        site?: string;
        interval?: number;
        devEui?: string;
        json?: boolean;
      }) => {
        const { device, credentials } = await registryCall(({ registry }) =>
          registry.addDevice({
            tenant: o.tenant,
            id: o.id,
            kind: o.kind,
            site: o.site,
            intervalS: o.interval,
            devEui: o.devEui,
          }),
        );
        printObject(
          {
            tenant: device.tenant,
            id: device.id,
            kind: device.kind,
            site: device.site ?? '',
            intervalS: device.intervalS,
            ...(device.devEui ? { devEui: device.devEui } : {}),
            username: credentials.username,
            password: credentials.password,
            topic: topics.readings(device.tenant, device.id),
          },
          !!o.json,
        );
        if (!o.json) process.stderr.write('Keep the password now: Vigie stores only its hash.\n');
      },
    );
  cmd
    .command('import <file>')
    .description(
      'Add devices from a CSV file (header: tenant,id,kind[,site][,interval_s][,dev_eui]); all lines or none',
    )
    .option('--json', 'print JSON')
    .action(async (file: string, o: { json?: boolean }) => {
      let text: string;
      try {
        text = readFileSync(file, 'utf8');
      } catch (err) {
        throw new CliError(`cannot read ${file}: ${(err as Error).message}`);
      }
      const { rows, errors } = parseDevicesCsv(text);
      const results = await registryCall(async ({ registry }) => {
        const seen = new Map<string, number>();
        for (const { line, device } of rows) {
          const problems = await registry.deviceProblems(device);
          const key = `${device.tenant}:${device.id}`;
          if (seen.has(key)) problems.push(`device '${device.id}' already appears on line ${seen.get(key)}`);
          seen.set(key, line);
          for (const p of problems) errors.push(`line ${line}: ${p}`);
        }
        if (errors.length) return undefined;
        return registry.addDevices(rows.map((r) => r.device));
      });
      if (!results) {
        throw new CliError(
          `nothing imported: ${errors.length} problem(s) in ${file}\n${errors.map((e) => `  ${e}`).join('\n')}`,
        );
      }
      printRows(
        results.map(({ device, credentials }) => ({
          tenant: device.tenant,
          id: device.id,
          kind: device.kind,
          username: credentials.username,
          password: credentials.password,
          topic: topics.readings(device.tenant, device.id),
        })),
        !!o.json,
      );
      if (!o.json)
        process.stderr.write(
          `Imported ${results.length} device(s). Keep the passwords now: Vigie stores only their hashes.\n`,
        );
    });
  cmd
    .command('list')
    .description('List devices with their last report')
    .option('--tenant <tenant>', 'only this tenant')
    .option('--json', 'print JSON')
    .action(async (o: { tenant?: string; json?: boolean }) => {
      const devices = await registryCall(({ registry }) => registry.listDevices(o.tenant));
      printRows(
        devices.map((d) => ({ ...d, lastSeen: d.lastSeen ? new Date(d.lastSeen).toISOString() : undefined })),
        !!o.json,
        ['tenant', 'id', 'kind', 'site', 'intervalS', 'devEui', 'lastSeen'],
      );
    });
  cmd
    .command('rotate')
    .description('Issue a new password for a device (the old one stops working)')
    .requiredOption('--tenant <tenant>', 'tenant id')
    .requiredOption('--id <id>', 'device id')
    .option('--json', 'print JSON')
    .action(async (o: { tenant: string; id: string; json?: boolean }) => {
      const credentials = await registryCall(({ registry }) => registry.rotateDeviceSecret(o.tenant, o.id));
      printObject({ ...credentials, topic: topics.readings(o.tenant, o.id) }, !!o.json);
    });
  return cmd;
}

export function kindsCommand(): Command {
  const cmd = new Command('kinds').description('The device-kind catalogue');
  cmd
    .command('list')
    .description('List device kinds and their metrics')
    .option('--json', 'print JSON (the full catalogue)')
    .action((o: { json?: boolean }) => {
      if (o.json) {
        process.stdout.write(JSON.stringify(DEVICE_KINDS, null, 2) + '\n');
        return;
      }
      printRows(
        DEVICE_KINDS.flatMap((k) =>
          Object.entries(k.metrics).map(([metric, m]) => ({
            kind: k.id,
            interval: `${k.reportingIntervalS}s`,
            metric,
            unit: m.unit,
            type: m.type + (m.cumulative ? ' (index)' : ''),
            range: m.type === 'number' ? `${m.min ?? ''}..${m.max ?? ''}` : '',
          })),
        ),
        false,
      );
    });
  return cmd;
}

export function accountsCommand(): Command {
  const cmd = new Command('accounts').description(
    'Integration accounts (bridges, network servers, dashboards) and operators',
  );
  cmd
    .command('add')
    .description(
      'Add an account limited to topic patterns; without --tenant it is an operator account. With --lorawan it is ' +
        "a network server's MQTT integration: it may publish that server's uplink topics " +
        `(${LORAWAN_NETWORKS.map((n) => lorawanTopics.filter(n)).join(' or ')}), whose uplinks become readings of the tenant's devices found by DevEUI`,
    )
    .option('--tenant <tenant>', "tenant id (patterns must lie in 'vigie/<tenant>/…')")
    .requiredOption('--id <id>', 'account id')
    .option(
      '--acl <pattern>',
      "topic pattern the account may publish and subscribe to (repeatable), e.g. 'vigie/town/#'",
      collect,
      [],
    )
    .option(
      '--lorawan <network>',
      `LoRaWAN network server: ${LORAWAN_NETWORKS.join(' or ')} (needs --tenant)`,
    )
    .option('--json', 'print JSON')
    .action(async (o: { tenant?: string; id: string; acl: string[]; lorawan?: string; json?: boolean }) => {
      const { account, credentials } = await registryCall(({ registry }) =>
        registry.addAccount({ tenant: o.tenant, id: o.id, acl: o.acl, lorawan: o.lorawan }),
      );
      printObject(
        {
          username: credentials.username,
          password: credentials.password,
          tenant: account.tenant ?? '(operator)',
          acl: account.acl,
          ...(account.lorawan
            ? { lorawan: account.lorawan, topics: lorawanTopics.filter(account.lorawan) }
            : {}),
        },
        !!o.json,
      );
      if (!o.json) process.stderr.write('Keep the password now: Vigie stores only its hash.\n');
    });
  cmd
    .command('list')
    .description('List accounts')
    .option('--tenant <tenant>', 'only this tenant')
    .option('--json', 'print JSON')
    .action(async (o: { tenant?: string; json?: boolean }) => {
      const accounts = await registryCall(({ registry }) => registry.listAccounts(o.tenant));
      printRows(
        accounts.map((a) => ({ ...a, tenant: a.tenant ?? '(operator)' })),
        !!o.json,
        ['username', 'tenant', 'lorawan', 'acl', 'createdAt'],
      );
    });
  return cmd;
}

export function deadLettersCommand(): Command {
  const cmd = new Command('deadletters').description('Refused payloads kept for inspection');
  cmd
    .command('list')
    .description('Show the newest refused payloads with their reasons')
    .option('--tenant <tenant>', 'only this tenant')
    .option('--limit <n>', 'how many', (v) => Number(v), 50)
    .option('--json', 'print JSON')
    .action(async (o: { tenant?: string; limit: number; json?: boolean }) => {
      if (!Number.isInteger(o.limit) || o.limit < 1)
        throw new CliError('--limit must be a whole number ≥ 1', 2);
      const entries = await registryCall(({ deadLetters }) =>
        deadLetters.list({ tenant: o.tenant, limit: o.limit }),
      );
      printRows(
        entries.map((e) => ({ ...e, at: new Date(e.at).toISOString(), reasons: e.reasons.join(',') })),
        !!o.json,
        ['at', 'tenant', 'device', 'reasons', 'detail', 'payload'],
      );
    });
  return cmd;
}
