import { type Kysely, sql } from 'kysely';

// A reminder digest in the outbox stored its items twice: rendered in `text` and again as an `items` list,
// kept so that a later run of the same day could add to it. At province scale that list was a third of
// every outbox row a day's run writes. A digest now stores its `count` instead: the numbered lines are the
// text after the header and the count, so a digest grows from its own text (jobs/digest.ts). The digests
// still waiting to be sent are converted; those already sent are never extended and keep what they held.

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`update outbox
    set payload = jsonb_build_object('text', payload->'text', 'count', jsonb_array_length(payload->'items'))
    where status = 'pending' and attempts = 0 and jsonb_typeof(payload->'items') = 'array'`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  // The items' own texts are not kept: a digest waiting now is sent as it is, and a later run of the day
  // starts a new one rather than adding to it.
  await sql`update outbox set payload = payload - 'count'
    where status = 'pending' and attempts = 0 and jsonb_typeof(payload->'count') = 'number'`.execute(db);
}
