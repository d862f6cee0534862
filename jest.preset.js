// Shared jest settings: @swc/jest for TypeScript, aedes (ESM-only) transformed too.
const path = require('node:path');
const { pathsToModuleNameMapper } = require('./scripts/jest-paths');

module.exports = {
  testEnvironment: 'node',
  transform: {
    '^.+\\.(t|j|mj)s$': [
      '@swc/jest',
      { jsc: { target: 'es2022', parser: { syntax: 'typescript' } }, module: { type: 'commonjs' } },
    ],
  },
  transformIgnorePatterns: ['/node_modules/(?!(aedes)/)'],
  moduleFileExtensions: ['ts', 'js', 'mjs', 'json'],
  moduleNameMapper: pathsToModuleNameMapper(path.join(__dirname, 'tsconfig.base.json')),
  reporters: ['default', path.join(__dirname, 'scripts/jest-summary-reporter.js')],
};
