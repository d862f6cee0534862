import {
  AlertRepository,
  createRedis,
  Redis,
  RedisKeys,
  RegistryRepository,
  StoredAlert,
} from '@vigie/adapters';
import { findDeviceKind } from '@vigie/devices';
import { alertIdOf, findAlertRule } from '@vigie/domain';
import { LocalService, startRedis } from '@vigie/local-services';
import { tempDir, TEST_CREDENTIAL_KEY } from '@vigie/testing';
import { Command } from 'commander';
import { alertsCommand, parseDuration, parseParams } from './alerts.command';

describe('parseDuration', () => {
  it.each([
    ['90m', 90 * 60_000],
    ['2h', 7_200_000],
    ['1.5d', 129_600_000],
  ])('%s is %d ms', (text, ms) => expect(parseDuration(text)).toBe(ms));

  it.each(['2', 'h', '2w', '-1h', '0m', ''])('refuses %j', (text) =>
    expect(() => parseDuration(text)).toThrow(
      `--for expects a duration such as 90m, 2h or 1d, got '${text}'`,
    ),
  );
});

describe('parseParams', () => {
  it('reads numbers, the direction and kByKind.<kind>', () => {
    expect(
      parseParams([
        'raise=55',
        'clear=45.5',
        'direction=below',
        'kByKind.water-meter=5',
        'kByKind.bin-sensor=2',
      ]),
    ).toEqual({ raise: 55, clear: 45.5, direction: 'below', kByKind: { 'water-meter': 5, 'bin-sensor': 2 } });
  });

  it.each([
    ['raise', "--param expects key=value, got 'raise'"],
    ['=5', "--param expects key=value, got '=5'"],
    ['raise=high', "--param raise must be a number, got 'high'"],
    ['raise=', "--param raise must be a number, got ''"],
    ['direction=up', "--param direction must be above or below, got 'up'"],
  ])('refuses %j', (pair, message) => expect(() => parseParams([pair])).toThrow(message));
});

/** `vigie alerts …` in this process against a real Redis: what it printed, or the error it failed with. */
async function vigieAlerts(args: string[]): Promise<{ stdout: string; stderr: string; error?: Error }> {
  const program = new Command('vigie').exitOverride().addCommand(alertsCommand());
  const quiet = (c: Command) => {
    c.exitOverride().configureOutput({ writeOut: () => undefined, writeErr: () => undefined });
    c.commands.forEach(quiet);
  };
  quiet(program);
  let stdout = '';
  let stderr = '';
  const out = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stdout += String(chunk);
    return true;
  });
  const err = jest.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stderr += String(chunk);
    return true;
  });
  try {
    await program.parseAsync(['alerts', ...args], { from: 'user' });
    return { stdout, stderr };
  } catch (error) {
    return { stdout, stderr, error: error as Error };
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
}

async function json<T = Record<string, unknown>>(args: string[]): Promise<T> {
  const r = await vigieAlerts([...args, '--json']);
  if (r.error) throw r.error;
  return JSON.parse(r.stdout) as T;
}

const TENANT = 'clitown';
const T0 = Date.parse('2026-03-10T06:00:00Z');

function anAlert(rule: string, subject: string, minutes: number): StoredAlert {
  const def = findAlertRule(rule);
  if (!def) throw new Error(`no rule ${rule}`);
  const since = T0 + minutes * 60_000;
  return {
    id: alertIdOf({ tenant: TENANT, rule, subject, since }),
    tenant: TENANT,
    rule,
    subject,
    severity: def.severity,
    state: 'firing',
    since,
    firedAt: since,
    value: 64,
    threshold: 60,
    unit: def.unit,
    title: def.title,
    domain: def.domain,
  };
}

describe('vigie alerts (real Redis)', () => {
  const dir = tempDir('vigie-cli-alerts-');
  const saved = { ...process.env };
  let service: LocalService;
  let redis: Redis;
  const fire = anAlert('waste.fire_temperature', 'bin-7', 0);
  const lamp = anAlert('lighting.lamp_failure', 'lamp-3', 30);

  beforeAll(async () => {
    service = await startRedis({ dataDir: dir.dir, appendOnly: false });
    process.env['REDIS_URL'] = service.url;
    process.env['REDIS_PREFIX'] = 'cli-alerts:';
    process.env['CREDENTIAL_KEY'] = TEST_CREDENTIAL_KEY;
    redis = createRedis(service.url, { name: 'cli-alerts-test' });
    const keys = new RedisKeys('cli-alerts:');
    await new RegistryRepository(redis, keys, TEST_CREDENTIAL_KEY, findDeviceKind).addTenant(TENANT);
    const repo = new AlertRepository(redis, keys);
    await repo.fire(fire);
    await repo.fire(lamp);
  }, 60_000);

  afterAll(async () => {
    redis?.disconnect();
    await service?.stop();
    dir.remove();
    process.env = saved;
  });

  it('lists alerts newest first and filters them', async () => {
    const all = await json<{ id: string; state: string; firedAt: string }[]>(['list', '--tenant', TENANT]);
    expect(all.map((a) => [a.id, a.state, a.firedAt])).toEqual([
      [lamp.id, 'firing', '2026-03-10T06:30:00.000Z'],
      [fire.id, 'firing', '2026-03-10T06:00:00.000Z'],
    ]);
    const critical = await json<{ id: string }[]>(['list', '--tenant', TENANT, '--severity', 'critical']);
    expect(critical.map((a) => a.id)).toEqual([fire.id]);
    const early = await json<{ id: string }[]>(['list', '--tenant', TENANT, '--to', '2026-03-10T06:10:00Z']);
    expect(early.map((a) => a.id)).toEqual([fire.id]);
    const bad = await vigieAlerts(['list', '--tenant', TENANT, '--from', 'yesterday']);
    expect(bad.error?.message).toBe(
      "--from expects an ISO date-time such as 2026-03-01T08:00:00Z, got 'yesterday'",
    );
  });

  it('acknowledges and resolves, shows the history, and refuses acting on a resolved alert', async () => {
    const acked = await json(['ack', '--tenant', TENANT, fire.id, '--by', 'j.martin']);
    expect(acked).toMatchObject({ id: fire.id, state: 'acknowledged', acknowledgedBy: 'j.martin' });
    const resolved = await json(['resolve', '--tenant', TENANT, fire.id, '--by', 'j.martin']);
    expect(resolved).toMatchObject({ id: fire.id, state: 'resolved', resolvedBy: 'j.martin' });
    const shown = await json<{ alert: { state: string }; history: { type: string; by?: string }[] }>([
      'show',
      '--tenant',
      TENANT,
      fire.id,
    ]);
    expect(shown.alert.state).toBe('resolved');
    expect(shown.history.map((e) => [e.type, e.by])).toEqual([
      ['fired', undefined],
      ['acknowledged', 'j.martin'],
      ['resolved', 'j.martin'],
    ]);
    const again = await vigieAlerts(['ack', '--tenant', TENANT, fire.id, '--by', 'j.martin']);
    expect(again.error?.message).toBe(
      'the alert cannot make this transition: acknowledge on the resolved alert waste.fire_temperature of bin-7',
    );
    const open = await json<{ id: string }[]>(['list', '--tenant', TENANT, '--state', 'open']);
    expect(open.map((a) => a.id)).toEqual([lamp.id]);
  });

  it('names an unknown tenant or alert', async () => {
    expect((await vigieAlerts(['list', '--tenant', 'nowhere'])).error?.message).toBe(
      "no such tenant: tenant 'nowhere' does not exist (see 'vigie tenants list')",
    );
    expect((await vigieAlerts(['show', '--tenant', TENANT, 'abc'])).error?.message).toBe(
      "no such alert: tenant 'clitown' has no alert 'abc' (see 'vigie alerts list')",
    );
  });

  it('silences for a duration, lists and removes the silence', async () => {
    const before = Date.now();
    const s = await json<{
      id: string;
      kind: string;
      rule: string;
      from: string;
      to: string;
      reason: string;
    }>([
      'silence',
      '--tenant',
      TENANT,
      '--rule',
      'lighting.lamp_failure',
      '--for',
      '2h',
      '--reason',
      'lamp being replaced',
    ]);
    expect(s).toMatchObject({
      kind: 'silence',
      rule: 'lighting.lamp_failure',
      reason: 'lamp being replaced',
    });
    expect(Date.parse(s.from)).toBeGreaterThanOrEqual(before - 1000);
    expect(Date.parse(s.to) - Date.parse(s.from)).toBe(7_200_000);
    expect((await json<{ id: string }[]>(['silences', '--tenant', TENANT])).map((x) => x.id)).toEqual([s.id]);
    expect(await json(['unsilence', '--tenant', TENANT, s.id])).toEqual({ removed: s.id });
    expect(await json(['silences', '--tenant', TENANT])).toEqual([]);
    const maintenance = await json<{ kind: string; site: string; to: string }>([
      'silence',
      '--tenant',
      TENANT,
      '--site',
      'school-1',
      '--until',
      '2099-01-01T00:00:00Z',
      '--maintenance',
      '--reason',
      'works',
    ]);
    expect(maintenance).toMatchObject({
      kind: 'maintenance',
      site: 'school-1',
      to: '2099-01-01T00:00:00.000Z',
    });
    const neither = await vigieAlerts(['silence', '--tenant', TENANT, '--reason', 'x']);
    expect(neither.error?.message).toBe('give how long: either --for <duration> or --until <ISO>');
  });

  it('sets (merging), lists and unsets rule overrides; names an unknown rule with the known ones', async () => {
    const set = await json([
      'rules',
      'set',
      '--tenant',
      TENANT,
      'waste.fill_above_threshold',
      '--site',
      'north',
      '--param',
      'raise=85',
      '--param',
      'clear=75',
      '--severity',
      'minor',
    ]);
    expect(set).toEqual({
      rule: 'waste.fill_above_threshold',
      site: 'north',
      severity: 'minor',
      params: { raise: 85, clear: 75 },
    });
    // A second set at the same scope keeps what it does not give.
    const merged = await json([
      'rules',
      'set',
      '--tenant',
      TENANT,
      'waste.fill_above_threshold',
      '--site',
      'north',
      '--disable',
    ]);
    expect(merged).toEqual({
      rule: 'waste.fill_above_threshold',
      site: 'north',
      enabled: false,
      severity: 'minor',
      params: { raise: 85, clear: 75 },
    });
    const rules = await json<
      { id: string; defaults: { params: Record<string, unknown> }; overrides: unknown[] }[]
    >(['rules', '--tenant', TENANT]);
    const fill = rules.find((r) => r.id === 'waste.fill_above_threshold');
    expect(fill?.defaults.params).toEqual({ direction: 'above', raise: 80, clear: 70, minDurationMin: 0 });
    expect(fill?.overrides).toEqual([merged]);

    const badParam = await vigieAlerts([
      'rules',
      'set',
      '--tenant',
      TENANT,
      'waste.overflow',
      '--param',
      'k=3',
    ]);
    expect(badParam.error?.message).toBe(
      "the rule override is invalid: rule waste.overflow has no parameter 'k' (its parameters: clear, direction, minDurationMin, raise)",
    );
    const unknown = await vigieAlerts(['rules', 'set', '--tenant', TENANT, 'waste.nope', '--disable']);
    expect(unknown.error?.message).toMatch(
      /^no such alert rule: unknown rule 'waste\.nope'; known rules: waste\.fire_temperature, .*devices\.offline$/,
    );

    expect(
      await json(['rules', 'unset', '--tenant', TENANT, 'waste.fill_above_threshold', '--site', 'north']),
    ).toEqual({ removed: 'waste.fill_above_threshold', site: 'north' });
    const again = await vigieAlerts([
      'rules',
      'unset',
      '--tenant',
      TENANT,
      'waste.fill_above_threshold',
      '--site',
      'north',
    ]);
    expect(again.error?.message).toBe(
      "no such rule override: rule waste.fill_above_threshold has no override for site 'north'",
    );
  });
});
