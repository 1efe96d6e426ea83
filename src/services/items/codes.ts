import { sql } from 'kysely';
import type { Executor } from '../../messaging/outbox.ts';

// Codes of the form XX-YYYY-NNNN (CONTRACT §3): a sequence per prefix and year, at least four digits.

export type CodePrefix = 'QJ' | 'JY' | 'JD' | 'HD';

/** Takes the next code; call it inside the transaction that creates the item. */
export async function nextCode(db: Executor, prefix: CodePrefix, year: number): Promise<string> {
  const row = await sql<{ last: number }>`
    insert into code_sequences (prefix, year, last) values (${prefix}, ${year}, 1)
    on conflict (prefix, year) do update set last = code_sequences.last + 1
    returning last`.execute(db);
  const n = row.rows[0]!.last;
  return `${prefix}-${year}-${String(n).padStart(4, '0')}`;
}
