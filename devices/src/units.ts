import { MetricSpec, UnitScale } from '@vigie/domain';

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
