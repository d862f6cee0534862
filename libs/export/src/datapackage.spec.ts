import {
  ACCOUNTS_SCHEMA,
  ALERTS_SCHEMA,
  devicesSchema,
  measurementColumns,
  measurementSchema,
  ROUTES_SCHEMA,
  RULES_SCHEMA,
  SILENCES_SCHEMA,
  SITES_SCHEMA,
  TENANT_SCHEMA,
} from './archive.schemas';
import { buildDataPackage, castCell, describeResource, jsonRowProblems, resourceName } from './datapackage';
import { seriesRowLine } from './tenant.importer';

describe('datapackage descriptor', () => {
  const sites = describeResource('registry/sites.csv', SITES_SCHEMA, { rows: 3, bytes: 120, title: 'Sites' });
  const tenant = describeResource('registry/tenant.json', TENANT_SCHEMA, { rows: 1 });

  it('describes a CSV file as a tabular data resource with its dialect and schema', () => {
    expect(sites).toEqual({
      name: 'registry-sites',
      path: 'registry/sites.csv',
      profile: 'tabular-data-resource',
      title: 'Sites',
      format: 'csv',
      mediatype: 'text/csv',
      encoding: 'utf-8',
      dialect: { delimiter: ',', lineTerminator: '\r\n', header: true },
      schema: { ...SITES_SCHEMA, missingValues: [''] },
      rows: 3,
      bytes: 120,
    });
  });

  it('describes a JSON file (an array of row objects) without a CSV dialect', () => {
    expect(tenant).toMatchObject({ format: 'json', mediatype: 'application/json', encoding: 'utf-8' });
    expect(tenant).not.toHaveProperty('dialect');
  });

  it('is a tabular data package with its licence, creation time, tenant and sorted resources', () => {
    const pkg = buildDataPackage({
      tenant: 'demo-town',
      tenantName: 'Ville de Démo',
      created: new Date('2026-03-01T08:00:00Z'),
      licence: 'etalab-2.0',
      from: Date.parse('2026-01-31T23:00:00Z'),
      credentialHashes: true,
      resources: [tenant, sites],
    });
    expect(pkg).toMatchObject({
      profile: 'tabular-data-package',
      name: 'vigie-demo-town',
      created: '2026-03-01T08:00:00.000Z',
      licenses: [
        {
          name: 'etalab-2.0',
          path: 'https://www.etalab.gouv.fr/licence-ouverte-open-licence/',
          title: 'Licence Ouverte 2.0',
        },
      ],
      vigie: {
        formatVersion: 1,
        tenant: 'demo-town',
        from: '2026-01-31T23:00:00.000Z',
        to: null,
        credentialHashes: true,
      },
    });
    expect(pkg.resources.map((r) => r.path)).toEqual(['registry/sites.csv', 'registry/tenant.json']);
  });

  it('keeps an unknown licence id as its name', () => {
    const pkg = buildDataPackage({
      tenant: 't',
      tenantName: 't',
      created: new Date(0),
      licence: 'LicenseRef-town',
      credentialHashes: false,
      resources: [],
    });
    expect(pkg.licenses).toEqual([{ name: 'LicenseRef-town' }]);
  });

  it.each([
    ['readings/energy_meter.csv', 'readings-energy_meter'],
    ['alerts/alert-events.csv', 'alerts-alert-events'],
    ['Registry/Tenant.json', 'registry-tenant'],
  ])('names %s %s', (path, name) => {
    expect(resourceName(path)).toBe(name);
  });
});

describe('resource schemas', () => {
  const all = [
    TENANT_SCHEMA,
    SITES_SCHEMA,
    devicesSchema(['energy-meter']),
    ACCOUNTS_SCHEMA,
    RULES_SCHEMA,
    ROUTES_SCHEMA,
    SILENCES_SCHEMA,
    ALERTS_SCHEMA,
  ];

  it('uses only Table Schema types and primary keys that are fields', () => {
    for (const s of all) {
      for (const f of s.fields) {
        expect(['string', 'number', 'integer', 'boolean', 'datetime', 'object', 'array']).toContain(f.type);
      }
      for (const k of s.primaryKey ?? []) expect(s.fields.map((f) => f.name)).toContain(k);
    }
  });

  it('orders a measurement file as time, tenant, site, device, other tags, then fields by name', () => {
    const cols = measurementColumns(
      'energy_meter',
      ['device', 'tenant', 'site', 'zone'],
      [
        { name: 'power_w', type: 'number' },
        { name: 'energy_kwh', type: 'number' },
        { name: 'power_w', type: 'number' },
        { name: 'lamp_on', type: 'boolean' },
      ],
    );
    const schema = measurementSchema(cols, ['device', 'time']);
    expect(schema.fields.map((f) => `${f.name}:${f.type}`)).toEqual([
      'time:datetime',
      'tenant:string',
      'site:string',
      'device:string',
      'zone:string',
      'energy_kwh:number',
      'lamp_on:boolean',
      'power_w:number',
    ]);
    expect(schema.fields.find((f) => f.name === 'device')?.constraints?.required).toBe(true);
    expect(schema.primaryKey).toEqual(['device', 'time']);
  });
});

describe('castCell', () => {
  const f = (
    type: 'string' | 'number' | 'integer' | 'boolean' | 'datetime' | 'object',
    required = false,
  ) => ({
    name: 'x',
    type,
    ...(required ? { constraints: { required: true } } : {}),
  });

  it.each([
    [f('number'), '1234.5', 1234.5],
    [f('number'), '-1e-7', -1e-7],
    [f('integer'), '900', 900],
    [f('boolean'), 'true', true],
    [f('boolean'), 'false', false],
    [f('datetime'), '2026-03-01T07:00:00.000Z', Date.parse('2026-03-01T07:00:00Z')],
    [f('object'), '{"role":"customer"}', { role: 'customer' }],
    [f('string'), '', ''],
    [f('number'), null, null],
  ])('%j reads %j as %j', (field, cell, value) => {
    expect(castCell(field, cell)).toEqual(value);
  });

  it.each([
    [f('number'), 'NaN', 'not a number'],
    [f('number'), '12abc', 'not a number'],
    [f('integer'), '1.5', 'not an integer'],
    [f('boolean'), 'yes', 'not true or false'],
    [f('datetime'), '2026-03-01', 'not an ISO 8601 date-time'],
    [f('object'), '[1]', 'not a object'],
    [f('string', true), null, 'required'],
  ])('%j refuses %j', (field, cell, message) => {
    expect(() => castCell(field, cell)).toThrow(message);
  });

  it('checks JSON rows: unknown keys, missing and mistyped values', () => {
    expect(jsonRowProblems(ALERTS_SCHEMA, { id: 'a1', alert: {}, history: [] })).toEqual([]);
    expect(jsonRowProblems(ALERTS_SCHEMA, { id: 1, alert: [], extra: true })).toEqual([
      "unknown field 'extra'",
      'id is not a string',
      'alert is not a object',
      'history is required',
    ]);
  });
});

describe('seriesRowLine', () => {
  const schema = measurementSchema(
    measurementColumns(
      'irrigation_controller',
      ['tenant', 'site', 'device'],
      [
        { name: 'volume_m3', type: 'number' },
        { name: 'valve_open', type: 'boolean' },
        { name: 'count', type: 'integer' },
        { name: 'text', type: 'string' },
      ],
    ),
  );

  it('types each field as its schema says, leaves out missing values, sorts and escapes tags', () => {
    const line = seriesRowLine('irrigation_controller', new Set(['tenant', 'site', 'device']), schema, {
      time: 1740808800000,
      tenant: 'demo',
      site: 'parc nord',
      device: 'v-1',
      volume_m3: 12.5,
      valve_open: true,
      count: 3,
      text: 'say "hi"',
    });
    expect(line).toBe(
      'irrigation_controller,device=v-1,site=parc\\ nord,tenant=demo count=3i,text="say \\"hi\\"",valve_open=true,volume_m3=12.5 1740808800000',
    );
    expect(
      seriesRowLine('irrigation_controller', new Set(['tenant', 'device']), schema, {
        time: 1,
        tenant: 'demo',
        device: 'v-1',
        site: null,
        volume_m3: null,
      }),
    ).toBeUndefined();
  });
});
