import { Alert, applyAlertAction, openAlertKey, RESOLVED_BY_CONDITION } from './alert.model';
import { AlertErrorCode } from './alert.errors';

const firing: Alert = {
  tenant: 'demo',
  rule: 'bin.fire_temperature',
  subject: 'bin-centre-001',
  severity: 'critical',
  state: 'firing',
  since: 1000,
  firedAt: 2000,
  value: 63,
  threshold: 60,
  unit: '°C',
};

describe('alert life cycle', () => {
  it('goes firing → acknowledged → resolved, keeping who and when', () => {
    const acked = applyAlertAction(firing, { type: 'acknowledge', by: 'tech@ville.fr', at: 3000 });
    expect(acked).toMatchObject({
      state: 'acknowledged',
      acknowledgedAt: 3000,
      acknowledgedBy: 'tech@ville.fr',
    });
    // A second acknowledgement changes nothing.
    expect(applyAlertAction(acked, { type: 'acknowledge', by: 'other', at: 4000 })).toBe(acked);
    const assigned = applyAlertAction(acked, { type: 'assign', to: 'astreinte', at: 4500 });
    expect(assigned.assignee).toBe('astreinte');
    const done = applyAlertAction(assigned, { type: 'condition_cleared', at: 5000 });
    expect(done).toMatchObject({ state: 'resolved', resolvedAt: 5000, resolvedBy: RESOLVED_BY_CONDITION });
  });

  it('refuses any action on a resolved alert', () => {
    const resolved = applyAlertAction(firing, { type: 'resolve', by: 'manager', at: 3000 });
    expect(() => applyAlertAction(resolved, { type: 'acknowledge', by: 'x', at: 4000 })).toThrow(
      expect.objectContaining({ code: AlertErrorCode.InvalidTransition }),
    );
  });

  it('keys open alerts by tenant, rule and subject', () => {
    expect(openAlertKey(firing)).toBe('demo\nbin.fire_temperature\nbin-centre-001');
    expect(openAlertKey({ ...firing, subject: 'bin-centre-002' })).not.toBe(openAlertKey(firing));
  });
});
