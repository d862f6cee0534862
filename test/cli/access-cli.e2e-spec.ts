import { isolatedEnv, runVigie, vigieJson } from '@vigie/testing';
import { userInfo } from 'node:os';

interface KeyOut {
  token?: string;
  id: string;
  tenant: string;
  role: string;
  name: string;
  createdAt: string;
  createdBy: string;
  expiresAt: string;
  revokedAt?: string;
}

interface AuditOut {
  id: string;
  at: string;
  actor: string;
  role: string;
  action: string;
  target: string;
  before?: Record<string, unknown>;
  after?: Record<string, unknown>;
}

const DAY = 86_400_000;

// The built CLI (dist/apps/cli/main.js): run `npm run -s build:cli` before this spec.
describe('vigie apikeys and vigie audit', () => {
  const env = isolatedEnv();
  const cliActor = `cli:${userInfo().username}`;
  let viewerKey: KeyOut;

  beforeAll(async () => {
    await vigieJson(['tenants', 'add', 't', '--name', 'Tenant T'], env);
  });

  it('creates a platform key and prints its token once', async () => {
    const before = Date.now();
    const out = await vigieJson<KeyOut>(
      ['apikeys', 'add', '--role', 'platform-operator', '--name', 'x'],
      env,
    );
    expect(out.token).toMatch(/^vk_[0-9a-f]{16}\.[A-Za-z0-9_-]{32}$/);
    expect(out.token?.slice(3, 19)).toBe(out.id);
    expect(out).toEqual({
      token: out.token,
      id: out.id,
      tenant: '(platform)',
      role: 'platform-operator',
      name: 'x',
      createdAt: expect.any(String),
      createdBy: cliActor,
      expiresAt: expect.any(String),
    });
    // The default life: 90 days (the expiry and the creation time are two readings of the clock).
    const life = Date.parse(out.expiresAt) - Date.parse(out.createdAt);
    expect(life).toBeGreaterThan(90 * DAY - 1000);
    expect(life).toBeLessThanOrEqual(90 * DAY);
    expect(Date.parse(out.createdAt)).toBeGreaterThanOrEqual(before - 1000);
    const platform = await vigieJson<KeyOut[]>(['apikeys', 'list'], env);
    expect(platform.map((k) => [k.id, k.tenant, k.role, k.name])).toEqual([
      [out.id, '(platform)', 'platform-operator', 'x'],
    ]);
  });

  it('creates a tenant key with a role and a lifetime', async () => {
    viewerKey = await vigieJson<KeyOut>(
      ['apikeys', 'add', '--tenant', 't', '--role', 'viewer', '--name', 'grafana'],
      env,
    );
    expect(viewerKey).toMatchObject({ tenant: 't', role: 'viewer', name: 'grafana', createdBy: cliActor });
    expect(viewerKey.token).toMatch(/^vk_[0-9a-f]{16}\./);
    const short = await vigieJson<KeyOut>(
      ['apikeys', 'add', '--tenant', 't', '--role', 'technician', '--name', 'jeanne', '--expires-in', '12h'],
      env,
    );
    expect(Date.parse(short.expiresAt) - Date.parse(short.createdAt)).toBeGreaterThan(12 * 3_600_000 - 5000);
    expect(Date.parse(short.expiresAt) - Date.parse(short.createdAt)).toBeLessThanOrEqual(12 * 3_600_000);
  });

  it('prints the token with a warning when not asked for JSON', async () => {
    const r = await runVigie(
      ['apikeys', 'add', '--tenant', 't', '--role', 'energy-manager', '--name', 'em'],
      env,
    );
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^token\s+vk_[0-9a-f]{16}\.[A-Za-z0-9_-]{32}$/m);
    expect(r.stderr).toBe(
      'Keep the token now: Vigie stores only its hash. Send it as Authorization: Bearer <token>.\n',
    );
  });

  it.each([
    [
      'an unknown role',
      ['--tenant', 't', '--role', 'nope', '--name', 'n'],
      "vigie: --role must be one of platform-operator, admin, energy-manager, technician, viewer, got 'nope'\n",
    ],
    [
      'a malformed lifetime',
      ['--tenant', 't', '--role', 'viewer', '--name', 'n', '--expires-in', '3x'],
      "vigie: --expires-in expects a duration such as 90d or 12h, got '3x'\n",
    ],
  ])('refuses %s with exit code 2', async (_, args, stderr) => {
    const r = await runVigie(['apikeys', 'add', ...args, '--json'], env);
    expect(r).toEqual({ code: 2, stdout: '', stderr });
  });

  it.each([
    [
      'a lifetime over 366 days',
      ['--tenant', 't', '--role', 'viewer', '--expires-in', '367d'],
      'within 366 days',
    ],
    [
      'a platform role with a tenant',
      ['--tenant', 't', '--role', 'platform-operator'],
      'which have no tenant',
    ],
    ['a tenant role without a tenant', ['--role', 'admin'], "its role must be 'platform-operator'"],
    ['an unknown tenant', ['--tenant', 'nowhere', '--role', 'viewer'], "tenant 'nowhere' does not exist"],
  ])('refuses %s with exit code 2, creating nothing', async (_, args, message) => {
    const r = await runVigie(['apikeys', 'add', ...args, '--name', 'refused', '--json'], env);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(message);
    const listed = [
      ...(await vigieJson<KeyOut[]>(['apikeys', 'list', '--tenant', 't'], env)),
      ...(await vigieJson<KeyOut[]>(['apikeys', 'list'], env)),
    ];
    expect(listed.map((k) => k.name)).not.toContain('refused');
  });

  it('lists the keys of a tenant without their tokens or hashes', async () => {
    const r = await runVigie(['apikeys', 'list', '--tenant', 't', '--json'], env);
    expect(r.code).toBe(0);
    const listed = JSON.parse(r.stdout) as KeyOut[];
    expect(listed.map((k) => [k.tenant, k.role, k.name])).toEqual([
      ['t', 'viewer', 'grafana'],
      ['t', 'technician', 'jeanne'],
      ['t', 'energy-manager', 'em'],
    ]);
    for (const k of listed) {
      expect(Object.keys(k).sort()).toEqual([
        'createdAt',
        'createdBy',
        'expiresAt',
        'id',
        'name',
        'role',
        'tenant',
      ]);
    }
    expect(r.stdout).not.toContain(viewerKey.token?.split('.')[1]);
    const text = await runVigie(['apikeys', 'list', '--tenant', 't'], env);
    expect(text.stdout.split('\n')[0]).toMatch(
      /^ID\s+TENANT\s+ROLE\s+NAME\s+CREATEDBY\s+EXPIRESAT\s+REVOKEDAT$/,
    );
    expect(text.stdout).not.toContain('vk_');
  });

  it('revokes a key of the tenant, not through another scope', async () => {
    const wrong = await runVigie(['apikeys', 'revoke', viewerKey.id], env);
    expect(wrong).toEqual({
      code: 2,
      stdout: '',
      stderr: `vigie: the platform has no API key '${viewerKey.id}'\n`,
    });
    const revoked = await vigieJson<KeyOut>(['apikeys', 'revoke', viewerKey.id, '--tenant', 't'], env);
    expect(revoked).toMatchObject({ id: viewerKey.id, tenant: 't', revokedAt: expect.any(String) });
    expect(Date.parse(revoked.revokedAt as string)).toBeGreaterThanOrEqual(Date.parse(viewerKey.createdAt));
    const listed = await vigieJson<KeyOut[]>(['apikeys', 'list', '--tenant', 't'], env);
    expect(listed.filter((k) => k.revokedAt).map((k) => k.id)).toEqual([viewerKey.id]);
  });

  it('shows in the audit log the changes made by sites add and devices add, by the command line', async () => {
    await vigieJson(['sites', 'add', '--tenant', 't', 'school', '--attr', 'surface_m2=900'], env);
    const device = await vigieJson<{ password: string }>(
      ['devices', 'add', '--tenant', 't', '--id', 'm1', '--kind', 'energy-meter', '--site', 'school'],
      env,
    );
    const r = await runVigie(['audit', 'list', '--tenant', 't', '--json'], env);
    expect(r.code).toBe(0);
    const entries = JSON.parse(r.stdout) as AuditOut[];
    expect(entries.map((e) => [e.actor, e.role, e.action])).toEqual([
      [cliActor, 'platform-operator', 'device.create'],
      [cliActor, 'platform-operator', 'site.create'],
      [cliActor, 'platform-operator', 'api-key.revoke'],
      [cliActor, 'platform-operator', 'api-key.create'],
      [cliActor, 'platform-operator', 'api-key.create'],
      [cliActor, 'platform-operator', 'api-key.create'],
    ]);
    expect(entries[0]).toMatchObject({
      target: 'device:m1',
      after: { tenant: 't', id: 'm1', kind: 'energy-meter', site: 'school', intervalS: 900 },
    });
    expect(entries[1]).toMatchObject({
      target: 'site:school',
      after: { tenant: 't', id: 'school', attributes: { surface_m2: '900' } },
    });
    expect(entries[2]).toMatchObject({
      target: `api-key:${viewerKey.id}`,
      before: { id: viewerKey.id },
      after: { id: viewerKey.id, revokedAt: expect.any(String) },
    });
    expect(r.stdout).not.toContain(device.password);

    const limited = await vigieJson<AuditOut[]>(['audit', 'list', '--tenant', 't', '--limit', '2'], env);
    expect(limited.map((e) => e.id)).toEqual(entries.slice(0, 2).map((e) => e.id));
    const bad = await runVigie(['audit', 'list', '--tenant', 't', '--limit', '0'], env);
    expect(bad).toEqual({
      code: 2,
      stdout: '',
      stderr: 'vigie: --limit must be a whole number from 1 to 1000\n',
    });

    const platform = await vigieJson<AuditOut[]>(['audit', 'list'], env);
    expect(platform.map((e) => [e.actor, e.action, e.target.split(':')[0]])).toEqual([
      [cliActor, 'api-key.create', 'api-key'],
      [cliActor, 'tenant.create', 'tenant'],
    ]);
    const text = await runVigie(['audit', 'list', '--tenant', 't'], env);
    expect(text.stdout.split('\n')[0]).toMatch(/^AT\s+ACTOR\s+ROLE\s+ACTION\s+TARGET$/);
  });

  it('explains apikeys add with an example in --help', async () => {
    const r = await runVigie(['apikeys', 'add', '--help'], env);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(
      'Example: vigie apikeys add --tenant demo --role energy-manager --name jeanne --expires-in 30d',
    );
    expect(r.stdout).toContain('--role <role>');
    // Commander wraps the option descriptions: compare with the whitespace folded.
    expect(r.stdout.replace(/\s+/g, ' ')).toContain(
      '--role <role> role: platform-operator, admin, energy-manager, technician, viewer (platform-operator only without --tenant)',
    );
    const top = await runVigie(['--help'], env);
    expect(top.stdout).toContain('apikeys');
    expect(top.stdout).toContain('audit');
  });
});
