import type { FaultKind, Transport } from './scenario.schema';

export interface SimulatedSite {
  readonly id: string;
  readonly name: string;
  readonly attributes: Readonly<Record<string, string>>;
}

export interface SimulatedDevice {
  readonly id: string;
  readonly kind: string;
  readonly site?: string;
  readonly intervalS: number;
  readonly transport: Transport;
  /** 16 lowercase hex digits, for LoRaWAN transports; stable for a tenant and device id, whatever the seed. */
  readonly devEui?: string;
  /** A human-readable name for the registry. */
  readonly name?: string;
  /**
   * Where the device stands (WGS84 degrees), deterministic from the scenario's ids: light points and rain gauges
   * where the scenario puts them (their behaviour depends on it), bins around their district, the others around
   * their site; registered with the device for the dashboards' maps.
   */
  readonly location?: { readonly lat: number; readonly lon: number };
}

export interface SimulatedTown {
  readonly tenant: { readonly id: string; readonly name: string };
  readonly sites: readonly SimulatedSite[];
  readonly devices: readonly SimulatedDevice[];
}

export interface DeviceReport {
  readonly device: string;
  /** The timestamp the device states, after any clock skew (epoch ms). */
  readonly ts: number;
  readonly values: Readonly<Record<string, number | boolean>>;
  /** > 1: duplicated-message fault, send that many times. */
  readonly copies?: number;
  /** Malformed-payload fault: the runtime sends a broken payload instead. */
  readonly malformed?: boolean;
}

/**
 * What ground truth can list: an injected fault's kind, or a condition only observed (no fault injects it): a
 * building drawing more than its subscribed power.
 */
export type ConditionKind = FaultKind | 'subscribed_power_exceeded';

export interface GroundTruthFault {
  readonly kind: ConditionKind;
  /** Device or site id. */
  readonly subject: string;
  /** ISO 8601. */
  readonly start: string;
  readonly end: string;
  readonly magnitude: number;
  readonly unit?: string;
  readonly note?: string;
  /** A condition the simulated town got into by itself (`TownSimulation.observed`), not an injected fault. */
  readonly observed?: boolean;
}

export interface TownSimulation {
  readonly town: SimulatedTown;
  /** Every fault injected, as scheduled by the scenario (JSON Lines is written by the runtime). */
  groundTruth(): readonly GroundTruthFault[];
  /**
   * Fault-like conditions the simulated devices got into with no fault injecting them, up to the last `advance`
   * (a bin filling faster than it is collected overflows): `observed: true`, the one still going on ends at the
   * last simulated step. Alerts on them are right; scoring tells them apart from injected faults.
   */
  observed(): readonly GroundTruthFault[];
  /**
   * Reports with timestamps in (previous call's toMs, toMs], grouped by device, each device's in send order
   * (an out-of-order fault swaps them); the state carries on across calls, so chunked calls give the same
   * reports as one call.
   */
  advance(toMs: number): DeviceReport[];
}

export interface SimulationOptions {
  readonly seed: number;
  readonly startMs: number;
  /** Simulate only these devices; the others are not generated (their reports would be the same). */
  readonly only?: (device: SimulatedDevice) => boolean;
}
