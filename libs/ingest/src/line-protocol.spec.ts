import { ValidReading } from '@vigie/domain';
import { toLineProtocol, toRejectedLines } from './line-protocol';

const T1 = 1_740_808_800_000;
const T2 = T1 + 900_000;

describe('toLineProtocol', () => {
  it('writes one line per timestamp, tags sorted device, site, tenant, at millisecond precision', () => {
    const readings: ValidReading[] = [{ metric: 'power_w', value: 1500.5, ts: T1 }];
    expect(toLineProtocol('energy_meter', { tenant: 't1', site: 's1', device: 'd1' }, readings)).toEqual([
      `energy_meter,device=d1,site=s1,tenant=t1 power_w=1500.5 ${T1}`,
    ]);
  });

  it('groups the metrics of one instant into one line, lines in order of first appearance', () => {
    const readings: ValidReading[] = [
      { metric: 'energy_kwh', value: 10, ts: T2 },
      { metric: 'power_w', value: 1, ts: T1 },
      { metric: 'power_w', value: 2, ts: T2 },
      { metric: 'energy_kwh', value: 9, ts: T1 },
    ];
    expect(toLineProtocol('energy_meter', { tenant: 't1', site: 's1', device: 'd1' }, readings)).toEqual([
      `energy_meter,device=d1,site=s1,tenant=t1 energy_kwh=10,power_w=2 ${T2}`,
      `energy_meter,device=d1,site=s1,tenant=t1 power_w=1,energy_kwh=9 ${T1}`,
    ]);
  });

  it('keeps the last value of a metric given twice for one instant, at its first place', () => {
    const readings: ValidReading[] = [
      { metric: 'power_w', value: 1, ts: T1 },
      { metric: 'energy_kwh', value: 9, ts: T1 },
      { metric: 'power_w', value: 3, ts: T1 },
      { metric: 'power_w', value: 4, ts: T2 },
    ];
    expect(toLineProtocol('energy_meter', { tenant: 't1', device: 'd1' }, readings)).toEqual([
      `energy_meter,device=d1,tenant=t1 power_w=3,energy_kwh=9 ${T1}`,
      `energy_meter,device=d1,tenant=t1 power_w=4 ${T2}`,
    ]);
  });

  it('returns no line for no reading', () => {
    expect(toLineProtocol('energy_meter', { tenant: 't1', device: 'd1' }, [])).toEqual([]);
  });

  it.each([
    ['absent', undefined],
    ['empty', ''],
  ])('leaves out the site tag when the site is %s', (_what, site) => {
    expect(
      toLineProtocol('energy_meter', { tenant: 't1', site, device: 'd1' }, [
        { metric: 'power_w', value: 3, ts: T1 },
      ]),
    ).toEqual([`energy_meter,device=d1,tenant=t1 power_w=3 ${T1}`]);
  });

  it.each([
    ['a,b', 'a\\,b'],
    ['a b', 'a\\ b'],
    ['a=b', 'a\\=b'],
    ['a\\b', 'a\\\\b'],
    ['ends\\', 'ends\\\\'],
    ['x, =\\y', 'x\\,\\ \\=\\\\y'],
    ['plain-id_01', 'plain-id_01'],
  ])('escapes the tag value %j as %j in every tag', (raw, escaped) => {
    expect(
      toLineProtocol('m', { tenant: raw, site: raw, device: raw }, [{ metric: 'f', value: 1, ts: T1 }]),
    ).toEqual([`m,device=${escaped},site=${escaped},tenant=${escaped} f=1 ${T1}`]);
  });

  it('escapes measurement and field keys', () => {
    expect(
      toLineProtocol('my measure,x', { tenant: 't', device: 'd' }, [{ metric: 'a b,c=d', value: 1, ts: T1 }]),
    ).toEqual([`my\\ measure\\,x,device=d,tenant=t a\\ b\\,c\\=d=1 ${T1}`]);
  });

  it.each([
    [true, 'true'],
    [false, 'false'],
  ])('writes the boolean %p as %s', (value, text) => {
    expect(
      toLineProtocol('light_controller', { tenant: 't1', device: 'd1' }, [
        { metric: 'lamp_on', value, ts: T1 },
      ]),
    ).toEqual([`light_controller,device=d1,tenant=t1 lamp_on=${text} ${T1}`]);
  });

  it.each([
    [0, '0'],
    [-0, '0'],
    [42, '42'],
    [-7, '-7'],
    [1000000, '1000000'],
    [0.5, '0.5'],
    [-12.25, '-12.25'],
    [1234.5678, '1234.5678'],
    [0.1 + 0.2, '0.30000000000000004'],
    [1e21, '1e+21'],
    [1.5e-7, '1.5e-7'],
  ])('writes the number %p as the float %s (integers without an i suffix)', (value, text) => {
    const [line] = toLineProtocol('m', { tenant: 't', device: 'd' }, [{ metric: 'v', value, ts: T1 }]);
    expect(line).toBe(`m,device=d,tenant=t v=${text} ${T1}`);
    expect(line).not.toMatch(/=\d+i /);
  });

  it('mixes booleans and numbers of one instant in one line', () => {
    const readings: ValidReading[] = [
      { metric: 'lamp_on', value: true, ts: T1 },
      { metric: 'power_w', value: 80, ts: T1 },
      { metric: 'dim_pct', value: 62.5, ts: T1 },
    ];
    expect(
      toLineProtocol('light_controller', { tenant: 'commune-a', site: 'rue-1', device: 'lamp-7' }, readings),
    ).toEqual([
      `light_controller,device=lamp-7,site=rue-1,tenant=commune-a lamp_on=true,power_w=80,dim_pct=62.5 ${T1}`,
    ]);
  });

  it('gives, for payloads in any order, the lines of the reference grouping (one line per instant, last value wins)', () => {
    // The reference: instants in order of first appearance, metrics at their first place with their last value.
    const reference = (readings: readonly ValidReading[]): string[] => {
      const byTs = new Map<number, Map<string, number | boolean>>();
      for (const r of readings) byTs.set(r.ts, (byTs.get(r.ts) ?? new Map()).set(r.metric, r.value));
      return [...byTs].map(
        ([ts, fields]) =>
          `m,device=d,tenant=t ${[...fields].map(([k, v]) => `${k}=${typeof v === 'boolean' ? v : String(v)}`).join(',')} ${ts}`,
      );
    };
    let seed = 7;
    const next = (n: number) => {
      seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
      return seed % n;
    };
    let inOrder = 0;
    for (let round = 0; round < 500; round++) {
      const readings: ValidReading[] = Array.from({ length: 1 + next(12) }, () => ({
        metric: ['a', 'b', 'c'][next(3)],
        value: next(2) ? next(1000) / 8 : next(2) === 1,
        ts: T1 + next(4) * 1000,
      }));
      // Half the payloads are sorted by time (the usual shape, the one-pass path), half are not.
      if (round % 2) readings.sort((x, y) => x.ts - y.ts);
      if (readings.every((r, i) => i === 0 || readings[i - 1].ts <= r.ts)) inOrder++;
      expect(toLineProtocol('m', { tenant: 't', device: 'd' }, readings)).toEqual(reference(readings));
    }
    expect(inOrder).toBeGreaterThanOrEqual(250);
  });

  it("counts a payload's refused readings per reason in `rejected` points, escaped like readings", () => {
    const rejections = [{ reason: 'out_of_range' }, { reason: 'unknown_metric' }, { reason: 'out_of_range' }];
    expect(toRejectedLines({ tenant: 'commune a', device: 'd=1' }, rejections, T1)).toEqual([
      `rejected,device=d\\=1,reason=out_of_range,tenant=commune\\ a readings=2 ${T1}`,
      `rejected,device=d\\=1,reason=unknown_metric,tenant=commune\\ a readings=1 ${T1}`,
    ]);
    expect(toRejectedLines({ tenant: 't', site: 's', device: 'd' }, [], T1)).toEqual([]);
  });
});
