import { type Kysely, sql } from 'kysely';

// Who sends a chat message (person, identities, mandates, congresses) is read on every message. An instance
// keeps the senders it has met, stamped with the roster's version; the statement that records a message
// reads the version in the same snapshot, so a kept sender is used only while nothing on the roster has
// changed since it was read (src/bot/dispatch/sender-cache.ts).
//
// The version moves once per transaction that changes the roster, as it commits: a deferred constraint
// trigger takes the version row's lock only at commit, after every other lock the transaction waits for,
// so roster writers never deadlock on it and hold it for an instant. A transaction-local setting keeps the
// per-row trigger to one update.

const TABLES = ['people', 'person_identities', 'mandates', 'congresses'] as const;

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create table roster_version (
    one boolean primary key default true check (one),
    version bigint not null default 0)`.execute(db);
  await sql`insert into roster_version default values`.execute(db);
  await sql`create function roster_changed() returns trigger language plpgsql as $$
    begin
      if current_setting('app.roster_changed_in', true) is distinct from txid_current()::text then
        perform set_config('app.roster_changed_in', txid_current()::text, true);
        update roster_version set version = version + 1;
      end if;
      return null;
    end $$`.execute(db);
  for (const t of TABLES) {
    await sql`create constraint trigger ${sql.raw(`${t}_roster_changed`)}
      after insert or update or delete on ${sql.table(t)}
      deferrable initially deferred for each row execute function roster_changed()`.execute(db);
    // A constraint trigger cannot fire on truncate (tests and resets empty tables that way).
    await sql`create trigger ${sql.raw(`${t}_roster_truncated`)} after truncate on ${sql.table(t)}
      for each statement execute function roster_changed()`.execute(db);
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const t of TABLES) {
    await sql`drop trigger if exists ${sql.raw(`${t}_roster_changed`)} on ${sql.table(t)}`.execute(db);
    await sql`drop trigger if exists ${sql.raw(`${t}_roster_truncated`)} on ${sql.table(t)}`.execute(db);
  }
  await sql`drop function if exists roster_changed()`.execute(db);
  await sql`drop table if exists roster_version`.execute(db);
}
