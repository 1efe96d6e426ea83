import { type Logger, pino } from 'pino';

export type { Logger };

// Paths whose values never reach a log line: credentials and what people wrote.
export const REDACT_PATHS = [
  'token',
  'secret',
  'password',
  'authorization',
  'accessToken',
  'access_token',
  'text',
  'content',
  'body',
  'echostr',
  'req.headers.authorization',
  'req.headers.cookie',
  'headers.authorization',
  'headers.cookie',
  '*.token',
  '*.secret',
  '*.password',
  '*.authorization',
  '*.accessToken',
  '*.access_token',
  '*.text',
  '*.content',
  '*.body',
  '*.echostr',
  '*.encodingAesKey',
  '*.appSecret',
];

export function createLogger(level: string, destination?: NodeJS.WritableStream): Logger {
  return pino(
    {
      level,
      base: { service: 'deputy-liaison' },
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    destination ?? process.stdout,
  );
}
