import type { Kysely, Transaction } from 'kysely';
import type { Database, MessageChannel } from '../../db/schema.ts';
import type { ReplyButton } from '../channels/types.ts';

export type Executor = Kysely<Database> | Transaction<Database>;

/**
 * Where an outbound message goes:
 * - user: one person, by their id on the channel (WeCom message/send, DingTalk oToMessages/batchSend)
 * - wecom_robot: a group robot webhook key · wecom_appchat: an app-created chat id
 * - dingtalk_robot: a custom robot webhook (address: access token) · dingtalk_conversation: openConversationId
 */
export type TargetKind =
  | 'user'
  | 'wecom_robot'
  | 'wecom_appchat'
  | 'dingtalk_robot'
  | 'dingtalk_conversation';

export interface OutboundPayload {
  text: string;
  buttons?: ReplyButton[];
  /** For a message split into parts: which part this is (1-based) and of how many. */
  part?: { index: number; of: number };
  [key: string]: unknown;
}

export interface OutboundMessage {
  channel: MessageChannel;
  targetKind: TargetKind;
  targetAddress: string;
  payload: OutboundPayload;
  /** Unique per message: a repeat of the same key is dropped, so retries and restarts send once. */
  idempotencyKey: string;
  /** What caused it, e.g. "reply:123", "leave:QJ-2026-0001:decided", "reminder:S2:2026-10". */
  cause?: string;
  /** Not before this time (working-hours pushes). Default: now. */
  notBefore?: Date;
  maxAttempts?: number;
}

/**
 * Queues a message. Call it with the transaction of the change that caused the message, so the
 * change and the message commit together or not at all. Returns the row id, or null for a repeat key.
 */
export async function enqueue(db: Executor, msg: OutboundMessage): Promise<number | null> {
  const row = await db
    .insertInto('outbox')
    .values({
      channel: msg.channel,
      target_kind: msg.targetKind,
      target_address: msg.targetAddress,
      payload: JSON.stringify(msg.payload),
      idempotency_key: msg.idempotencyKey,
      cause: msg.cause ?? null,
      ...(msg.notBefore ? { not_before: msg.notBefore } : {}),
      ...(msg.maxAttempts ? { max_attempts: msg.maxAttempts } : {}),
    })
    .onConflict((oc) => oc.column('idempotency_key').doNothing())
    .returning('id')
    .executeTakeFirst();
  return row?.id ?? null;
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
  const ids = await db
    .selectFrom('person_identities')
    .select(['channel', 'external_id'])
    .where('person_id', '=', personId)
    .execute();
  let n = 0;
  for (const id of ids) {
    const queued = await enqueue(db, {
      channel: id.channel,
      targetKind: 'user',
      targetAddress: id.external_id,
      payload,
      idempotencyKey: `${opts.idempotencyKey}:${id.channel}`,
      ...(opts.cause ? { cause: opts.cause } : {}),
      ...(opts.notBefore ? { notBefore: opts.notBefore } : {}),
    });
    if (queued !== null) n++;
  }
  return n;
}
