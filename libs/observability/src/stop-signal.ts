import type { Logger } from 'pino';

/**
 * Waits for SIGINT or SIGTERM, then runs `stop` once (a second signal is ignored) and resolves when it is done; a
 * failing stop is logged, not thrown. A stop taking more than `graceMs` is logged and the process exits with 1.
 */
export function runUntilStopSignal(
  logger: Logger,
  stop: () => Promise<void>,
  graceMs: number,
): Promise<void> {
  return new Promise<void>((resolve) => {
    let stopping = false;
    const onSignal = (signal: string) => {
      if (stopping) return;
      stopping = true;
      logger.info({ signal }, 'stopping');
      const force = setTimeout(() => {
        logger.error(`graceful stop took more than ${graceMs / 1000} s; exiting`);
        process.exit(1);
      }, graceMs);
      force.unref();
      stop().then(resolve, (err: Error) => {
        logger.error({ err: err.message }, 'error while stopping');
        resolve();
      });
    };
    process.once('SIGINT', () => onSignal('SIGINT'));
    process.once('SIGTERM', () => onSignal('SIGTERM'));
  });
}
