import { KPI_IDS, KpiOutputId } from '@vigie/contracts';
import { WATER_METER } from '@vigie/devices';
import {
  DAY_MS,
  grenelleCompliant,
  grenelleThreshold,
  ilc,
  ilp,
  ilvnc,
  KpiError,
  localDayNumber,
  networkEfficiency,
  volumeInDistribution,
} from '@vigie/domain';
import { IndexWindowDelta, PerDeviceWindows } from '../../influx-readings.reader';
import {
  KpiComputation,
  KpiContext,
  KpiDevice,
  KpiPoint,
  KpiSite,
  KpiSkip,
  KpiSkipReason,
  spanOf,
} from '../../kpi-engine.types';
import { dayWindows, KpiPeriod, KpiWindowSpan, monthWindows, windowIndexOf } from '../../kpi-windows.utils';
import { numberAttribute, scopeOf } from '../kpi-scope.utils';
import { WaterSector, waterSectors } from './water-efficiency.kpi';

/** Sector attribute: network length excluding service connections, km (W2–W4). */
export const NETWORK_LENGTH_ATTRIBUTE = 'network_length_km';
/** Sector attribute: `true` when the service abstracts > 2 Mm³/yr in a zone de répartition des eaux (W4). */
export const ZRE_ATTRIBUTE = 'zre';

/** One sector's volumes over one window (year or month), from its covered days. */
export interface SectorWindowVolumes {
  readonly v1: number;
  readonly v2: number;
  readonly v3: number;
  readonly v4: number;
  readonly v6: number;
  readonly v7: number;
  /** Days of the window on which every meter of the sector has an interval closing. */
  readonly coveredDays: number;
  /** coveredDays / days of the window. */
  readonly completeness: number;
}

/**
 * A sector's volumes over `window` (W2–W4, W6): the sums over the window's covered days — a local day is covered
 * when every production, import, export and customer meter of the sector has an interval closing in it — so a
 * partly known window is brought to its length by the covered days (D). V6 = V7 + unmetered × covered time / 365
 * days (as W1: a 23-hour day counts 23/24 of a day's unmetered volume, one day of D).
 * Undefined when no day is covered.
 */
export function sectorWindowVolumes(
  sector: WaterSector,
  deltas: PerDeviceWindows<IndexWindowDelta>,
  days: readonly KpiWindowSpan[],
  window: KpiWindowSpan,
): SectorWindowVolumes | undefined {
  const roles = ['production', 'import', 'export', 'customer'] as const;
  const meters = roles.flatMap((r) => sector.meters[r]);
  const sums = { production: 0, import: 0, export: 0, customer: 0 };
  let covered = 0;
  let coveredMs = 0;
  let windowDays = 0;
  const first = Math.max(0, windowIndexOf(days, window.start));
  for (let i = first; i < days.length && days[i].start < window.end; i++) {
    if (days[i].start < window.start) continue;
    windowDays++;
    if (!meters.every((m) => (deltas.get(m.id)?.get(i)?.intervals ?? 0) > 0)) continue;
    covered++;
    coveredMs += days[i].end - days[i].start;
    for (const r of roles) for (const m of sector.meters[r]) sums[r] += deltas.get(m.id)?.get(i)?.delta ?? 0;
  }
  if (covered === 0) return undefined;
  const v4 = volumeInDistribution({ v1: sums.production, v2: sums.import, v3: sums.export });
  return {
    v1: sums.production,
    v2: sums.import,
    v3: sums.export,
    v4,
    v7: sums.customer,
    v6: sums.customer + (sector.unmeteredM3Yr * coveredMs) / DAY_MS / 365,
    coveredDays: covered,
    completeness: covered / windowDays,
  };
}

/** What W2, W3, W4 and W6 share in one run: the sectors and the daily deltas of the whole years touched. */
export interface SectorYears {
  readonly sectors: readonly WaterSector[];
  readonly skipped: readonly KpiSkip[];
  /** The local days of the years touched by the period. */
  readonly days: readonly KpiWindowSpan[];
  readonly years: readonly KpiWindowSpan[];
  /** The months of those years. */
  readonly months: readonly KpiWindowSpan[];
  readonly deltas: PerDeviceWindows<IndexWindowDelta>;
}

const LOADED = new WeakMap<KpiContext, Promise<SectorYears>>();

/**
 * The sectors and their meters' daily index deltas over the whole years the period touches (a recompute of a day
 * recomputes its year and the year's months), read once per run for W2, W3, W4 and W6 — month by month, so no
 * query spans a year of raw readings.
 */
export function loadSectorYears(ctx: KpiContext, meters: readonly KpiDevice[]): Promise<SectorYears> {
  let loaded = LOADED.get(ctx);
  if (!loaded) {
    loaded = readSectorYears(ctx, meters);
    LOADED.set(ctx, loaded);
  }
  return loaded;
}

async function readSectorYears(ctx: KpiContext, meters: readonly KpiDevice[]): Promise<SectorYears> {
  const { sectors, skipped } = waterSectors(ctx.sites, meters);
  const span = spanOf(ctx.years);
  const period: KpiPeriod = {
    from: '',
    to: '',
    firstDay: localDayNumber(span.start, ctx.timeZone),
    lastDay: localDayNumber(span.end - 1, ctx.timeZone),
  };
  const days = dayWindows(period, ctx.timeZone);
  const months = monthWindows(period, ctx.timeZone);
  const deltas: PerDeviceWindows<IndexWindowDelta> = new Map();
  if (sectors.length > 0) {
    const scope = scopeOf(ctx, WATER_METER);
    const now = Date.now();
    for (const month of months) {
      if (month.start > now) break;
      const first = windowIndexOf(days, month.start);
      const slice = days.filter((d) => d.start >= month.start && d.start < month.end);
      const part = await ctx.readings.dailyIndexDeltas(scope, 'volume_m3', slice);
      for (const [device, byDay] of part) {
        let m = deltas.get(device);
        if (!m) {
          m = new Map();
          deltas.set(device, m);
        }
        for (const [i, d] of byDay) m.set(first + i, d);
      }
    }
  }
  return { sectors, skipped, days, years: ctx.years, months, deltas };
}

/** A sector attribute as a number > 0, or the skip saying why not. */
export function requiredPositive(site: KpiSite | undefined, sector: string, key: string): number | KpiSkip {
  const a = numberAttribute(site?.attributes, key);
  if (a.value !== undefined && a.value > 0) return a.value;
  return {
    subject: sector,
    reason: KpiSkipReason.MissingInputs,
    detail: a.problem ?? `water sector ${sector} has no ${key} attribute (a number > 0)`,
  };
}

/** The values of one sector and window, and what could not be computed (a missing attribute, an invalid limit…). */
export interface SectorFormulaResult {
  readonly values: readonly { readonly kpi: KpiOutputId; readonly value: number }[];
  readonly skip?: KpiSkip;
}

/** The formulas of one KPI family applied to a sector's volumes over one window. */
export type SectorFormula = (
  v: SectorWindowVolumes,
  sector: WaterSector,
  site: KpiSite | undefined,
) => SectorFormulaResult;

/** A formula result that is only a skip. */
export const skipOnly = (skip: KpiSkip): SectorFormulaResult => ({ values: [], skip });

/**
 * Points of one KPI family per sector over the years (`yearly`) and their months (`monthly`): the formulas get
 * each window's volumes. Windows without a covered day are reported as no readings only when the run's period
 * touches them (later months of the current year are silently absent).
 */
export function sectorIndexPoints(
  data: Pick<SectorYears, 'sectors' | 'days' | 'years' | 'months' | 'deltas'>,
  sites: ReadonlyMap<string, KpiSite>,
  requested: { start: number; end: number },
  formulas: { readonly year?: SectorFormula; readonly month?: SectorFormula },
): { points: KpiPoint[]; skipped: KpiSkip[] } {
  const points: KpiPoint[] = [];
  const skipped: KpiSkip[] = [];
  for (const sector of data.sectors) {
    const site = sites.get(sector.id);
    const noData: string[] = [];
    for (const [window, list] of [
      ['year', data.years],
      ['month', data.months],
    ] as const) {
      const formula = formulas[window];
      if (!formula) continue;
      for (const w of list) {
        const v = sectorWindowVolumes(sector, data.deltas, data.days, w);
        if (!v) {
          if (w.start < requested.end && w.end > requested.start) noData.push(w.key);
          continue;
        }
        let out: SectorFormulaResult;
        try {
          out = formula(v, sector, site);
        } catch (err) {
          if (!(err instanceof KpiError)) throw err;
          out = skipOnly({
            subject: sector.id,
            reason: KpiSkipReason.NotComputable,
            detail: `${w.key}: ${err.message}`,
          });
        }
        if (out.skip) skipped.push(out.skip);
        for (const o of out.values)
          points.push({ ...o, subject: sector.id, window, ts: w.start, completeness: v.completeness });
      }
    }
    if (noData.length) {
      skipped.push({
        subject: sector.id,
        reason: KpiSkipReason.NoReadings,
        detail: `no day of ${noData.join(', ')} with an interval of every production, import, export and customer meter of the sector`,
      });
    }
  }
  // A missing attribute is said once per sector, not once per window.
  const seen = new Set<string>();
  return {
    points,
    skipped: skipped.filter((s) => {
      const key = `${s.subject}\n${s.detail}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    }),
  };
}

/** A KPI computed from the sectors' yearly (and monthly) volumes. */
export function sectorIndexKpi(
  family: KpiComputation['family'],
  outputs: readonly KpiOutputId[],
  formulas: { readonly year?: SectorFormula; readonly month?: SectorFormula },
): KpiComputation {
  return {
    family,
    outputs,
    input: WATER_METER,
    async compute(ctx, meters) {
      const data = await loadSectorYears(ctx, meters);
      if (data.sectors.length === 0) {
        return {
          points: [],
          skipped: data.skipped.length
            ? data.skipped
            : [
                {
                  reason: KpiSkipReason.MissingInputs,
                  detail: 'no site has a water role and a sector attribute',
                },
              ],
        };
      }
      const result = sectorIndexPoints(data, ctx.sites, spanOf(ctx.days), formulas);
      return {
        points: result.points,
        skipped: [...data.skipped, ...result.skipped],
        replaces: spanOf(data.years),
      };
    },
  };
}

const lengthOf = (sector: WaterSector, site: KpiSite | undefined) =>
  requiredPositive(site, sector.id, NETWORK_LENGTH_ATTRIBUTE);

export const ilvncFormula =
  (kpi: KpiOutputId): SectorFormula =>
  (v, sector, site) => {
    const lengthKm = lengthOf(sector, site);
    if (typeof lengthKm !== 'number') return skipOnly(lengthKm);
    return { values: [{ kpi, value: ilvnc({ v4: v.v4, v7: v.v7, lengthKm, days: v.coveredDays }) }] };
  };

export const ilpFormula =
  (kpi: KpiOutputId): SectorFormula =>
  (v, sector, site) => {
    const lengthKm = lengthOf(sector, site);
    if (typeof lengthKm !== 'number') return skipOnly(lengthKm);
    return { values: [{ kpi, value: ilp({ v4: v.v4, v6: v.v6, lengthKm, days: v.coveredDays }) }] };
  };

/** W4's `zre` attribute: true/false, false when absent. */
export function zreAttribute(site: KpiSite | undefined, sector: string): boolean | KpiSkip {
  const raw = site?.attributes[ZRE_ATTRIBUTE]?.trim().toLowerCase();
  if (raw === undefined || raw === '' || raw === 'false') return false;
  if (raw === 'true') return true;
  return {
    subject: sector,
    reason: KpiSkipReason.MissingInputs,
    detail: `attribute ${ZRE_ATTRIBUTE}='${raw.slice(0, 20)}' is not true or false`,
  };
}

export const grenelleFormula: SectorFormula = (v, sector, site) => {
  const lengthKm = lengthOf(sector, site);
  if (typeof lengthKm !== 'number') return skipOnly(lengthKm);
  const zre = zreAttribute(site, sector.id);
  if (typeof zre !== 'boolean') return skipOnly(zre);
  const efficiencyPct = networkEfficiency(v);
  const ilcValue = ilc({ v6: v.v6, v3: v.v3, lengthKm, days: v.coveredDays });
  return {
    values: [
      { kpi: KPI_IDS.W4_EFFICIENCY_PCT, value: efficiencyPct },
      { kpi: KPI_IDS.W4_ILC_M3_KM_DAY, value: ilcValue },
      { kpi: KPI_IDS.W4_THRESHOLD_PCT, value: grenelleThreshold({ ilc: ilcValue, zre }) },
      { kpi: KPI_IDS.W4_COMPLIANT, value: grenelleCompliant({ efficiencyPct, ilc: ilcValue, zre }) ? 1 : 0 },
    ],
  };
};

/** W2 — P105.3 ILVNC per sector: the calendar year (official) and its months (estimate). */
export const ILVNC_KPI = sectorIndexKpi(
  'W2',
  [KPI_IDS.W2_ILVNC_M3_KM_DAY, KPI_IDS.W2_ILVNC_MONTHLY_M3_KM_DAY],
  { year: ilvncFormula(KPI_IDS.W2_ILVNC_M3_KM_DAY), month: ilvncFormula(KPI_IDS.W2_ILVNC_MONTHLY_M3_KM_DAY) },
);

/** W3 — P106.3 ILP per sector: the calendar year (official) and its months (estimate). */
export const ILP_KPI = sectorIndexKpi('W3', [KPI_IDS.W3_ILP_M3_KM_DAY, KPI_IDS.W3_ILP_MONTHLY_M3_KM_DAY], {
  year: ilpFormula(KPI_IDS.W3_ILP_M3_KM_DAY),
  month: ilpFormula(KPI_IDS.W3_ILP_MONTHLY_M3_KM_DAY),
});

/** W4 — Grenelle II threshold per sector and calendar year (the monthly rendement is W1). */
export const GRENELLE_KPI = sectorIndexKpi(
  'W4',
  [KPI_IDS.W4_EFFICIENCY_PCT, KPI_IDS.W4_ILC_M3_KM_DAY, KPI_IDS.W4_THRESHOLD_PCT, KPI_IDS.W4_COMPLIANT],
  { year: grenelleFormula },
);
