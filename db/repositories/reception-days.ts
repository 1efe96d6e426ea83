import type { Selectable } from 'kysely';
import type { Db } from '../client.ts';
import type { ReceptionDaysTable } from '../schema.ts';

// 大同 第七条(九) (S2): each congress's reception day of each month, as last computed from the calendar.

export type ReceptionDayRow = Selectable<ReceptionDaysTable>;

export async function findReceptionDay(
  db: Db,
  congressId: number,
  month: string,
): Promise<ReceptionDayRow | undefined> {
  return db
    .selectFrom('reception_days')
    .selectAll()
    .where('congress_id', '=', congressId)
    .where('month', '=', month)
    .executeTakeFirst();
}

/** Stores a month's reception day unless one is stored already; returns the stored row either way. */
export async function insertReceptionDay(
  db: Db,
  r: { congressId: number; month: string; date: string; provisional: boolean; at: Date },
): Promise<ReceptionDayRow> {
  await db
    .insertInto('reception_days')
    .values({
      congress_id: r.congressId,
      month: r.month,
      date: r.date,
      provisional: r.provisional,
      computed_at: r.at,
    })
    .onConflict((oc) => oc.columns(['congress_id', 'month']).doNothing())
    .execute();
  return (await findReceptionDay(db, r.congressId, r.month))!;
}

export async function updateReceptionDay(
  db: Db,
  id: number,
  r: { date: string; provisional: boolean; at: Date },
): Promise<void> {
  await db
    .updateTable('reception_days')
    .set({ date: r.date, provisional: r.provisional, computed_at: r.at })
    .where('id', '=', id)
    .execute();
}

/** Stored reception days of months from `fromMonth` on, of every congress or one. */
export async function listReceptionDaysFrom(
  db: Db,
  fromMonth: string,
  congressId: number | null = null,
): Promise<ReceptionDayRow[]> {
  let q = db
    .selectFrom('reception_days')
    .selectAll()
    .where('month', '>=', fromMonth)
    .orderBy('congress_id')
    .orderBy('month');
  if (congressId !== null) q = q.where('congress_id', '=', congressId);
  return q.forUpdate().execute();
}

export async function listReceptionDaysOfYear(
  db: Db,
  congressId: number,
  year: number,
): Promise<ReceptionDayRow[]> {
  return db
    .selectFrom('reception_days')
    .selectAll()
    .where('congress_id', '=', congressId)
    .where('month', '>=', `${year}-01`)
    .where('month', '<=', `${year}-12`)
    .orderBy('month')
    .execute();
}
