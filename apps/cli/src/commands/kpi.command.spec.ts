import { KpiRunStatus, KpiSkipReason } from '@vigie/kpi';
import { formatKpiStatus } from './kpi.command';

describe('formatKpiStatus', () => {
  it('prints points per output and each skip with its reason, at most ten per KPI', () => {
    const status: KpiRunStatus = {
      tenant: 'demo',
      from: '2026-03-01',
      to: '2026-03-31',
      timeZone: 'Europe/Paris',
      pointsWritten: 3,
      durationMs: 12,
      kpis: [
        {
          kpi: 'B3',
          status: 'skipped',
          points: { 'B3.dju': 0 },
          durationMs: 1,
          skipped: [{ reason: KpiSkipReason.NoInputDevices, detail: 'tenant has no weather-station device' }],
        },
        {
          kpi: 'L1',
          status: 'computed',
          points: { 'L1.burning_hours': 3 },
          durationMs: 9,
          skipped: Array.from({ length: 12 }, (_, i) => ({
            subject: `lp-${i}`,
            reason: KpiSkipReason.NoReadings,
            detail: `no lamp_on reading from lp-${i}`,
          })),
        },
      ],
    };
    const lines = formatKpiStatus(status).split('\n');
    expect(lines.slice(0, 4)).toEqual([
      'tenant demo, 2026-03-01 → 2026-03-31 (Europe/Paris): 3 point(s) written in 12 ms',
      'B3  skipped  B3.dju 0 (1 ms)',
      '      skipped: tenant has no weather-station device (no_input_devices)',
      'L1  computed L1.burning_hours 3 (9 ms)',
    ]);
    expect(lines[4]).toBe('      skipped lp-0: no lamp_on reading from lp-0 (no_readings)');
    // header, B3 and its skip, L1, ten skips (lines 4–13), then the rest counted.
    expect(lines.slice(14)).toEqual(['      … and 2 more skipped (--json lists them all)', '']);
  });
});
