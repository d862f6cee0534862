import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { FAULT_KINDS } from './scenario.schema';
import { parseScenario, ScenarioError, ScenarioErrorCode } from './scenario.parser';
import { layoutTown } from './town.layout';

const DEMO_PATH = join(__dirname, '../../scenarios/demo-town.yaml');

/** The smallest useful scenario; each case below breaks one thing. */
function minimal(): Record<string, unknown> {
  return {
    version: 1,
    tenant: { id: 'tiny', name: 'Tiny town' },
    location: { lat: 48.85, lon: 2.35, time_zone: 'Europe/Paris' },
    calendars: { school: { holidays: [{ name: 'Noël', from: '2025-12-20', to: '2026-01-04' }] } },
    buildings: [
      {
        id: 'school',
        name: 'School',
        use: 'school',
        surface_m2: 1000,
        calendar: 'school',
        hours: { weekdays: '08:00-17:00', wed: '08:00-12:00' },
        reference_kwh_yr: 100000,
        base_load_kw: 1,
        heating: { type: 'gas-boiler' },
      },
    ],
    weather: {
      temperature_c: { annual_mean: 12, seasonal_amplitude: 7.5, daily_range: { winter: 5, summer: 10 } },
      rain: { wet_day_probability: 0.3, mean_event_mm: 5, mean_duration_h: 4 },
      stations: [{ id: 'meteo', name: 'Weather' }],
    },
    lighting: {
      cabinets: [{ id: 'cab', name: 'Cabinet' }],
      groups: [
        {
          street: 'main-street',
          count: 3,
          lat: 48.85,
          lon: 2.35,
          nominal_w: 50,
          control: { mode: 'photocell' },
          cabinet: 'cab',
        },
      ],
    },
    faults: [{ kind: 'lamp_failure', subject: 'lp-main-street-002', start: '1d', duration: '6h' }],
  };
}

type Doc = Record<string, unknown>;

/** The ScenarioError that `parse` throws; fails when it throws nothing or something else. */
function errorOf(parse: () => unknown): ScenarioError {
  try {
    parse();
  } catch (e) {
    if (e instanceof ScenarioError) return e;
    throw e;
  }
  throw new Error('the scenario was accepted');
}

function problemsOf(doc: Doc, fileName = 'town.yaml'): ScenarioError {
  return errorOf(() =>
    parseScenario(fileName.endsWith('.json') ? JSON.stringify(doc) : stringify(doc), fileName),
  );
}

const building = (d: Doc) => (d['buildings'] as Doc[])[0];
const heating = (d: Doc) => building(d)['heating'] as Doc;

describe('parseScenario', () => {
  it('accepts the minimal scenario in YAML and in JSON, with defaults filled in', () => {
    for (const [text, name] of [
      [stringify(minimal()), 'tiny.yaml'],
      [JSON.stringify(minimal()), 'tiny.json'],
    ]) {
      const s = parseScenario(text, name);
      expect(s.interval_s).toBe(900);
      expect(s.buildings[0].heating).toMatchObject({ setpoint_c: 19, setback_c: 16, share: 0.55 });
      expect(s.lighting.groups[0].transport).toBe('senml');
      expect(s.water_sectors).toEqual([]);
    }
  });

  it.each<[string, (d: Doc) => void, string]>([
    [
      'a negative surface',
      (d) => (building(d)['surface_m2'] = -5),
      'buildings[0].surface_m2: must be a positive number',
    ],
    [
      'a surface given as text',
      (d) => (building(d)['surface_m2'] = '1000'),
      'buildings[0].surface_m2: must be a number',
    ],
    ['a missing tenant name', (d) => delete (d['tenant'] as Doc)['name'], 'tenant.name: is required'],
    ['an unknown field', (d) => (building(d)['colour'] = 'red'), 'buildings[0]: unknown field "colour"'],
    ['an unknown use', (d) => (building(d)['use'] = 'castle'), 'buildings[0].use: must be one of school'],
    [
      'bad opening hours',
      (d) => (building(d)['hours'] = { mon: '8h-17h' }),
      'buildings[0].hours.mon: must be "HH:MM-HH:MM',
    ],
    [
      'a bad heating type',
      (d) => (heating(d)['type'] = 'coal'),
      'buildings[0].heating.type: must be one of gas-boiler',
    ],
    [
      'a heating share above 1',
      (d) => (heating(d)['share'] = 1.5),
      'buildings[0].heating.share: must be between 0 and 1',
    ],
    [
      'a latitude of 123',
      (d) => ((d['location'] as Doc)['lat'] = 123),
      'location.lat: must be a latitude in [-90, 90]',
    ],
    [
      'an unknown time zone',
      (d) => ((d['location'] as Doc)['time_zone'] = 'Mars/Olympus'),
      'location.time_zone: must be an IANA time zone',
    ],
    ['an upper-case id', (d) => (building(d)['id'] = 'School'), 'buildings[0].id: must be lowercase letters'],
    [
      'an unknown fault kind',
      (d) => ((d['faults'] as Doc[])[0]['kind'] = 'meteor'),
      'faults[0].kind: must be one of water_leak',
    ],
    [
      'a bad duration',
      (d) => ((d['faults'] as Doc[])[0]['duration'] = 'two days'),
      'faults[0].duration: must be a duration',
    ],
    [
      'a start without zone',
      (d) => ((d['faults'] as Doc[])[0]['start'] = '2025-01-06T08:00:00'),
      'faults[0].start: must be an ISO 8601 date-time with a zone',
    ],
    [
      'a light count of 2.5',
      (d) => (((d['lighting'] as Doc)['groups'] as Doc[])[0]['count'] = 2.5),
      'lighting.groups[0].count: must be a whole number',
    ],
    [
      'an unknown light control',
      (d) => (((d['lighting'] as Doc)['groups'] as Doc[])[0]['control'] = { mode: 'timer' }),
      'lighting.groups[0].control',
    ],
    ['version 2', (d) => (d['version'] = 2), 'version: must be 1'],
  ])('refuses %s, naming the path', (_, mutate, expected) => {
    const doc = minimal();
    mutate(doc);
    const { code, problems } = problemsOf(doc);
    expect(code).toBe(ScenarioErrorCode.Invalid);
    expect(problems).toEqual(expect.arrayContaining([expect.stringContaining(expected)]));
  });

  it.each<[string, (d: Doc) => void, string]>([
    [
      'an unknown calendar',
      (d) => (building(d)['calendar'] = 'nope'),
      'buildings[0].calendar: no calendar "nope" in calendars',
    ],
    [
      'an unknown cabinet',
      (d) => (((d['lighting'] as Doc)['groups'] as Doc[])[0]['cabinet'] = 'cab-9'),
      'lighting.groups[0].cabinet: no cabinet "cab-9"',
    ],
    [
      'a fault on a missing device',
      (d) => ((d['faults'] as Doc[])[0]['subject'] = 'lp-main-street-009'),
      'faults[0].subject: "lp-main-street-009" is not a light point',
    ],
    [
      'a leak on a building',
      (d) =>
        ((d['faults'] as Doc[])[0] = { kind: 'water_leak', subject: 'school', start: '1d', duration: '1d' }),
      'faults[0].subject: "school" is not a water sector',
    ],
    [
      'a reset on a bin',
      (d) =>
        ((d['faults'] as Doc[])[0] = {
          kind: 'meter_index_reset',
          subject: 'meteo',
          start: '1d',
          duration: '1h',
        }),
      'faults[0].subject: "meteo" is not a device with a cumulative index',
    ],
    [
      'a base load over the reference',
      (d) => (building(d)['base_load_kw'] = 20),
      'buildings[0].base_load_kw: 20 kW all year',
    ],
    [
      'a setback above the setpoint',
      (d) => (heating(d)['setback_c'] = 22),
      'buildings[0].heating.setback_c: must not exceed setpoint_c',
    ],
    [
      'a duplicate building id',
      (d) => (d['buildings'] as Doc[]).push({ ...building(d) }),
      'buildings[1]: site id "school" is used twice',
    ],
  ])('refuses %s as inconsistent', (_, mutate, expected) => {
    const doc = minimal();
    mutate(doc);
    const { code, problems } = problemsOf(doc);
    expect(code).toBe(ScenarioErrorCode.Inconsistent);
    expect(problems).toEqual(expect.arrayContaining([expect.stringContaining(expected)]));
  });

  it('lists every problem at once, with the file name in the message', () => {
    const doc = minimal();
    building(doc)['surface_m2'] = 0;
    (doc['location'] as Doc)['lon'] = 500;
    const err = errorOf(() => parseScenario(stringify(doc), 'broken.yaml'));
    expect(err.problems).toHaveLength(2);
    expect(err.message).toMatch(/^broken\.yaml does not match the scenario format:\n {2}- /);
  });

  it('reports YAML and JSON syntax errors with their position', () => {
    expect(problemsOf({} as Doc, 'x.yaml').code).toBe(ScenarioErrorCode.Invalid);
    for (const [text, name, pattern] of [
      ['tenant: [unclosed', 'bad.yaml', /^line \d+, column \d+: /],
      ['{"version": 1,', 'bad.json', /JSON/],
    ] as const) {
      const err = errorOf(() => parseScenario(text, name));
      expect(err.code).toBe(ScenarioErrorCode.Syntax);
      expect(err.problems[0]).toMatch(pattern);
    }
  });
});

describe('the demo town', () => {
  const demo = parseScenario(readFileSync(DEMO_PATH, 'utf8'), 'demo-town.yaml');
  const { town } = layoutTown(demo);
  const count = (kind: string) => town.devices.filter((d) => d.kind === kind).length;

  it('has the size the issue asks for, at 15-minute resolution', () => {
    expect(demo.location.lat).toBeCloseTo(48.85, 1);
    expect(demo.buildings.length).toBeGreaterThanOrEqual(20);
    expect(
      demo.buildings.filter((b) => b.use === 'school' && b.calendar === 'fr-school-zone-c').length,
    ).toBeGreaterThan(0);
    expect(demo.water_sectors).toHaveLength(4);
    expect(demo.irrigation_zones).toHaveLength(10);
    expect(count('bin-sensor')).toBe(300);
    expect(count('light-controller')).toBe(1000);
    expect(count('cabinet-meter')).toBe(10);
    expect(count('weather-station')).toBeGreaterThanOrEqual(1);
    expect(count('rain-gauge')).toBeGreaterThanOrEqual(1);
    expect(new Set(town.devices.map((d) => d.intervalS))).toEqual(new Set([900]));
  });

  it('injects at least one fault of every kind', () => {
    expect(new Set(demo.faults.map((f) => f.kind))).toEqual(new Set(FAULT_KINDS));
  });

  it('lights some streets all night and switches others off', () => {
    expect(demo.lighting.groups.some((g) => g.switch_off === undefined)).toBe(true);
    expect(demo.lighting.groups.some((g) => g.switch_off !== undefined)).toBe(true);
  });

  it('sends bins and customer water meters over LoRaWAN, with DevEUIs', () => {
    const lorawan = (d: (typeof town.devices)[number]) =>
      d.transport === 'chirpstack' || d.transport === 'tts';
    expect(town.devices.filter((d) => d.kind === 'bin-sensor').every(lorawan)).toBe(true);
    expect(town.devices.filter((d) => /-customer-\d+$/.test(d.id)).every(lorawan)).toBe(true);
    expect(town.devices.filter(lorawan).every((d) => /^[0-9a-f]{16}$/.test(d.devEui ?? ''))).toBe(true);
    expect(town.devices.filter((d) => !lorawan(d)).every((d) => d.devEui === undefined)).toBe(true);
    const euis = town.devices.flatMap((d) => (d.devEui ? [d.devEui] : []));
    expect(new Set(euis).size).toBe(euis.length);
  });

  it("gives every network water meter's site a role and a sector; building meters sit on their building", () => {
    const sites = new Map(town.sites.map((s) => [s.id, s]));
    const meters = town.devices.filter((x) => x.kind === 'water-meter');
    const onBuildings = meters.filter((d) => sites.get(d.site ?? '')?.attributes['type'] === 'building');
    // W7: the three gyms (the `&gym` anchor and its two copies) have a water meter.
    expect(onBuildings.map((d) => d.id).sort()).toEqual([
      'dojo-municipal-water',
      'gymnase-coubertin-water',
      'gymnase-jean-bouin-water',
    ]);
    for (const d of meters.filter((x) => !onBuildings.includes(x))) {
      const site = sites.get(d.site ?? '');
      expect(['production', 'import', 'export', 'district-inflow', 'customer']).toContain(
        site?.attributes['role'],
      );
      expect(sites.get(site?.attributes['sector'] ?? '')?.attributes['type']).toBe('water-sector');
    }
    // W6 and W8 attributes: the sectors' average pressure in metres, the zones' rain gauges.
    expect(sites.get('secteur-nord')?.attributes['pressure_m']).toBe('41.8'); // (4.6 + 3.6) / 2 × 10.197
    expect(sites.get('stade-municipal')?.attributes['rain_gauge']).toBe('pluvio-stade');
  });
});
