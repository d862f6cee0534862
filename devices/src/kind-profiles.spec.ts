// The device-kind profiles are data: these checks keep their mappings consistent with their metrics.
import {
  decodedObjectFromValues,
  LORAWAN_LINK_METRICS,
  readingsFromDecodedObject,
  toSmartDataModel,
  validateReading,
} from '@vigie/domain';
import { DEVICE_KINDS, findDeviceKind, SITE_ROLES, siteRoleProblem } from './catalogue';
import { WATER_SITE_ROLES } from './units';

const kind = (id: string) => {
  const k = findDeviceKind(id);
  if (!k) throw new Error(`no kind ${id}`);
  return k;
};

describe('device-kind profiles', () => {
  it('has the public kind ids and measurements', () => {
    expect(DEVICE_KINDS.map((k) => [k.id, k.measurement])).toEqual([
      ['energy-meter', 'energy_meter'],
      ['weather-station', 'weather_station'],
      ['water-meter', 'water_meter'],
      ['irrigation-controller', 'irrigation_controller'],
      ['bin-sensor', 'bin_sensor'],
      ['light-controller', 'light_controller'],
      ['cabinet-meter', 'cabinet_meter'],
      ['rain-gauge', 'rain_gauge'],
    ]);
  });

  it.each([
    ['cabinet-meter', ['energy_kwh', 'power_w']],
    ['rain-gauge', ['rain_mm', 'battery_pct', 'rssi_dbm', 'snr_db']],
    [
      'weather-station',
      [
        'temperature_c',
        'rain_mm',
        'humidity_pct',
        'wind_speed_ms',
        'solar_radiation_wm2',
        'rssi_dbm',
        'snr_db',
      ],
    ],
  ])('%s has the metrics %j', (id, metrics) => {
    expect(Object.keys(kind(id).metrics)).toEqual(metrics);
  });

  it('gives the link metrics to exactly the kinds that can report over LoRaWAN', () => {
    const lorawan = DEVICE_KINDS.filter((k) => k.lorawan).map((k) => k.id);
    expect(lorawan).toEqual([
      'weather-station',
      'water-meter',
      'irrigation-controller',
      'bin-sensor',
      'rain-gauge',
    ]);
    for (const k of DEVICE_KINDS) {
      for (const m of LORAWAN_LINK_METRICS) expect([k.id, m, m in k.metrics]).toEqual([k.id, m, !!k.lorawan]);
    }
    expect(kind('bin-sensor').metrics['rssi_dbm']).toMatchObject({ unit: 'dBm', min: -200, max: 50 });
    expect(kind('rain-gauge').metrics['snr_db']).toMatchObject({ unit: 'dB', min: -50, max: 50 });
  });

  it.each(DEVICE_KINDS.map((k) => [k.id, k] as const))('%s maps only to its own metrics', (_id, k) => {
    for (const f of Object.values(k.lorawan?.fields ?? {}))
      expect(Object.keys(k.metrics)).toContain(f.metric);
    for (const m of Object.keys(k.smartDataModel?.attributes ?? {}))
      expect(Object.keys(k.metrics)).toContain(m);
    for (const m of Object.keys(k.talq ?? {})) expect(Object.keys(k.metrics)).toContain(m);
    expect(k.smartDataModel?.entityType).toMatch(/^[A-Z][A-Za-z]+$/);
  });

  it.each([
    [
      'bin-sensor',
      { fillingLevel: 0.62, temperature: 14.5, batteryLevel: 80, battery: 3.61 },
      { fill_pct: 62, temperature_c: 14.5, battery_pct: 80 },
    ],
    [
      'weather-station',
      { temperature: 21.5, precipitation: 0.4, relativeHumidity: 0.55, windSpeed: 3.2, solarRadiation: 640 },
      { temperature_c: 21.5, rain_mm: 0.4, humidity_pct: 55, wind_speed_ms: 3.2, solar_radiation_wm2: 640 },
    ],
    [
      'water-meter',
      { waterConsumption: 1234.567, flow: 2.5, pressure: 3.1 },
      { volume_m3: 1234.567, flow_m3h: 2.5, pressure_bar: 3.1 },
    ],
    [
      'irrigation-controller',
      { waterConsumption: 12.5, valveOpen: true },
      { volume_m3: 12.5, valve_open: true },
    ],
    ['rain-gauge', { precipitation: 1.2, batteryLevel: 97 }, { rain_mm: 1.2, battery_pct: 97 }],
  ])('%s reads the codec object %j as %j, and writes it back', (id, object, values) => {
    const k = kind(id);
    const readings = readingsFromDecodedObject(k, object, 1000);
    expect(Object.fromEntries(readings.map((r) => [r.metric, r.value]))).toEqual(values);
    for (const r of readings)
      expect(validateReading(k, r, 1000, { maxPastMs: 0, maxFutureMs: 0 }).ok).toBe(true);
    // every field but the ones the kind ignores (the bin's raw battery voltage) comes back
    const mapped = Object.fromEntries(Object.entries(object).filter(([field]) => field !== 'battery'));
    expect(decodedObjectFromValues(k, { ...values, rssi_dbm: -90, snr_db: 7 })).toEqual(mapped);
  });

  it.each([
    [
      'bin-sensor',
      { fill_pct: 62, temperature_c: 14.5, battery_pct: 80 },
      'WasteContainer',
      { fillingLevel: 0.62, temperature: 14.5 },
    ],
    [
      'light-controller',
      { power_w: 65, dim_pct: 70, lamp_on: true, lamp_failure: false },
      'Streetlight',
      { powerConsumption: 65, illuminanceLevel: 0.7, powerState: 'on', status: 'ok' },
    ],
    [
      'light-controller',
      { lamp_on: false, lamp_failure: true },
      'Streetlight',
      { powerState: 'off', status: 'defectiveLamp' },
    ],
    [
      'cabinet-meter',
      { power_w: 1830.5, energy_kwh: 45210 },
      'StreetlightControlCabinet',
      { totalActivePower: 1.8305, energyConsumed: 45210 },
    ],
    [
      'water-meter',
      { volume_m3: 1234.5, flow_m3h: 2 },
      'WaterConsumptionObserved',
      { waterConsumption: 1234.5 },
    ],
    [
      'energy-meter',
      { energy_kwh: 10, power_w: 2500 },
      'ACMeasurement',
      { totalActiveEnergyImport: 10, totalActivePower: 2.5 },
    ],
    [
      'weather-station',
      { temperature_c: 20, humidity_pct: 55, rain_mm: 1 },
      'WeatherObserved',
      { temperature: 20, relativeHumidity: 0.55, precipitation: 1 },
    ],
  ])('%s %j is the Smart Data Model %s %j', (id, values, type, attributes) => {
    expect(toSmartDataModel(kind(id), values)).toEqual({ type, attributes });
  });

  it('names TALQ data points for the lighting kinds', () => {
    expect(kind('light-controller').talq?.['power_w']).toEqual({
      function: 'LampMonitorFunction',
      attribute: 'activePower',
    });
    expect(kind('light-controller').talq?.['lamp_failure']?.attribute).toBe('lampFailure');
    expect(kind('cabinet-meter').talq?.['energy_kwh']).toEqual({
      function: 'ElectricalMeterFunction',
      attribute: 'activeEnergy',
    });
  });

  it('accepts the water site roles and refuses others with the list', () => {
    expect(WATER_SITE_ROLES).toEqual(['production', 'import', 'export', 'district-inflow', 'customer']);
    expect(SITE_ROLES).toEqual(WATER_SITE_ROLES);
    expect(siteRoleProblem('district-inflow')).toBeUndefined();
    expect(siteRoleProblem('school')).toBe(
      "site role 'school' is not one the device kinds know; accepted: production, import, export, district-inflow, customer",
    );
  });
});
