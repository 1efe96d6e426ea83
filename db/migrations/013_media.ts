import { type Kysely, sql } from 'kysely';

// What deputies send is kept: a photo, a voice message or a file is fetched from the platform while it
// still serves it (WeCom media_id for three days; DingTalk downloadCode at once) into `media_contents`,
// one row per distinct content (by sha256), and `media` records each thing received with its fetch state.
// A location sent with an item is kept with the item.

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('media_contents')
    .addColumn('sha256', 'text', (c) => c.primaryKey())
    .addColumn('size', 'integer', (c) => c.notNull())
    .addColumn('content_type', 'text', (c) => c.notNull())
    .addColumn('content', 'bytea', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable('media')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('channel', 'text', (c) => c.notNull())
    // The platform's id for it: a WeCom media_id or a DingTalk downloadCode.
    .addColumn('platform_id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('image','voice','file')`))
    .addColumn('status', 'text', (c) =>
      c.notNull().check(sql`status in ('pending','fetched','missing','too_large')`),
    )
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_attempt_at', 'timestamptz', (c) => c.notNull())
    .addColumn('last_error', 'text')
    .addColumn('sha256', 'text', (c) => c.references('media_contents.sha256'))
    .addColumn('size', 'integer')
    .addColumn('content_type', 'text')
    .addColumn('inbound_id', 'integer', (c) => c.references('inbound_messages.id'))
    .addColumn('received_at', 'timestamptz', (c) => c.notNull())
    .addColumn('fetched_at', 'timestamptz')
    .execute();
  await db.schema
    .createIndex('media_channel_platform_id_key')
    .on('media')
    .columns(['channel', 'platform_id'])
    .unique()
    .execute();
  await db.schema.createIndex('media_due_idx').on('media').columns(['status', 'next_attempt_at']).execute();

  // {latitude, longitude, label?} of a location sent with the item, or null.
  await db.schema.alterTable('suggestions').addColumn('location', 'jsonb').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('suggestions').dropColumn('location').execute();
  await db.schema.dropTable('media').ifExists().execute();
  await db.schema.dropTable('media_contents').ifExists().execute();
}
