// The domain's validation rules, checked against the real catalogue of device kinds.
import {
  DecodedReading,
  DeviceKind,
  RejectReason,
  TimeWindow,
  validateReading,
  ValidationOutcome,
} from '@vigie/domain';
import { BIN_SENSOR } from '../bin-sensor/bin-sensor.profile';
import { ENERGY_METER } from '../energy-meter/energy-meter.profile';
import { IRRIGATION_CONTROLLER } from '../irrigation-controller/irrigation-controller.profile';
import { LIGHT_CONTROLLER } from '../light-controller/light-controller.profile';
import { WATER_METER } from '../water-meter/water-meter.profile';
import { WEATHER_STATION } from '../weather-station/weather-station.profile';

const NOW = Date.UTC(2025, 2, 1, 6, 0, 0);
const WINDOW: TimeWindow = { maxPastMs: 86_400_000, maxFutureMs: 600_000 };

function reading(
  metric: string,
  value: unknown,
  extra: Partial<Omit<DecodedReading, 'metric' | 'value'>> = {},
): DecodedReading {
  return { metric, value, index: 0, ts: NOW, ...extra };
}

const KINDS: Record<string, DeviceKind> = Object.fromEntries(
  [BIN_SENSOR, ENERGY_METER, IRRIGATION_CONTROLLER, LIGHT_CONTROLLER, WATER_METER, WEATHER_STATION].map(
    (k) => [k.id, k],
  ),
);

function check(
  kindOrId: DeviceKind | string,
  r: DecodedReading,
  window: TimeWindow = WINDOW,
): ValidationOutcome {
  const kind = typeof kindOrId === 'string' ? KINDS[kindOrId] : kindOrId;
  if (!kind) throw new Error(`no device kind ${String(kindOrId)}`);
  return validateReading(kind, r, NOW, window);
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The accepted value, or the refusal reason: one shape to compare in tables. */
function result(outcome: ValidationOutcome): { value: number | boolean } | { reason: RejectReason } {
  return outcome.ok ? { value: outcome.reading.value } : { reason: outcome.rejection.reason };
}

describe('validateReading', () => {
  it('accepts a known metric and returns it with its value and timestamp', () => {
    expect(check(ENERGY_METER, reading('energy_kwh', 1234.5, { ts: NOW - 1000, index: 3 }))).toEqual({
      ok: true,
      reading: { metric: 'energy_kwh', value: 1234.5, ts: NOW - 1000 },
    });
  });

  it.each([
    ['energy-meter', 'power_w', 1500],
    ['light-controller', 'dim_pct', 42],
    ['light-controller', 'lamp_on', true],
    ['light-controller', 'lamp_failure', false],
    ['bin-sensor', 'fill_pct', 87.5],
    ['water-meter', 'pressure_bar', 3.2],
    ['weather-station', 'temperature_c', -12.5],
    ['irrigation-controller', 'valve_open', true],
  ])('accepts %s.%s = %p', (kind, metric, value) => {
    expect(result(check(kind, reading(metric, value)))).toEqual({ value });
  });

  describe('unknown metrics', () => {
    it.each([
      ['energy-meter', 'energy'],
      ['energy-meter', 'Energy_kwh'],
      ['energy-meter', 'fill_pct'],
      ['bin-sensor', 'power_w'],
      ['light-controller', ''],
      ['light-controller', '__proto__'],
      ['light-controller', 'constructor'],
      ['light-controller', 'toString'],
      ['light-controller', 'hasOwnProperty'],
      ['light-controller', 'valueOf'],
    ])('%s has no metric %j', (kind, metric) => {
      const outcome = check(kind, reading(metric, 1, { index: 7 }));
      expect(outcome).toEqual({
        ok: false,
        rejection: {
          reason: RejectReason.UnknownMetric,
          detail: `metric "${metric}" is not a metric of kind ${kind}`,
          index: 7,
          metric,
        },
      });
    });

    it('cuts a very long metric name in the detail', () => {
      const metric = 'x'.repeat(500);
      expect(check(ENERGY_METER, reading(metric, 1))).toEqual({
        ok: false,
        rejection: {
          reason: RejectReason.UnknownMetric,
          detail: `metric "${'x'.repeat(64)}" is not a metric of kind energy-meter`,
          index: 0,
          metric,
        },
      });
    });
  });

  describe('types', () => {
    it.each([
      ['power_w', '1500', 'power_w must be a number, got the string "1500"'],
      ['power_w', true, 'power_w must be a number, got a boolean'],
      ['power_w', null, 'power_w must be a number, got null'],
      ['power_w', undefined, 'power_w must be a number, got '],
      ['power_w', [1], 'power_w must be a number, got an array'],
      ['power_w', { v: 1 }, 'power_w must be a number, got '],
      ['lamp_on', 1, 'lamp_on must be a boolean, got a number'],
      ['lamp_on', 0, 'lamp_on must be a boolean, got a number'],
      ['lamp_on', 'true', 'lamp_on must be a boolean, got the string "true"'],
      ['lamp_on', null, 'lamp_on must be a boolean, got null'],
    ])('%s = %p is the wrong type', (metric, value, detailStart) => {
      const outcome = check(LIGHT_CONTROLLER, reading(metric, value));
      expect(outcome).toEqual({
        ok: false,
        rejection: {
          reason: RejectReason.WrongType,
          detail: expect.stringMatching(`^${escapeRegExp(detailStart)}`),
          index: 0,
          metric,
        },
      });
    });

    it.each([[NaN], [Infinity], [-Infinity]])('refuses the non-finite %p', (value) => {
      const outcome = check(ENERGY_METER, reading('power_w', value));
      expect(outcome).toEqual({
        ok: false,
        rejection: {
          reason: RejectReason.NonFinite,
          detail: `power_w is ${String(value)}`,
          index: 0,
          metric: 'power_w',
        },
      });
    });
  });

  describe('ranges (bounds included)', () => {
    it.each([
      ['energy-meter', 'energy_kwh', 0, true],
      ['energy-meter', 'energy_kwh', 1e12, true],
      ['energy-meter', 'energy_kwh', -0.001, false],
      ['energy-meter', 'energy_kwh', 1e12 + 1e-3 * 1e12, false],
      ['energy-meter', 'power_w', -1e7, true],
      ['energy-meter', 'power_w', 1e7, true],
      ['energy-meter', 'power_w', -1e7 - 1, false],
      ['energy-meter', 'power_w', 1e7 + 1, false],
      ['light-controller', 'dim_pct', 0, true],
      ['light-controller', 'dim_pct', 100, true],
      ['light-controller', 'dim_pct', 100.0001, false],
      ['light-controller', 'dim_pct', -0.0001, false],
      ['light-controller', 'power_w', 5000, true],
      ['light-controller', 'power_w', 5001, false],
      ['bin-sensor', 'fill_pct', 120, true],
      ['bin-sensor', 'fill_pct', 120.5, false],
      ['bin-sensor', 'temperature_c', -40, true],
      ['bin-sensor', 'temperature_c', -40.1, false],
      ['weather-station', 'temperature_c', -60, true],
      ['weather-station', 'temperature_c', 60, true],
      ['weather-station', 'temperature_c', 60.1, false],
      ['water-meter', 'pressure_bar', 25, true],
      ['water-meter', 'pressure_bar', 25.01, false],
    ])('%s.%s = %p accepted: %p', (kind, metric, value, accepted) => {
      expect(result(check(kind, reading(metric, value)))).toEqual(
        accepted ? { value } : { reason: RejectReason.OutOfRange },
      );
    });

    it('says which range and unit were broken', () => {
      const outcome = check(LIGHT_CONTROLLER, reading('dim_pct', 101));
      expect(outcome.ok ? undefined : outcome.rejection.detail).toBe('dim_pct = 101 is outside [0, 100] %');
    });
  });

  describe('SenML units', () => {
    it.each([
      ['energy-meter', 'power_w', 1.5, 'kW', 1500],
      ['energy-meter', 'power_w', 1500, 'W', 1500],
      ['energy-meter', 'power_w', -2, 'kW', -2000],
      ['energy-meter', 'energy_kwh', 2500, 'Wh', 2.5],
      ['energy-meter', 'energy_kwh', 1, 'Wh', 0.001],
      ['energy-meter', 'energy_kwh', 12.5, 'kWh', 12.5],
      ['energy-meter', 'energy_kwh', 3.6e9, 'J', 1000],
      ['energy-meter', 'energy_kwh', 3.6e6, 'J', 1],
      ['light-controller', 'dim_pct', 0.5, '/', 50],
      ['light-controller', 'dim_pct', 1, '/', 100],
      ['light-controller', 'dim_pct', 42, '%', 42],
      ['bin-sensor', 'battery_pct', 80, '%EL', 80],
      ['bin-sensor', 'battery_pct', 0.25, '/', 25],
      ['weather-station', 'temperature_c', 21.5, 'Cel', 21.5],
      ['weather-station', 'rain_mm', 0.0125, 'm', 12.5],
      ['water-meter', 'volume_m3', 1500, 'l', 1.5],
      ['water-meter', 'volume_m3', 1500, 'L', 1.5],
      ['water-meter', 'flow_m3h', 2, 'm3/s', 7200],
      ['water-meter', 'pressure_bar', 250, 'kPa', 2.5],
      ['water-meter', 'pressure_bar', 300000, 'Pa', 3],
    ])('%s.%s = %p %s → %p', (kind, metric, value, unit, expected) => {
      expect(result(check(kind, reading(metric, value, { unit })))).toEqual({ value: expected });
    });

    it('checks the range after conversion', () => {
      // 5001 W is over a street light's 5000 W; 5 kW is exactly the limit
      expect(result(check(LIGHT_CONTROLLER, reading('power_w', 5, { unit: 'kW' })))).toEqual({ value: 5000 });
      expect(result(check(LIGHT_CONTROLLER, reading('power_w', 5.001, { unit: 'kW' })))).toEqual({
        reason: RejectReason.OutOfRange,
      });
      expect(result(check(LIGHT_CONTROLLER, reading('dim_pct', 1.01, { unit: '/' })))).toEqual({
        reason: RejectReason.OutOfRange,
      });
      expect(result(check(LIGHT_CONTROLLER, reading('dim_pct', 150, { unit: '%' })))).toEqual({
        reason: RejectReason.OutOfRange,
      });
    });

    it.each([
      ['energy-meter', 'power_w', 'kWh'],
      ['energy-meter', 'power_w', 'w'],
      ['energy-meter', 'power_w', 'MW'],
      ['energy-meter', 'power_w', ''],
      ['energy-meter', 'energy_kwh', 'kwh'],
      ['energy-meter', 'energy_kwh', 'W'],
      ['light-controller', 'dim_pct', '%EL'],
      ['weather-station', 'temperature_c', 'K'],
      ['weather-station', 'temperature_c', '°C'],
      // inherited Object properties are not units
      ['energy-meter', 'power_w', '__proto__'],
      ['energy-meter', 'power_w', 'constructor'],
      ['energy-meter', 'power_w', 'toString'],
      ['energy-meter', 'energy_kwh', 'valueOf'],
      ['light-controller', 'dim_pct', 'hasOwnProperty'],
    ])('%s.%s refuses the unit %j', (kind, metric, unit) => {
      const outcome = check(kind, reading(metric, 1, { unit }));
      expect(result(outcome)).toEqual({ reason: RejectReason.BadUnit });
    });

    it('lists the accepted units when refusing one', () => {
      const outcome = check(ENERGY_METER, reading('power_w', 1, { unit: 'MW' }));
      expect(outcome.ok ? undefined : outcome.rejection.detail).toBe(
        'power_w does not accept unit "MW" (accepted: W, kW)',
      );
    });

    it.each([
      ['lamp_on', 'W'],
      ['lamp_on', '%'],
      ['lamp_failure', '/'],
    ])('boolean %s refuses any unit, here %j', (metric, unit) => {
      const outcome = check(LIGHT_CONTROLLER, reading(metric, true, { unit }));
      expect(outcome).toEqual({
        ok: false,
        rejection: {
          reason: RejectReason.BadUnit,
          detail: `${metric} is a boolean and takes no unit`,
          index: 0,
          metric,
        },
      });
    });

    it('accepts a boolean with an empty unit', () => {
      expect(result(check(IRRIGATION_CONTROLLER, reading('valve_open', false, { unit: '' })))).toEqual({
        value: false,
      });
    });

    it('refuses a boolean of the wrong type before looking at its unit', () => {
      expect(result(check(LIGHT_CONTROLLER, reading('lamp_on', 1, { unit: 'W' })))).toEqual({
        reason: RejectReason.WrongType,
      });
    });
  });

  describe('time window', () => {
    const window: TimeWindow = { maxPastMs: 3_600_000, maxFutureMs: 60_000 };

    it.each([
      [NOW, true],
      [NOW - 3_600_000, true],
      [NOW - 3_600_001, false],
      [NOW + 60_000, true],
      [NOW + 60_001, false],
      [0, false],
      [NOW + 86_400_000, false],
    ])('ts %p accepted: %p', (ts, accepted) => {
      const outcome = check(ENERGY_METER, reading('power_w', 10, { ts }), window);
      expect(outcome.ok ? outcome.reading.ts : outcome.rejection.reason).toBe(
        accepted ? ts : RejectReason.TimestampOutOfWindow,
      );
    });

    it('says which timestamp and window in the refusal', () => {
      const outcome = check(ENERGY_METER, reading('power_w', 10, { ts: NOW + 60_001 }), window);
      expect(outcome.ok ? undefined : outcome.rejection.detail).toBe(
        'power_w timestamp 2025-03-01T06:01:00.001Z is outside the accepted window around 2025-03-01T06:00:00.000Z',
      );
    });

    it('uses the reception time when the reading has no ts', () => {
      const r: DecodedReading = { metric: 'power_w', value: 10, index: 0 };
      expect(validateReading(ENERGY_METER, r, NOW, window)).toEqual({
        ok: true,
        reading: { metric: 'power_w', value: 10, ts: NOW },
      });
      expect(validateReading(ENERGY_METER, r, NOW + 5, { maxPastMs: 0, maxFutureMs: 0 })).toEqual({
        ok: true,
        reading: { metric: 'power_w', value: 10, ts: NOW + 5 },
      });
    });

    it('checks booleans against the window too', () => {
      expect(
        result(check(LIGHT_CONTROLLER, reading('lamp_on', true, { ts: NOW - 3_600_001 }), window)),
      ).toEqual({
        reason: RejectReason.TimestampOutOfWindow,
      });
    });
  });
});
