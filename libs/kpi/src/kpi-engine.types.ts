import type { DeviceKind, GeoLocation } from '@vigie/domain';
import { KpiFamilyId, KpiOutputId, KpiWindow } from '@vigie/contracts';
import { InfluxReadingsReader } from './influx-readings.reader';
import type { KpiPointsReader } from './kpi-points.reader';
import { KpiPeriod, KpiWindowSpan } from './kpi-windows.utils';

/** The registry's view the engine needs (RegistryRepository satisfies it). */
export interface KpiRegistryPort {
  /** A tenant, with its IANA time zone when the registry has one. */
  getTenant(id: string): Promise<{ readonly id: string; readonly timeZone?: string } | undefined>;
  listSites(tenant: string): Promise<readonly KpiSite[]>;
  listDevices(tenant: string): Promise<readonly KpiDevice[]>;
}

export interface KpiSite {
  readonly id: string;
  readonly attributes: Readonly<Record<string, string>>;
}

export interface KpiDevice {
  readonly id: string;
  readonly kind: string;
  readonly site?: string;
  readonly intervalS: number;
  /** Where the device stands (registry), copied to InfluxDB at each run for the dashboards' maps. */
  readonly location?: GeoLocation;
}

/** One KPI value, before it becomes an InfluxDB point of the `kpi` measurement. */
export interface KpiPoint {
  readonly kpi: KpiOutputId;
  readonly subject: string;
  readonly window: KpiWindow;
  readonly method?: string;
  /** Start of the window, epoch ms. */
  readonly ts: number;
  readonly value: number;
  /** Share (0–1) of the expected input data that was present. */
  readonly completeness: number;
}

/** Why a KPI, or one of its subjects, was not computed. Values are stable (status output, logs). */
export enum KpiSkipReason {
  /** The tenant has no device of the kind the KPI reads. */
  NoInputDevices = 'no_input_devices',
  /** Devices exist, but none reported in the period. */
  NoReadings = 'no_readings',
  /** A site lacks the attributes or meters the formula needs (e.g. a water sector without customer meters). */
  MissingInputs = 'missing_inputs',
  /** The inputs were there but the formula cannot apply (zero denominator, no collection in the window…). */
  NotComputable = 'not_computable',
}

export interface KpiSkip {
  /** The subject skipped, or absent when the whole KPI was. */
  readonly subject?: string;
  readonly reason: KpiSkipReason;
  readonly detail: string;
}

/** Everything one KPI computation needs for one tenant and period. */
export interface KpiContext {
  readonly tenant: string;
  readonly timeZone: string;
  readonly period: KpiPeriod;
  readonly days: readonly KpiWindowSpan[];
  readonly nights: readonly KpiWindowSpan[];
  /** ISO weeks touched by the period, whole. */
  readonly weeks: readonly KpiWindowSpan[];
  /** Months touched by the period, whole. */
  readonly months: readonly KpiWindowSpan[];
  /** Calendar years touched by the period, whole. */
  readonly years: readonly KpiWindowSpan[];
  readonly sites: ReadonlyMap<string, KpiSite>;
  readonly devices: readonly KpiDevice[];
  readonly readings: InfluxReadingsReader;
  /** KPI points already stored (those of earlier KPIs of this run included): yearly KPIs derive from them. */
  readonly stored: KpiPointsReader;
}

/** What a computation returns: its points, the [start, end) it replaces, and what it skipped. */
export interface KpiComputationResult {
  readonly points: readonly KpiPoint[];
  /** Stored points of the outputs in [start, end) are replaced by `points`; absent when skipped as a whole. */
  readonly replaces?: { readonly start: number; readonly end: number };
  readonly skipped: readonly KpiSkip[];
}

/** One catalogue KPI the engine computes: its family, its outputs and how. */
export interface KpiComputation {
  readonly family: KpiFamilyId;
  readonly outputs: readonly KpiOutputId[];
  /** The device kind it reads (every device when absent): the engine skips the KPI when the tenant has none. */
  readonly input?: DeviceKind;
  /** Computes from `devices`, the tenant's devices of the input kind (never empty). */
  compute(ctx: KpiContext, devices: readonly KpiDevice[]): Promise<KpiComputationResult>;
}

/** The outcome of one KPI of a run. */
export interface KpiFamilyStatus {
  readonly kpi: KpiFamilyId;
  readonly status: 'computed' | 'skipped';
  /** Points written per output id. */
  readonly points: Readonly<Partial<Record<KpiOutputId, number>>>;
  /** Time the KPI took (reading, computing, writing), ms. */
  readonly durationMs: number;
  /** The KPI as a whole (status `skipped`) or some of its subjects. */
  readonly skipped: readonly KpiSkip[];
}

/** The outcome of a run, printed by `vigie kpi compute` and returned by later API/job handlers. */
export interface KpiRunStatus {
  readonly tenant: string;
  readonly from: string;
  readonly to: string;
  readonly timeZone: string;
  readonly pointsWritten: number;
  readonly durationMs: number;
  readonly kpis: readonly KpiFamilyStatus[];
}

/** Devices of the context of one kind. */
export function devicesOfKind(ctx: Pick<KpiContext, 'devices'>, kind: string): KpiDevice[] {
  return ctx.devices.filter((d) => d.kind === kind);
}

/** A KPI skipped as a whole. */
export function skippedKpi(reason: KpiSkipReason, detail: string): KpiComputationResult {
  return { points: [], skipped: [{ reason, detail }] };
}

/** The [start, end) covered by a window list. */
export function spanOf(windows: readonly KpiWindowSpan[]): { start: number; end: number } {
  return { start: windows[0].start, end: windows[windows.length - 1].end };
}
