module.exports = {
  ...require('../jest.preset.js'),
  displayName: 'e2e',
  rootDir: __dirname,
  testMatch: ['<rootDir>/**/*.e2e-spec.ts'],
  globalSetup: '<rootDir>/../libs/testing/src/global-setup.ts',
  globalTeardown: '<rootDir>/../libs/testing/src/global-teardown.ts',
  testTimeout: 240000,
  maxWorkers: 1,
};
