// Maps the tsconfig.base.json path aliases (@vigie/*) to files for jest.
const fs = require('node:fs');
const path = require('node:path');

function pathsToModuleNameMapper(tsconfigFile) {
  const { compilerOptions } = JSON.parse(fs.readFileSync(tsconfigFile, 'utf8'));
  const root = path.dirname(tsconfigFile);
  const mapper = {};
  for (const [alias, [target]] of Object.entries(compilerOptions.paths)) {
    mapper[`^${alias.replace(/[/.]/g, '\\$&')}$`] = path.join(root, target);
  }
  return mapper;
}

module.exports = { pathsToModuleNameMapper };

/**
 * Makes plain `require` resolve the @vigie/* aliases. Jest's global setup/teardown hooks run outside jest's
 * module registry (no moduleNameMapper), so they call this first.
 */
function registerAliases(tsconfigFile) {
  const Module = require('node:module');
  const { compilerOptions } = JSON.parse(fs.readFileSync(tsconfigFile, 'utf8'));
  const root = path.dirname(tsconfigFile);
  const aliases = new Map(
    Object.entries(compilerOptions.paths).map(([alias, [target]]) => [alias, path.join(root, target)]),
  );
  const original = Module._resolveFilename;
  Module._resolveFilename = function (request, ...rest) {
    return original.call(this, aliases.get(request) ?? request, ...rest);
  };
}

module.exports.registerAliases = registerAliases;
