import type { Db } from '../client.ts';
import type { MessageChannel } from '../schema.ts';

export interface NewInbound {
  channel: MessageChannel;
  messageKey: string;
  senderId: string;
  personId: number | null;
  msgType: string;
  content: Record<string, unknown> | null;
  receivedAt: Date;
}

/**
 * Records a message before it is acted on. Returns its id, or null when it was recorded before. Of a
 * message from a sender not on the roster (personId null) only the channel and message id are kept.
 */
export async function recordInbound(db: Db, m: NewInbound): Promise<number | null> {
  const row = await db
    .insertInto('inbound_messages')
    .values({
      channel: m.channel,
      message_key: m.messageKey,
      sender_id: m.personId === null ? null : m.senderId,
      person_id: m.personId,
      msg_type: m.personId === null ? null : m.msgType,
      content: m.personId === null || m.content === null ? null : JSON.stringify(m.content),
      status: m.personId === null ? 'refused' : 'received',
      received_at: m.receivedAt,
    })
    .onConflict((oc) => oc.columns(['channel', 'message_key']).doNothing())
    .returning('id')
    .executeTakeFirst();
  return row?.id ?? null;
}

export async function findInbound(db: Db, channel: MessageChannel, messageKey: string) {
  return db
    .selectFrom('inbound_messages')
    .selectAll()
    .where('channel', '=', channel)
    .where('message_key', '=', messageKey)
    .executeTakeFirst();
}

export async function markHandled(db: Db, id: number, reply: unknown, at: Date): Promise<void> {
  await db
    .updateTable('inbound_messages')
    .set({ status: 'handled', reply: JSON.stringify(reply), handled_at: at })
    .where('id', '=', id)
    .execute();
}

/**
 * A refused message (e.g. a sender not on the roster): its status stays as it was. Its answer is kept
 * only when given: of a stranger's message nothing but its id is kept.
 */
export async function recordRefusal(db: Db, id: number, reply: unknown, at: Date): Promise<void> {
  await db
    .updateTable('inbound_messages')
    .set({ reply: reply === null ? null : JSON.stringify(reply), handled_at: at })
    .where('id', '=', id)
    .execute();
}

export async function markFailed(db: Db, id: number): Promise<void> {
  await db.updateTable('inbound_messages').set({ status: 'failed' }).where('id', '=', id).execute();
}

/** A retry of a message whose handling failed gets a fresh start. */
export async function resetForRetry(db: Db, id: number): Promise<void> {
  await db.updateTable('inbound_messages').set({ status: 'received' }).where('id', '=', id).execute();
}
