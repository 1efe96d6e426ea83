import type { Kysely } from 'kysely';

// Every change through the API or the console names what it changed from and to: two nullable
// columns (null where there was nothing before, e.g. a creation, or nothing after, e.g. a removal).

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('audit_log').addColumn('before', 'jsonb').addColumn('after', 'jsonb').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('audit_log').dropColumn('before').dropColumn('after').execute();
}
