import { type Kysely, sql } from 'kysely';

// Of a message from someone not on the roster only its channel and message id are kept (with when it
// came, for housekeeping): not who sent it, nor its type, nor the answer. The sender and type columns
// become nullable, and what earlier rows kept beyond that is cleared.

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table inbound_messages alter column sender_id drop not null`.execute(db);
  await sql`alter table inbound_messages alter column msg_type drop not null`.execute(db);
  await sql`
    update inbound_messages
       set sender_id = null, msg_type = null, content = null, reply = null
     where person_id is null
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`update inbound_messages set sender_id = '' where sender_id is null`.execute(db);
  await sql`update inbound_messages set msg_type = '' where msg_type is null`.execute(db);
  await sql`alter table inbound_messages alter column sender_id set not null`.execute(db);
  await sql`alter table inbound_messages alter column msg_type set not null`.execute(db);
}
