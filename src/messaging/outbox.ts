import type { Kysely, RawBuilder, Transaction } from 'kysely';
import {
  addOutboxCause,
  chatIdentitiesOf,
  type GroupMessage,
  insertOutboxRow,
  insertOutboxToGroups,
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
  return (await enqueueToPersonIds(db, personId, payload, opts)).length;
}

/**
 * As enqueueToPerson, returning the outbox ids of the messages queued, the first account's first (none when
 * the person has no chat account, or the key was queued before): a record of the message (a reminder's
 * ledger row) names the first.
 */
export async function enqueueToPersonIds(
  db: Executor,
  personId: number,
  payload: OutboundPayload,
  opts: { idempotencyKey: string; cause?: string; notBefore?: Date },
): Promise<number[]> {
  return insertOutboxToPerson(db, personId, {
    payload: JSON.stringify(payload),
    keyBeforeChannel: personMessageKey(opts.idempotencyKey, ''),
    cause: opts.cause ?? null,
    ...(opts.notBefore ? { notBefore: opts.notBefore } : {}),
  });
}

/** One message of enqueueToGroups: to every member of one group, keyed `keyBeforePerson`, the person's id and the channel. */
export interface GroupPrivateMessage {
  groupId: number;
  payload: OutboundPayload;
  keyBeforePerson: string;
  cause: string;
  notBefore: Date;
}

/** The outbox's form of a group message (what enqueueToGroups queues), for a statement that writes it. */
export function groupMessageRow(m: GroupPrivateMessage): GroupMessage {
  return {
    groupId: m.groupId,
    payload: JSON.stringify(m.payload),
    keyBeforePerson: m.keyBeforePerson,
    keyBeforeChannel: personMessageKey('', ''),
    cause: m.cause,
    notBefore: m.notBefore,
  };
}

/**
 * Queues several private messages, each to every member of its group (`members`: a query of `group_id`
 * and `person_id`), in one statement: each member as enqueueToPerson would with the key `keyBeforePerson`
 * followed by the person's id. Returns how many were queued.
 */
export async function enqueueToGroups(
  db: Executor,
  members: RawBuilder<{ group_id: number; person_id: number }>,
  messages: readonly GroupPrivateMessage[],
): Promise<number> {
  return insertOutboxToGroups(db, members, messages.map(groupMessageRow));
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
