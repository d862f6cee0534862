import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseScenario } from '../src/simulation/scenario.parser';
import { createTownSimulation } from '../src/simulation/town.simulation';

const DEMO = parseScenario(
  readFileSync(join(__dirname, '../scenarios/demo-town.yaml'), 'utf8'),
  'demo-town.yaml',
);
const H = 3_600_000;
// Tuesday 2026-11-03 (not a holiday), 00:00 CET.
const START = Date.parse('2026-11-03T00:00:00+01:00');

describe('building water meters of the demo town (W7)', () => {
  const run = (faults: typeof DEMO.faults) =>
    createTownSimulation(
      { ...DEMO, faults },
      { seed: 7, startMs: START, only: (d) => d.id === 'dojo-municipal-water' },
    ).advance(START + 24 * H);
  const cistern = DEMO.faults.filter((f) => f.kind === 'water_running' && f.subject === 'dojo-municipal');
  const at = (reports: ReturnType<typeof run>, localHour: number, minute: number, metric: string) =>
    reports.find((r) => r.ts === START + localHour * H + minute * 60_000)?.values[metric] as number;

  it('gives nothing while the dojo is closed and 0.25 m³/h ± 10 % while open (08:00–22:00)', () => {
    const reports = run([]);
    expect(reports).toHaveLength(96);
    // The report at 03:00 covers 02:45–03:00: closed → 0.
    expect(at(reports, 3, 0, 'flow_m3h')).toBe(0);
    // 12:00 covers 11:45–12:00: open.
    const open = at(reports, 12, 0, 'flow_m3h');
    expect(open).toBeGreaterThanOrEqual(0.225);
    expect(open).toBeLessThanOrEqual(0.275);
  });

  it('adds the running cistern of the scenario (water_running, 12 L/h) at every hour, closed ones included', () => {
    expect(cistern).toHaveLength(1);
    const reports = run(cistern);
    expect(at(reports, 3, 0, 'flow_m3h')).toBe(0.012);
    const open = at(reports, 12, 0, 'flow_m3h');
    expect(open).toBeGreaterThanOrEqual(0.237);
    expect(open).toBeLessThanOrEqual(0.287);
    // The index grows by flow × 15 min each report: 0.012 × 0.25 = 0.003 m³ per closed quarter-hour.
    expect(at(reports, 4, 0, 'volume_m3') - at(reports, 3, 0, 'volume_m3')).toBeCloseTo(0.012, 3);
  });
});
