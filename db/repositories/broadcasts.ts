import { type RawBuilder, type Selectable, sql } from 'kysely';
import type { Db } from '../client.ts';
import type { BroadcastsTable, OutboxStatus } from '../schema.ts';

// 大同 第八条 (S18): broadcasts and the groups each one reaches (migration 007).

export type BroadcastRow = Selectable<BroadcastsTable>;

export async function insertBroadcast(
  db: Db,
  b: {
    congressId: number | null;
    text: string;
    targets: string[];
    actor: string;
    senderPersonId: number | null;
    at: Date;
  },
): Promise<number> {
  const row = await db
    .insertInto('broadcasts')
    .values({
      congress_id: b.congressId,
      text: b.text,
      targets: JSON.stringify(b.targets),
      actor: b.actor,
      sender_person_id: b.senderPersonId,
      created_at: b.at,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** Records that a group is reached by a broadcast; false when it already was. */
export async function addBroadcastGroup(
  db: Db,
  broadcastId: number,
  groupId: number,
  name: string,
): Promise<boolean> {
  const row = await db
    .insertInto('broadcast_groups')
    .values({ broadcast_id: broadcastId, group_id: groupId, group_name: name })
    .onConflict((oc) => oc.columns(['broadcast_id', 'group_id']).doNothing())
    .returning('group_id')
    .executeTakeFirst();
  return row !== undefined;
}

export async function findBroadcast(db: Db, id: number): Promise<BroadcastRow | undefined> {
  return db.selectFrom('broadcasts').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function listRunningBroadcasts(db: Db): Promise<BroadcastRow[]> {
  return db.selectFrom('broadcasts').selectAll().where('status', '=', 'running').orderBy('id').execute();
}

export async function markBroadcastDone(db: Db, id: number, at: Date): Promise<boolean> {
  const r = await db
    .updateTable('broadcasts')
    .set({ status: 'done', finished_at: at })
    .where('id', '=', id)
    .where('status', '=', 'running')
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

/**
 * Puts the finished broadcasts some of these outbox rows (requeued) serve a group of back to running, so
 * each finishes again once they are settled. The sender's summary (cause `broadcast:<id>`) serves none.
 */
export async function reopenBroadcastsOf(db: Db, outboxIds: readonly number[]): Promise<void> {
  if (outboxIds.length === 0) return;
  await db
    .updateTable('broadcasts')
    .set({ status: 'running', finished_at: null })
    .where('status', '=', 'done')
    .where('id', 'in', (eb) =>
      eb
        .selectFrom('outbox')
        .select(sql<number>`split_part(idempotency_key, ':', 2)::int`.as('id'))
        .where('id', 'in', outboxIds)
        .where(
          broadcastGroupMessage('outbox', sql`'broadcast:' || split_part(outbox.idempotency_key, ':', 2)`),
        ),
    )
    .execute();
}

export interface GroupDelivery {
  group_id: number;
  group_name: string;
  /** The message's outbox row; null (with a null status) for a group no message serves. */
  outbox_id: number | null;
  outbox_status: OutboxStatus | null;
  last_error: string | null;
  /** Never tried (or put back and not tried since): a dead row that never was is a withdrawn one. */
  untried: boolean | null;
  /** A send of it ended without an answer (a timeout): the platform may have delivered it. */
  maybe_delivered: boolean | null;
}

/**
 * Each group of a broadcast with the status of every message that serves it: its causes (comma-separated)
 * hold broadcast:<id>:<group>. Only the broadcast's own messages are read, by their keys' common prefix
 * (`broadcast:<id>:`, a range of the byte-ordered key index).
 */
export async function broadcastDeliveries(db: Db, id: number): Promise<GroupDelivery[]> {
  const { prefix, after } = keyRange(id);
  const rows = await sql<GroupDelivery>`
    select g.group_id, g.group_name, m.id as outbox_id, m.status as outbox_status, m.last_error,
      m.first_tried_at is null as untried, m.unknown_since is not null as maybe_delivered
    from broadcast_groups g
    left join (select o.id, o.status, o.last_error, o.first_tried_at, o.unknown_since,
                      unnest(string_to_array(o.cause, ',')) as c
               from outbox o where o.idempotency_key >= ${prefix} and o.idempotency_key < ${after}) m
      on m.c = ${prefix} || g.group_id::text
    where g.broadcast_id = ${id}
    order by g.group_name, m.id`.execute(db);
  return rows.rows;
}

/** Of these broadcasts, how many group messages each has whose outcome is unknown (only those with some). */
export async function countUnknownMessages(db: Db, ids: readonly number[]): Promise<Map<number, number>> {
  if (ids.length === 0) return new Map();
  const rows = await sql<{ id: number; n: string }>`
    select b.id, count(*) as n
    from unnest(${sql.val([...ids])}::int[]) as b(id)
    join outbox o on ${broadcastGroupMessage('o', sql`'broadcast:' || b.id`)}
    where o.status = 'unknown'
    group by b.id`.execute(db);
  return new Map(rows.rows.map((r) => [Number(r.id), Number(r.n)]));
}

/**
 * Withdraws a broadcast's messages still waiting to go to its groups, in one statement: those no sender
 * holds (pending, or put back to wait by the rate limiter or a failed try) and none whose send may have
 * arrived (a timeout). A row being sent is 'sending', so it is left to finish; a claim that commits while
 * this runs makes the row 'sending', and the statement then passes it by. The withdrawn rows end 'dead'
 * and untried, as every withdrawn message does (not a failure, never requeued in bulk). The sender's
 * summary (cause `broadcast:<id>`, serving no group) is not one of them. Returns how many it withdrew.
 */
export async function withdrawWaitingBroadcastMessages(db: Db, id: number, why: string): Promise<number> {
  const { prefix, after } = keyRange(id);
  const r = await db
    .updateTable('outbox')
    .set({ status: 'dead', last_error: why, first_tried_at: null })
    .where('idempotency_key', '>=', prefix)
    .where('idempotency_key', '<', after)
    .where('cause', 'like', `${prefix}%`)
    .where('status', 'in', ['pending', 'failed'])
    .where('unknown_since', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows);
}

/** A broadcast's message keys: `broadcast:<id>:` and what follows; ';' follows ':' in byte order. */
const keyRange = (id: number) => ({ prefix: `broadcast:${id}:`, after: `broadcast:${id};` });

/**
 * Whether outbox row `row` (an alias) is a group message of the broadcast whose key stem `stem` is (an SQL
 * text, `broadcast:<id>`): its key in the broadcast's range (keyRange, in SQL) and a group among its causes.
 * The sender's summary (cause `broadcast:<id>`, serving no group) is not one.
 */
export const broadcastGroupMessage = (row: string, stem: RawBuilder<string>): RawBuilder<boolean> =>
  sql<boolean>`(${sql.ref(`${row}.idempotency_key`)} >= ${stem} || ':'
    and ${sql.ref(`${row}.idempotency_key`)} < ${stem} || ';'
    and ${sql.ref(`${row}.cause`)} like ${stem} || ':%')`;
