import { IssuedCredentials, NewDevice, RegistryRepository } from '@vigie/adapters';
import type { SimulatedTown } from '@vigie/devices';

export type LorawanNetwork = 'chirpstack' | 'tts';

export interface ProvisionedTown {
  /** Fresh MQTT credentials of each device that connects itself (the LoRaWAN ones reach Vigie through an account). */
  readonly devices: ReadonlyMap<string, IssuedCredentials>;
  /** Fresh credentials of the integration account of each network server the town uses. */
  readonly networks: ReadonlyMap<LorawanNetwork, IssuedCredentials>;
  readonly created: { readonly tenant: boolean; readonly sites: number; readonly devices: number };
}

/** The integration account through which the simulator's network server publishes uplinks. */
export const simulatorAccountId = (network: LorawanNetwork): string => `sim-${network}`;

const isLorawan = (transport: string): transport is LorawanNetwork =>
  transport === 'chirpstack' || transport === 'tts';

/**
 * Registers the simulated town: its tenant, sites, devices and network-server accounts. Idempotent: what
 * exists is kept (a device of another kind under the same id is an error), and credentials are issued anew,
 * since Vigie keeps only their hashes.
 */
export async function provisionTown(
  registry: RegistryRepository,
  town: SimulatedTown,
): Promise<ProvisionedTown> {
  const tenant = town.tenant.id;
  const tenantCreated = !(await registry.getTenant(tenant));
  // Check before writing anything: a refused town leaves the registry as it was.
  const existing = new Map(
    tenantCreated ? [] : (await registry.listDevices(tenant)).map((d) => [d.id, d] as const),
  );
  const mismatched = town.devices
    .filter((d) => existing.has(d.id) && existing.get(d.id)?.kind !== d.kind)
    .map((d) => `${d.id} (registered as ${existing.get(d.id)?.kind}, the scenario says ${d.kind})`);
  if (mismatched.length > 0) {
    throw new Error(
      `tenant '${tenant}' already has devices of another kind under the scenario's ids: ${mismatched.slice(0, 5).join(', ')}${mismatched.length > 5 ? ` and ${mismatched.length - 5} more` : ''}; use another --tenant`,
    );
  }
  if (tenantCreated) await registry.addTenant(tenant, town.tenant.name);

  const existingSites = new Set((await registry.listSites(tenant)).map((s) => s.id));
  let sites = 0;
  for (const site of town.sites) {
    if (existingSites.has(site.id)) continue;
    await registry.addSite(tenant, site.id, site.name, { ...site.attributes });
    sites++;
  }

  const missing: NewDevice[] = town.devices
    .filter((d) => !existing.has(d.id))
    .map((d) => ({
      tenant,
      id: d.id,
      kind: d.kind,
      site: d.site,
      intervalS: d.intervalS,
      devEui: d.devEui,
      // The scenario's deterministic position (around the town's location), for the dashboards' maps.
      location: d.location,
    }));
  const devices = new Map<string, IssuedCredentials>();
  const direct = new Set(town.devices.filter((d) => !isLorawan(d.transport)).map((d) => d.id));
  for (const { device, credentials } of await registry.addDevices(missing)) {
    if (direct.has(device.id)) devices.set(device.id, credentials);
  }
  for (const id of direct) {
    if (!devices.has(id)) devices.set(id, await registry.rotateDeviceSecret(tenant, id));
  }

  const networks = new Map<LorawanNetwork, IssuedCredentials>();
  const used = new Set(town.devices.map((d) => d.transport).filter(isLorawan));
  const accounts = new Set((await registry.listAccounts(tenant)).map((a) => a.id));
  for (const network of used) {
    const id = simulatorAccountId(network);
    networks.set(
      network,
      accounts.has(id)
        ? await registry.rotateAccountSecret(tenant, id)
        : (await registry.addAccount({ tenant, id, acl: [], lorawan: network })).credentials,
    );
  }
  return { devices, networks, created: { tenant: tenantCreated, sites, devices: missing.length } };
}
