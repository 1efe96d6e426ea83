import { type Kysely, sql } from 'kysely';

// The outbox sends each row once (docs/ARCHITECTURE.md, "Nothing is lost"):
// - claim_token: who holds a row being sent; results are recorded only by the holder, so an instance
//   whose claim ran out can never overwrite (or repeat) what another instance did with the row;
// - first_tried_at: when sending began, from which transient failures are retried for up to 24 hours;
// - unknown_since: when a send first ended without an answer (a timeout). It is resent only inside the
//   platform's duplicate window; after that the row is 'unknown' and staff confirm or requeue it.
// max_attempts no longer ends a row after six tries: the 24-hour budget does, so its default is raised.

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table outbox drop constraint if exists outbox_status_check`.execute(db);
  await sql`alter table outbox add constraint outbox_status_check
    check (status in ('pending','sending','sent','failed','dead','unknown'))`.execute(db);
  await db.schema
    .alterTable('outbox')
    .addColumn('claim_token', 'text')
    .addColumn('first_tried_at', 'timestamptz')
    .addColumn('unknown_since', 'timestamptz')
    .execute();
  await sql`alter table outbox alter column max_attempts set default 1000`.execute(db);
  await sql`update outbox set max_attempts = 1000
    where max_attempts = 6 and status in ('pending','sending','failed')`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`update outbox set status = 'dead' where status = 'unknown'`.execute(db);
  await sql`alter table outbox drop constraint if exists outbox_status_check`.execute(db);
  await sql`alter table outbox add constraint outbox_status_check
    check (status in ('pending','sending','sent','failed','dead'))`.execute(db);
  await sql`alter table outbox alter column max_attempts set default 6`.execute(db);
  await db.schema
    .alterTable('outbox')
    .dropColumn('claim_token')
    .dropColumn('first_tried_at')
    .dropColumn('unknown_since')
    .execute();
}
