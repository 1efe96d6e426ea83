import type { Db } from '../../db/client.ts';
import type { Database } from '../../db/schema.ts';

/** How many rows a table holds (to check that a step wrote one, or nothing). */
export async function rowCount(db: Db, table: keyof Database): Promise<number> {
  const row = await db
    .selectFrom(table)
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
