import { type Kysely, sql } from 'kysely';

// 大同 第八条 (S18): staff broadcasts to deputy groups, and which group each one reached. The reminder
// ledger (002) gains the day a reminder fell due and the event it announces, so GET /api/reminders can
// say when and a catch-up can tell late ones.

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('broadcasts')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('congress_id', 'integer', (c) => c.references('congresses.id'))
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('targets', 'jsonb', (c) => c.notNull())
    .addColumn('actor', 'text', (c) => c.notNull())
    // The staff member who sent it from chat: told the summary when it ends.
    .addColumn('sender_person_id', 'integer', (c) => c.references('people.id'))
    .addColumn('status', 'text', (c) =>
      c.notNull().defaultTo('running').check(sql`status in ('running','done')`),
    )
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('finished_at', 'timestamptz')
    .execute();

  // One row per group reached; unique, so a group receives one broadcast once.
  await db.schema
    .createTable('broadcast_groups')
    .addColumn('broadcast_id', 'integer', (c) => c.notNull().references('broadcasts.id').onDelete('cascade'))
    .addColumn('group_id', 'integer', (c) => c.notNull().references('groups.id'))
    .addColumn('group_name', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('broadcast_groups_pk', ['broadcast_id', 'group_id'])
    .execute();

  await db.schema
    .alterTable('reminder_ledger')
    .addColumn('due_on', 'date')
    .addColumn('event_on', 'date')
    .addColumn('job', 'text')
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('reminder_ledger')
    .dropColumn('due_on')
    .dropColumn('event_on')
    .dropColumn('job')
    .execute();
  await db.schema.dropTable('broadcast_groups').ifExists().execute();
  await db.schema.dropTable('broadcasts').ifExists().execute();
}
