import { parseTariff } from '@vigie/domain';
import { z } from 'zod';

/**
 * The scenario file's schema: a town described in compact groups (a 1,000-light town is a short file).
 * Every field is documented in devices/scenarios/README.md; keep the two in step.
 */

const num = () => z.number({ error: 'must be a number' });
const positive = () => num().positive({ error: 'must be a positive number' });
const nonNegative = () => num().min(0, { error: 'must be zero or a positive number' });
const fraction = () =>
  num().min(0, { error: 'must be between 0 and 1' }).max(1, { error: 'must be between 0 and 1' });
const pct = () =>
  num()
    .min(0, { error: 'must be a percentage between 0 and 100' })
    .max(100, { error: 'must be a percentage between 0 and 100' });
const count = () =>
  z
    .number({ error: 'must be a number' })
    .int({ error: 'must be a whole number' })
    .positive({ error: 'must be a positive whole number' });
const text = () => z.string({ error: 'must be a string' }).min(1, { error: 'must not be empty' });
const id = () =>
  z.string({ error: 'must be a string' }).regex(/^[a-z0-9][a-z0-9-]{0,62}$/, {
    error: 'must be lowercase letters, digits and dashes (at most 63)',
  });
const clock = () =>
  z
    .string({ error: 'must be a local time "HH:MM"' })
    .regex(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/, { error: 'must be a local time "HH:MM"' });
const isoDate = () =>
  z
    .string({ error: 'must be a date "YYYY-MM-DD"' })
    .regex(/^\d{4}-\d{2}-\d{2}$/, { error: 'must be a date "YYYY-MM-DD"' })
    .refine((d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)), { error: 'is not a real date' });
const monthDay = () =>
  z
    .string({ error: 'must be a day of the year "MM-DD"' })
    .regex(/^(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, { error: 'must be a day of the year "MM-DD"' });
/** An ISO 8601 date-time with a zone, or an offset from the simulation start such as `6d`, `2d6h30m`. */
const when = () =>
  z
    .string({ error: 'must be an ISO 8601 date-time or an offset like "6d12h"' })
    .refine((s) => DURATION.test(s) || (/[zZ]|[+-]\d{2}:?\d{2}$/.test(s) && !Number.isNaN(Date.parse(s))), {
      error:
        'must be an ISO 8601 date-time with a zone (2025-01-06T08:00:00+01:00) or an offset like "6d12h"',
    });
const duration = () =>
  z
    .string({ error: 'must be a duration like "3d", "6h", "1d12h", "45m"' })
    .regex(DURATION, { error: 'must be a duration like "3d", "6h", "1d12h", "45m"' });

export const DURATION = /^(?=\d)(\d+d)?(\d+h)?(\d+m)?(\d+s)?$/;

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];
const weekday = () => z.enum(WEEKDAYS, { error: 'must be one of mon, tue, wed, thu, fri, sat, sun' });

export const TRANSPORTS = ['vigie-json', 'senml', 'chirpstack', 'tts'] as const;
export type Transport = (typeof TRANSPORTS)[number];
const transport = () => z.enum(TRANSPORTS, { error: 'must be one of vigie-json, senml, chirpstack, tts' });

/** Opening hours of a day: "08:30-12:00,13:30-16:30", or "closed". */
const dayHours = () =>
  z
    .string({ error: 'must be "HH:MM-HH:MM[,HH:MM-HH:MM…]" or "closed"' })
    .regex(
      /^closed$|^(([01]\d|2[0-3]):[0-5]\d-(([01]\d|2[0-3]):[0-5]\d|24:00))(,([01]\d|2[0-3]):[0-5]\d-(([01]\d|2[0-3]):[0-5]\d|24:00))*$/,
      {
        error: 'must be "HH:MM-HH:MM[,HH:MM-HH:MM…]" or "closed"',
      },
    );

const hoursSchema = z.strictObject({
  weekdays: dayHours().optional(),
  weekend: dayHours().optional(),
  mon: dayHours().optional(),
  tue: dayHours().optional(),
  wed: dayHours().optional(),
  thu: dayHours().optional(),
  fri: dayHours().optional(),
  sat: dayHours().optional(),
  sun: dayHours().optional(),
});

const calendarSchema = z.strictObject({
  description: z.string().optional(),
  holidays: z
    .array(z.strictObject({ name: text(), from: isoDate(), to: isoDate() }))
    .default([])
    .refine((hs) => hs.every((h) => h.from <= h.to), { error: 'every holiday must have from ≤ to' }),
  closed_days: z.array(isoDate()).default([]),
});

/** An electricity tariff, the `tariff` site attribute of the KPI engine (format: domain `parseTariff`). */
const tariff = () =>
  text().superRefine((raw, ctx) => {
    const { problem } = parseTariff(raw);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });

export const HEATING_TYPES = ['gas-boiler', 'heat-pump', 'electric', 'district-heating', 'none'] as const;

const buildingSchema = z.strictObject({
  id: id(),
  name: text(),
  use: z.enum(
    ['school', 'nursery', 'office', 'town-hall', 'gym', 'pool', 'library', 'cultural', 'workshop', 'other'],
    {
      error:
        'must be one of school, nursery, office, town-hall, gym, pool, library, cultural, workshop, other',
    },
  ),
  surface_m2: positive(),
  calendar: id().optional(),
  hours: hoursSchema,
  reference_kwh_yr: positive(),
  base_load_kw: nonNegative(),
  heating: z.strictObject({
    type: z.enum(HEATING_TYPES, { error: `must be one of ${HEATING_TYPES.join(', ')}` }),
    share: fraction().default(0.55),
    setpoint_c: num().min(5).max(30).default(19),
    setback_c: num().min(5).max(30).default(16),
    /** Frost protection on holidays and closed days of the calendar; the setback when absent. */
    holiday_c: num().min(5).max(30).optional(),
    preheat_h: nonNegative().max(12).default(2),
    time_constant_h: positive().default(30),
    free_gains_k: nonNegative().max(10).default(2),
    season: z.strictObject({ from: monthDay(), to: monthDay() }).default({ from: '10-01', to: '05-20' }),
  }),
  tariff: tariff().optional(),
  subscribed_kva: positive().optional(),
  load_noise: fraction().default(0.08),
  /** A water meter on the building's site (`<id>-water`, W7): flow while open and while closed. */
  water: z
    .strictObject({
      open_m3h: nonNegative(),
      closed_l_h: nonNegative().default(0),
      noise: fraction().default(0.1),
      interval_s: count().optional(),
    })
    .optional(),
  transport: transport().default('vigie-json'),
  interval_s: count().optional(),
});

/** Energy-management settings applied to every building's site (B6 baseline, B9 reference year). */
const energyManagementSchema = z.strictObject({
  baseline: z
    .string()
    .regex(/^(\d{1,4}d|\d{4}-\d{2}-\d{2}\/\d{4}-\d{2}-\d{2})$/, {
      error: "must be 'YYYY-MM-DD/YYYY-MM-DD' or '<N>d'",
    })
    .optional(),
  baseline_min_days: count().optional(),
  reference_year: z.number().int().min(2010).max(2019).optional(),
});

const weatherSchema = z.strictObject({
  temperature_c: z.strictObject({
    annual_mean: num().min(-30).max(40),
    seasonal_amplitude: nonNegative().max(40),
    coldest_day: count().max(366).default(15),
    daily_range: z.strictObject({ winter: nonNegative().max(30), summer: nonNegative().max(30) }),
    noise: nonNegative().max(10).default(2.5),
  }),
  rain: z.strictObject({
    wet_day_probability: fraction(),
    mean_event_mm: positive(),
    mean_duration_h: positive().max(12),
  }),
  humidity_pct: z
    .strictObject({ mean: pct(), daily_amplitude: pct() })
    .default({ mean: 76, daily_amplitude: 12 }),
  wind_speed_ms: z.strictObject({ mean: nonNegative().max(40) }).default({ mean: 3.5 }),
  solar_radiation: z
    .strictObject({ clear_sky_peak_wm2: positive().max(1400), mean_cloud_cover: fraction() })
    .default({ clear_sky_peak_wm2: 990, mean_cloud_cover: 0.5 }),
  stations: z
    .array(
      z.strictObject({
        id: id(),
        name: text(),
        transport: transport().default('vigie-json'),
        interval_s: count().optional(),
      }),
    )
    .default([]),
  rain_gauges: z
    .array(
      z.strictObject({
        id: id(),
        name: text(),
        lat: num().min(-90).max(90).optional(),
        lon: num().min(-180).max(180).optional(),
        factor: positive().max(3).default(1),
        transport: transport().default('chirpstack'),
        interval_s: count().optional(),
      }),
    )
    .default([]),
});

const waterSectorSchema = z.strictObject({
  id: id(),
  name: text(),
  network_length_km: positive(),
  connections: count(),
  target_efficiency_pct: num()
    .gt(30, { error: 'must be above 30 %' })
    .max(100, { error: 'must be at most 100 %' }),
  demand: z.strictObject({
    per_connection_l_day: positive(),
    diurnal: z
      .array(nonNegative(), { error: 'must be a list of 24 hourly factors' })
      .length(24, { error: 'must be a list of 24 hourly factors' })
      .optional(),
    weekend_factor: positive().default(1.05),
    seasonal_amplitude: fraction().default(0.12),
    noise: fraction().default(0.05),
  }),
  unmetered_m3_yr: nonNegative().default(0),
  production_share: fraction().default(1),
  export_m3_day: nonNegative().default(0),
  pressure_bar: z
    .strictObject({ night: positive().max(20), peak: positive().max(20) })
    .default({ night: 4.5, peak: 3.5 })
    .refine((p) => p.peak <= p.night, { error: 'peak pressure must not exceed night pressure' }),
  customer_meters: count().max(1000).default(4),
  transport: z
    .strictObject({
      network: transport().default('vigie-json'),
      customers: transport().default('chirpstack'),
    })
    .default({ network: 'vigie-json', customers: 'chirpstack' }),
  interval_s: count().optional(),
});

const irrigationZoneSchema = z.strictObject({
  id: id(),
  name: text(),
  area_m2: positive(),
  kc: positive().max(2),
  nominal_flow_m3h: positive(),
  schedule: z.strictObject({
    days: z.array(weekday()).min(1, { error: 'must list at least one day' }),
    start: clock(),
    duration_min: positive().max(720),
    season: z.strictObject({ from: monthDay(), to: monthDay() }).default({ from: '04-15', to: '10-15' }),
  }),
  /** The rain gauge of the zone (site attribute `rain_gauge`, W8): an id of `weather.rain_gauges`. */
  rain_gauge: id().optional(),
  rain_skip: z
    .union([
      z.boolean(),
      z.strictObject({ threshold_mm: positive().default(2), window_h: positive().max(72).default(24) }),
    ])
    .default(true),
  transport: transport().default('chirpstack'),
  interval_s: count().optional(),
});

const binGroupSchema = z.strictObject({
  district: id(),
  count: count(),
  id_prefix: id().optional(),
  capacity_l: positive(),
  fill_rate_pct_day: positive(),
  spread: fraction().default(0.25),
  weekday_factors: z
    .array(nonNegative(), { error: 'must be a list of 7 factors, Monday first' })
    .length(7, { error: 'must be a list of 7 factors, Monday first' })
    .default([1, 1, 1, 1, 1, 1, 1]),
  collection: z.strictObject({
    days: z.array(weekday()).min(1, { error: 'must list at least one day' }),
    time: clock(),
  }),
  transport: transport().default('chirpstack'),
  interval_s: count().optional(),
});

const lightControlSchema = z.discriminatedUnion(
  'mode',
  [
    z.strictObject({
      mode: z.literal('photocell'),
      threshold_elevation_deg: num().min(-12).max(5).default(-2),
      jitter_deg: nonNegative().max(3).default(0.5),
    }),
    z.strictObject({
      mode: z.literal('astronomical'),
      on_offset_min: num().min(-120).max(120).default(0),
      off_offset_min: num().min(-120).max(120).default(0),
    }),
  ],
  { error: 'must have mode photocell or astronomical' },
);

const lightGroupSchema = z.strictObject({
  street: id(),
  name: text().optional(),
  count: count(),
  id_prefix: id().optional(),
  lat: num().min(-90).max(90),
  lon: num().min(-180).max(180),
  spread_m: nonNegative().max(20000).default(300),
  nominal_w: positive().max(5000),
  control: lightControlSchema,
  dimming: z.array(z.strictObject({ from: clock(), to: clock(), level_pct: pct() })).default([]),
  switch_off: z.strictObject({ from: clock(), to: clock() }).optional(),
  cabinet: id(),
  transport: transport().default('senml'),
  interval_s: count().optional(),
});

const cabinetSchema = z.strictObject({
  id: id(),
  name: text(),
  losses_pct: pct().default(3),
  tariff: tariff().optional(),
  transport: transport().default('vigie-json'),
  interval_s: count().optional(),
});

export const FAULT_KINDS = [
  'water_leak',
  'lamp_failure',
  'lamp_lit_in_daylight',
  'heating_on_in_holiday',
  'water_running',
  'bin_overflow',
  'bin_fire',
  'device_silent',
  'meter_index_reset',
  'duplicated_messages',
  'out_of_order_messages',
  'clock_skew',
  'malformed_payloads',
] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

const faultSchema = z.strictObject({
  kind: z.enum(FAULT_KINDS, { error: `must be one of ${FAULT_KINDS.join(', ')}` }),
  subject: id(),
  start: when(),
  duration: duration(),
  magnitude: num().optional(),
  note: z.string().optional(),
});

export const scenarioSchema = z.strictObject({
  version: z.literal(1, { error: 'must be 1' }),
  tenant: z.strictObject({ id: id(), name: text() }),
  location: z.strictObject({
    lat: num()
      .min(-90, { error: 'must be a latitude in [-90, 90]' })
      .max(90, { error: 'must be a latitude in [-90, 90]' }),
    lon: num()
      .min(-180, { error: 'must be a longitude in [-180, 180]' })
      .max(180, { error: 'must be a longitude in [-180, 180]' }),
    time_zone: text().refine(isTimeZone, { error: 'must be an IANA time zone such as Europe/Paris' }),
  }),
  start: when().optional(),
  interval_s: count().default(900),
  calendars: z.record(id(), calendarSchema).default({}),
  tariffs: z.strictObject({ buildings: tariff().optional(), lighting: tariff().optional() }).default({}),
  buildings: z.array(buildingSchema).default([]),
  energy_management: energyManagementSchema.default({}),
  weather: weatherSchema,
  water_sectors: z.array(waterSectorSchema).default([]),
  irrigation_zones: z.array(irrigationZoneSchema).default([]),
  bins: z.array(binGroupSchema).default([]),
  lighting: z
    .strictObject({
      cabinets: z.array(cabinetSchema).default([]),
      groups: z.array(lightGroupSchema).default([]),
    })
    .default({ cabinets: [], groups: [] }),
  faults: z.array(faultSchema).default([]),
});

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

export type Scenario = z.output<typeof scenarioSchema>;
export type BuildingSpec = Scenario['buildings'][number];
export type CalendarSpec = Scenario['calendars'][string];
export type WeatherSpec = Scenario['weather'];
export type WaterSectorSpec = Scenario['water_sectors'][number];
export type IrrigationZoneSpec = Scenario['irrigation_zones'][number];
export type BinGroupSpec = Scenario['bins'][number];
export type LightGroupSpec = Scenario['lighting']['groups'][number];
export type CabinetSpec = Scenario['lighting']['cabinets'][number];
export type FaultSpec = Scenario['faults'][number];
