import { type Kysely, sql } from 'kysely';

// Inbound messages (recorded before they are acted on), the outbox (every outbound message),
// and the reminder ledger (one row per rule, period and target).

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('inbound_messages')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('channel', 'text', (c) => c.notNull().check(sql`channel in ('wecom','dingtalk','simulator')`))
    .addColumn('message_key', 'text', (c) => c.notNull())
    .addColumn('sender_id', 'text', (c) => c.notNull())
    .addColumn('person_id', 'integer', (c) => c.references('people.id'))
    .addColumn('msg_type', 'text', (c) => c.notNull())
    // null for a sender not on the roster: of their message only its id is kept
    .addColumn('content', 'jsonb')
    .addColumn('status', 'text', (c) =>
      c.notNull().defaultTo('received').check(sql`status in ('received','handled','failed','refused')`),
    )
    .addColumn('reply', 'jsonb')
    .addColumn('received_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('handled_at', 'timestamptz')
    .addUniqueConstraint('inbound_messages_channel_key_uq', ['channel', 'message_key'])
    .execute();

  await db.schema
    .createTable('outbox')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('channel', 'text', (c) => c.notNull().check(sql`channel in ('wecom','dingtalk','simulator')`))
    .addColumn('target_kind', 'text', (c) => c.notNull())
    .addColumn('target_address', 'text', (c) => c.notNull())
    .addColumn('payload', 'jsonb', (c) => c.notNull())
    .addColumn('idempotency_key', 'text', (c) => c.notNull().unique())
    .addColumn('cause', 'text')
    .addColumn('status', 'text', (c) =>
      c.notNull().defaultTo('pending').check(sql`status in ('pending','sending','sent','failed','dead')`),
    )
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('max_attempts', 'integer', (c) => c.notNull().defaultTo(6))
    // Due at once unless a time is given (the epoch, not now(): the dispatcher compares with its own clock).
    .addColumn('not_before', 'timestamptz', (c) =>
      c.notNull().defaultTo(sql`'1970-01-01T00:00:00Z'::timestamptz`),
    )
    .addColumn('locked_until', 'timestamptz')
    .addColumn('last_error', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('sent_at', 'timestamptz')
    .execute();
  await db.schema.createIndex('outbox_due_idx').on('outbox').columns(['status', 'not_before']).execute();

  await db.schema
    .createTable('reminder_ledger')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('rule', 'text', (c) => c.notNull())
    .addColumn('period', 'text', (c) => c.notNull())
    .addColumn('target', 'text', (c) => c.notNull())
    .addColumn('outbox_id', 'bigint', (c) => c.references('outbox.id'))
    .addColumn('late', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('reminder_ledger_uq', ['rule', 'period', 'target'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('reminder_ledger').ifExists().execute();
  await db.schema.dropTable('outbox').ifExists().execute();
  await db.schema.dropTable('inbound_messages').ifExists().execute();
}
