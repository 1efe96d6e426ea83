import { sql } from 'kysely';
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
  const [id] = await recordInboundMany(db, [m]);
  return id ?? null;
}

/**
 * Records several messages in one statement (one commit): each one's id, in order, or null when it was
 * recorded before (or earlier in the same list).
 */
export async function recordInboundMany(db: Db, ms: readonly NewInbound[]): Promise<(number | null)[]> {
  return writeInboundMany(db, ms, []);
}

/** How a handled or refused message ends: its answer and, for a handled one, its status. */
export interface InboundOutcome {
  id: number;
  /** 'handled' (markHandled); null keeps the status (recordRefusal). */
  status: 'handled' | null;
  reply: unknown;
  at: Date;
}

/** Ends several messages in one statement (one commit). */
export async function settleInboundMany(db: Db, outcomes: readonly InboundOutcome[]): Promise<void> {
  await writeInboundMany(db, [], outcomes);
}

/**
 * Records messages and ends others in one statement (one commit): the ids of the recorded, in order
 * (null: recorded before, or earlier in the same list).
 */
export async function writeInboundMany(
  db: Db,
  ms: readonly NewInbound[],
  outcomes: readonly InboundOutcome[],
): Promise<(number | null)[]> {
  if (ms.length === 0 && outcomes.length === 0) return [];
  const settle =
    outcomes.length === 0
      ? null
      : sql`
    update inbound_messages as m
    set status = coalesce(v.status, m.status), reply = v.reply, handled_at = v.at
    from (values ${sql.join(
      outcomes.map(
        (o) =>
          sql`(${o.id}::bigint, ${o.status}::text, ${o.reply === null ? null : JSON.stringify(o.reply)}::jsonb, ${o.at}::timestamptz)`,
      ),
    )}) as v(id, status, reply, at)
    where m.id = v.id`;
  if (ms.length === 0) {
    await (settle as NonNullable<typeof settle>).execute(db);
    return [];
  }
  // Of a message from a sender not on the roster only the channel and message id are kept.
  const rows = ms.map((m) => {
    const known = m.personId !== null;
    return sql`(${m.channel}, ${m.messageKey}, ${known ? m.senderId : null}, ${m.personId}::integer,
      ${known ? m.msgType : null}, ${known && m.content !== null ? JSON.stringify(m.content) : null}::jsonb,
      ${known ? 'received' : 'refused'}, ${m.receivedAt}::timestamptz)`;
  });
  const insert = sql`
    insert into inbound_messages
      (channel, message_key, sender_id, person_id, msg_type, content, status, received_at)
    values ${sql.join(rows)}
    on conflict (channel, message_key) do nothing
    returning id, channel, message_key`;
  // Both in one statement: the update as a data-modifying WITH, which runs whether or not it is read.
  const { rows: recorded } = await sql<{ id: number; channel: string; message_key: string }>`
    ${settle ? sql`with settled as (${settle} returning m.id) ` : sql``}${insert}`.execute(db);
  const ids = new Map(recorded.map((r) => [`${r.channel}\u0000${r.message_key}`, r.id]));
  return ms.map((m) => {
    const key = `${m.channel}\u0000${m.messageKey}`;
    const id = ids.get(key) ?? null;
    // A second copy of one message in the same list was not the one recorded.
    ids.delete(key);
    return id;
  });
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
