import { configOrExit, loadConfig } from '@vigie/config';
import { createLogger, Logger, runUntilStopSignal } from '@vigie/observability';
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
  const config: BrokerConfig = configOrExit('vigie broker', () => ({
    ...loadConfig(BROKER_CONFIG_KEYS),
    ...overrides,
  }));
  const logger = brokerLogger();
  const broker = await startBroker(config, logger);
  onStarted?.(broker);
  await runUntilStopSignal(logger, () => broker.stop(), 15_000);
}
