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
  const sim = createTownSimulation(
    { ...DEMO, faults: [] },
    { seed: 7, startMs: START, only: (d) => d.id === 'dojo-municipal-water' },
  );
  const reports = sim.advance(START + 24 * H);

  it('runs 12 L/h while the dojo is closed and 0.25 m³/h ± 10 % while open (08:00–22:00)', () => {
    expect(reports).toHaveLength(96);
    const flowAt = (localHour: number, minute: number) =>
      reports.find((r) => r.ts === START + localHour * H + minute * 60_000)?.values['flow_m3h'];
    // The report at 03:00 covers 02:45–03:00: closed → 0.012 m³/h.
    expect(flowAt(3, 0)).toBe(0.012);
    // 12:00 covers 11:45–12:00: open.
    const open = flowAt(12, 0) as number;
    expect(open).toBeGreaterThanOrEqual(0.225);
    expect(open).toBeLessThanOrEqual(0.275);
    // The index grows by flow × 15 min each report: 0.012 × 0.25 = 0.003 m³ per closed quarter-hour.
    const v = (h: number) => reports.find((r) => r.ts === START + h * H)?.values['volume_m3'] as number;
    expect(v(4) - v(3)).toBeCloseTo(0.012, 3);
  });
});
