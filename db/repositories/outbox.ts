import {
  type ExpressionBuilder,
  type RawBuilder,
  type SelectQueryBuilder,
  sql,
  type UpdateObject,
} from 'kysely';
import type { Db } from '../client.ts';
import type { Database, MessageChannel, NewOutboxRow, OutboxRow, OutboxStatus } from '../schema.ts';
import { broadcastGroupMessage } from './broadcasts.ts';

// All of the outbox's SQL: queuing, digests, claiming and recording sends, and reading it for staff.
// Each function takes a Db or a transaction, so a message commits with the change that caused it.

// Reading the outbox for staff: rows by status, newest first, and counts.

export async function listOutbox(
  db: Db,
  f: { status?: OutboxStatus | undefined; limit: number; offset: number },
): Promise<{ rows: OutboxRow[]; total: number }> {
  let q = db.selectFrom('outbox');
  if (f.status) q = q.where('status', '=', f.status);
  return outboxPage(q, f);
}

/** One page of the outbox rows a filter selects, newest first, with how many it selects in all. */
export async function outboxPage(
  q: SelectQueryBuilder<Database, 'outbox', object>,
  page: { limit: number; offset: number },
): Promise<{ rows: OutboxRow[]; total: number }> {
  const total = await q.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
  const rows = await q.selectAll().orderBy('id', 'desc').limit(page.limit).offset(page.offset).execute();
  return { rows, total: Number(total.n) };
}

export async function countOutbox(db: Db, status: OutboxStatus): Promise<number> {
  const row = await db
    .selectFrom('outbox')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('status', '=', status)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** How many rows each status holds (the outbox depth gauge). */
export async function countOutboxByStatus(db: Db): Promise<{ status: OutboxStatus; n: number }[]> {
  const rows = await db
    .selectFrom('outbox')
    .select(['status', (eb) => eb.fn.countAll<number>().as('n')])
    .groupBy('status')
    .execute();
  return rows.map((r) => ({ status: r.status, n: Number(r.n) }));
}

// Queuing. A repeat idempotency key is dropped, so retries and restarts queue a message once.

/** Inserts one message; returns its id, or null when its idempotency key is already queued. */
export async function insertOutboxRow(db: Db, row: NewOutboxRow): Promise<number | null> {
  const r = await db
    .insertInto('outbox')
    .values(row)
    .onConflict((oc) => oc.column('idempotency_key').doNothing())
    .returning('id')
    .executeTakeFirst();
  return r?.id ?? null;
}

/**
 * Inserts one private message to a person on every channel they are known by, in one statement: each
 * row's key is `keyBeforeChannel` followed by its channel (a repeat is dropped). Returns the ids of the rows
 * queued, in the order they were written (the first is the message on the person's first account).
 */
export async function insertOutboxToPerson(
  db: Db,
  personId: number,
  m: { payload: string; keyBeforeChannel: string; cause: string | null; notBefore?: Date },
): Promise<number[]> {
  const r = await sql<{ id: number | string }>`insert into outbox
      (channel, target_kind, target_address, payload, idempotency_key, cause${m.notBefore ? sql`, not_before` : sql``})
    select pi.channel, 'user', pi.external_id, ${m.payload}::jsonb, ${m.keyBeforeChannel} || pi.channel,
      ${m.cause}${m.notBefore ? sql`, ${m.notBefore}::timestamptz` : sql``}
    from person_identities pi where pi.person_id = ${personId}
    order by pi.id
    on conflict (idempotency_key) do nothing
    returning id`.execute(db);
  return r.rows.map((x) => Number(x.id)).sort((a, b) => a - b);
}

/** One message of insertOutboxToGroups: to every member of one group. */
export interface GroupMessage {
  groupId: number;
  payload: string;
  keyBeforePerson: string;
  keyBeforeChannel: string;
  cause: string | null;
  notBefore: Date;
}

/**
 * The insert of group messages (insertOutboxToGroups) from a query of them (`messages`: columns ord, g,
 * payload, kp, kc, cause, nb, as in groupMessagesQuery), for a statement that writes them with the change
 * that causes them (a data-modifying WITH).
 */
export function outboxToGroupsInsert(
  members: RawBuilder<{ group_id: number; person_id: number }>,
  messages: RawBuilder<unknown>,
): RawBuilder<unknown> {
  return sql`insert into outbox
      (channel, target_kind, target_address, payload, idempotency_key, cause, not_before)
    select pi.channel, 'user', pi.external_id, (n.payload)::jsonb, n.kp || pi.person_id || n.kc || pi.channel,
      n.cause, n.nb
    from (${messages}) as n
    join (${members}) as gm on gm.group_id = n.g
    join person_identities pi on pi.person_id = gm.person_id
    order by n.ord, pi.person_id, pi.id
    on conflict (idempotency_key) do nothing`;
}

/** Group messages as the rows outboxToGroupsInsert reads, in order (`ord`). */
export function groupMessagesQuery(messages: readonly GroupMessage[]): RawBuilder<unknown> {
  const list = JSON.stringify(
    messages.map((m, ord) => ({
      ord,
      g: m.groupId,
      payload: m.payload,
      kp: m.keyBeforePerson,
      kc: m.keyBeforeChannel,
      cause: m.cause,
      nb: m.notBefore.toISOString(),
    })),
  );
  return sql`select * from jsonb_to_recordset(${list}::jsonb)
    as n(ord int, g int, payload text, kp text, kc text, cause text, nb timestamptz)`;
}

/**
 * Inserts several messages, each to every member of its group (`members`: a query of `group_id` and
 * `person_id`), on every channel each member is known by, in one statement; each row's key
 * `keyBeforePerson`, the person's id, `keyBeforeChannel` and the channel (a repeat is dropped).
 * Returns how many were queued.
 */
export async function insertOutboxToGroups(
  db: Db,
  members: RawBuilder<{ group_id: number; person_id: number }>,
  messages: readonly GroupMessage[],
): Promise<number> {
  if (messages.length === 0) return 0;
  const r = await outboxToGroupsInsert(members, groupMessagesQuery(messages)).execute(db);
  return Number(r.numAffectedRows ?? 0);
}

/** Where a person can be written to privately: every channel id they are known by. */
export async function chatIdentitiesOf(
  db: Db,
  personId: number,
): Promise<{ channel: MessageChannel; external_id: string }[]> {
  return db
    .selectFrom('person_identities')
    .select(['channel', 'external_id'])
    .where('person_id', '=', personId)
    .execute();
}

// Digests: one waiting message per target and day that later reminders join (jobs/digest.ts).

// Sending (src/messaging/outbox-dispatcher.ts). One row is claimed at a time, with a token of its holder;
// a claim that ran out (a crash between sending and recording) makes the row due again, and the result of
// a send is recorded only while its claim is still held, so two instances never both act on one row.

const due = (now: Date) =>
  sql<boolean>`((status in ('pending','failed') and not_before <= ${now})
    or (status = 'sending' and locked_until < ${now}))`;

/**
 * Claims the oldest due row until `until` for the holder `token`, counting an attempt; undefined when none
 * is due. Rows locked by another transaction are skipped, so racing instances take different rows.
 */
export async function claimNextOutbox(
  db: Db,
  now: Date,
  until: Date,
  token: string,
  skipTargetKinds: readonly string[] = [],
): Promise<OutboxRow | undefined> {
  // Rows this instance cannot send (a connection another instance holds) are left to their holder.
  const skip =
    skipTargetKinds.length > 0
      ? sql`and target_kind not in (${sql.join(skipTargetKinds.map((k) => sql`${k}`))})`
      : sql``;
  const r = await sql<OutboxRow>`
    update outbox set status = 'sending', locked_until = ${until}, claim_token = ${token},
      attempts = attempts + 1, first_tried_at = coalesce(first_tried_at, ${now})
    where id = (select id from outbox where ${due(now)} ${skip} order by id limit 1 for update skip locked)
      and ${due(now)}
    returning *`.execute(db);
  return r.rows[0];
}

/** The row, if `token` still holds it. */
const held = (id: number, token: string) => (eb: ExpressionBuilder<Database, 'outbox'>) =>
  eb.and([eb('id', '=', id), eb('status', '=', 'sending'), eb('claim_token', '=', token)]);

/** Ends this instance's claim on a row (unlocked, token cleared) with `changes`; false when another instance holds it now. */
async function endClaim(
  db: Db,
  id: number,
  token: string,
  changes: UpdateObject<Database, 'outbox'>,
): Promise<boolean> {
  const r = await db
    .updateTable('outbox')
    .set({ ...changes, locked_until: null, claim_token: null })
    .where(held(id, token))
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

/** Puts a claimed row back untried: not an attempt. False when the claim was lost. */
export async function releaseOutboxRow(db: Db, id: number, token: string, notBefore: Date): Promise<boolean> {
  return endClaim(db, id, token, {
    status: 'failed',
    attempts: sql`greatest(attempts - 1, 0)`,
    not_before: notBefore,
  });
}

export async function markOutboxSent(db: Db, id: number, token: string, at: Date): Promise<boolean> {
  return endClaim(db, id, token, {
    status: 'sent',
    sent_at: at,
    last_error: null,
  });
}

/** Ends a row that will not be tried again: 'dead' (failed for good) or 'unknown' (staff confirm). */
export async function markOutboxEnded(
  db: Db,
  id: number,
  token: string,
  status: 'dead' | 'unknown',
  lastError: string,
  unknownSince?: Date,
): Promise<boolean> {
  return endClaim(db, id, token, {
    status,
    last_error: lastError,
    ...(unknownSince ? { unknown_since: unknownSince } : {}),
  });
}

/** A failed attempt: the row waits until `notBefore` and is tried again. */
export async function markOutboxRetry(
  db: Db,
  id: number,
  token: string,
  lastError: string,
  notBefore: Date,
  unknownSince?: Date,
): Promise<boolean> {
  return endClaim(db, id, token, {
    status: 'failed',
    last_error: lastError,
    not_before: notBefore,
    ...(unknownSince ? { unknown_since: unknownSince } : {}),
  });
}

export async function setOutboxError(db: Db, id: number, lastError: string): Promise<void> {
  await db.updateTable('outbox').set({ last_error: lastError }).where('id', '=', id).execute();
}

// Staff put dead and unknown rows back (POST /api/outbox/{id}/requeue, /api/outbox/requeue?status=…):
// the row starts afresh, due at once, with a new 24-hour budget. Its idempotency key stays. A withdrawn
// message is never put back: that would send what was decided should not go out.

export type RequeueableStatus = 'dead' | 'unknown';

/**
 * Whether an outbox row (as `outbox`) was withdrawn: ended before any attempt (a reminder that no longer
 * applies, a notice's unsent part), or a group message of a notice (broadcast:<id>:…) staff withdrew,
 * which any of its messages ended untried shows. The sender's summary (cause `broadcast:<id>`) is not one.
 */
const withdrawnMessage = sql<boolean>`((outbox.status = 'dead' and outbox.first_tried_at is null)
  or (outbox.idempotency_key like 'broadcast:%' and exists (
    select 1 from outbox w, (select 'broadcast:' || split_part(outbox.idempotency_key, ':', 2) as p) k
    where ${broadcastGroupMessage('outbox', sql`k.p`)} and ${broadcastGroupMessage('w', sql`k.p`)}
      and w.status = 'dead' and w.first_tried_at is null)))`;

/** An outbox row's status and whether it was withdrawn; undefined when there is no such row. */
export async function outboxStatusOf(
  db: Db,
  id: number,
): Promise<{ status: OutboxStatus; withdrawn: boolean } | undefined> {
  return db
    .selectFrom('outbox')
    .select(['status', withdrawnMessage.as('withdrawn')])
    .where('id', '=', id)
    .executeTakeFirst();
}

/** Of these rows, the ids of those withdrawn (for a list that offers no resending of them). */
export async function withdrawnAmong(db: Db, ids: readonly number[]): Promise<Set<number>> {
  if (ids.length === 0) return new Set();
  const rows = await db
    .selectFrom('outbox')
    .select('id')
    .where('id', 'in', ids)
    .where(withdrawnMessage)
    .execute();
  return new Set(rows.map((r) => r.id));
}

/**
 * Requeues one row; returns it as it was, or undefined when it is not dead or unknown, or was withdrawn.
 * Call it inside the transaction that audits it.
 */
export async function requeueOutboxRow(db: Db, id: number, now: Date): Promise<OutboxRow | undefined> {
  const before = await db
    .selectFrom('outbox')
    .selectAll()
    .where('id', '=', id)
    .where('status', 'in', ['dead', 'unknown'])
    .where(sql<boolean>`not ${withdrawnMessage}`)
    .forUpdate()
    .executeTakeFirst();
  if (!before) return undefined;
  await db.updateTable('outbox').set(requeued(now)).where('id', '=', id).execute();
  return before;
}

/** The rows of `status` that requeuing by status puts back: all but the withdrawn ones. */
const requeueableOf = (status: RequeueableStatus) =>
  sql<boolean>`(outbox.status = ${status} and not ${withdrawnMessage})`;

/** How many rows of `status` 全部重新发送 would requeue. */
export async function countRequeueableByStatus(db: Db, status: RequeueableStatus): Promise<number> {
  const row = await db
    .selectFrom('outbox')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where(requeueableOf(status))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Requeues every row of one status but the withdrawn ones; returns their ids. */
export async function requeueOutboxByStatus(db: Db, status: RequeueableStatus, now: Date): Promise<number[]> {
  const rows = await db
    .updateTable('outbox')
    .set(requeued(now))
    .where(requeueableOf(status))
    .returning('id')
    .execute();
  return rows.map((r) => r.id).sort((a, b) => a - b);
}

const requeued = (now: Date) => ({
  status: 'pending' as const,
  attempts: 0,
  not_before: now,
  locked_until: null,
  claim_token: null,
  first_tried_at: null,
  unknown_since: null,
});

/** Holds every waiting row to one target until `until` (the target answered "too fast"). */
export async function holdOutboxTarget(
  db: Db,
  t: { channel: MessageChannel; target_kind: string; target_address: string },
  until: Date,
): Promise<void> {
  await db
    .updateTable('outbox')
    .set({ not_before: until })
    .where('channel', '=', t.channel)
    .where('target_kind', '=', t.target_kind)
    .where('target_address', '=', t.target_address)
    .where('status', 'in', ['pending', 'failed'])
    .where('not_before', '<', until)
    .execute();
}

/**
 * Withdraws the waiting messages whose idempotency key starts with `keyPrefix` (marked dead, with why):
 * pending ones and those waiting to be tried again after a failed try, but none whose send may have
 * arrived (a timeout) and none a sender holds. They end untried, as every withdrawn message does.
 */
export async function withdrawPendingByKeyPrefix(db: Db, keyPrefix: string, why: string): Promise<void> {
  await db
    .updateTable('outbox')
    .set({ status: 'dead', last_error: why, first_tried_at: null })
    .where('idempotency_key', 'like', `${keyPrefix}%`)
    .where('status', 'in', ['pending', 'failed'])
    .where('unknown_since', 'is', null)
    .execute();
}

/** Whether any message whose idempotency key starts with `keyPrefix` (a LIKE pattern) has gone out. */
export async function anySentByKeyPrefix(db: Db, keyPrefix: string): Promise<boolean> {
  const row = await db
    .selectFrom('outbox')
    .select('id')
    .where('idempotency_key', 'like', `${keyPrefix}%`)
    .where('status', '=', 'sent')
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

/**
 * Withdraws what waits under these key prefixes; whether any of it had gone out already (whoever read it is
 * then told otherwise, rather than nothing sent at all).
 */
export async function withdrawUnsent(db: Db, keyPrefixes: readonly string[], why: string): Promise<boolean> {
  let sent = false;
  for (const p of keyPrefixes) sent = sent || (await anySentByKeyPrefix(db, p));
  for (const p of keyPrefixes) await withdrawPendingByKeyPrefix(db, p, why);
  return sent;
}

/**
 * Adds a cause to the messages queued under these keys: one message that serves several causes (a member
 * of two groups a notice reaches one by one hears it once, for both).
 */
export async function addOutboxCause(db: Db, keys: readonly string[], cause: string): Promise<void> {
  if (keys.length === 0) return;
  await db
    .updateTable('outbox')
    .set({
      cause: sql<string>`case when coalesce(cause, '') = '' then ${cause} else cause || ',' || ${cause} end`,
    })
    .where('idempotency_key', 'in', keys)
    .execute();
}
