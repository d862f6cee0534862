import { RegistryError } from '@vigie/adapters';
import { AdminError, AdminErrorCode } from '@vigie/admin';
import { LORAWAN_NETWORKS, lorawanTopics, topics } from '@vigie/contracts';
import { DEVICE_KINDS, SITE_ROLES } from '@vigie/devices';
import {
  CLOSED_DAYS_ATTRIBUTE,
  DEFAULT_TIME_ZONE,
  formatLocation,
  GeoLocation,
  parseLocation,
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

async function registryCall<T>(fn: Parameters<typeof withRegistry<T>>[0]): Promise<T> {
  try {
    return await withRegistry(fn);
  } catch (err) {
    if (err instanceof RegistryError) throw new CliError(err.message);
    if (err instanceof AdminError) {
      // A refused argument (a site attribute): usage error, exit 2.
      throw new CliError(
        err.field?.startsWith('attributes.')
          ? `--attr ${err.message.replace(/^attribute /, '')}`
          : err.message,
        2,
      );
    }
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
      const tenant = await registryCall(({ service, actor }) =>
        service.addTenant(actor, { id, name: o.name, timeZone: o.timeZone }),
      );
      printObject({ ...tenant }, !!o.json);
    });
  cmd
    .command('list')
    .description('List tenants')
    .option('--json', 'print JSON')
    .action(async (o: { json?: boolean }) => {
      const tenants = await registryCall(({ service }) => service.listTenants());
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
      const site = await registryCall(({ service, actor }) =>
        service.addSite(actor, o.tenant, { id, name: o.name, attributes: attrs }),
      );
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
      const site = await registryCall(({ service, actor }) =>
        service.updateSite(actor, o.tenant, id, { set: attrs, unset: o.unset }),
      );
      printObject({ ...site }, !!o.json);
    });
  cmd
    .command('list')
    .description("List a tenant's sites")
    .requiredOption('--tenant <tenant>', 'tenant id')
    .option('--json', 'print JSON')
    .action(async (o: { tenant: string; json?: boolean }) => {
      const sites = await registryCall(({ service }) => service.listSites(o.tenant));
      printRows(
        sites.map((s) => ({ ...s })),
        !!o.json,
        ['id', 'name', 'attributes', 'createdAt'],
      );
    });
  return cmd;
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
    .option(
      '--location <lat,lon>',
      'where the device is, WGS84 decimal degrees, e.g. 45.92,6.87 (the dashboard maps)',
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
        location?: string;
        json?: boolean;
      }) => {
        const location = o.location === undefined ? undefined : locationOption(o.location);
        const { device, credentials } = await registryCall(({ service, actor }) =>
          service.addDevice(actor, {
            tenant: o.tenant,
            id: o.id,
            kind: o.kind,
            site: o.site,
            intervalS: o.interval,
            devEui: o.devEui,
            ...(location ? { location } : {}),
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
            ...(device.location ? { location: formatLocation(device.location) } : {}),
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
      'Add devices from a CSV file (header: tenant,id,kind[,site][,interval_s][,dev_eui][,lat,lon]); all lines or none',
    )
    .option('--json', 'print JSON')
    .action(async (file: string, o: { json?: boolean }) => {
      let text: string;
      try {
        text = readFileSync(file, 'utf8');
      } catch (err) {
        throw new CliError(`cannot read ${file}: ${(err as Error).message}`);
      }
      const results = await registryCall(async ({ service, actor }) => {
        try {
          return await service.importDevices(actor, text);
        } catch (err) {
          if (err instanceof AdminError && err.code === AdminErrorCode.ImportRefused) {
            throw new CliError(`${err.message} in ${file}\n${err.problems.map((e) => `  ${e}`).join('\n')}`);
          }
          throw err;
        }
      });
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
      const devices = await registryCall(({ service }) => service.listDevices(o.tenant));
      printRows(
        devices.map((d) => ({
          ...d,
          location: d.location ? formatLocation(d.location) : undefined,
          lastSeen: d.lastSeen ? new Date(d.lastSeen).toISOString() : undefined,
        })),
        !!o.json,
        ['tenant', 'id', 'kind', 'site', 'intervalS', 'devEui', 'location', 'lastSeen'],
      );
    });
  cmd
    .command('rotate')
    .description('Issue a new password for a device (the old one stops working)')
    .requiredOption('--tenant <tenant>', 'tenant id')
    .requiredOption('--id <id>', 'device id')
    .option('--json', 'print JSON')
    .action(async (o: { tenant: string; id: string; json?: boolean }) => {
      const credentials = await registryCall(({ service, actor }) =>
        service.rotateDeviceSecret(actor, o.tenant, o.id),
      );
      printObject({ ...credentials, topic: topics.readings(o.tenant, o.id) }, !!o.json);
    });
  cmd
    .command('set')
    .description('Change a device: its site, expected interval or position (the other fields are kept)')
    .requiredOption('--tenant <tenant>', 'tenant id')
    .requiredOption('--id <id>', 'device id')
    .option('--site <site>', 'move it to this site')
    .option('--no-site', 'detach it from its site')
    .option('--interval <seconds>', 'expected reporting interval', (v) => Number(v))
    .option('--location <lat,lon>', 'its position, e.g. 45.92,6.87')
    .option('--no-location', 'forget its position')
    .option('--json', 'print JSON')
    .addHelpText('after', '\nExample: vigie devices set --tenant demo --id bin-001 --location 45.9201,6.8702')
    .action(
      async (o: {
        tenant: string;
        id: string;
        site?: string | false;
        interval?: number;
        location?: string | false;
        json?: boolean;
      }) => {
        const update = {
          ...(o.site === undefined ? {} : { site: o.site === false ? null : o.site }),
          ...(o.interval === undefined ? {} : { intervalS: o.interval }),
          ...(o.location === undefined
            ? {}
            : { location: o.location === false ? null : locationOption(o.location) }),
        };
        if (Object.keys(update).length === 0) {
          throw new CliError(
            'nothing to change: give --site, --no-site, --interval, --location or --no-location',
            2,
          );
        }
        const device = await registryCall(({ service, actor }) =>
          service.updateDevice(actor, o.tenant, o.id, update),
        );
        printObject(
          {
            ...device,
            site: device.site ?? '',
            location: device.location ? formatLocation(device.location) : '',
          },
          !!o.json,
        );
      },
    );
  cmd
    .command('remove')
    .description('Remove a device and its credentials (its readings stay in InfluxDB)')
    .requiredOption('--tenant <tenant>', 'tenant id')
    .requiredOption('--id <id>', 'device id')
    .option('--json', 'print JSON')
    .action(async (o: { tenant: string; id: string; json?: boolean }) => {
      const device = await registryCall(({ service, actor }) => service.deleteDevice(actor, o.tenant, o.id));
      printObject({ removed: `${device.tenant}:${device.id}`, kind: device.kind }, !!o.json);
    });
  return cmd;
}

/** `--location 45.92,6.87` as a position, or a usage error naming the problem. */
function locationOption(text: string): GeoLocation {
  const parsed = parseLocation(text);
  if ('problem' in parsed) throw new CliError(`--location: ${parsed.problem}`, 2);
  return parsed.location;
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
      const { account, credentials } = await registryCall(({ service, actor }) =>
        service.addAccount(actor, { tenant: o.tenant, id: o.id, acl: o.acl, lorawan: o.lorawan }),
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
      const accounts = await registryCall(({ service }) => service.listAccounts(o.tenant));
      printRows(
        accounts.map((a) => ({ ...a, tenant: a.tenant ?? '(operator)' })),
        !!o.json,
        ['username', 'tenant', 'lorawan', 'acl', 'createdAt'],
      );
    });
  cmd
    .command('remove')
    .description('Remove an account and its credentials (without --tenant: an operator account)')
    .option('--tenant <tenant>', 'tenant id')
    .requiredOption('--id <id>', 'account id')
    .option('--json', 'print JSON')
    .action(async (o: { tenant?: string; id: string; json?: boolean }) => {
      const account = await registryCall(({ service, actor }) =>
        service.deleteAccount(actor, o.tenant, o.id),
      );
      printObject({ removed: account.username }, !!o.json);
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
