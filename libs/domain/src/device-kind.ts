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
  /** Present when the kind can report through a LoRaWAN network server (ChirpStack, The Things Stack). */
  readonly lorawan?: LorawanMapping;
  /** Its FIWARE Smart Data Model (for export and interoperability). */
  readonly smartDataModel?: SmartDataModelMapping;
  /** TALQ data points of its metrics (lighting kinds). */
  readonly talq?: Readonly<Record<string, TalqDataPoint>>;
  /** Values the `role` attribute of this kind's site may take (e.g. a water meter's place in the network). */
  readonly siteRoles?: readonly string[];
}

/** How one field of a LoRaWAN network server's decoded object (the codec output) becomes a metric. */
export interface LorawanFieldMapping {
  readonly metric: string;
  /** Codec value × scale = metric value (e.g. `fillingLevel` 0..1 → `fill_pct` with scale 100). Default 1. */
  readonly scale?: UnitScale;
}

/** A kind's LoRaWAN section: decoded-object field name → metric. */
export interface LorawanMapping {
  readonly fields: Readonly<Record<string, LorawanFieldMapping>>;
}

/** How a metric becomes an attribute of a FIWARE Smart Data Model entity. */
export type SmartDataModelAttribute =
  | {
      readonly attribute: string;
      /** Metric value × scale = attribute value (e.g. `fill_pct` → `fillingLevel` with scale 0.01). Default 1. */
      readonly scale?: UnitScale;
      /** The attribute's unit as the model states it (UN/CEFACT code or plain text). */
      readonly unit?: string;
    }
  | {
      /** A boolean metric shown as an enumerated text attribute. */
      readonly attribute: string;
      readonly whenTrue: string;
      readonly whenFalse: string;
    };

/** A kind's FIWARE Smart Data Model: the entity type and the attribute of each mapped metric. */
export interface SmartDataModelMapping {
  readonly entityType: string;
  /** The model's repository, e.g. `dataModel.WasteManagement`. */
  readonly dataModel: string;
  readonly attributes: Readonly<Record<string, SmartDataModelAttribute>>;
}

/** A metric's TALQ (street-lighting interoperability) data point. */
export interface TalqDataPoint {
  /** TALQ function, e.g. `LampMonitorFunction`, `ElectricalMeterFunction`. */
  readonly function: string;
  readonly attribute: string;
  readonly note?: string;
}

/** Link-quality metrics a kind carries when its readings come over LoRaWAN (best gateway of the uplink). */
export const RSSI_METRIC = 'rssi_dbm';
export const SNR_METRIC = 'snr_db';
export const LORAWAN_LINK_METRICS: readonly string[] = [RSSI_METRIC, SNR_METRIC];

/** Site attributes read by kinds: `role` (what the site is for), `sector` (id of the water-sector site). */
export const SITE_ROLE_ATTRIBUTE = 'role';
export const SITE_SECTOR_ATTRIBUTE = 'sector';
