import { KpiDevice } from '../../kpi-engine.types';
import { dayWindows, parsePeriod } from '../../kpi-windows.utils';
import { availabilityPoints, wholeDaysOfReports } from './device-availability.kpi';

const iso = (s: string) => Date.parse(s);
const dev = (id: string, intervalS: number): KpiDevice => ({ id, kind: 'energy-meter', intervalS });

describe('X2 device availability', () => {
  // 2026-03-29 (23 h = 1380 min), the 30th, the 31st; the run happens at 12:00 CEST on the 30th.
  const days = dayWindows(parsePeriod('2026-03-29', '2026-03-31'), 'Europe/Paris');
  const now = iso('2026-03-30T10:00:00Z');

  it('counts a device online up to 3 intervals after each report, cuts today at now, skips future days', () => {
    const reports = new Map([
      [
        'm',
        [
          // 15-min device, online ≤ 45 min after a report. 22:30Z on the 28th (23:30 CET, the day before) holds
          // until 23:15Z: 15 min into the 29th (which starts 23:00Z).
          iso('2026-03-28T22:30:00Z'),
          // 12:00Z, 12:15, 12:30: online 12:00 → 13:15Z = 75 min.
          iso('2026-03-29T12:00:00Z'),
          iso('2026-03-29T12:15:00Z'),
          iso('2026-03-29T12:30:00Z'),
          // 21:45Z: online to 22:30Z, 15 min on the 29th (ends 22:00Z) and 30 min on the 30th.
          iso('2026-03-29T21:45:00Z'),
        ],
      ],
    ]);
    const points = availabilityPoints([dev('m', 900), dev('silent', 3600)], reports, days, now);
    // The 29th: (15 + 75 + 15) / 1380. The 30th so far (22:00Z → 10:00Z = 720 min): 30 / 720, half elapsed.
    // The 31st is in the future: no point. The silent device: 0 both days.
    expect(
      points.map((p) => [p.kpi, p.subject, new Date(p.ts).toISOString(), p.value, p.completeness]),
    ).toEqual([
      ['X2.availability', 'm', '2026-03-28T23:00:00.000Z', 105 / 1380, 1],
      ['X2.availability', 'm', '2026-03-29T22:00:00.000Z', 30 / 720, 0.5],
      ['X2.availability', 'silent', '2026-03-28T23:00:00.000Z', 0, 1],
      ['X2.availability', 'silent', '2026-03-29T22:00:00.000Z', 0, 0.5],
    ]);
  });

  it('is 1 for a device reporting on time all day', () => {
    const day = dayWindows(parsePeriod('2026-03-10', '2026-03-10'), 'Europe/Paris');
    // Hourly from 00:00 CET (23:00Z on the 9th) to 23:00 CET: 24 reports, each online until the next; the last
    // one up to 3 h, cut at midnight.
    const times = Array.from({ length: 24 }, (_, k) => iso('2026-03-09T23:00:00Z') + k * 3_600_000);
    const [p] = availabilityPoints([dev('m', 3600)], new Map([['m', times]]), day, now);
    expect(p.value).toBe(1);
  });

  it('tells the whole days from report times: a report within 3 intervals before the start, no longer gap to the end', () => {
    // The 10th, 11th and 12th of March (CET: 23:00Z → 23:00Z), a 15-min device (hold 45 min), run on the 13th.
    const three = dayWindows(parsePeriod('2026-03-10', '2026-03-12'), 'Europe/Paris');
    const q = 900_000;
    const from = iso('2026-03-09T22:20:00Z'); // 40 min before the 10th: online into it
    const times: number[] = [];
    for (let ts = from; ts < iso('2026-03-12T23:30:00Z'); ts += q) {
      // A 50-min silence on the 11th (longer than the hold) from 12:05Z; on the 12th, one of 45 min (the hold).
      if (ts > iso('2026-03-11T12:05:00Z') && ts < iso('2026-03-11T12:55:00Z')) continue;
      if (ts > iso('2026-03-12T12:05:00Z') && ts < iso('2026-03-12T12:50:00Z')) continue;
      times.push(ts);
    }
    const devices = [dev('m', 900), dev('late', 900), dev('silent', 900)];
    // 'late': a report 50 min before the 10th (online until 5 min before it), the next at 00:05 CET (23:05Z): not
    // online at the start of the 10th. It stops on the 12th at 21:50Z: online until 22:35Z, short of the day's end.
    const late = [
      iso('2026-03-09T22:10:00Z'),
      ...times.filter((t) => t >= iso('2026-03-09T23:05:00Z') && t <= iso('2026-03-12T21:50:00Z')),
    ];
    const reports = new Map([
      ['m', times],
      ['late', late],
    ]);
    const whole = wholeDaysOfReports(devices, reports, three, iso('2026-03-13T08:00:00Z'));
    expect([...whole].sort()).toEqual(['m\n0', 'm\n2']);
    // The same days from every report: 1 exactly where a day is whole, less elsewhere.
    const points = availabilityPoints(devices, reports, three, iso('2026-03-13T08:00:00Z'));
    const full = points
      .filter((p) => p.value === 1)
      .map((p) => `${p.subject}\n${three.findIndex((d) => d.start === p.ts)}`);
    expect(full.sort()).toEqual([...whole].sort());
    // A day not over is never whole.
    expect(wholeDaysOfReports(devices, reports, three, iso('2026-03-12T20:00:00Z')).has('m\n2')).toBe(false);
  });
});
