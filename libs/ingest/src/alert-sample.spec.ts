import { ValidReading, watchedMetrics } from '@vigie/domain';
import { alertSample } from './readings.ingestor';

const T = 1_740_808_800_000;
const subject = { tenant: 't1', device: 'bin-1', site: 's1' };

describe('alertSample', () => {
  const watched = [...watchedMetrics('bin-sensor')];
  const unwatched = ['fill_pct', 'temperature_c', 'battery_pct'].find((m) => !watched.includes(m));

  it('lists each report time once, sorted, whatever the order of the readings', () => {
    const at = (ts: number): ValidReading => ({ metric: watched[0], value: 1, ts });
    for (const order of [
      [T, T + 1000, T + 2000],
      [T + 2000, T, T + 1000, T],
      [T + 1000, T + 1000, T, T + 2000],
    ]) {
      expect(alertSample(subject, 'bin-sensor', order.map(at)).r).toEqual([T, T + 1000, T + 2000]);
    }
  });

  it('keeps the watched metrics with their times and values, and only those', () => {
    expect(watched.length).toBeGreaterThan(0);
    const readings: ValidReading[] = [
      { metric: watched[0], value: 61, ts: T + 1000 },
      ...(unwatched ? [{ metric: unwatched, value: 3, ts: T }] : []),
      { metric: watched[0], value: 58, ts: T },
    ];
    const sample = alertSample(subject, 'bin-sensor', readings);
    expect(sample).toMatchObject({ t: 't1', d: 'bin-1', k: 'bin-sensor', s: 's1' });
    expect(sample.m).toEqual([
      [watched[0], T + 1000, 61],
      [watched[0], T, 58],
    ]);
  });
});
