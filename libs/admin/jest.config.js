module.exports = {
  ...require('../../jest.preset.js'),
  displayName: 'admin',
  rootDir: __dirname,
  testMatch: ['<rootDir>/**/*.spec.ts', '<rootDir>/**/*.integration-spec.ts'],
  // Integration specs run against a real redis-server started for the run.
  globalSetup: '<rootDir>/../testing/src/global-setup.ts',
  globalTeardown: '<rootDir>/../testing/src/global-teardown.ts',
  testTimeout: 60000,
};
