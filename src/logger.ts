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

// A database error carries what was sent with the query: PostgreSQL's `where` ("parameter $3 = '…'")
// and `detail` ("Key (x)=(…)"), PGlite's `query` and `params`, and a message may quote a value
// ('invalid input syntax for type integer: "…"'). None of it reaches a log line: what people wrote may be
// in it.
const VALUE_FIELDS = [
  'where',
  'detail',
  'hint',
  'internalQuery',
  'query',
  'params',
  'parameters',
  'queryOptions',
];
const QUOTED_VALUE = /(: |= )("[^"\n]*"|'[^'\n]*')/g;

function scrubError(o: unknown, depth = 0): unknown {
  if (o === null || typeof o !== 'object' || depth > 4) return o;
  const e = o as Record<string, unknown>;
  for (const k of VALUE_FIELDS) delete e[k];
  for (const k of ['message', 'stack']) {
    if (typeof e[k] === 'string') e[k] = (e[k] as string).replace(QUOTED_VALUE, '$1"[redacted]"');
  }
  for (const [k, v] of Object.entries(e)) if (k !== 'raw' && typeof v === 'object') scrubError(v, depth + 1);
  return e;
}

/** pino's error serializer, without the values a database error echoes. */
export const safeErrorSerializer = (err: unknown): unknown =>
  scrubError(pino.stdSerializers.err(err as Error));

export function createLogger(level: string, destination?: NodeJS.WritableStream): Logger {
  return pino(
    {
      level,
      base: { service: 'deputy-liaison' },
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      serializers: { err: safeErrorSerializer },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    // Written in the background (sonic-boom, flushed on exit), not by a blocking write per line on the
    // request's path.
    destination ?? pino.destination({ dest: 1, sync: false }),
  );
}
