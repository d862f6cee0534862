import nx from '@nx/eslint-plugin';
import jest from 'eslint-plugin-jest';
import tseslint from 'typescript-eslint';

const domainBans = [
  '@nestjs/*',
  'bullmq',
  'ioredis',
  '@influxdata/*',
  'mqtt',
  'aedes',
  'pino*',
  'node:net',
  'node:fs',
];

/** Who may import whom, by tag. Test files may also import `type:testing` (the real-service harness). */
function depConstraints(withTesting) {
  const t = withTesting ? ['type:testing'] : [];
  return [
    {
      sourceTag: 'type:domain',
      onlyDependOnLibsWithTags: ['type:domain', 'type:util', ...t],
      bannedExternalImports: withTesting ? [] : domainBans,
    },
    { sourceTag: 'type:contracts', onlyDependOnLibsWithTags: ['type:domain', 'type:util', ...t] },
    { sourceTag: 'type:util', onlyDependOnLibsWithTags: ['type:util', ...t] },
    {
      sourceTag: 'type:adapter',
      onlyDependOnLibsWithTags: ['type:domain', 'type:contracts', 'type:util', 'type:adapter', ...t],
    },
    {
      sourceTag: 'type:feature',
      onlyDependOnLibsWithTags: [
        'type:domain',
        'type:contracts',
        'type:util',
        'type:adapter',
        'type:feature',
        ...t,
      ],
    },
    {
      sourceTag: 'type:testing',
      onlyDependOnLibsWithTags: [
        'type:domain',
        'type:contracts',
        'type:util',
        'type:adapter',
        'type:feature',
      ],
    },
    {
      sourceTag: 'type:app',
      onlyDependOnLibsWithTags: [
        'type:domain',
        'type:contracts',
        'type:util',
        'type:adapter',
        'type:feature',
        ...t,
      ],
    },
    { sourceTag: 'type:e2e', onlyDependOnLibsWithTags: ['*'] },
  ];
}

const boundaries = (withTesting) => [
  'error',
  { enforceBuildableLibDependency: false, allow: [], depConstraints: depConstraints(withTesting) },
];

export default [
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  { ignores: ['**/dist', '**/node_modules', '**/tmp', '**/.data', '**/testdata/**', '**/*.js', '**/*.mjs'] },
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      '@nx/enforce-module-boundaries': boundaries(false),
    },
  },
  {
    files: ['**/*.spec.ts', '**/*.integration-spec.ts', '**/*.e2e-spec.ts'],
    ...jest.configs['flat/recommended'],
    rules: {
      ...jest.configs['flat/recommended'].rules,
      'jest/no-focused-tests': 'error',
      'jest/no-disabled-tests': 'error',
      // Shared assertion helpers are named expect<Something> (e.g. expectGoldenOutcome).
      'jest/expect-expect': ['warn', { assertFunctionNames: ['expect', 'expect[A-Z]*'] }],
      '@nx/enforce-module-boundaries': boundaries(true),
    },
  },
];
