import { DeviceKind } from '@vigie/domain';
import { ReadingsScope } from '../influx-readings.reader';
import { KpiContext, KpiDevice, KpiSkip, KpiSkipReason } from '../kpi-engine.types';

/** The readings scope of one device kind for the context's tenant. */
export function scopeOf(ctx: Pick<KpiContext, 'tenant' | 'timeZone'>, kind: DeviceKind): ReadingsScope {
  return { tenant: ctx.tenant, measurement: kind.measurement, timeZone: ctx.timeZone };
}

/** Devices grouped by site (devices without a site are returned apart). */
export function bySite(devices: readonly KpiDevice[]): {
  sites: Map<string, KpiDevice[]>;
  unsited: KpiDevice[];
} {
  const sites = new Map<string, KpiDevice[]>();
  const unsited: KpiDevice[] = [];
  for (const d of devices) {
    if (d.site === undefined) {
      unsited.push(d);
      continue;
    }
    const list = sites.get(d.site) ?? [];
    list.push(d);
    sites.set(d.site, list);
  }
  return { sites, unsited };
}

/** One site and its devices. */
export type SiteDevices = readonly [site: string, devices: KpiDevice[]];

/** Groups in site-id order. */
function sortedSites(sites: ReadonlyMap<string, KpiDevice[]>): SiteDevices[] {
  return [...sites].sort((a, b) => a[0].localeCompare(b[0]));
}

/**
 * Devices grouped by site, in site-id order, for a KPI computed per site: each device without a site is skipped
 * (missing inputs) with `<device> <id> has no site: <why>`, e.g. `energy meter m1 has no site: B1 is per building`.
 */
export function perSiteOrSkip(
  devices: readonly KpiDevice[],
  device: string,
  why: string,
): { sites: SiteDevices[]; skipped: KpiSkip[] } {
  const { sites, unsited } = bySite(devices);
  const skipped: KpiSkip[] = unsited.map((d) => ({
    subject: d.id,
    reason: KpiSkipReason.MissingInputs,
    detail: `${device} ${d.id} has no site: ${why}`,
  }));
  return { sites: sortedSites(sites), skipped };
}

/** Devices grouped by site, in site-id order, the devices without a site grouped under the tenant's id. */
export function perSiteOrTenant(devices: readonly KpiDevice[], tenant: string): SiteDevices[] {
  const { sites, unsited } = bySite(devices);
  if (unsited.length) sites.set(tenant, unsited);
  return sortedSites(sites);
}

/** Devices grouped by site, in site-id order; devices without a site are left out. */
export function perSite(devices: readonly KpiDevice[]): SiteDevices[] {
  return sortedSites(bySite(devices).sites);
}

/** A site attribute as a non-negative number: undefined when absent or empty, an error text when not a number. */
export function numberAttribute(
  attributes: Readonly<Record<string, string>> | undefined,
  key: string,
): { value?: number; problem?: string } {
  const raw = attributes?.[key];
  if (raw === undefined || raw.trim() === '') return {};
  const value = Number(raw);
  if (!Number.isFinite(value) || value < 0)
    return { problem: `attribute ${key}='${raw}' is not a number ≥ 0` };
  return { value };
}
