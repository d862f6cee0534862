import { DeviceKind } from './device-kind';
import {
  decodedObjectFromValues,
  ignoredLorawanFields,
  readingsFromDecodedObject,
  scaleDecimal,
} from './lorawan-mapping';
import { toSmartDataModel } from './smart-data-model';

/** A kind made for these tests; the real catalogue is checked in devices/src/kind-profiles.spec.ts. */
const BIN: DeviceKind = {
  id: 'bin',
  measurement: 'bin',
  description: 'test kind',
  reportingIntervalS: 60,
  metrics: {
    fill_pct: { unit: '%', type: 'number', min: 0, max: 120, description: 'fill' },
    temperature_c: { unit: '°C', type: 'number', description: 'temperature' },
    lid_open: { unit: '', type: 'boolean', description: 'lid' },
    rssi_dbm: { unit: 'dBm', type: 'number', description: 'rssi' },
  },
  lorawan: {
    fields: {
      fillingLevel: { metric: 'fill_pct', scale: 100 },
      temp_dC: { metric: 'temperature_c', scale: { divideBy: 10 } },
      lidOpen: { metric: 'lid_open' },
    },
  },
  smartDataModel: {
    entityType: 'WasteContainer',
    dataModel: 'dataModel.WasteManagement',
    attributes: {
      fill_pct: { attribute: 'fillingLevel', scale: 0.01 },
      temperature_c: { attribute: 'temperature' },
      lid_open: { attribute: 'status', whenTrue: 'lidOpen', whenFalse: 'ok' },
    },
  },
};

describe('LoRaWAN decoded objects', () => {
  it.each([
    [0.62, 100, 62],
    [0.07, 100, 7],
    [0.29, 100, 29],
    [145, { divideBy: 10 }, 14.5],
    [62, 0.01, 0.62],
    [1830.5, { divideBy: 1000 }, 1.8305],
    [3, undefined, 3],
  ])('scales %p by %j to exactly %p', (value, scale, expected) => {
    expect(scaleDecimal(value, scale)).toBe(expected);
  });

  it.each([
    [
      'mapped fields, scaled',
      { fillingLevel: 0.62, temp_dC: 145, lidOpen: false },
      [
        { metric: 'fill_pct', value: 62, ts: 1000, index: 0 },
        { metric: 'temperature_c', value: 14.5, ts: 1000, index: 1 },
        { metric: 'lid_open', value: false, ts: 1000, index: 2 },
      ],
    ],
    [
      'a field named like a metric is taken as is',
      { fill_pct: 40, battery: 3.61 },
      [{ metric: 'fill_pct', value: 40, ts: 1000, index: 0 }],
    ],
    ['unknown fields are ignored', { voltage: 3.6, status: 'ok', constructor: 1, __proto__: 2 }, []],
    [
      'a non-number is passed on unscaled for validation to refuse',
      { fillingLevel: '0.62', temp_dC: null },
      [
        { metric: 'fill_pct', value: '0.62', ts: 1000, index: 0 },
        { metric: 'temperature_c', value: null, ts: 1000, index: 1 },
      ],
    ],
  ])('%s', (_name, object, expected) => {
    expect(readingsFromDecodedObject(BIN, object as Record<string, unknown>, 1000)).toEqual(expected);
  });

  it('lists the fields it ignores', () => {
    expect(
      ignoredLorawanFields(BIN, { fillingLevel: 1, voltage: 3, fill_pct: 2, hasOwnProperty: 4 }),
    ).toEqual(['voltage', 'hasOwnProperty']);
  });

  it.each([
    [
      { fill_pct: 62, temperature_c: 14.5, lid_open: true },
      { fillingLevel: 0.62, temp_dC: 145, lidOpen: true },
    ],
    [{ fill_pct: 7, rssi_dbm: -97 }, { fillingLevel: 0.07 }],
    [{ temperature_c: -3.3 }, { temp_dC: -33 }],
  ])('writes %j as the codec object %j, and reads it back', (values, object) => {
    expect(decodedObjectFromValues(BIN, values)).toEqual(object);
    const back = readingsFromDecodedObject(BIN, object);
    const expected = Object.entries(values).filter(([m]) => m !== 'rssi_dbm');
    expect(back.map((r) => [r.metric, r.value])).toEqual(expected);
  });

  it('keeps the metric name of a metric without codec field', () => {
    const kind: DeviceKind = { ...BIN, lorawan: undefined };
    expect(decodedObjectFromValues(kind, { fill_pct: 3 })).toEqual({ fill_pct: 3 });
  });
});

describe('toSmartDataModel', () => {
  it.each([
    [
      { fill_pct: 62, temperature_c: 14.5 },
      { fillingLevel: 0.62, temperature: 14.5 },
    ],
    [{ lid_open: true }, { status: 'lidOpen' }],
    [{ lid_open: false, rssi_dbm: -80 }, { status: 'ok' }],
    [{ fill_pct: true }, {}],
  ])('maps %j to %j', (values, attributes) => {
    expect(toSmartDataModel(BIN, values)).toEqual({ type: 'WasteContainer', attributes });
  });

  it('is undefined for a kind without a model', () => {
    expect(toSmartDataModel({ ...BIN, smartDataModel: undefined }, { fill_pct: 1 })).toBeUndefined();
  });
});
