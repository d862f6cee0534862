import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import type { TestServices } from './services';

declare global {
  var __vigieServices: TestServices | undefined;
}

const ROOT = join(__dirname, '..', '..', '..');

/**
 * Jest global setup for tests against real services: builds the `vigie` bundle the tests run as a real
 * process, starts influxd and redis-server on free ports (unless INFLUX_URL / REDIS_URL are given), and
 * passes their URLs to the test workers as VIGIE_TEST_INFLUX_URL / VIGIE_TEST_REDIS_URL.
 */
export default async function globalSetup(): Promise<void> {
  // This hook runs outside jest's module registry: teach plain require the @vigie/* aliases first.
  require(join(ROOT, 'scripts', 'jest-paths.js')).registerAliases(join(ROOT, 'tsconfig.base.json'));
  const { startTestServices } = require('./services') as typeof import('./services');
  execFileSync('npm', ['run', '-s', 'build:cli'], { cwd: ROOT, stdio: 'inherit' });
  const services = await startTestServices();
  globalThis.__vigieServices = services;
  process.env['VIGIE_TEST_INFLUX_URL'] = services.influxUrl;
  process.env['VIGIE_TEST_REDIS_URL'] = services.redisUrl;
}
