import { type Kysely, sql } from 'kysely';
import { createReminderDigests } from './020_reminder_sets.ts';

// What a day's reminder run writes beside each outbox row, at province scale (100,000 deputies):
// - a digest stored its items twice: rendered in `text` and again as an `items` list, kept so that a later
//   run of the same day could add to it; that list was a third of every row. A digest now stores its
//   `count`: the numbered lines are the text after the header and the count, so it grows from its own text
//   (jobs/digest.ts). The digests still waiting are converted; those sent are never extended again;
// - reminder_digests (020) named each key's newest message, a row written per message. The outbox's
//   unique index on idempotency keys ('<key>#<seq>') finds it as well, by a range per key: dropped.

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`update outbox
    set payload = jsonb_build_object('text', payload->'text', 'count', jsonb_array_length(payload->'items'))
    where status = 'pending' and attempts = 0 and jsonb_typeof(payload->'items') = 'array'`.execute(db);
  await db.schema.dropTable('reminder_digests').ifExists().execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await createReminderDigests(db);
  await sql`alter table reminder_digests alter column base type text collate "C"`.execute(db);
  // The items' own texts are not kept: a digest waiting now is sent as it is, and a later run of the day
  // starts a new one rather than adding to it.
  await sql`update outbox set payload = payload - 'count'
    where status = 'pending' and attempts = 0 and jsonb_typeof(payload->'count') = 'number'`.execute(db);
}
