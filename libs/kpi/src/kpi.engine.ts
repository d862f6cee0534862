import { InfluxClient } from '@vigie/adapters';
import { findKpiOutput, isKpiFamilyId, KPI_FAMILIES, KpiFamilyId, KpiOutputId } from '@vigie/contracts';
import { DEFAULT_TIME_ZONE } from '@vigie/domain';
import { BUILDING_KPIS } from './computations/buildings/building.kpis';
import { CROSS_CUTTING_KPIS } from './computations/cross/cross-cutting.kpis';
import { LIGHTING_KPIS } from './computations/lighting/lighting.kpis';
import { WASTE_KPIS } from './computations/waste/waste.kpis';
import { WATER_KPIS } from './computations/water/water.kpis';
import { InfluxReadingsReader } from './influx-readings.reader';
import { KpiEngineError, KpiEngineErrorCode } from './kpi-engine.errors';
import {
  KpiComputation,
  KpiContext,
  KpiFamilyStatus,
  KpiPoint,
  devicesOfKind,
  KpiRegistryPort,
  KpiRunStatus,
  KpiSkip,
  KpiSkipReason,
  skippedKpi,
} from './kpi-engine.types';
import { KpiPointsWriter } from './kpi-points.writer';
import { DeviceLocationsWriter } from './device-locations.writer';
import { KpiPointsReader } from './kpi-points.reader';
import {
  dayWindows,
  monthWindows,
  nightWindows,
  parsePeriod,
  weekWindows,
  yearWindows,
} from './kpi-windows.utils';

/** Every KPI this engine computes, in run order. */
export const KPI_COMPUTATIONS: readonly KpiComputation[] = [
  ...BUILDING_KPIS,
  ...WATER_KPIS,
  ...WASTE_KPIS,
  ...LIGHTING_KPIS,
  ...CROSS_CUTTING_KPIS,
];

/**
 * Lanes of a run: they run side by side (InfluxDB answers several queries at once on the 2 cores, while this
 * service computes), each running its KPIs in the order of KPI_COMPUTATIONS. A KPI that reads another's stored
 * output (B2, B4, B6 and B9 read B1, B3 or B4; X3 reads B6 and B8) must sit in the lane of the KPI it reads, after
 * it. Street lighting, the costliest domain, is split: the KPIs computed from the run's shared read of the light
 * points (L1 makes it, L2, L5, L6 and L7 cut theirs out of it) in one lane, its InfluxDB reductions (L3, L4, L8) after
 * waste in another, buildings, water and the cross-cutting KPIs in the third.
 */
const SHARED_READ_LIGHTING = new Set(['L1', 'L2', 'L5', 'L6', 'L7']);
export const KPI_LANES: readonly (readonly KpiComputation[])[] = [
  LIGHTING_KPIS.filter((c) => SHARED_READ_LIGHTING.has(c.family)),
  [...WASTE_KPIS, ...LIGHTING_KPIS.filter((c) => !SHARED_READ_LIGHTING.has(c.family))],
  [...BUILDING_KPIS, ...WATER_KPIS, ...CROSS_CUTTING_KPIS],
];

/** Structured logs (pino's signature). */
export interface KpiLogger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

/**
 * The computations a run asks for: all when `ids` is empty; a catalogue id (`B1`) or an output id
 * (`B1.consumption_kwh`, which runs its whole KPI) otherwise. Unknown or not yet computed ids are refused.
 */
export function selectComputations(
  ids: readonly string[] = [],
  computations: readonly KpiComputation[] = KPI_COMPUTATIONS,
): KpiComputation[] {
  if (ids.length === 0) return [...computations];
  const known = computations.map((c) => c.family).join(', ');
  const wanted = new Set<KpiFamilyId>();
  for (const id of ids) {
    const family = findKpiOutput(id)?.family ?? (isKpiFamilyId(id) ? id : undefined);
    if (!family) {
      throw new KpiEngineError(
        KpiEngineErrorCode.UnknownKpi,
        `'${id.slice(0, 64)}' is not a KPI id; use a catalogue id (${known}) or an output id such as B1.consumption_kwh (see docs/kpis.md)`,
      );
    }
    if (!computations.some((c) => c.family === family)) {
      throw new KpiEngineError(
        KpiEngineErrorCode.UnknownKpi,
        `${family} (${KPI_FAMILIES[family]}) is in the catalogue but not computed yet; computed: ${known}`,
      );
    }
    wanted.add(family);
  }
  return computations.filter((c) => wanted.has(c.family));
}

export interface KpiRunRequest {
  readonly tenant: string;
  /** First local day, 'YYYY-MM-DD' (inclusive). */
  readonly from: string;
  /** Last local day, 'YYYY-MM-DD' (inclusive). */
  readonly to: string;
  /** Catalogue or output ids; empty = every KPI. */
  readonly kpis?: readonly string[];
}

/**
 * Computes KPIs for one tenant and period from stored readings and writes them to the `kpi` measurement.
 * Days and nights of the period are computed, and the whole months they touch; each KPI's windows are replaced
 * (a recompute overwrites, never duplicates). A KPI whose inputs the tenant lacks is skipped with its reason.
 */
export class KpiEngine {
  private readonly writer: KpiPointsWriter;
  private readonly stored: KpiPointsReader;
  private readonly locations: DeviceLocationsWriter;

  constructor(
    private readonly deps: {
      readonly registry: KpiRegistryPort;
      readonly influx: InfluxClient;
      readonly logger?: KpiLogger;
      /** Time zone (IANA) of tenants that have none in the registry; Europe/Paris by default. */
      readonly timeZone?: string;
    },
  ) {
    this.writer = new KpiPointsWriter(deps.influx);
    this.stored = new KpiPointsReader(deps.influx);
    this.locations = new DeviceLocationsWriter(deps.influx);
  }

  async run(request: KpiRunRequest): Promise<KpiRunStatus> {
    const started = Date.now();
    const period = parsePeriod(request.from, request.to);
    const computations = selectComputations(request.kpis);
    const { registry, influx } = this.deps;
    const tenant = await registry.getTenant(request.tenant);
    if (!tenant) {
      throw new KpiEngineError(
        KpiEngineErrorCode.UnknownTenant,
        `tenant '${request.tenant.slice(0, 64)}' does not exist (see 'vigie tenants list')`,
      );
    }
    // The tenant's own zone (`vigie tenants add --time-zone`); older tenants have none stored.
    const timeZone = tenant.timeZone ?? this.deps.timeZone ?? DEFAULT_TIME_ZONE;
    const [sites, devices] = await Promise.all([
      registry.listSites(request.tenant),
      registry.listDevices(request.tenant),
    ]);
    await influx.ensureDatabase();
    // The registry's positions, for the dashboards' maps: whatever the KPIs asked for, at every run.
    const located = await this.locations.write(request.tenant, devices);
    if (located > 0)
      this.deps.logger?.info({ tenant: request.tenant, devices: located }, 'device positions written');
    const ctx: KpiContext = {
      tenant: request.tenant,
      timeZone,
      period,
      days: dayWindows(period, timeZone),
      nights: nightWindows(period, timeZone),
      weeks: weekWindows(period, timeZone),
      months: monthWindows(period, timeZone),
      years: yearWindows(period, timeZone),
      sites: new Map(sites.map((s) => [s.id, s])),
      devices,
      // A reader per run: what it shares between the run's KPIs (raw reads, L1's hours) lives as long as the run.
      readings: new InfluxReadingsReader(influx),
      stored: this.stored,
    };
    const done = new Map<KpiComputation, { status: KpiFamilyStatus; written: number }>();
    const lanes = KPI_LANES.map((lane) => lane.filter((c) => computations.includes(c))).filter(
      (lane) => lane.length > 0,
    );
    const outcomes = await Promise.allSettled(
      lanes.map(async (lane) => {
        for (const c of lane) done.set(c, await this.runOne(c, ctx));
      }),
    );
    const failed = outcomes.find((o): o is PromiseRejectedResult => o.status === 'rejected');
    if (failed) throw failed.reason;
    const statuses: KpiFamilyStatus[] = [];
    let written = 0;
    for (const c of computations) {
      const r = done.get(c);
      if (!r) continue;
      statuses.push(r.status);
      written += r.written;
    }
    return {
      tenant: request.tenant,
      from: period.from,
      to: period.to,
      timeZone,
      pointsWritten: written,
      durationMs: Date.now() - started,
      kpis: statuses,
    };
  }

  /** One KPI: compute, drop non-finite values (said in the status), replace its windows, log. */
  private async runOne(
    c: KpiComputation,
    ctx: KpiContext,
  ): Promise<{ status: KpiFamilyStatus; written: number }> {
    const { logger } = this.deps;
    const t0 = Date.now();
    const inputs = c.input ? devicesOfKind(ctx, c.input.id) : ctx.devices;
    const result =
      inputs.length > 0
        ? await c.compute(ctx, inputs)
        : skippedKpi(
            KpiSkipReason.NoInputDevices,
            c.input ? `tenant has no ${c.input.id} device` : 'tenant has no device',
          );
    const skipped: KpiSkip[] = [...result.skipped];
    const points: KpiPoint[] = [];
    for (const p of result.points) {
      if (Number.isFinite(p.value) && Number.isFinite(p.completeness)) points.push(p);
      else
        skipped.push({
          subject: p.subject,
          reason: KpiSkipReason.NotComputable,
          detail: `${p.kpi} at ${new Date(p.ts).toISOString()} is ${p.value}`,
        });
    }
    if (result.replaces) await this.writer.replace(ctx.tenant, c.outputs, result.replaces, points);
    const perOutput: Partial<Record<KpiOutputId, number>> = {};
    for (const o of c.outputs) perOutput[o] = 0;
    for (const p of points) perOutput[p.kpi] = (perOutput[p.kpi] ?? 0) + 1;
    const status: KpiFamilyStatus = {
      kpi: c.family,
      status: result.replaces ? 'computed' : 'skipped',
      points: perOutput,
      durationMs: Date.now() - t0,
      skipped,
    };
    const log = {
      tenant: ctx.tenant,
      kpi: c.family,
      points: points.length,
      durationMs: Date.now() - t0,
    };
    if (!result.replaces)
      logger?.warn(
        { ...log, skipped },
        `KPI ${c.family} skipped: ${skipped.map((s) => s.detail).join('; ')}`,
      );
    else {
      logger?.info(log, `KPI ${c.family} computed`);
      if (skipped.length) {
        // One line per KPI, not per subject: a thousand silent light points make one warning.
        const byReason: Record<string, number> = {};
        for (const s of skipped) byReason[s.reason] = (byReason[s.reason] ?? 0) + 1;
        logger?.warn(
          { ...log, skippedSubjects: skipped.length, byReason, examples: skipped.slice(0, 5) },
          `KPI ${c.family}: ${skipped.length} subject(s) skipped`,
        );
      }
    }
    return { status, written: points.length };
  }
}
