/** How a value in another unit becomes the metric's: multiplied by a number, or divided (exact for 1/1000 …). */
export type UnitScale = number | { readonly divideBy: number };

export function applyUnitScale(value: number, scale: UnitScale): number {
  return typeof scale === 'number' ? value * scale : value / scale.divideBy;
}

/** What a metric is: its unit, type and valid range. Metric names carry their unit (`energy_kwh`). */
export interface MetricSpec {
  readonly unit: string;
  readonly type: 'number' | 'boolean';
  readonly min?: number;
  readonly max?: number;
  /** A cumulative index (meter reading): consumption is the sum of its positive deltas. */
  readonly cumulative?: boolean;
  /**
   * SenML units (RFC 8428 / RFC 8798 registries) accepted for this metric and the scale that converts a value
   * in that unit to the metric's unit. The metric's own SenML unit maps to 1.
   */
  readonly senmlUnits?: Readonly<Record<string, UnitScale>>;
  readonly description: string;
}

/** A kind of device: what it measures and how often it reports. */
export interface DeviceKind {
  /** kebab-case id, e.g. `energy-meter`. */
  readonly id: string;
  /** InfluxDB measurement holding this kind's readings (snake_case). */
  readonly measurement: string;
  readonly description: string;
  /** Expected interval between two reports, in seconds. */
  readonly reportingIntervalS: number;
  readonly metrics: Readonly<Record<string, MetricSpec>>;
}
