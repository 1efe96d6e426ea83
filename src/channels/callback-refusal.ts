import type { Context } from 'koa';
import type { MessageChannel } from '../../db/schema.ts';
import { isAppError } from '../errors.ts';
import { readRawBody } from '../http/body.ts';
import type { Logger } from '../logger.ts';
import type { Metrics } from '../metrics.ts';
import { NotRecordedError } from './types.ts';

// How every callback route refuses (CONTRACT §2): a wrong signature, a receiver that is not ours or a
// stale timestamp is 401, a malformed body 400, an oversized one 413. A refusal leaves one log line with
// a fixed reason (never a header, a query or the body) and one metric, and nothing else.

export type RefusalOutcome =
  | 'bad_signature'
  | 'stale_timestamp'
  | 'wrong_receiver'
  | 'malformed'
  | 'too_large';

const STATUS: Record<RefusalOutcome, number> = {
  bad_signature: 401,
  stale_timestamp: 401,
  wrong_receiver: 401,
  malformed: 400,
  too_large: 413,
};

export class Refusal {
  readonly outcome: RefusalOutcome;
  readonly reason: string;
  constructor(outcome: RefusalOutcome, reason: string) {
    this.outcome = outcome;
    this.reason = reason;
  }
}

export function refuse(
  ctx: Context,
  r: Refusal,
  deps: { log: Logger; metrics: Metrics },
  channel: MessageChannel,
): void {
  deps.metrics.inboundCallbacks.inc({ channel, outcome: r.outcome });
  const log = (ctx.state.log as Logger | undefined) ?? deps.log;
  log.warn({ channel, outcome: r.outcome, reason: r.reason }, `${channel} callback refused`);
  ctx.status = STATUS[r.outcome];
  ctx.type = 'text/plain';
  ctx.body = r.outcome;
}

/**
 * How a callback route ends on an exception: a Refusal is answered as one; a message that could not be
 * recorded is answered 503 (not acknowledged: the platform may retry); any other failure is counted
 * and rethrown, so the platform sees a 500 and retries (the dispatcher released its dedupe claim).
 */
export function failCallback(
  ctx: Context,
  err: unknown,
  deps: { log: Logger; metrics: Metrics },
  channel: MessageChannel,
): void {
  if (err instanceof NotRecordedError) {
    deps.metrics.inboundCallbacks.inc({ channel, outcome: 'not_recorded' });
    ctx.status = 503;
    ctx.type = 'text/plain';
    ctx.body = 'not_recorded';
    return;
  }
  if (!(err instanceof Refusal)) {
    deps.metrics.inboundCallbacks.inc({ channel, outcome: 'error' });
    throw err;
  }
  refuse(ctx, err, deps, channel);
}

/** The callback's raw body; over 1 MiB is a `too_large` refusal. */
export async function readCallbackBody(ctx: Context): Promise<Buffer> {
  try {
    return await readRawBody(ctx);
  } catch (err) {
    if (isAppError(err) && err.code === 'payload_too_large')
      throw new Refusal('too_large', 'body over 1 MiB');
    throw err;
  }
}
