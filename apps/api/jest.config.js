const preset = require('../../jest.preset.js');

module.exports = {
  ...preset,
  displayName: 'api',
  rootDir: __dirname,
  testMatch: ['<rootDir>/**/*.spec.ts'],
  // Nest decorators: legacy (experimentalDecorators), as esbuild compiles them for `vigie api`.
  transform: {
    '^.+\\.(t|j|mj)s$': [
      '@swc/jest',
      {
        jsc: {
          target: 'es2022',
          parser: { syntax: 'typescript', decorators: true },
          transform: { legacyDecorator: true },
        },
        module: { type: 'commonjs' },
      },
    ],
  },
  // The processes (api, worker, both) are tested end to end in test/api against real Redis and InfluxDB.
};
