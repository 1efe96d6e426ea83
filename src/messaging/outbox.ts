import type { Kysely, Transaction } from 'kysely';
import {
  addOutboxCause,
  chatIdentitiesOf,
  insertOutboxRow,
  insertOutboxToPerson,
} from '../../db/repositories/outbox.ts';
import type { Database } from '../../db/schema.ts';
import type { OutboundMessage, OutboundPayload } from './targets.ts';

// Queuing outbound messages. The SQL is in db/repositories/outbox.ts; the dispatcher sends.

/** The database, or the transaction of the change that causes a message. */
export type Executor = Kysely<Database> | Transaction<Database>;

export type { OutboundMessage, OutboundPayload, TargetKind } from './targets.ts';

/**
 * Queues a message. Call it with the transaction of the change that caused the message, so the
 * change and the message commit together or not at all. Returns the row id, or null for a repeat key.
 */
export async function enqueue(db: Executor, msg: OutboundMessage): Promise<number | null> {
  return insertOutboxRow(db, {
    channel: msg.channel,
    target_kind: msg.targetKind,
    target_address: msg.targetAddress,
    payload: JSON.stringify(msg.payload),
    idempotency_key: msg.idempotencyKey,
    cause: msg.cause ?? null,
    ...(msg.notBefore ? { not_before: msg.notBefore } : {}),
    ...(msg.maxAttempts ? { max_attempts: msg.maxAttempts } : {}),
  });
}

/**
 * Queues a private message to a person on every channel they are known on.
 * Returns how many messages were queued (0 when the person has no chat account).
 */
export async function enqueueToPerson(
  db: Executor,
  personId: number,
  payload: OutboundPayload,
  opts: { idempotencyKey: string; cause?: string; notBefore?: Date },
): Promise<number> {
  return insertOutboxToPerson(db, personId, {
    payload: JSON.stringify(payload),
    keyBeforeChannel: personMessageKey(opts.idempotencyKey, ''),
    cause: opts.cause ?? null,
    ...(opts.notBefore ? { notBefore: opts.notBefore } : {}),
  });
}

/**
 * Records that the private messages queued to a person under `idempotencyKey` (enqueueToPerson) also serve
 * `cause`: a repeat of the key queued nothing, because the message already goes out for another cause.
 */
export async function alsoServes(
  db: Executor,
  personId: number,
  idempotencyKey: string,
  cause: string,
): Promise<void> {
  const ids = await chatIdentitiesOf(db, personId);
  await addOutboxCause(
    db,
    ids.map((id) => personMessageKey(idempotencyKey, id.channel)),
    cause,
  );
}

/** The key of a person's message on one of their channels (enqueueToPerson queues one per channel). */
const personMessageKey = (idempotencyKey: string, channel: string): string => `${idempotencyKey}:${channel}`;
