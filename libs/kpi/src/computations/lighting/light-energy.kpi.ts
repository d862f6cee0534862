import { KPI_IDS } from '@vigie/contracts';
import { CABINET_METER, LIGHT_CONTROLLER } from '@vigie/devices';
import { unmeteredShare } from '@vigie/domain';
import { IndexWindowDelta, PerDeviceWindows } from '../../influx-readings.reader';
import {
  devicesOfKind,
  KpiComputation,
  KpiDevice,
  KpiPoint,
  KpiSite,
  KpiSkip,
  KpiSkipReason,
  spanOf,
} from '../../kpi-engine.types';
import { completenessShare, expectedSamples, KpiWindowSpan, windowIndexOf } from '../../kpi-windows.utils';
import { perSiteOrSkip, scopeOf } from '../kpi-scope.utils';
import { CABINET_ATTRIBUTE } from './lighting-cost.kpi';
import { lightEnergyDeltas } from './lamp-states.utils';
import { windowsOfMonths } from './light-nominal.utils';

/** A device's energy in one month: kWh and the share of its expected index intervals present. */
interface MonthEnergy {
  readonly kwh: number;
  readonly completeness: number;
}

/** Per month (index in `months`), a device's Σ daily index deltas; undefined for months without an interval. */
function monthlyEnergy(
  device: KpiDevice,
  deltas: PerDeviceWindows<IndexWindowDelta>,
  days: readonly KpiWindowSpan[],
  months: readonly KpiWindowSpan[],
): (MonthEnergy | undefined)[] {
  const kwh = months.map(() => 0);
  const intervals = months.map(() => 0);
  for (const [day, d] of deltas.get(device.id) ?? []) {
    const m = windowIndexOf(months, days[day].start);
    if (m < 0) continue;
    kwh[m] += d.delta;
    intervals[m] += d.intervals;
  }
  return months.map((month, m) =>
    intervals[m] === 0
      ? undefined
      : {
          kwh: kwh[m],
          completeness: completenessShare(
            intervals[m],
            expectedSamples(month.end - month.start, device.intervalS),
          ),
        },
  );
}

/** Light points per cabinet site: `light-controller` devices whose site's `cabinet` attribute names it. */
export function lightsByCabinet(
  lights: readonly KpiDevice[],
  sites: ReadonlyMap<string, KpiSite>,
): Map<string, KpiDevice[]> {
  const out = new Map<string, KpiDevice[]>();
  for (const l of lights) {
    const cabinet = l.site === undefined ? undefined : sites.get(l.site)?.attributes[CABINET_ATTRIBUTE];
    if (!cabinet) continue;
    const list = out.get(cabinet) ?? [];
    list.push(l);
    out.set(cabinet, list);
  }
  return out;
}

/**
 * L2 per local month: kWh of each light point (Σ of its days' index deltas), of each cabinet site (Σ of its
 * cabinet meters) and the cabinet's unmetered share (cabinet − Σ of the points it feeds) / cabinet. `days` are
 * the local days of the whole `months`, the index of `lightDeltas` / `cabinetDeltas`.
 */
export function lightEnergyPoints(
  lights: readonly KpiDevice[],
  cabinetMeters: readonly KpiDevice[],
  sites: ReadonlyMap<string, KpiSite>,
  lightDeltas: PerDeviceWindows<IndexWindowDelta>,
  cabinetDeltas: PerDeviceWindows<IndexWindowDelta>,
  days: readonly KpiWindowSpan[],
  months: readonly KpiWindowSpan[],
): { points: KpiPoint[]; skipped: KpiSkip[] } {
  const points: KpiPoint[] = [];
  const skipped: KpiSkip[] = [];
  const perLight = new Map<string, (MonthEnergy | undefined)[]>();
  for (const light of lights) {
    const energy = monthlyEnergy(light, lightDeltas, days, months);
    perLight.set(light.id, energy);
    months.forEach((month, m) => {
      const e = energy[m];
      if (!e) return;
      points.push({
        kpi: KPI_IDS.L2_POINT_ENERGY_KWH,
        subject: light.id,
        window: 'month',
        ts: month.start,
        value: e.kwh,
        completeness: e.completeness,
      });
    });
    if (energy.every((e) => e === undefined))
      skipped.push({
        subject: light.id,
        reason: KpiSkipReason.NoReadings,
        detail: `no energy_kwh interval from ${light.id} in the period's months`,
      });
  }
  if (cabinetMeters.length === 0) {
    skipped.push({
      reason: KpiSkipReason.NoInputDevices,
      detail: 'tenant has no cabinet-meter device: no cabinet kWh nor unmetered share',
    });
    return { points, skipped };
  }
  const fed = lightsByCabinet(lights, sites);
  const cabinets = perSiteOrSkip(cabinetMeters, 'cabinet meter', 'L2 is per cabinet site');
  skipped.push(...cabinets.skipped);
  for (const [cabinet, meters] of cabinets.sites) {
    const energies = meters.map((m) => monthlyEnergy(m, cabinetDeltas, days, months));
    const points0 = points.length;
    const cabinetLights = fed.get(cabinet) ?? [];
    const notComputable: string[] = [];
    months.forEach((month, m) => {
      const present = energies.map((e) => e[m]).filter((e): e is MonthEnergy => e !== undefined);
      if (present.length === 0) return;
      const kwh = present.reduce((a, e) => a + e.kwh, 0);
      const completeness = present.reduce((a, e) => a + e.completeness, 0) / meters.length;
      const base = { subject: cabinet, window: 'month' as const, ts: month.start };
      points.push({ ...base, kpi: KPI_IDS.L2_CABINET_ENERGY_KWH, value: kwh, completeness });
      if (cabinetLights.length === 0) return;
      let pointsKwh = 0;
      let pointsCompleteness = 0;
      for (const l of cabinetLights) {
        const e = perLight.get(l.id)?.[m];
        pointsKwh += e?.kwh ?? 0;
        pointsCompleteness += e?.completeness ?? 0;
      }
      const share = unmeteredShare(kwh, pointsKwh);
      if (share === undefined) {
        notComputable.push(month.key);
        return;
      }
      points.push({
        ...base,
        kpi: KPI_IDS.L2_UNMETERED_SHARE,
        value: share,
        completeness: completeness * (pointsCompleteness / cabinetLights.length),
      });
    });
    if (points.length === points0)
      skipped.push({
        subject: cabinet,
        reason: KpiSkipReason.NoReadings,
        detail: `no energy_kwh interval from the meters of ${cabinet} in the period's months`,
      });
    else if (cabinetLights.length === 0)
      skipped.push({
        subject: cabinet,
        reason: KpiSkipReason.MissingInputs,
        detail: `no light point's site has ${CABINET_ATTRIBUTE}=${cabinet}: no unmetered share`,
      });
    if (notComputable.length)
      skipped.push({
        subject: cabinet,
        reason: KpiSkipReason.NotComputable,
        detail: `cabinet ${cabinet} metered 0 kWh in ${notComputable.join(', ')}: no unmetered share`,
      });
  }
  return { points, skipped };
}

export const LIGHT_ENERGY_KPI: KpiComputation = {
  family: 'L2',
  outputs: [KPI_IDS.L2_POINT_ENERGY_KWH, KPI_IDS.L2_CABINET_ENERGY_KWH, KPI_IDS.L2_UNMETERED_SHARE],
  input: LIGHT_CONTROLLER,
  async compute(ctx, lights) {
    const days = windowsOfMonths(ctx.months, ctx.timeZone, 'days');
    const meters = devicesOfKind(ctx, CABINET_METER.id);
    // The light points' index comes with their states in the run's shared read; the few cabinet meters from InfluxDB.
    const [lightDeltas, cabinetDeltas] = await Promise.all([
      lightEnergyDeltas(ctx, days),
      meters.length
        ? ctx.readings.dailyIndexDeltas(scopeOf(ctx, CABINET_METER), 'energy_kwh', days)
        : Promise.resolve<PerDeviceWindows<IndexWindowDelta>>(new Map()),
    ]);
    return {
      ...lightEnergyPoints(lights, meters, ctx.sites, lightDeltas, cabinetDeltas, days, ctx.months),
      replaces: spanOf(ctx.months),
    };
  },
};
