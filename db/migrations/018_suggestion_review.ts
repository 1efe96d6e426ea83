import { type Kysely, sql } from 'kysely';

// 立案审查: an optional review of an item before 交办 — accepted (立案), not accepted (不予立案, with the
// reason the deputy is told) or merged into another item (合并办理, its deputies follow that item); the
// title and category staff set, and 重点督办 (《代表法》第五十二条). An item not accepted or merged is
// 'closed' with `review_state` saying why; an item never reviewed has `review_state` null.

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('suggestions')
    .addColumn('review_state', 'text', (c) =>
      c.check(sql`review_state in ('accepted','not_accepted','merged')`),
    )
    .addColumn('review_reason', 'text')
    .addColumn('reviewed_at', 'timestamptz')
    .addColumn('reviewed_by', 'text')
    .addColumn('merged_into_id', 'integer', (c) => c.references('suggestions.id'))
    .addColumn('category', 'text')
    .addColumn('key_supervision', 'boolean', (c) => c.notNull().defaultTo(false))
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('suggestions')
    .dropColumn('review_state')
    .dropColumn('review_reason')
    .dropColumn('reviewed_at')
    .dropColumn('reviewed_by')
    .dropColumn('merged_into_id')
    .dropColumn('category')
    .dropColumn('key_supervision')
    .execute();
}
