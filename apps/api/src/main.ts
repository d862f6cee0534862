import { runApiUntilSignal } from './api.process';

/**
 * The API app (bundled by `npm run build:cli` to dist/apps/api/main.js; `vigie api` loads it). Run directly, it
 * starts; loaded by the CLI, it only exports runApiUntilSignal.
 */
export { runApiUntilSignal };

if (require.main === module) {
  runApiUntilSignal().then(
    () => process.exit(0),
    (err: Error) => {
      process.stderr.write(`vigie api failed: ${err.stack ?? err.message}\n`);
      process.exit(1);
    },
  );
}
