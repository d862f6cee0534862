import { CLOSED_DAYS_ATTRIBUTE, formatClosedDays } from '@vigie/domain';
import { normalMonthlyDegreeDays } from './climate-normals';
import { calendarClosedDays } from './occupancy';
import { lightPointPosition } from './light-point';
import { binPosition, scatterAround, sitePosition } from './town.positions';
import { hashString, hex64 } from './prng';
import {
  BinGroupSpec,
  BuildingSpec,
  CabinetSpec,
  FaultKind,
  IrrigationZoneSpec,
  LightGroupSpec,
  Scenario,
  Transport,
  WaterSectorSpec,
  WEEKDAYS,
} from './scenario.schema';
import { SimulatedDevice, SimulatedSite, SimulatedTown } from './town.types';

export type WaterRole = 'production' | 'import' | 'export' | 'district-inflow' | 'customer';

/** What each device simulates, beside its public description. */
export type DevicePlan =
  | { readonly role: 'building'; readonly building: BuildingSpec }
  | { readonly role: 'building-water'; readonly building: BuildingSpec }
  | { readonly role: 'weather-station' }
  | { readonly role: 'rain-gauge'; readonly factor: number }
  | {
      readonly role: 'water';
      readonly sector: WaterSectorSpec;
      readonly meter: WaterRole;
      /** Customer meters only: which one (0-based). */
      readonly index: number;
    }
  | { readonly role: 'irrigation'; readonly zone: IrrigationZoneSpec }
  | { readonly role: 'bin'; readonly group: BinGroupSpec; readonly index: number }
  | { readonly role: 'light'; readonly group: LightGroupSpec; readonly index: number }
  | { readonly role: 'cabinet'; readonly cabinet: CabinetSpec; readonly points: readonly string[] };

export interface TownLayout {
  readonly town: SimulatedTown;
  readonly plans: ReadonlyMap<string, DevicePlan>;
  /** Consistency problems (`path: problem`); empty when the scenario is usable. */
  readonly problems: readonly string[];
}

const LORAWAN: ReadonlySet<Transport> = new Set(['chirpstack', 'tts']);
export const CUMULATIVE_KINDS: ReadonlySet<string> = new Set([
  'energy-meter',
  'water-meter',
  'irrigation-controller',
  'light-controller',
  'cabinet-meter',
]);

export function lightPointId(group: LightGroupSpec, index: number): string {
  return `${group.id_prefix ?? `lp-${group.street}`}-${String(index + 1).padStart(3, '0')}`;
}

export function binId(group: BinGroupSpec, index: number): string {
  return `${group.id_prefix ?? `bin-${group.district}`}-${String(index + 1).padStart(3, '0')}`;
}

/** Sites and devices of a scenario, with ids derived from the scenario's ids (stable across seeds). */
export function layoutTown(scenario: Scenario): TownLayout {
  const problems: string[] = [];
  const sites = new Map<string, SimulatedSite>();
  const devices = new Map<string, SimulatedDevice>();
  const plans = new Map<string, DevicePlan>();
  const tenant = scenario.tenant.id;
  const townCentre = { lat: scenario.location.lat, lon: scenario.location.lon };

  const site = (path: string, id: string, name: string, attributes: Record<string, string | number>) => {
    if (sites.has(id)) problems.push(`${path}: site id "${id}" is used twice`);
    sites.set(id, {
      id,
      name,
      attributes: Object.fromEntries(Object.entries(attributes).map(([k, v]) => [k, String(v)])),
    });
  };
  const device = (
    path: string,
    d: {
      id: string;
      kind: string;
      site?: string;
      name: string;
      transport: Transport;
      interval?: number;
      location?: { lat: number; lon: number };
    },
    plan: DevicePlan,
  ) => {
    if (devices.has(d.id)) problems.push(`${path}: device id "${d.id}" is used twice`);
    const intervalS = d.interval ?? scenario.interval_s;
    devices.set(d.id, {
      id: d.id,
      kind: d.kind,
      ...(d.site ? { site: d.site } : {}),
      name: d.name,
      intervalS,
      transport: d.transport,
      ...(LORAWAN.has(d.transport) ? { devEui: hex64(`${tenant}/${d.id}`) } : {}),
      // Every device has a position (the dashboards' maps): its own, else its site's, else the town centre's.
      location: d.location ?? (d.site ? sitePosition(scenario.location, d.site) : townCentre),
    });
    plans.set(d.id, plan);
  };

  // B4, B6, B9: the station serving the buildings, the normal DJU of the scenario's climate, the baseline and
  // the décret-tertiaire reference year (reference_kwh_yr is the consumption of a normal year).
  const em = scenario.energy_management;
  const energyManagement: Record<string, string | number> = {
    ...(scenario.buildings.length
      ? {
          dju_ref_months: normalMonthlyDegreeDays(scenario.weather, scenario.location)
            .map((v) => v.toFixed(1))
            .join(','),
        }
      : {}),
    ...(scenario.weather.stations[0] ? { weather_station: scenario.weather.stations[0].id } : {}),
    ...(em.baseline ? { baseline: em.baseline } : {}),
    ...(em.baseline_min_days ? { baseline_min_days: em.baseline_min_days } : {}),
    ...(em.reference_year ? { reference_year: em.reference_year } : {}),
  };
  scenario.buildings.forEach((b, i) => {
    const path = `buildings[${i}]`;
    if (b.calendar !== undefined && !Object.hasOwn(scenario.calendars, b.calendar)) {
      problems.push(`${path}.calendar: no calendar "${b.calendar}" in calendars`);
    }
    if (b.base_load_kw * 8760 > b.reference_kwh_yr * (1 - b.heating.share)) {
      problems.push(
        `${path}.base_load_kw: ${b.base_load_kw} kW all year is more than the non-heating part of reference_kwh_yr`,
      );
    }
    if (b.heating.setback_c > b.heating.setpoint_c) {
      problems.push(`${path}.heating.setback_c: must not exceed setpoint_c`);
    }
    site(path, b.id, b.name, {
      type: 'building',
      use: b.use,
      surface_m2: b.surface_m2,
      calendar: b.calendar ?? '',
      hours: describeHours(b.hours),
      // The calendar's holidays and closed days, for the KPIs judged against opening hours (B5, W7).
      [CLOSED_DAYS_ATTRIBUTE]: formatClosedDays(calendarClosedDays(scenario.calendars[b.calendar ?? ''])),
      heating_type: b.heating.type,
      reference_kwh_yr: b.reference_kwh_yr,
      ...energyManagement,
      tariff: b.tariff ?? scenario.tariffs.buildings ?? '',
      subscribed_kva: b.subscribed_kva ?? '',
    });
    device(
      path,
      {
        id: `${b.id}-energy`,
        kind: 'energy-meter',
        site: b.id,
        name: `${b.name} — energy meter`,
        transport: b.transport,
        interval: b.interval_s,
      },
      { role: 'building', building: b },
    );
    if (b.water) {
      device(
        `${path}.water`,
        {
          id: `${b.id}-water`,
          kind: 'water-meter',
          site: b.id,
          name: `${b.name} — water meter`,
          transport: b.transport,
          interval: b.water.interval_s ?? b.interval_s,
        },
        { role: 'building-water', building: b },
      );
    }
  });

  scenario.weather.stations.forEach((s, i) => {
    const path = `weather.stations[${i}]`;
    site(path, `${s.id}-site`, s.name, {
      type: 'weather',
      lat: scenario.location.lat,
      lon: scenario.location.lon,
    });
    device(
      path,
      {
        id: s.id,
        kind: 'weather-station',
        site: `${s.id}-site`,
        name: s.name,
        transport: s.transport,
        interval: s.interval_s,
        location: townCentre,
      },
      { role: 'weather-station' },
    );
  });
  scenario.weather.rain_gauges.forEach((g, i) => {
    const path = `weather.rain_gauges[${i}]`;
    site(path, `${g.id}-site`, g.name, {
      type: 'weather',
      lat: g.lat ?? scenario.location.lat,
      lon: g.lon ?? scenario.location.lon,
    });
    device(
      path,
      {
        id: g.id,
        kind: 'rain-gauge',
        site: `${g.id}-site`,
        name: g.name,
        transport: g.transport,
        interval: g.interval_s,
        location: { lat: g.lat ?? scenario.location.lat, lon: g.lon ?? scenario.location.lon },
      },
      { role: 'rain-gauge', factor: g.factor },
    );
  });

  scenario.water_sectors.forEach((s, i) => {
    const path = `water_sectors[${i}]`;
    site(path, s.id, s.name, {
      type: 'water-sector',
      network_length_km: s.network_length_km,
      connections: s.connections,
      target_efficiency_pct: s.target_efficiency_pct,
      unmetered_m3_yr: s.unmetered_m3_yr,
      // W6 UARL: average operating pressure, the mean of night and peak pressure, in metres (1 bar = 10.197 m).
      pressure_m: Math.round(((s.pressure_bar.night + s.pressure_bar.peak) / 2) * 10.197 * 10) / 10,
    });
    const meter = (role: WaterRole, label: string) => {
      const siteId = `${s.id}-${role === 'district-inflow' ? 'inflow' : role === 'customer' ? 'customers' : role}`;
      site(path, siteId, `${s.name} — ${label}`, { role, sector: s.id });
      return siteId;
    };
    const network = (role: WaterRole, label: string) => {
      const siteId = meter(role, label);
      device(
        path,
        {
          id: `${siteId}-meter`,
          kind: 'water-meter',
          site: siteId,
          name: `${s.name} — ${label} meter`,
          transport: s.transport.network,
          interval: s.interval_s,
        },
        { role: 'water', sector: s, meter: role, index: 0 },
      );
    };
    if (s.production_share > 0) network('production', 'production');
    if (s.production_share < 1) network('import', 'bulk import');
    if (s.export_m3_day > 0) network('export', 'bulk export');
    network('district-inflow', 'district inflow');
    const customers = meter('customer', 'customers');
    for (let n = 0; n < s.customer_meters; n++) {
      device(
        path,
        {
          id: `${s.id}-customer-${String(n + 1).padStart(2, '0')}`,
          kind: 'water-meter',
          site: customers,
          name: `${s.name} — customer meter ${n + 1} (aggregated)`,
          transport: s.transport.customers,
          interval: s.interval_s,
        },
        { role: 'water', sector: s, meter: 'customer', index: n },
      );
    }
  });

  scenario.irrigation_zones.forEach((z, i) => {
    const path = `irrigation_zones[${i}]`;
    site(path, z.id, z.name, {
      type: 'irrigation-zone',
      area_m2: z.area_m2,
      kc: z.kc,
      nominal_flow_m3h: z.nominal_flow_m3h,
      rain_gauge: z.rain_gauge ?? '',
    });
    if (z.rain_gauge !== undefined && !scenario.weather.rain_gauges.some((g) => g.id === z.rain_gauge))
      problems.push(`${path}.rain_gauge: no rain gauge "${z.rain_gauge}" in weather.rain_gauges`);
    device(
      path,
      {
        id: `${z.id}-valve`,
        kind: 'irrigation-controller',
        site: z.id,
        name: `${z.name} — valve`,
        transport: z.transport,
        interval: z.interval_s,
      },
      { role: 'irrigation', zone: z },
    );
  });

  scenario.bins.forEach((g, i) => {
    const path = `bins[${i}]`;
    const siteId = `bins-${g.district}`;
    const schedule = g.collection.days.join(',');
    const first = scenario.bins.find((o) => o.district === g.district);
    if (first && first !== g && first.collection.days.join(',') !== schedule)
      problems.push(
        `${path}.collection.days: district ${g.district} already has the rounds ${first.collection.days.join(',')} (one schedule per district site)`,
      );
    if (!sites.has(siteId))
      site(path, siteId, `Bins — ${g.district}`, {
        type: 'bin-district',
        district: g.district,
        capacity_l: g.capacity_l,
        collection_schedule: schedule,
      });
    for (let n = 0; n < g.count; n++) {
      const id = binId(g, n);
      device(
        path,
        {
          id,
          kind: 'bin-sensor',
          site: siteId,
          name: `Bin ${id}`,
          transport: g.transport,
          interval: g.interval_s,
          location: binPosition(scenario.location, g.district, id),
        },
        { role: 'bin', group: g, index: n },
      );
    }
  });

  const cabinets = new Map(scenario.lighting.cabinets.map((c) => [c.id, [] as string[]]));
  // A cabinet stands in the first street it feeds (50 m around its base), else somewhere in town.
  const cabinetPosition = (id: string) => {
    const street = scenario.lighting.groups.find((g) => g.cabinet === id);
    return street
      ? scatterAround(street, 50, hashString(`cabinet-position/${id}`))
      : sitePosition(scenario.location, id);
  };
  scenario.lighting.groups.forEach((g, i) => {
    const path = `lighting.groups[${i}]`;
    const points = cabinets.get(g.cabinet);
    if (!points) problems.push(`${path}.cabinet: no cabinet "${g.cabinet}" in lighting.cabinets`);
    site(path, g.street, g.name ?? g.street, {
      type: 'street',
      cabinet: g.cabinet,
      nominal_w: g.nominal_w,
      control: g.control.mode,
      switch_off: g.switch_off ? `${g.switch_off.from}-${g.switch_off.to}` : '',
    });
    for (let n = 0; n < g.count; n++) {
      const id = lightPointId(g, n);
      points?.push(id);
      device(
        path,
        {
          id,
          kind: 'light-controller',
          site: g.street,
          name: `Light ${id}`,
          transport: g.transport,
          interval: g.interval_s,
          location: lightPointPosition(g, id),
        },
        { role: 'light', group: g, index: n },
      );
    }
  });
  scenario.lighting.cabinets.forEach((c, i) => {
    const path = `lighting.cabinets[${i}]`;
    site(path, c.id, c.name, {
      type: 'lighting-cabinet',
      tariff: c.tariff ?? scenario.tariffs.lighting ?? '',
    });
    device(
      path,
      {
        id: `${c.id}-meter`,
        kind: 'cabinet-meter',
        site: c.id,
        name: `${c.name} — meter`,
        transport: c.transport,
        interval: c.interval_s,
        location: cabinetPosition(c.id),
      },
      { role: 'cabinet', cabinet: c, points: cabinets.get(c.id) ?? [] },
    );
  });

  scenario.faults.forEach((f, i) => {
    const problem = checkFaultSubject(f.kind, f.subject, plans, devices, scenario);
    if (problem) problems.push(`faults[${i}].subject: ${problem}`);
  });

  return {
    town: { tenant: { ...scenario.tenant }, sites: [...sites.values()], devices: [...devices.values()] },
    plans,
    problems,
  };
}

function checkFaultSubject(
  kind: FaultKind,
  subject: string,
  plans: ReadonlyMap<string, DevicePlan>,
  devices: ReadonlyMap<string, SimulatedDevice>,
  scenario: Scenario,
): string | undefined {
  const plan = plans.get(subject);
  switch (kind) {
    case 'water_leak':
      return scenario.water_sectors.some((s) => s.id === subject)
        ? undefined
        : `"${subject}" is not a water sector`;
    case 'heating_on_in_holiday':
      return scenario.buildings.some((b) => b.id === subject) ? undefined : `"${subject}" is not a building`;
    case 'water_running':
      return scenario.buildings.some((b) => b.id === subject && b.water)
        ? undefined
        : `"${subject}" is not a building with a water meter (\`water\`)`;
    case 'lamp_failure':
    case 'lamp_lit_in_daylight':
      return plan?.role === 'light' ? undefined : `"${subject}" is not a light point`;
    case 'bin_overflow':
    case 'bin_fire':
      return plan?.role === 'bin' ? undefined : `"${subject}" is not a bin sensor`;
    case 'meter_index_reset':
      return devices.has(subject) && CUMULATIVE_KINDS.has(devices.get(subject)?.kind ?? '')
        ? undefined
        : `"${subject}" is not a device with a cumulative index`;
    case 'device_silent':
    case 'duplicated_messages':
    case 'out_of_order_messages':
    case 'clock_skew':
    case 'malformed_payloads':
      return devices.has(subject) ? undefined : `"${subject}" is not a device`;
  }
}

/** The opening hours as one line for the site's attributes: `mon 08:30-16:30; wed 08:30-12:00; …`. */
export function describeHours(hours: BuildingSpec['hours']): string {
  return WEEKDAYS.map((d, i) => `${d} ${dayHoursOf(hours, i)}`).join('; ');
}

/** The opening-hours text of weekday `i` (0 = Monday): its own entry, else weekdays/weekend, else closed. */
export function dayHoursOf(hours: BuildingSpec['hours'], i: number): string {
  const own = hours[WEEKDAYS[i]];
  if (own !== undefined) return own;
  const group = i < 5 ? hours.weekdays : hours.weekend;
  return group ?? 'closed';
}
