module.exports = {
  ...require('../../jest.preset.js'),
  displayName: 'adapters',
  rootDir: __dirname,
  testMatch: ['<rootDir>/**/*.spec.ts'],
};
