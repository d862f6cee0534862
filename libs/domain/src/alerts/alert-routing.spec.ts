import { AlertErrorCode } from './alert.errors';
import { Alert, AlertEvent } from './alert.model';
import {
  AlertRoute,
  deliveriesFor,
  dueFollowUps,
  renderDigest,
  renderNotification,
  validateAlertRoute,
} from './alert-routing';

const MIN = 60_000;
const T0 = Date.UTC(2026, 5, 1, 8, 0, 0);

const fire: Alert & { id: string } = {
  id: 'a1',
  tenant: 'demo',
  rule: 'waste.fire_temperature',
  subject: 'bin-gare-021',
  severity: 'critical',
  state: 'firing',
  since: T0 - 2 * MIN,
  firedAt: T0,
  value: 63,
  threshold: 60,
  unit: '°C',
  title: 'Bin temperature at fire level',
  domain: 'waste',
  site: 'gare',
};
const lamp: Alert & { id: string } = {
  ...fire,
  id: 'a2',
  rule: 'lighting.lamp_failure',
  subject: 'lamp-7',
  severity: 'minor',
  title: 'Lamp failure',
  domain: 'lighting',
  value: 1,
  threshold: 1,
  unit: '',
};
const fired = (a: Alert & { id: string }): AlertEvent => ({
  id: `${a.id}:fired`,
  type: 'fired',
  at: T0,
  alert: a,
});

const onCall: AlertRoute = {
  id: 'oncall',
  tenant: 'demo',
  severities: ['critical'],
  recipients: [{ id: 'astreinte', email: 'astreinte@ville.fr', webhook: 'https://hooks.ville.fr/vigie' }],
  remindAfterMin: 15,
  escalateAfterMin: 30,
  escalateTo: [{ id: 'dgs', email: 'dgs@ville.fr' }],
};
const lighting: AlertRoute = {
  id: 'eclairage',
  tenant: 'demo',
  domains: ['lighting'],
  recipients: [{ id: 'regie', email: 'regie@ville.fr' }],
};

describe('validateAlertRoute', () => {
  it('accepts a complete route', () => {
    expect(validateAlertRoute(onCall)).toBe(onCall);
  });

  it.each<[string, Partial<AlertRoute>, string]>([
    ['no recipient', { recipients: [] }, 'route oncall: no recipient'],
    [
      'a recipient with neither channel',
      { recipients: [{ id: 'x' }] },
      "'x' has neither an e-mail address nor a webhook",
    ],
    [
      'a bad e-mail',
      { recipients: [{ id: 'x', email: 'not-an-address' }] },
      "'not-an-address' is not an e-mail address",
    ],
    [
      'a non-http webhook',
      { recipients: [{ id: 'x', webhook: 'ftp://h/x' }] },
      "webhook 'ftp://h/x' must be an http:// or https:// URL",
    ],
    ['a webhook that is no URL', { recipients: [{ id: 'x', webhook: 'hooks' }] }, "'hooks' is not a URL"],
    [
      'negative reminder minutes',
      { remindAfterMin: -5 },
      'remindAfterMin -5 must be a positive number of minutes',
    ],
    ['negative escalation minutes', { escalateAfterMin: -1 }, 'escalateAfterMin -1 must be a positive'],
    [
      'escalation with nobody to escalate to',
      { escalateTo: [] },
      'escalateAfterMin needs someone to escalate to',
    ],
    ['an unknown domain', { domains: ['parking' as never] }, "domain 'parking' is not one of"],
    ['an unknown severity', { severities: ['high' as never] }, "severity 'high' is not one of"],
  ])('refuses %s with the reason', (_, change, message) => {
    expect(() => validateAlertRoute({ ...onCall, ...change })).toThrow(message);
    expect(() => validateAlertRoute({ ...onCall, ...change })).toThrow(
      expect.objectContaining({ code: AlertErrorCode.InvalidRoute }),
    );
  });
});

describe('deliveriesFor', () => {
  it('sends a critical alert to on-call on each channel, and not to the lighting route', () => {
    const d = deliveriesFor(fired(fire), [onCall, lighting]);
    expect(d.map((x) => [x.idempotencyKey, x.channel, x.to])).toEqual([
      ['a1:fired:oncall:astreinte:email', 'email', 'astreinte@ville.fr'],
      ['a1:fired:oncall:astreinte:webhook', 'webhook', 'https://hooks.ville.fr/vigie'],
    ]);
    expect(d[0]).toMatchObject({ tenant: 'demo', route: 'oncall' });
  });

  it('sends a minor lighting alert to the lighting route only', () => {
    expect(deliveriesFor(fired(lamp), [onCall, lighting]).map((x) => x.idempotencyKey)).toEqual([
      'a2:fired:eclairage:regie:email',
    ]);
  });

  it('filters by site, and takes the domain from the catalogue when the alert has none', () => {
    const gare: AlertRoute = { ...lighting, id: 'gare', domains: ['waste'], sites: ['gare'] };
    const noDomain: Alert & { id: string } = { ...fire, domain: undefined };
    expect(deliveriesFor(fired(noDomain), [gare])).toHaveLength(1);
    expect(deliveriesFor(fired({ ...fire, site: 'mairie' }), [gare])).toHaveLength(0);
    expect(deliveriesFor(fired({ ...fire, tenant: 'other' }), [gare])).toHaveLength(0);
  });

  it('sends an escalation to escalateTo only, and nothing from a digest route', () => {
    const esc: AlertEvent = { id: 'a1:escalated', type: 'escalated', at: T0, alert: fire };
    expect(deliveriesFor(esc, [onCall]).map((x) => x.idempotencyKey)).toEqual([
      'a1:escalated:oncall:dgs:email',
    ]);
    expect(deliveriesFor(fired(lamp), [{ ...lighting, digest: true }])).toEqual([]);
  });
});

describe('dueFollowUps', () => {
  const none = { reminders: 0, escalated: false };

  it.each<[string, number, { reminders: number; escalated: boolean }, string[]]>([
    ['nothing before the first interval', 14 * MIN, none, []],
    ['the first reminder after 15 min', 15 * MIN, none, ['a1:reminder:1']],
    ['no second copy of a reminder already sent', 16 * MIN, { reminders: 1, escalated: false }, []],
    [
      'the latest reminder only after a pause, and the escalation',
      47 * MIN,
      none,
      ['a1:reminder:3', 'a1:escalated'],
    ],
    ['no second escalation', 61 * MIN, { reminders: 3, escalated: true }, ['a1:reminder:4']],
  ])('%s', (_, after, already, ids) => {
    expect(dueFollowUps(fire, onCall, T0 + after, already).map((e) => e.id)).toEqual(ids);
  });

  it('reminds of critical alerts only, and of none once acknowledged', () => {
    const major = { ...fire, severity: 'major' as const };
    expect(dueFollowUps(major, { ...onCall, severities: [] }, T0 + 20 * MIN, none)).toEqual([]);
    const acked = { ...fire, state: 'acknowledged' as const };
    expect(dueFollowUps(acked, onCall, T0 + 60 * MIN, none)).toEqual([]);
  });
});

describe('renderNotification', () => {
  it('says what, where, how much and since when', () => {
    const r = renderNotification(fired({ ...fire, window: '2026-06-01', completeness: 0.85 }));
    expect(r.subject).toBe('[CRITICAL] Bin temperature at fire level — bin-gare-021');
    expect(r.text).toContain('Value: 63 °C (threshold 60 °C)');
    expect(r.text).toContain(`Since: ${new Date(T0 - 2 * MIN).toISOString()}`);
    expect(r.text).toContain('State: firing');
    expect(r.text).toContain('Window: 2026-06-01');
    expect(r.text).toContain('Completeness: 85 %');
    expect(JSON.parse(JSON.stringify(r.body))).toMatchObject({
      id: 'a1:fired',
      type: 'fired',
      alert: { id: 'a1' },
    });
  });

  it('names the event in the subject and who acted', () => {
    const acked: AlertEvent = {
      id: 'a1:acknowledged',
      type: 'acknowledged',
      at: T0,
      by: 'tech@ville.fr',
      alert: { ...fire, state: 'acknowledged', acknowledgedAt: T0, acknowledgedBy: 'tech@ville.fr' },
    };
    const r = renderNotification(acked);
    expect(r.subject).toBe('[CRITICAL] Acknowledged: Bin temperature at fire level — bin-gare-021');
    expect(r.text).toContain('by tech@ville.fr');
    expect(r.text).not.toContain('Window:');
  });
});

describe('renderDigest', () => {
  it('lists the day alerts, most severe first', () => {
    const r = renderDigest({ id: 'r', email: 'r@ville.fr', name: 'Régie' }, [lamp, fire], '2026-06-01');
    expect(r.subject).toBe('[Vigie] Digest of 2026-06-01: 2 alerts');
    const lines = r.text.split('\n').filter((l) => l.startsWith('- '));
    expect(lines[0]).toContain('[CRITICAL] Bin temperature at fire level — bin-gare-021: 63 °C');
    expect(lines[1]).toContain('[MINOR] Lamp failure — lamp-7');
  });
});
