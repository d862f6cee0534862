import { loadConfig, type VigieEnv } from '@vigie/config';
import { IngestOptions, ReadingsIngestor } from './readings.ingestor';

type IngestLimits = Pick<VigieEnv, 'INGEST_MAX_READINGS' | 'INGEST_MAX_PAST_DAYS' | 'INGEST_MAX_FUTURE_S'>;

/** The ingestor's limits from configuration (defaults when a variable is unset). */
export function ingestOptions(config: IngestLimits): IngestOptions {
  return {
    limits: { maxReadings: config.INGEST_MAX_READINGS, maxDepth: 8 },
    window: {
      maxPastMs: config.INGEST_MAX_PAST_DAYS * 86_400_000,
      maxFutureMs: config.INGEST_MAX_FUTURE_S * 1000,
    },
    commitsInFlight: 2,
  };
}

/**
 * The pipeline without a spool, with the configured defaults: what Vigie accepts and refuses for a payload,
 * computed without any service (`prepare`). Golden-file and corpus tests use it.
 */
export function dryRunIngestor(): ReadingsIngestor {
  const noop = () => undefined;
  return new ReadingsIngestor(
    { append: async () => undefined },
    { message: noop, accepted: noop, rejected: noop, deadLettered: noop, committed: noop },
    ingestOptions(loadConfig(['INGEST_MAX_READINGS', 'INGEST_MAX_PAST_DAYS', 'INGEST_MAX_FUTURE_S'], {})),
  );
}
