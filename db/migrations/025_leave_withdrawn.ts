import { type Kysely, sql } from 'kysely';

// A leave request the deputy no longer needs (they answered 参加 to the activity it was from) is withdrawn:
// no decision is asked for, and it stays on record as such.

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table leave_requests drop constraint if exists leave_requests_status_check`.execute(db);
  await sql`alter table leave_requests add constraint leave_requests_status_check
    check (status in ('pending', 'approved', 'rejected', 'forwarded', 'withdrawn'))`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  // Before this migration there was no such state: a withdrawn request reads as one still to decide.
  await sql`update leave_requests set status = 'pending', recorded_at = null, recorded_by = null
    where status = 'withdrawn'`.execute(db);
  await sql`alter table leave_requests drop constraint if exists leave_requests_status_check`.execute(db);
  await sql`alter table leave_requests add constraint leave_requests_status_check
    check (status in ('pending', 'approved', 'rejected', 'forwarded'))`.execute(db);
}
