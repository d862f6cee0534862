module.exports = {
  ...require('../../jest.preset.js'),
  displayName: 'export',
  rootDir: __dirname,
  testMatch: ['<rootDir>/**/*.spec.ts', '<rootDir>/**/*.integration-spec.ts'],
  // Integration specs run against real influxd and redis-server started for the run.
  globalSetup: '<rootDir>/../testing/src/global-setup.ts',
  globalTeardown: '<rootDir>/../testing/src/global-teardown.ts',
  testTimeout: 60000,
};
