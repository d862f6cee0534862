module.exports = {
  ...require('../jest.preset.js'),
  displayName: 'devices',
  rootDir: __dirname,
  testMatch: ['<rootDir>/**/*.spec.ts'],
};
