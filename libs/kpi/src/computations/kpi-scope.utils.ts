import { DeviceKind } from '@vigie/domain';
import { ReadingsScope } from '../influx-readings.reader';
import { KpiContext, KpiDevice } from '../kpi-engine.types';

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
