import pino, { Logger } from 'pino';
import pretty from 'pino-pretty';

export type { Logger };

/** JSON logs by default, readable lines with LOG_FORMAT=pretty; secrets are redacted wherever they appear. */
export function createLogger(opts: {
  level: string;
  format: 'json' | 'pretty';
  name: string;
  /** File descriptor the logs go to: 1 (stdout, default for JSON) or 2 (stderr, for commands that print data). */
  destination?: 1 | 2;
}): Logger {
  const options: pino.LoggerOptions = {
    name: opts.name,
    level: opts.level,
    redact: {
      paths: [
        'password',
        '*.password',
        'secret',
        '*.secret',
        'token',
        '*.token',
        'credentialKey',
        'headers.authorization',
      ],
      censor: '[redacted]',
    },
  };
  return opts.format === 'pretty'
    ? pino(options, pretty({ colorize: process.stderr.isTTY, destination: 2, ignore: 'pid,hostname' }))
    : opts.destination === undefined
      ? pino(options)
      : pino(options, pino.destination(opts.destination));
}
