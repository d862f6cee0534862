import { KpiDevice } from '../../kpi-engine.types';
import { dayWindows, parsePeriod } from '../../kpi-windows.utils';
import { availabilityPoints } from './device-availability.kpi';

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
});
