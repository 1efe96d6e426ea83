// What the database holds, read the same way by every test that checks it.

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

/** An item's assignments (by its code), in the order made: the organ, its part, state and deadline. */
export const assignmentsOf = (db: Db, code: string) =>
  db
    .selectFrom('suggestion_assignments as a')
    .innerJoin('suggestions as s', 's.id', 'a.suggestion_id')
    .innerJoin('organs as o', 'o.id', 'a.organ_id')
    .leftJoin('deadlines as d', 'd.id', 'a.deadline_id')
    .select(['a.id', 'o.name', 'a.role', 'a.status', 'a.answer_done', 'd.due_on', 'd.closed_at'])
    .where('s.code', '=', code)
    .orderBy('a.id')
    .execute();

/** An item's history (by its code), oldest first: each step's action and its summary. */
export const historyOf = (db: Db, code: string) =>
  db
    .selectFrom('suggestion_events as e')
    .innerJoin('suggestions as s', 's.id', 'e.suggestion_id')
    .select(['e.action', 'e.summary'])
    .where('s.code', '=', code)
    .orderBy('e.id')
    .execute();

/** The codes of the items whose assignments an organ has signed for (签收), in code order. */
export const signedCodes = async (db: Db): Promise<string[]> =>
  (
    await db
      .selectFrom('suggestion_assignments as a')
      .innerJoin('suggestions as s', 's.id', 'a.suggestion_id')
      .select('s.code')
      .where('a.signed_at', 'is not', null)
      .orderBy('s.code')
      .execute()
  ).map((r) => r.code);
