import { parseDevicesCsv } from './devices-csv';

const HEADER_ERROR = (missing: string) =>
  `line 1: the header must name the columns tenant,id,kind,site,interval_s,dev_eui,lat,lon (missing '${missing}')`;

describe('parseDevicesCsv', () => {
  it('reads every column', () => {
    const csv = [
      'tenant,id,kind,site,interval_s',
      't1,d1,energy-meter,s1,900',
      't1,d2,bin-sensor,s2,3600',
    ].join('\n');
    expect(parseDevicesCsv(csv)).toEqual({
      rows: [
        { line: 2, device: { tenant: 't1', id: 'd1', kind: 'energy-meter', site: 's1', intervalS: 900 } },
        { line: 3, device: { tenant: 't1', id: 'd2', kind: 'bin-sensor', site: 's2', intervalS: 3600 } },
      ],
      errors: [],
    });
  });

  it('reads the LoRaWAN DevEUI column', () => {
    const csv = 'tenant,id,kind,dev_eui\nt1,b1,bin-sensor,70B3D57ED0001234\nt1,m1,energy-meter,';
    expect(parseDevicesCsv(csv).rows.map((r) => r.device.devEui)).toEqual(['70B3D57ED0001234', undefined]);
  });

  it('takes the columns in the order of the header, in any case, with spaces around', () => {
    const csv = ' Kind , ID,Tenant ,INTERVAL_S\nwater-meter, w1 ,t2, 60 ';
    expect(parseDevicesCsv(csv)).toEqual({
      rows: [
        { line: 2, device: { tenant: 't2', id: 'w1', kind: 'water-meter', site: undefined, intervalS: 60 } },
      ],
      errors: [],
    });
  });

  it('reads a header that starts with a UTF-8 byte order mark (spreadsheet exports)', () => {
    expect(parseDevicesCsv('\uFEFFtenant,id,kind\nt1,d1,energy-meter')).toEqual({
      rows: [
        {
          line: 2,
          device: { tenant: 't1', id: 'd1', kind: 'energy-meter', site: undefined, intervalS: undefined },
        },
      ],
      errors: [],
    });
  });

  it.each([
    ['no site nor interval_s column', 'tenant,id,kind\nt1,d1,energy-meter', undefined, undefined],
    [
      'empty site and interval_s cells',
      'tenant,id,kind,site,interval_s\nt1,d1,energy-meter,,',
      undefined,
      undefined,
    ],
    [
      'a site, no interval',
      'tenant,id,kind,site,interval_s\nt1,d1,energy-meter,mairie,',
      'mairie',
      undefined,
    ],
    ['an interval, no site', 'tenant,id,kind,site,interval_s\nt1,d1,energy-meter,,300', undefined, 300],
    ['only the interval_s column', 'tenant,id,kind,interval_s\nt1,d1,energy-meter,0', undefined, 0],
  ])('site and interval are optional: %s', (_what, csv, site, intervalS) => {
    const { rows, errors } = parseDevicesCsv(csv);
    expect(errors).toEqual([]);
    expect(rows).toEqual([
      { line: 2, device: { tenant: 't1', id: 'd1', kind: 'energy-meter', site, intervalS } },
    ]);
  });

  describe('header', () => {
    it.each([
      ['id,kind', ['tenant']],
      ['tenant,kind', ['id']],
      ['tenant,id', ['kind']],
      ['tenant', ['id', 'kind']],
      ['t1,d1,energy-meter', ['tenant', 'id', 'kind']],
    ])('%j misses %j', (header, missing) => {
      const { rows, errors } = parseDevicesCsv(`${header}\nt1,d1,energy-meter`);
      expect(rows).toEqual([]);
      expect(errors.filter((e) => e.includes('missing'))).toEqual(missing.map(HEADER_ERROR));
    });

    it('refuses an empty file as a missing header', () => {
      expect(parseDevicesCsv('')).toEqual({ rows: [], errors: ['tenant', 'id', 'kind'].map(HEADER_ERROR) });
    });

    it.each([
      ['tenant,id,kind,name', 'name'],
      ['tenant,id,kind,site,interval', 'interval'],
      ['tenant,id,kind,password,username', 'password, username'],
    ])('%j names unknown column(s) %s', (header, unknown) => {
      const { rows, errors } = parseDevicesCsv(`${header}\nt1,d1,energy-meter,x,y`);
      expect(rows).toEqual([]);
      expect(errors).toEqual([
        `line 1: unknown column(s) ${unknown}; allowed: tenant, id, kind, site, interval_s, dev_eui, lat, lon`,
      ]);
    });

    it('reports a missing column and an unknown one together', () => {
      expect(parseDevicesCsv('tenant,device,kind\nt1,d1,energy-meter').errors).toEqual([
        HEADER_ERROR('id'),
        'line 1: unknown column(s) device; allowed: tenant, id, kind, site, interval_s, dev_eui, lat, lon',
      ]);
    });

    it('does not read the lines under a bad header', () => {
      const { rows, errors } = parseDevicesCsv('tenant,id\nt1,d1,x,y,z,w\nt1,d2,energy-meter,,abc');
      expect(rows).toEqual([]);
      expect(errors).toEqual([HEADER_ERROR('kind')]);
    });
  });

  describe('lines', () => {
    it('skips blank lines and # comments, and keeps the file line numbers', () => {
      const csv = [
        'tenant,id,kind', // 1
        '# street lights', // 2
        '', // 3
        't1,l1,light-controller', // 4
        '   ', // 5
        '  # indented comment', // 6
        't1,l2,light-controller', // 7
        '', // 8 (trailing newline)
      ].join('\n');
      const { rows, errors } = parseDevicesCsv(csv);
      expect(errors).toEqual([]);
      expect(rows.map((r) => [r.line, r.device.id])).toEqual([
        [4, 'l1'],
        [7, 'l2'],
      ]);
    });

    it('reads Windows line endings', () => {
      const { rows, errors } = parseDevicesCsv(
        'tenant,id,kind,site\r\nt1,d1,energy-meter,s1\r\nt1,d2,energy-meter,s2\r\n',
      );
      expect(errors).toEqual([]);
      expect(rows.map((r) => [r.line, r.device.id, r.device.site])).toEqual([
        [2, 'd1', 's1'],
        [3, 'd2', 's2'],
      ]);
    });

    it.each([
      ['t1,d1', 'line 3: expected 3 fields, found 2'],
      ['t1,d1,energy-meter,s1', 'line 3: expected 3 fields, found 4'],
      ['t1', 'line 3: expected 3 fields, found 1'],
      ['t1,d1,energy-meter,', 'line 3: expected 3 fields, found 4'],
    ])('refuses the line %j: wrong field count', (line, error) => {
      const { rows, errors } = parseDevicesCsv(
        `tenant,id,kind\nt1,ok,energy-meter\n${line}\nt1,ok2,energy-meter`,
      );
      expect(errors).toEqual([error]);
      expect(rows.map((r) => r.line)).toEqual([2, 4]);
    });

    it.each([['abc'], ['-5'], ['1.5'], ['15m'], ['1e3'], ['0x10'], ['+60']])(
      'refuses the interval %j',
      (interval) => {
        const { rows, errors } = parseDevicesCsv(`tenant,id,kind,interval_s\nt1,d1,energy-meter,${interval}`);
        expect(rows).toEqual([]);
        expect(errors).toEqual([`line 2: interval_s must be a whole number of seconds, got '${interval}'`]);
      },
    );

    it('reports every bad line with its own number and keeps the good ones', () => {
      const csv = [
        'tenant,id,kind,site,interval_s', // 1
        't1,d1,energy-meter,s1,900', // 2
        '# a comment', // 3
        't1,d2,energy-meter,s1', // 4: 4 fields
        't1,d3,energy-meter,s1,soon', // 5: bad interval
        '', // 6
        't1,d4,energy-meter,,', // 7
        't1,d5,energy-meter,s1,9,9', // 8: 6 fields
      ].join('\n');
      const { rows, errors } = parseDevicesCsv(csv);
      expect(errors).toEqual([
        'line 4: expected 5 fields, found 4',
        "line 5: interval_s must be a whole number of seconds, got 'soon'",
        'line 8: expected 5 fields, found 6',
      ]);
      expect(rows.map((r) => [r.line, r.device.id])).toEqual([
        [2, 'd1'],
        [7, 'd4'],
      ]);
    });

    it.each([
      ['a header alone', 'tenant,id,kind'],
      ['a header and a newline', 'tenant,id,kind\n'],
      ['only comments and blank lines', 'tenant,id,kind\n# none yet\n\n   \n'],
    ])('says so when the file has no device lines: %s', (_what, csv) => {
      expect(parseDevicesCsv(csv)).toEqual({ rows: [], errors: ['the file has no device lines'] });
    });

    it('does not add "no device lines" when every line was wrong', () => {
      expect(parseDevicesCsv('tenant,id,kind\nt1,d1').errors).toEqual(['line 2: expected 3 fields, found 2']);
    });

    it('leaves id and kind checks to the registry: empty cells become empty strings', () => {
      expect(parseDevicesCsv('tenant,id,kind\nt1,,').rows).toEqual([
        { line: 2, device: { tenant: 't1', id: '', kind: '', site: undefined, intervalS: undefined } },
      ]);
    });
  });
});
