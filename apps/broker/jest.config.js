module.exports = {
  ...require('../../jest.preset.js'),
  displayName: 'broker-app',
  rootDir: __dirname,
  testMatch: ['<rootDir>/**/*.spec.ts'],
  // The app is wiring only (main.ts); its behaviour is tested through the e2e tests.
  passWithNoTests: true,
};
