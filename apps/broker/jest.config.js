module.exports = {
  ...require('../../jest.preset.js'),
  displayName: 'broker-app',
  rootDir: __dirname,
  testMatch: ['<rootDir>/**/*.spec.ts'],
};
