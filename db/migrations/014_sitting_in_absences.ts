import { type Kysely, sql } from 'kysely';

// Standing committee meetings that deputies sit in on (列席, 大同 第七条(一)) are activities of kind
// 'sitting_in', not sessions: a session is a session of a people's congress (山西 第八条, 第四十六条(三)).
// Existing sessions carry only a name, which cannot tell a standing committee meeting apart reliably, so
// their data is left as it is (docs/regulations.md says how staff re-register one).
//
// 山西 第四十六条(三) (S6): an absence records why it does not count (a deputy whose mandate was not active),
// and when a warning went out and when a later approval withdrew it.

const OLD_KINDS = sql`kind in ('small_group','large_group','station','study','campaign','inspection')`;
const NEW_KINDS = sql`kind in ('small_group','large_group','station','study','campaign','inspection','sitting_in')`;

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table activities drop constraint if exists activities_kind_check`.execute(db);
  await db.schema.alterTable('activities').addCheckConstraint('activities_kind_check', NEW_KINDS).execute();
  await db.schema
    .alterTable('session_absences')
    .addColumn('not_counted_reason', 'text')
    .addColumn('warned_at', 'timestamptz')
    .addColumn('warning_withdrawn_at', 'timestamptz')
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('session_absences')
    .dropColumn('not_counted_reason')
    .dropColumn('warned_at')
    .dropColumn('warning_withdrawn_at')
    .execute();
  await sql`alter table activities drop constraint if exists activities_kind_check`.execute(db);
  await db.schema.alterTable('activities').addCheckConstraint('activities_kind_check', OLD_KINDS).execute();
}
