import { runBrokerUntilSignal } from '@vigie/broker';

/** The broker app: configuration from the environment, everything else in @vigie/broker. */
runBrokerUntilSignal().then(
  () => process.exit(0),
  (err: Error) => {
    process.stderr.write(`vigie broker failed: ${err.stack ?? err.message}\n`);
    process.exit(1);
  },
);
