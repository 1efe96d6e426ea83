import { sql } from 'kysely';
import type { Db } from '../client.ts';
import type { MessageChannel, NewOutboxRow, OutboxRow, OutboxStatus } from '../schema.ts';

// All of the outbox's SQL: queuing, digests, claiming and recording sends, and reading it for staff.
// Each function takes a Db or a transaction, so a message commits with the change that caused it.

// Reading the outbox for staff: rows by status, newest first, and counts.

export async function listOutbox(
  db: Db,
  f: { status?: OutboxStatus | undefined; limit: number; offset: number },
): Promise<{ rows: OutboxRow[]; total: number }> {
  let q = db.selectFrom('outbox');
  if (f.status) q = q.where('status', '=', f.status);
  const total = await q.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
  const rows = await q.selectAll().orderBy('id', 'desc').limit(f.limit).offset(f.offset).execute();
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

/** The newest row whose idempotency key matches `keyLike` (a LIKE pattern), locked for the transaction. */
export async function latestOutboxRowLike(db: Db, keyLike: string) {
  return db
    .selectFrom('outbox')
    .select(['id', 'status', 'attempts', 'payload', 'idempotency_key'])
    .where('idempotency_key', 'like', keyLike)
    .orderBy('id', 'desc')
    .limit(1)
    .forUpdate()
    .executeTakeFirst();
}

/** Replaces a waiting row's payload and appends one more cause. */
export async function extendOutboxRow(db: Db, id: number, payload: unknown, cause: string): Promise<void> {
  await db
    .updateTable('outbox')
    .set({ payload: JSON.stringify(payload), cause: sql`cause || ',' || ${cause}` })
    .where('id', '=', id)
    .execute();
}

/** Inserts one message whose key must be new (a repeat throws, rolling its transaction back). */
export async function insertNewOutboxRow(db: Db, row: NewOutboxRow): Promise<number> {
  const r = await db.insertInto('outbox').values(row).returning('id').executeTakeFirstOrThrow();
  return r.id;
}

// Sending (src/messaging/outbox-dispatcher.ts). A row is claimed before it is sent; a claim that ran out
// (a crash between sending and recording) makes the row due again.

/** Claims up to `limit` due rows until `until`, counting an attempt; returns them in id order. */
export async function claimDueOutbox(db: Db, now: Date, until: Date, limit: number): Promise<OutboxRow[]> {
  const due = await db
    .selectFrom('outbox')
    .select('id')
    .where((eb) =>
      eb.or([
        eb.and([eb('status', 'in', ['pending', 'failed']), eb('not_before', '<=', now)]),
        eb.and([eb('status', '=', 'sending'), eb('locked_until', '<', now)]),
      ]),
    )
    .orderBy('id')
    .limit(limit)
    .execute();
  if (due.length === 0) return [];
  // The status check repeats in the update so two instances racing on one row claim it once.
  const rows = await db
    .updateTable('outbox')
    .set({ status: 'sending', locked_until: until, attempts: sql`attempts + 1` })
    .where(
      'id',
      'in',
      due.map((r) => r.id),
    )
    .where((eb) =>
      eb.or([
        eb.and([eb('status', 'in', ['pending', 'failed']), eb('not_before', '<=', now)]),
        eb.and([eb('status', '=', 'sending'), eb('locked_until', '<', now)]),
      ]),
    )
    .returningAll()
    .execute();
  return rows.sort((a, b) => a.id - b.id);
}

/** Puts a claimed row back untried: not an attempt. */
export async function releaseOutboxRow(db: Db, id: number, notBefore: Date): Promise<void> {
  await db
    .updateTable('outbox')
    .set({
      status: 'failed',
      locked_until: null,
      attempts: sql`greatest(attempts - 1, 0)`,
      not_before: notBefore,
    })
    .where('id', '=', id)
    .execute();
}

export async function markOutboxSent(db: Db, id: number, at: Date): Promise<void> {
  await db
    .updateTable('outbox')
    .set({ status: 'sent', sent_at: at, locked_until: null, last_error: null })
    .where('id', '=', id)
    .execute();
}

export async function markOutboxDead(db: Db, id: number, lastError: string): Promise<void> {
  await db
    .updateTable('outbox')
    .set({ status: 'dead', locked_until: null, last_error: lastError })
    .where('id', '=', id)
    .execute();
}

/** A failed attempt: the row waits until `notBefore` and is tried again. */
export async function markOutboxRetry(db: Db, id: number, lastError: string, notBefore: Date): Promise<void> {
  await db
    .updateTable('outbox')
    .set({ status: 'failed', locked_until: null, last_error: lastError, not_before: notBefore })
    .where('id', '=', id)
    .execute();
}

export async function setOutboxError(db: Db, id: number, lastError: string): Promise<void> {
  await db.updateTable('outbox').set({ last_error: lastError }).where('id', '=', id).execute();
}

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

/** Withdraws the pending messages whose idempotency key starts with `keyPrefix` (marked dead, with why). */
export async function withdrawPendingByKeyPrefix(db: Db, keyPrefix: string, why: string): Promise<void> {
  await db
    .updateTable('outbox')
    .set({ status: 'dead', last_error: why })
    .where('idempotency_key', 'like', `${keyPrefix}%`)
    .where('status', '=', 'pending')
    .execute();
}
