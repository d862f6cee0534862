module.exports = {
  ...require('../jest.preset.js'),
  displayName: 'bench',
  rootDir: __dirname,
  // The benchmarks' pure parts (scoring); the benchmarks themselves are scripts, run by `npm run bench:*`.
  testMatch: ['<rootDir>/**/*.spec.ts'],
};
