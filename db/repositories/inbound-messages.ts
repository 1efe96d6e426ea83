import { sql } from 'kysely';
import { type Db, preparedStatement } from '../client.ts';
import { normalizeExternalId } from '../external-id.ts';
import type { Channel, MessageChannel } from '../schema.ts';
import { type KnownSender, knownSender, type SenderRow, sendersOf } from './senders.ts';

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
  const [id] = await writeInboundMany(db, [m], []);
  return id ?? null;
}

/** How a handled or refused message ends: its answer and, for a handled one, its status. */
export interface InboundOutcome {
  id: number;
  /** 'handled'; null keeps the status (a refused message stays refused). */
  status: 'handled' | null;
  reply: unknown;
  at: Date;
}

/** A message just arrived: recorded with the person behind its sender, found in the same statement. */
export interface ArrivingInbound extends Omit<NewInbound, 'personId'> {
  /** The roster channel its sender's id belongs to. */
  identity: Channel;
  /**
   * Who the sender was when the roster stood at `version` (null: not on it). Used instead of a lookup when
   * the roster still stands there in the statement's snapshot.
   */
  kept?: { sender: KnownSender | null; version: number };
}

/** What recording an arriving message found: its id (null: recorded before) and who sent it. */
export interface Arrived {
  id: number | null;
  sender: KnownSender | null;
  /** The roster's version in the statement's snapshot: the sender is who they were at it. */
  rosterVersion: number;
  /** The sender was looked up (nothing kept, or the roster changed since). */
  lookedUp: boolean;
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
  return (await writeInbound(db, ms, outcomes)).map((a) => a.id);
}

/**
 * Finds who sent each arriving message, records it under that person (of a sender not on the roster only
 * the channel and message id), and ends earlier messages: one statement, one commit. Per message, in
 * order: its id (null: recorded before, or earlier in the same list) and its sender (null: not on the
 * roster).
 */
export async function recordArrivingMany(
  db: Db,
  ms: readonly ArrivingInbound[],
  outcomes: readonly InboundOutcome[],
): Promise<Arrived[]> {
  return writeInbound(db, ms, outcomes);
}

async function writeInbound(
  db: Db,
  ms: readonly (NewInbound | ArrivingInbound)[],
  outcomes: readonly InboundOutcome[],
): Promise<Arrived[]> {
  if (ms.length === 0 && outcomes.length === 0) return [];
  const json = (v: unknown) => (v === null ? null : JSON.stringify(v));
  const identities = ms.map((m) => ('identity' in m ? m.identity : null));
  const kepts = ms.map((m) => ('kept' in m ? m.kept : undefined));
  // One text for any number of messages, the lists as arrays: prepared once per connection. The update
  // rides along as a data-modifying WITH, which runs whether or not it is read. Of a message from a sender
  // not on the roster only the channel and message id are kept. A sender kept at the roster version this
  // snapshot reads is not looked up again (migration 024).
  const { rows: out } = await sql<{ ord: number; id: number | null; version: number } & Partial<SenderRow>>`
    ${preparedStatement('record_inbound')}
    with settled as (
      update inbound_messages as m
      set status = coalesce(v.status, m.status), reply = v.reply, handled_at = v.at
      from unnest(${outcomes.map((o) => o.id)}::bigint[], ${outcomes.map((o) => o.status)}::text[],
        ${outcomes.map((o) => json(o.reply))}::jsonb[], ${outcomes.map((o) => o.at.toISOString())}::timestamptz[])
        as v(id, status, reply, at)
      where m.id = v.id
      returning m.id),
    q (ord, channel, message_key, sender_id, given_person, identity, norm, msg_type, content, received_at,
      kept_at, kept_person) as (
      select * from unnest(${ms.map((_, i) => i)}::integer[], ${ms.map((m) => m.channel)}::text[],
        ${ms.map((m) => m.messageKey)}::text[], ${ms.map((m) => m.senderId)}::text[],
        ${ms.map((m) => ('personId' in m ? m.personId : null))}::integer[], ${identities}::text[],
        ${ms.map((m, i) => (identities[i] ? normalizeExternalId(identities[i], m.senderId) : null))}::text[],
        ${ms.map((m) => m.msgType)}::text[], ${ms.map((m) => json(m.content))}::jsonb[],
        ${ms.map((m) => m.receivedAt.toISOString())}::timestamptz[], ${kepts.map((k) => k?.version ?? null)}::bigint[],
        ${kepts.map((k) => k?.sender?.personId ?? null)}::integer[])),
    found as (${sendersOf(sql`(select ord, identity as channel, norm from q
      where norm is not null and kept_at is distinct from (select version from roster_version)) as q`)}),
    w as (select q.*, coalesce(q.given_person,
        case when q.kept_at = (select version from roster_version) then q.kept_person end,
        f."personId") as person_id
      from q left join found f on f.ord = q.ord),
    recorded as (
      insert into inbound_messages
        (channel, message_key, sender_id, person_id, msg_type, content, status, received_at)
      select w.channel, w.message_key, case when w.person_id is null then null else w.sender_id end,
        w.person_id, case when w.person_id is null then null else w.msg_type end,
        case when w.person_id is null then null else w.content end,
        case when w.person_id is null then 'refused' else 'received' end, w.received_at
      from w order by w.ord
      on conflict (channel, message_key) do nothing
      returning id, channel, message_key)
    select q.ord, r.id, (select version from roster_version) as version, f."personId", f.name, f.mandates
    from q left join found f on f.ord = q.ord
    left join recorded r on r.channel = q.channel and r.message_key = q.message_key
    order by q.ord`.execute(db);
  const taken = new Set<number>();
  return out.map((r, i) => {
    // A second copy of one message in the same list was not the one recorded.
    const id = r.id === null || taken.has(r.id) ? null : r.id;
    if (id !== null) taken.add(id);
    const m = ms[i]!;
    const rosterVersion = Number(r.version);
    // As the statement decided: a sender named by a roster id and not kept at this version was looked up.
    const kept = kepts[i];
    const lookedUp = 'identity' in m && kept?.version !== rosterVersion;
    const sender = !lookedUp
      ? (kept?.sender ?? null)
      : r.personId === undefined || r.personId === null
        ? null
        : knownSender({
            personId: r.personId,
            name: r.name as string,
            mandates: r.mandates as SenderRow['mandates'],
          });
    return { id, sender, rosterVersion, lookedUp };
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

export async function markFailed(db: Db, id: number): Promise<void> {
  await db.updateTable('inbound_messages').set({ status: 'failed' }).where('id', '=', id).execute();
}

/** A retry of a message whose handling failed gets a fresh start. */
export async function resetForRetry(db: Db, id: number): Promise<void> {
  await db.updateTable('inbound_messages').set({ status: 'received' }).where('id', '=', id).execute();
}

/**
 * A message from an organ's contact (not on the roster, recorded as a stranger's): once the organ desk
 * knew the sender and acted on it, who sent it and what it said are kept, as for anyone on the roster.
 */
export async function keepContactMessage(
  db: Db,
  id: number,
  m: { senderId: string; msgType: string; content: Record<string, unknown> },
): Promise<void> {
  await db
    .updateTable('inbound_messages')
    .set({ sender_id: m.senderId, msg_type: m.msgType, content: JSON.stringify(m.content) })
    .where('id', '=', id)
    .execute();
}
