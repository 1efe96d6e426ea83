import type { Selectable } from 'kysely';
import type { Db } from '../client.ts';
import type { ReceptionBookingsTable } from '../schema.ts';

// 大同 第七条(九) (S2): bookings of a month's reception day.

export type ReceptionBookingRow = Selectable<ReceptionBookingsTable>;

export async function insertBooking(
  db: Db,
  b: { code: string; congressId: number; mandateId: number; month: string; topic: string | null; at: Date },
): Promise<ReceptionBookingRow> {
  return db
    .insertInto('reception_bookings')
    .values({
      code: b.code,
      congress_id: b.congressId,
      mandate_id: b.mandateId,
      month: b.month,
      topic: b.topic,
      created_at: b.at,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function findLiveBooking(
  db: Db,
  mandateId: number,
  month: string,
): Promise<ReceptionBookingRow | undefined> {
  return db
    .selectFrom('reception_bookings')
    .selectAll()
    .where('mandate_id', '=', mandateId)
    .where('month', '=', month)
    .where('status', '=', 'booked')
    .executeTakeFirst();
}

/** A booking with its owner, for the owner's own commands. */
export async function findBookingByCode(db: Db, code: string, forUpdate = false) {
  let q = db
    .selectFrom('reception_bookings as b')
    .innerJoin('mandates as m', 'm.id', 'b.mandate_id')
    .selectAll('b')
    .select('m.person_id')
    .where('b.code', '=', code);
  if (forUpdate) q = q.forUpdate('b');
  return q.executeTakeFirst();
}

export async function cancelBooking(db: Db, id: number, at: Date): Promise<void> {
  await db
    .updateTable('reception_bookings')
    .set({ status: 'cancelled', cancelled_at: at })
    .where('id', '=', id)
    .execute();
}

export async function setBookingTopic(db: Db, id: number, topic: string): Promise<void> {
  await db.updateTable('reception_bookings').set({ topic }).where('id', '=', id).execute();
}

/** Live bookings of a congress's month, with the deputy's name and person id, oldest first. */
export async function listBookingsOfMonth(db: Db, congressId: number, month: string) {
  return db
    .selectFrom('reception_bookings as b')
    .innerJoin('mandates as m', 'm.id', 'b.mandate_id')
    .innerJoin('people as p', 'p.id', 'm.person_id')
    .select(['b.id', 'b.code', 'b.topic', 'b.month', 'b.created_at', 'm.person_id', 'p.name'])
    .where('b.congress_id', '=', congressId)
    .where('b.month', '=', month)
    .where('b.status', '=', 'booked')
    .orderBy('b.id')
    .execute();
}

/** Every booking (live or cancelled) of a person, newest first. */
export async function listBookingsOfPerson(db: Db, personId: number) {
  return db
    .selectFrom('reception_bookings as b')
    .innerJoin('mandates as m', 'm.id', 'b.mandate_id')
    .selectAll('b')
    .where('m.person_id', '=', personId)
    .orderBy('b.id', 'desc')
    .execute();
}

/** Congresses with live bookings in months from `fromMonth` to `toMonth`. */
export async function monthsWithBookings(db: Db, fromMonth: string, toMonth: string) {
  return db
    .selectFrom('reception_bookings')
    .select(['congress_id', 'month'])
    .distinct()
    .where('status', '=', 'booked')
    .where('month', '>=', fromMonth)
    .where('month', '<=', toMonth)
    .execute();
}

/** The (congress, month) pairs with live bookings in these months. */
export async function listBookedCongressMonths(db: Db, months: string[]) {
  if (months.length === 0) return [];
  return db
    .selectFrom('reception_bookings')
    .select(['congress_id', 'month'])
    .distinct()
    .where('status', '=', 'booked')
    .where('month', 'in', months)
    .execute();
}
