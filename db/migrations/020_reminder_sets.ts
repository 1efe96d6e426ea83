import { type Kysely, sql } from 'kysely';

// The set-based reminder run (jobs/reminder-ledger.ts):
// - reminder_digests: the newest digest message of each target, channel and sending day (its key
//   without the '#n' sequence), so a run finds every open digest by one join instead of a LIKE scan per
//   target. Filled from the digests already queued, so their sequence numbers go on.
// - job_marks: a job's work done for a day (the catch-up at start runs once a day across instances).

/** The digest index, filled from the digests queued (migration 023 drops it, and brings it back on down). */
export async function createReminderDigests(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('reminder_digests')
    .addColumn('base', 'text', (c) => c.primaryKey())
    .addColumn('outbox_id', 'integer', (c) => c.notNull())
    .addColumn('seq', 'integer', (c) => c.notNull())
    .execute();
  await sql`insert into reminder_digests (base, outbox_id, seq)
    select distinct on (base) base, id, seq
    from (
      select split_part(idempotency_key, '#', 1) as base, id,
             coalesce(nullif(substring(split_part(idempotency_key, '#', 2) from '^[0-9]+'), ''), '0')::int as seq
      from outbox where idempotency_key like 'digest:%#%'
    ) d
    order by base, seq desc, id desc`.execute(db);
}

export async function up(db: Kysely<unknown>): Promise<void> {
  await createReminderDigests(db);
  await db.schema
    .createTable('job_marks')
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('day', 'date', (c) => c.notNull())
    .addColumn('done_at', 'timestamptz', (c) => c.notNull())
    .addPrimaryKeyConstraint('job_marks_pk', ['name', 'day'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('job_marks').ifExists().execute();
  await db.schema.dropTable('reminder_digests').ifExists().execute();
}
