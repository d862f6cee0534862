import { MetricSpec, RSSI_METRIC, SNR_METRIC, UnitScale } from '@vigie/domain';

/** SenML units (RFC 8428 and RFC 8798 registries) accepted per Vigie unit, with the factor to Vigie's unit. */
export const SENML = {
  kwh: { kWh: 1, Wh: { divideBy: 1000 }, J: { divideBy: 3.6e6 } },
  w: { W: 1, kW: 1000 },
  celsius: { Cel: 1 },
  mm: { mm: 1, m: 1000 },
  m3: { m3: 1, l: { divideBy: 1000 }, L: { divideBy: 1000 } },
  m3h: { 'm3/h': 1, 'm3/s': 3600, 'l/s': 3.6 },
  bar: { bar: 1, Pa: { divideBy: 1e5 }, kPa: { divideBy: 100 } },
  pct: { '%': 1, '/': 100 },
  batteryPct: { '%': 1, '%EL': 1, '/': 100 },
} as const satisfies Record<string, Record<string, UnitScale>>;

/** The cumulative water-volume index shared by every kind with a water meter. */
export const VOLUME_INDEX_M3: MetricSpec = {
  unit: 'm³',
  type: 'number',
  min: 0,
  max: 1e10,
  cumulative: true,
  senmlUnits: SENML.m3,
  description: 'Cumulative volume index',
};

/**
 * Link quality of LoRaWAN uplinks (best gateway), added to every kind that can report over LoRaWAN. Defined
 * once here; the names come from the domain (RSSI_METRIC, SNR_METRIC).
 */
export const LORAWAN_LINK_METRIC_SPECS: Readonly<Record<string, MetricSpec>> = {
  [RSSI_METRIC]: {
    unit: 'dBm',
    type: 'number',
    min: -200,
    max: 50,
    senmlUnits: { dBm: 1 },
    description: 'Received signal strength of the uplink at its best gateway (LoRaWAN)',
  },
  [SNR_METRIC]: {
    unit: 'dB',
    type: 'number',
    min: -50,
    max: 50,
    senmlUnits: { dB: 1 },
    description: 'Signal-to-noise ratio of the uplink at its best gateway (LoRaWAN)',
  },
};

/**
 * What a water meter measures in the network, told by its site's `role` attribute (`vigie sites add --attr
 * role=…`); a meter's site also names its water sector with `--attr sector=<site id of the sector>`.
 */
export const WATER_SITE_ROLES = ['production', 'import', 'export', 'district-inflow', 'customer'] as const;
export type WaterSiteRole = (typeof WATER_SITE_ROLES)[number];

/** Battery level, shared by battery-powered kinds. */
export const BATTERY_PCT: MetricSpec = {
  unit: '%',
  type: 'number',
  min: 0,
  max: 100,
  senmlUnits: SENML.batteryPct,
  description: 'Battery level',
};

/** Rain fallen in the reporting interval, shared by the weather station and the rain gauge. */
export const RAIN_MM: MetricSpec = {
  unit: 'mm',
  type: 'number',
  min: 0,
  max: 500,
  senmlUnits: SENML.mm,
  description: 'Rain fallen in the reporting interval (since the previous report)',
};
