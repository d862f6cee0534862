import { isolatedEnv, runVigie, vigieJson } from '@vigie/testing';

describe('vigie alerts routes', () => {
  it('adds, lists (never showing the secret) and removes routes, and refuses a bad one with the reason', async () => {
    const env = isolatedEnv();
    const added = await vigieJson<Record<string, unknown>>(
      [
        'alerts',
        'routes',
        'add',
        '--tenant',
        'demo',
        '--id',
        'oncall',
        '--severity',
        'critical',
        '--email',
        'astreinte@ville.fr',
        '--webhook',
        'https://hooks.ville.fr/vigie',
        '--secret',
        's3cret-s3cret',
        '--remind-after-min',
        '15',
        '--escalate-after-min',
        '30',
        '--escalate-to',
        'dgs@ville.fr',
      ],
      env,
    );
    expect(added).toMatchObject({ id: 'oncall', hasSecret: true, replaced: false, remindAfterMin: 15 });
    expect(JSON.stringify(added)).not.toContain('s3cret');
    await vigieJson(
      [
        'alerts',
        'routes',
        'add',
        '--tenant',
        'demo',
        '--id',
        'lights',
        '--domain',
        'lighting',
        '--email',
        'regie@ville.fr',
        '--digest',
      ],
      env,
    );

    const listed = await vigieJson<Record<string, unknown>[]>(
      ['alerts', 'routes', 'list', '--tenant', 'demo'],
      env,
    );
    expect(listed.map((r) => [r['id'], r['hasSecret'], r['digest'] ?? false])).toEqual([
      ['lights', false, true],
      ['oncall', true, false],
    ]);
    expect(listed[1]).toMatchObject({
      severities: ['critical'],
      recipients: [
        { id: 'astreinte-ville.fr', email: 'astreinte@ville.fr' },
        { id: 'webhook-1', webhook: 'https://hooks.ville.fr/vigie' },
      ],
      escalateTo: [{ id: 'dgs-ville.fr', email: 'dgs@ville.fr' }],
    });
    expect(JSON.stringify(listed)).not.toContain('s3cret');
    const text = await runVigie(['alerts', 'routes', 'list', '--tenant', 'demo'], env);
    expect(text.stdout).toContain('astreinte@ville.fr,https://hooks.ville.fr/vigie');
    expect(text.stdout).not.toContain('s3cret');

    const bad = await runVigie(
      ['alerts', 'routes', 'add', '--tenant', 'demo', '--id', 'x', '--email', 'nope'],
      env,
    );
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("'nope' is not an e-mail address");
    const none = await runVigie(['alerts', 'routes', 'add', '--tenant', 'demo', '--id', 'x'], env);
    expect(none.stderr).toContain('no recipient');
    const unsigned = await runVigie(
      ['alerts', 'routes', 'add', '--tenant', 'demo', '--id', 'x', '--webhook', 'https://h/x'],
      env,
    );
    expect(unsigned.stderr).toContain('--webhook needs --secret');

    expect(
      await vigieJson(['alerts', 'routes', 'remove', '--tenant', 'demo', '--id', 'lights'], env),
    ).toMatchObject({
      removed: true,
    });
    const again = await runVigie(['alerts', 'routes', 'remove', '--tenant', 'demo', '--id', 'lights'], env);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain("no route 'lights' in tenant 'demo'");
    const help = await runVigie(['alerts', '--help'], env);
    expect(help.stdout).toContain('routes');
  });
});
