import { ConfigError, loadConfig } from '@vigie/config';
import { createLogger, Logger } from '@vigie/observability';
import { BROKER_CONFIG_KEYS, BrokerConfig, RunningBroker, startBroker } from './broker.runtime';

export function brokerLogger(): Logger {
  const { LOG_LEVEL, LOG_FORMAT } = loadConfig(['LOG_LEVEL', 'LOG_FORMAT']);
  return createLogger({ name: 'vigie-broker', level: LOG_LEVEL, format: LOG_FORMAT });
}

/**
 * Runs the broker until SIGINT/SIGTERM, then shuts down gracefully: listeners closed, the writer's batch
 * finished, unwritten readings left in the spool for the next start. Used by `apps/broker` and `vigie broker`.
 */
export async function runBrokerUntilSignal(
  overrides: Partial<BrokerConfig> = {},
  onStarted?: (b: RunningBroker) => void,
): Promise<void> {
  let config: BrokerConfig;
  try {
    config = { ...loadConfig(BROKER_CONFIG_KEYS), ...overrides };
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`vigie broker: ${err.message}\nSee .env.example for every variable.\n`);
      process.exit(2);
    }
    throw err;
  }
  const logger = brokerLogger();
  const broker = await startBroker(config, logger);
  onStarted?.(broker);
  await new Promise<void>((resolve) => {
    let stopping = false;
    const stop = (signal: string) => {
      if (stopping) return;
      stopping = true;
      logger.info({ signal }, 'stopping');
      const force = setTimeout(() => {
        logger.error('graceful stop took more than 15 s; exiting');
        process.exit(1);
      }, 15_000);
      force.unref();
      broker.stop().then(resolve, (err: Error) => {
        logger.error({ err: err.message }, 'error while stopping');
        resolve();
      });
    };
    process.once('SIGINT', () => stop('SIGINT'));
    process.once('SIGTERM', () => stop('SIGTERM'));
  });
}
