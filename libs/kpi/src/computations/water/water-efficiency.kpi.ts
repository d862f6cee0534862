import { KPI_IDS } from '@vigie/contracts';
import { WATER_METER } from '@vigie/devices';
import {
  DAY_MS,
  KpiError,
  localDayNumber,
  networkEfficiency,
  SITE_ROLE_ATTRIBUTE,
  SITE_SECTOR_ATTRIBUTE,
} from '@vigie/domain';
import { IndexWindowDelta, PerDeviceWindows } from '../../influx-readings.reader';
import {
  KpiComputation,
  KpiDevice,
  KpiPoint,
  KpiSite,
  KpiSkip,
  KpiSkipReason,
  spanOf,
} from '../../kpi-engine.types';
import { completenessShare, dayWindows, expectedSamples, KpiWindowSpan } from '../../kpi-windows.utils';
import { numberAttribute, scopeOf } from '../kpi-scope.utils';

/** Meter roles that enter P104.3 (the district inflow, V4, does not). */
const ROLES = ['production', 'import', 'export', 'customer'] as const;
type Role = (typeof ROLES)[number];

/** Sector attributes holding the yearly authorised unmetered (V8) and service (V9) volumes, m³/yr. */
export const UNMETERED_ATTRIBUTES = ['unmetered_m3_yr', 'service_m3_yr'] as const;

/** A water sector and its meters by role. */
export interface WaterSector {
  readonly id: string;
  readonly meters: Readonly<Record<Role, readonly KpiDevice[]>>;
  /** V8 + V9 per year, m³. */
  readonly unmeteredM3Yr: number;
}

/**
 * The tenant's water sectors: every `sector` attribute of a site with a water-meter role, plus the sites of type
 * `water-sector`; meters are the water-meter devices on those role sites.
 */
export function waterSectors(
  sites: ReadonlyMap<string, KpiSite>,
  meters: readonly KpiDevice[],
): { sectors: WaterSector[]; skipped: KpiSkip[] } {
  const ids = new Set<string>();
  for (const s of sites.values()) {
    if (s.attributes['type'] === 'water-sector') ids.add(s.id);
    const sector = s.attributes[SITE_SECTOR_ATTRIBUTE];
    if (sector) ids.add(sector);
  }
  const sectors: WaterSector[] = [];
  const skipped: KpiSkip[] = [];
  for (const id of [...ids].sort()) {
    const byRole: Record<Role, KpiDevice[]> = { production: [], import: [], export: [], customer: [] };
    for (const m of meters) {
      const attrs = m.site === undefined ? undefined : sites.get(m.site)?.attributes;
      const role = attrs?.[SITE_ROLE_ATTRIBUTE];
      if (attrs?.[SITE_SECTOR_ATTRIBUTE] !== id || !(ROLES as readonly string[]).includes(role ?? ''))
        continue;
      byRole[role as Role].push(m);
    }
    const missing: string[] = [];
    if (byRole.production.length + byRole.import.length === 0)
      missing.push('a production or import meter (V1 + V2)');
    if (byRole.customer.length === 0) missing.push('customer meters (V7)');
    let unmetered = 0;
    const problems: string[] = [];
    for (const key of UNMETERED_ATTRIBUTES) {
      const a = numberAttribute(sites.get(id)?.attributes, key);
      if (a.problem) problems.push(a.problem);
      unmetered += a.value ?? 0;
    }
    if (missing.length || problems.length) {
      skipped.push({
        subject: id,
        reason: KpiSkipReason.MissingInputs,
        detail: [
          ...(missing.length ? [`water sector ${id} has no ${missing.join(' and no ')}`] : []),
          ...problems,
        ].join('; '),
      });
      continue;
    }
    sectors.push({ id, meters: byRole, unmeteredM3Yr: unmetered });
  }
  return { sectors, skipped };
}

/**
 * W1 per sector and local month (an estimate: the official P104.3 is yearly): V1, V2, V3, V7 = Σ of the role
 * meters' daily index consumption over the month's days; V6 = V7 + unmetered × month length / 365 days.
 * Completeness: the meters' mean share of expected intervals in the month.
 */
export function waterEfficiencyPoints(
  sectors: readonly WaterSector[],
  deltas: PerDeviceWindows<IndexWindowDelta>,
  days: readonly KpiWindowSpan[],
  months: readonly KpiWindowSpan[],
): { points: KpiPoint[]; skipped: KpiSkip[] } {
  const points: KpiPoint[] = [];
  const skipped: KpiSkip[] = [];
  for (const sector of sectors) {
    const noData: string[] = [];
    for (const month of months) {
      const volume = (devices: readonly KpiDevice[]) => {
        let v = 0;
        let share = 0;
        let present = false;
        for (const m of devices) {
          let intervals = 0;
          for (const [i, d] of deltas.get(m.id) ?? []) {
            if (days[i].start < month.start || days[i].start >= month.end) continue;
            v += d.delta;
            intervals += d.intervals;
            present = true;
          }
          share += completenessShare(intervals, expectedSamples(month.end - month.start, m.intervalS));
        }
        return { v, share, present };
      };
      const r = Object.fromEntries(ROLES.map((role) => [role, volume(sector.meters[role])])) as Record<
        Role,
        { v: number; share: number; present: boolean }
      >;
      if (!ROLES.some((role) => r[role].present)) {
        noData.push(month.key);
        continue;
      }
      const v6 = r.customer.v + (sector.unmeteredM3Yr * (month.end - month.start)) / DAY_MS / 365;
      let value: number;
      try {
        value = networkEfficiency({ v1: r.production.v, v2: r.import.v, v3: r.export.v, v6 });
      } catch (err) {
        if (!(err instanceof KpiError)) throw err;
        skipped.push({
          subject: sector.id,
          reason: KpiSkipReason.NotComputable,
          detail: `${month.key}: ${err.message}`,
        });
        continue;
      }
      const meterCount = ROLES.reduce((n, role) => n + sector.meters[role].length, 0);
      const share = ROLES.reduce((n, role) => n + r[role].share, 0);
      points.push({
        kpi: KPI_IDS.W1_EFFICIENCY_PCT,
        subject: sector.id,
        window: 'month',
        ts: month.start,
        value,
        completeness: share / meterCount,
      });
    }
    if (noData.length) {
      skipped.push({
        subject: sector.id,
        reason: KpiSkipReason.NoReadings,
        detail: `no volume_m3 reading from the sector's meters in ${noData.join(', ')}`,
      });
    }
  }
  return { points, skipped };
}

export const WATER_EFFICIENCY_KPI: KpiComputation = {
  family: 'W1',
  outputs: [KPI_IDS.W1_EFFICIENCY_PCT],
  input: WATER_METER,
  async compute(ctx, meters) {
    const { sectors, skipped } = waterSectors(ctx.sites, meters);
    if (sectors.length === 0) {
      return {
        points: [],
        skipped: skipped.length
          ? skipped
          : [
              {
                reason: KpiSkipReason.MissingInputs,
                detail: 'no site has a water role and a sector attribute',
              },
            ],
      };
    }
    const span = spanOf(ctx.months);
    // The months' days, whole: a recompute of one day recomputes its month.
    const firstDay = localDayNumber(span.start, ctx.timeZone);
    const lastDay = localDayNumber(span.end - 1, ctx.timeZone);
    const days = dayWindows({ from: '', to: '', firstDay, lastDay }, ctx.timeZone);
    const deltas = await ctx.readings.dailyIndexDeltas(scopeOf(ctx, WATER_METER), 'volume_m3', days);
    const result = waterEfficiencyPoints(sectors, deltas, days, ctx.months);
    return { points: result.points, skipped: [...skipped, ...result.skipped], replaces: span };
  },
};
