import { type Kysely, sql } from 'kysely';

// A day's reminder run writes a ledger row per reminder and a message per target in a few statements
// (jobs/reminder-ledger.ts); at province scale (100,000 deputies, several rules a day) what those
// statements maintain per row is what they cost:
// - the ledger's foreign key to the outbox checked each row by a trigger, one lookup per reminder. The
//   ledger row and its message are written in one transaction and outbox rows are never deleted, so the
//   reference holds by construction;
// - the prefix index on outbox keys served the per-target LIKE lookup of a day's digest, which
//   reminder_digests (020) replaced: nothing reads it, every outbox insert maintained it;
// - the keys a run sorts, groups and looks up (the ledger's rule, period and target, the digests' keys, the
//   outbox's idempotency key) are compared byte by byte (collation "C") rather than by the locale: they
//   are codes, never read as words, and the locale's comparison costs several times as much per row.

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table reminder_ledger drop constraint if exists reminder_ledger_outbox_id_fkey`.execute(db);
  await db.schema.dropIndex('outbox_idempotency_key_prefix_idx').ifExists().execute();
  await sql`alter table reminder_ledger alter column rule type text collate "C",
    alter column period type text collate "C", alter column target type text collate "C"`.execute(db);
  await sql`alter table reminder_digests alter column base type text collate "C"`.execute(db);
  await sql`alter table outbox alter column idempotency_key type text collate "C"`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`alter table outbox alter column idempotency_key type text collate "default"`.execute(db);
  await sql`alter table reminder_digests alter column base type text collate "default"`.execute(db);
  await sql`alter table reminder_ledger alter column rule type text collate "default",
    alter column period type text collate "default", alter column target type text collate "default"`.execute(
    db,
  );
  await db.schema
    .createIndex('outbox_idempotency_key_prefix_idx')
    .ifNotExists()
    .on('outbox')
    .expression(sql`idempotency_key text_pattern_ops`)
    .execute();
  await sql`alter table reminder_ledger add constraint reminder_ledger_outbox_id_fkey
    foreign key (outbox_id) references outbox (id)`.execute(db);
}
