import { sql } from 'kysely';
import type { Db } from '../client.ts';

// Item code sequences (CONTRACT §3): one counter per prefix and year.

/** Takes `count` numbers; returns the last of them (the first is `last - count + 1`). */
async function take(db: Db, prefix: string, year: number, apart: boolean, count = 1): Promise<number> {
  const row = await sql<{ last: number }>`
    insert into code_sequences (prefix, year, last)
    ${
      apart
        ? sql`select ${prefix}, ${year}, ${count}::int from (select set_config('synchronous_commit', 'off', true)) as async_commit`
        : sql`values (${prefix}, ${year}, ${count}::int)`
    }
    on conflict (prefix, year) do update set last = code_sequences.last + excluded.last
    returning last`.execute(db);
  return row.rows[0]!.last;
}

/** Takes the next number of the prefix's sequence for the year; call it in the item's transaction. */
export const takeCodeNumber = (db: Db, prefix: string, year: number): Promise<number> =>
  take(db, prefix, year, false);

/**
 * Takes the next number in a statement of its own, outside any item transaction, so the counter row is
 * locked for that statement alone instead of for a whole submission: chat submissions then no longer
 * queue behind each other. Its commit does not wait for the disk (synchronous_commit off, local to this
 * statement's transaction); that is safe because the item's own commit, which does wait, comes later in
 * the log and so makes the counter durable with it. A crash can only lose a number no item holds.
 */
export const takeCodeNumberApart = (db: Db, prefix: string, year: number): Promise<number> =>
  take(db, prefix, year, true);

/** `count` numbers in a row, taken apart as takeCodeNumberApart takes one; returns the first of them. */
export async function takeCodeNumbersApart(
  db: Db,
  prefix: string,
  year: number,
  count: number,
): Promise<number> {
  return (await take(db, prefix, year, true, count)) - count + 1;
}
