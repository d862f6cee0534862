module.exports = {
  ...require('../../jest.preset.js'),
  displayName: 'local-services',
  rootDir: __dirname,
  testMatch: ['<rootDir>/**/*.spec.ts', '<rootDir>/**/*.integration-spec.ts'],
  testTimeout: 60000,
};
