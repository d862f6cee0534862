import { KPI_CADENCES } from '@vigie/domain';
import { KpiOutputSpec } from '@vigie/contracts';
import { KpiComputation } from './kpi-engine.types';
import { KPI_COMPUTATIONS } from './kpi.engine';
import { familiesForCadence, KPI_FAMILY_CADENCE, KPI_SCHEDULES, scheduledRun } from './kpi-schedules';

const computation = (family: KpiComputation['family']): KpiComputation => ({
  family,
  outputs: [],
  compute: async () => ({ points: [], skipped: [] }),
});
const output = (family: KpiOutputSpec['family'], window: KpiOutputSpec['window']) =>
  ({ family, window }) as KpiOutputSpec;

describe('KPI schedules', () => {
  it('has one cron pattern per cadence', () => {
    expect(KPI_SCHEDULES.map((s) => s.cadence).sort()).toEqual([...KPI_CADENCES].sort());
    expect(Object.fromEntries(KPI_SCHEDULES.map((s) => [s.cadence, s.pattern]))).toEqual({
      hourly: '5 * * * *',
      daily: '15 0 * * *',
      monthly: '30 1 1 * *',
      yearly: '0 3 1 1 *',
    });
  });

  it('derives each cadence from the computations and the specs, defaulting to daily', () => {
    const computations = ['B1', 'X2', 'K6', 'W5'].map((f) => computation(f as KpiComputation['family']));
    const outputs = [output('B1', 'day'), output('B1', 'year'), output('X2', 'day'), output('W5', 'night')];
    expect(familiesForCadence('hourly', computations, outputs, { X2: 'hourly', K6: 'hourly' })).toEqual([
      'X2',
      'K6',
    ]);
    expect(familiesForCadence('daily', computations, outputs, {})).toEqual(['B1', 'X2', 'K6', 'W5']);
    expect(familiesForCadence('monthly', computations, outputs, {})).toEqual(['B1', 'X2', 'K6', 'W5']);
    expect(familiesForCadence('yearly', computations, outputs, {})).toEqual(['B1']);
    // A family of the map the engine does not compute is not run.
    expect(familiesForCadence('hourly', [computation('B1')], outputs, { K7: 'hourly' })).toEqual([]);
  });

  it('runs the hourly families the engine computes today (X2 at least)', () => {
    const hourly = familiesForCadence('hourly');
    expect(hourly).toContain('X2');
    expect(hourly.every((f) => KPI_FAMILY_CADENCE[f] === 'hourly')).toBe(true);
    expect(familiesForCadence('daily')).toEqual([...new Set(KPI_COMPUTATIONS.map((c) => c.family))]);
  });

  it('builds the run of a tenant in its own time zone, or none for a cadence without family', () => {
    // 22:15 UTC on 29 March 2026 = 00:15 CEST on the 30th in Paris, 07:15 on the 30th in Tokyo, 18:15 on the 29th in
    // New York.
    const at = Date.parse('2026-03-29T22:15:00Z');
    expect(scheduledRun('daily', 'town', at, 'Europe/Paris', ['B1'])).toEqual({
      tenant: 'town',
      from: '2026-03-28',
      to: '2026-03-29',
      kpis: ['B1'],
    });
    expect(scheduledRun('daily', 'town', at, 'America/New_York', ['B1'])).toMatchObject({
      from: '2026-03-27',
      to: '2026-03-28',
    });
    expect(scheduledRun('yearly', 'town', at, 'Europe/Paris', [])).toBeUndefined();
  });
});
