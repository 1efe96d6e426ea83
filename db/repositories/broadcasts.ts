import { type Selectable, sql } from 'kysely';
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

export interface GroupDelivery {
  group_id: number;
  group_name: string;
  outbox_status: OutboxStatus | null;
  last_error: string | null;
}

/**
 * Each group of a broadcast with the status of every message that serves it: its causes (comma-separated)
 * hold broadcast:<id>:<group>. Only the broadcast's own messages are read, by their keys' common prefix
 * (`broadcast:<id>:`, a range of the byte-ordered key index).
 */
export async function broadcastDeliveries(db: Db, id: number): Promise<GroupDelivery[]> {
  const prefix = `broadcast:${id}:`;
  // ';' follows ':' in byte order: the keys that start with the prefix, and no others.
  const after = `broadcast:${id};`;
  const rows = await sql<GroupDelivery>`
    select g.group_id, g.group_name, m.status as outbox_status, m.last_error
    from broadcast_groups g
    left join (select o.status, o.last_error, unnest(string_to_array(o.cause, ',')) as c
               from outbox o where o.idempotency_key >= ${prefix} and o.idempotency_key < ${after}) m
      on m.c = ${prefix} || g.group_id::text
    where g.broadcast_id = ${id}
    order by g.group_name`.execute(db);
  return rows.rows;
}
