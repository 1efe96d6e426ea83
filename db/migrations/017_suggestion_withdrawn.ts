import type { Kysely } from 'kysely';

// A deputy may withdraw (撤回) an item not yet handed over (交办): it is closed and kept, with when it
// was withdrawn, so the record and its code stay and the deputy's words are never lost.

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('suggestions').addColumn('withdrawn_at', 'timestamptz').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('suggestions').dropColumn('withdrawn_at').execute();
}
