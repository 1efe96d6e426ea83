import { sql } from 'kysely';
import type { Db } from '../client.ts';

// Item code sequences (CONTRACT §3): one counter per prefix and year.

/** Takes the next number of the prefix's sequence for the year; call it in the item's transaction. */
export async function takeCodeNumber(db: Db, prefix: string, year: number): Promise<number> {
  const row = await sql<{ last: number }>`
    insert into code_sequences (prefix, year, last) values (${prefix}, ${year}, 1)
    on conflict (prefix, year) do update set last = code_sequences.last + 1
    returning last`.execute(db);
  return row.rows[0]!.last;
}
