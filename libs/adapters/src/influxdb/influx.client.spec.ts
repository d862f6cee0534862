import { describeServer, influxIdent, influxString, toLinePoint } from './influx.client';

describe('describeServer picks the write endpoint the server speaks', () => {
  const opts = { db: 'vigie', rp: '', org: '', token: '' };

  it.each([
    ['1.6.7~rc0', '1.x', '/write?db=vigie&precision=ms'],
    ['1.7.10', '1.x', '/write?db=vigie&precision=ms'],
    ['1.8.10', '1.8+', '/api/v2/write?bucket=vigie&precision=ms'],
    ['v2.7.4', '2.x', '/api/v2/write?bucket=vigie&precision=ms'],
    ['2.7.4', '2.x', '/api/v2/write?bucket=vigie&precision=ms'],
    ['3.0.1', '3.x', '/api/v2/write?bucket=vigie&precision=ms'],
    ['', '1.x', '/write?db=vigie&precision=ms'],
  ])('version %s → %s', (version, generation, writePath) => {
    expect(describeServer(version, opts)).toEqual({
      version: version || 'unknown 1.x',
      generation,
      writePath,
    });
  });

  it('passes the retention policy, organisation and 1.x credentials where each generation wants them', () => {
    expect(describeServer('1.6.7', { db: 'v', rp: 'raw', org: '', token: 'admin:s3cret' }).writePath).toBe(
      '/write?db=v&precision=ms&rp=raw&u=admin&p=s3cret',
    );
    expect(describeServer('1.8.3', { db: 'v', rp: 'raw', org: '', token: 't' }).writePath).toBe(
      '/api/v2/write?bucket=v%2Fraw&precision=ms',
    );
    // 1.8 with user:password (no token header): its 1.x endpoint, credentials as u and p.
    expect(describeServer('1.8.10', { db: 'v', rp: '', org: '', token: 'vigie:pw' })).toEqual({
      version: '1.8.10',
      generation: '1.8+',
      writePath: '/write?db=v&precision=ms&u=vigie&p=pw',
    });
    expect(describeServer('2.7.1', { db: 'v', rp: '', org: 'Ville de Lyon', token: 't' }).writePath).toBe(
      '/api/v2/write?org=Ville%20de%20Lyon&bucket=v&precision=ms',
    );
  });
});

describe('toLinePoint writes one point of line protocol', () => {
  it('sorts tags, drops empty ones, escapes, and writes numbers as floats at ms precision', () => {
    expect(
      toLinePoint({
        measurement: 'kpi',
        tags: {
          window: 'day',
          tenant: 'ville de x',
          kpi: 'B1.consumption_kwh',
          method: '',
          subject: 'a,b=c',
        },
        fields: { value: 225, completeness: 0.5 },
        ts: 1774738800000,
      }),
    ).toBe(
      'kpi,kpi=B1.consumption_kwh,subject=a\\,b\\=c,tenant=ville\\ de\\ x,window=day value=225,completeness=0.5 1774738800000',
    );
  });

  it('refuses a point that can never be stored', () => {
    const p = { measurement: 'kpi', tags: { tenant: 't' }, fields: { value: 1 }, ts: 1 };
    expect(() => toLinePoint({ ...p, fields: { value: NaN } })).toThrow('field value is NaN');
    expect(() => toLinePoint({ ...p, fields: {} })).toThrow('at least one field');
    expect(() => toLinePoint({ ...p, ts: 1.5 })).toThrow('timestamp 1.5');
  });

  it('quotes InfluxQL identifiers and strings', () => {
    expect(influxIdent('a"b')).toBe('"a\\"b"');
    expect(influxString("l'eau")).toBe("'l\\'eau'");
  });
});
