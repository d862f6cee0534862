import pino, { Logger } from 'pino';

export type { Logger };

/** JSON logs by default, readable lines with LOG_FORMAT=pretty; secrets are redacted wherever they appear. */
export function createLogger(opts: { level: string; format: 'json' | 'pretty'; name: string }): Logger {
  return pino({
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
    ...(opts.format === 'pretty'
      ? {
          formatters: { level: (label: string) => ({ level: label }) },
          timestamp: pino.stdTimeFunctions.isoTime,
        }
      : {}),
  });
}
