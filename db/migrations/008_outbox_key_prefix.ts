import { type Kysely, sql } from 'kysely';

// A day's digest to one target is found by its idempotency-key prefix (jobs/digest.ts). The unique index
// cannot serve a LIKE 'prefix%' under a non-C collation, so every reminder scanned the outbox; with
// text_pattern_ops the lookup is an index range scan.

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createIndex('outbox_idempotency_key_prefix_idx')
    .on('outbox')
    .expression(sql`idempotency_key text_pattern_ops`)
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('outbox_idempotency_key_prefix_idx').ifExists().execute();
}
