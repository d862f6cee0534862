import { StoredAlert } from '@vigie/adapters';
import { GroundTruthFault, score } from './scoring';

const H = 3_600_000;
const T0 = Date.parse('2026-02-02T00:00:00Z');
const at = (h: number) => new Date(T0 + h * H).toISOString();

const alert = (rule: string, subject: string, sinceH: number, firedH = sinceH): StoredAlert => ({
  id: `${rule}:${subject}:${sinceH}`,
  tenant: 't',
  rule,
  subject,
  severity: 'minor',
  state: 'firing',
  since: T0 + sinceH * H,
  firedAt: T0 + firedH * H,
  value: 1,
  threshold: 1,
});
const fault = (
  kind: GroundTruthFault['kind'],
  subject: string,
  fromH: number,
  toH: number,
  observed = false,
) => ({
  kind,
  subject,
  start: at(fromH),
  end: at(toH),
  magnitude: 1,
  ...(observed ? { observed: true } : {}),
});
// bin-1 on site s1; the gym's water meter on the gym.
const related = (subject: string) =>
  new Set(
    subject === 'gym'
      ? ['gym', 'gym-water', 'gym-energy']
      : subject === 'bin-1'
        ? ['bin-1', 's1']
        : [subject],
  );

describe('score (issue #5 confusion table)', () => {
  it('matches an alert to a fault only through a rule that catches its kind', () => {
    const s = score(
      [fault('water_running', 'gym', 0, 100)],
      [alert('water.closed_hours_flow', 'gym', 10, 24), alert('energy.peak_near_subscribed', 'gym', 5)],
      related,
    );
    expect(s.rows.find((r) => r.kind === 'water_running')).toMatchObject({
      injected: 1,
      detected: 1,
      inTime: 1,
    });
    expect(s.matched.map((a) => a.rule)).toEqual(['water.closed_hours_flow']);
    // Same subject, overlapping times, but a peak says nothing of a running tap.
    expect(s.unmatched.map((a) => a.rule)).toEqual(['energy.peak_near_subscribed']);
  });

  it('lets a data-quality fault match the silence rule only', () => {
    const s = score(
      [fault('malformed_payloads', 'bin-1', 0, 10)],
      [alert('devices.offline', 'bin-1', 3), alert('waste.overflow', 'bin-1', 3)],
      related,
    );
    expect(s.matched.map((a) => a.rule)).toEqual(['devices.offline']);
    expect(s.unmatched.map((a) => a.rule)).toEqual(['waste.overflow']);
  });

  it('tells an alert on an observed condition from one on nothing, and detects injected faults only', () => {
    const s = score(
      [fault('bin_overflow', 'bin-1', 50, 60, true), fault('bin_overflow', 'bin-2', 0, 5)],
      [alert('waste.overflow', 'bin-1', 51), alert('waste.overflow', 'bin-3', 51)],
      related,
    );
    // The observed overflow is not an injected fault: not in the detection rows, and bin-2's fault is missed.
    expect(s.rows.find((r) => r.kind === 'bin_overflow')).toMatchObject({ injected: 1, detected: 0 });
    expect(s.matched).toEqual([]);
    expect(s.observed.map((a) => a.subject)).toEqual(['bin-1']);
    expect(s.unmatched.map((a) => a.subject)).toEqual(['bin-3']);
  });

  it('counts an alert raised after the delay its kind allows as late, not in time', () => {
    // bin_fire allows 2 h: fired 3 h after the start.
    const s = score(
      [fault('bin_fire', 'bin-1', 0, 4)],
      [alert('waste.fire_temperature', 'bin-1', 0, 3)],
      related,
    );
    expect(s.rows.find((r) => r.kind === 'bin_fire')).toMatchObject({ detected: 1, inTime: 0 });
  });
});

describe('score: conditions only observed', () => {
  it('matches a peak alert to a building observed over its subscribed power, and nothing else to it', () => {
    const s = score(
      [fault('subscribed_power_exceeded', 'gym', 10, 11, true)],
      [alert('energy.peak_near_subscribed', 'gym', 0, 24), alert('water.closed_hours_flow', 'gym', 0, 24)],
      related,
    );
    expect(s.observed.map((a) => a.rule)).toEqual(['energy.peak_near_subscribed']);
    expect(s.unmatched.map((a) => a.rule)).toEqual(['water.closed_hours_flow']);
  });
});
