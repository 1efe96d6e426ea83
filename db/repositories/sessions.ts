import type { Db } from '../client.ts';

// 山西 第八条 (S5), 第四十六条(三) (S6): the sessions (会议) of a congress and who was absent from them.

export interface SessionRow {
  id: number;
  congress_id: number;
  name: string;
  starts_on: string;
  ends_on: string;
}

export async function insertSession(
  db: Db,
  s: { congressId: number; name: string; startsOn: string; endsOn: string; at: Date },
): Promise<SessionRow> {
  return db
    .insertInto('sessions')
    .values({
      congress_id: s.congressId,
      name: s.name,
      starts_on: s.startsOn,
      ends_on: s.endsOn,
      created_at: s.at,
    })
    .returning(['id', 'congress_id', 'name', 'starts_on', 'ends_on'])
    .executeTakeFirstOrThrow();
}

export async function findSession(db: Db, id: number): Promise<SessionRow | undefined> {
  return db
    .selectFrom('sessions')
    .select(['id', 'congress_id', 'name', 'starts_on', 'ends_on'])
    .where('id', '=', id)
    .executeTakeFirst();
}

/** Sessions of these congresses that have not ended before `today`, soonest first. */
export async function listOpenSessions(db: Db, congressIds: number[], today: string): Promise<SessionRow[]> {
  if (congressIds.length === 0) return [];
  return db
    .selectFrom('sessions')
    .select(['id', 'congress_id', 'name', 'starts_on', 'ends_on'])
    .where('congress_id', 'in', congressIds)
    .where('ends_on', '>=', today)
    .orderBy('starts_on')
    .orderBy('id')
    .execute();
}

/** Sessions' names by id (the reminder ledger names a session by its id). */
export async function sessionNames(db: Db, ids: readonly number[]): Promise<Map<number, string>> {
  if (ids.length === 0) return new Map();
  const rows = await db.selectFrom('sessions').select(['id', 'name']).where('id', 'in', ids).execute();
  return new Map(rows.map((r) => [r.id, r.name]));
}

export async function listSessions(db: Db, congressId: number | null): Promise<SessionRow[]> {
  let q = db
    .selectFrom('sessions')
    .select(['id', 'congress_id', 'name', 'starts_on', 'ends_on'])
    .orderBy('starts_on')
    .orderBy('id');
  if (congressId !== null) q = q.where('congress_id', '=', congressId);
  return q.execute();
}

/** Records an absence; false when it was recorded before. */
export async function insertAbsence(
  db: Db,
  a: {
    sessionId: number;
    mandateId: number;
    excused: boolean;
    notCountedReason?: string | null;
    by: string;
    at: Date;
  },
): Promise<boolean> {
  const row = await db
    .insertInto('session_absences')
    .values({
      session_id: a.sessionId,
      mandate_id: a.mandateId,
      excused: a.excused,
      not_counted_reason: a.notCountedReason ?? null,
      recorded_by: a.by,
      recorded_at: a.at,
    })
    .onConflict((oc) => oc.columns(['session_id', 'mandate_id']).doNothing())
    .returning('id')
    .executeTakeFirst();
  return row !== undefined;
}

/** The absence of a mandate from a session, if one is recorded (locked for the transaction). */
export async function findAbsence(db: Db, sessionId: number, mandateId: number) {
  return db
    .selectFrom('session_absences')
    .select(['id', 'excused', 'not_counted_reason', 'warned_at', 'warning_withdrawn_at'])
    .where('session_id', '=', sessionId)
    .where('mandate_id', '=', mandateId)
    .forUpdate()
    .executeTakeFirst();
}

/** Whether the absence is excused follows the leave decision, whenever it comes (S6). */
export async function setAbsenceExcused(db: Db, id: number, excused: boolean): Promise<void> {
  await db.updateTable('session_absences').set({ excused }).where('id', '=', id).execute();
}

/** When the S6 warning about the absence went out, or when a later approval withdrew it. */
export async function markAbsenceWarning(
  db: Db,
  id: number,
  what: { warnedAt: Date } | { withdrawnAt: Date },
): Promise<void> {
  await db
    .updateTable('session_absences')
    .set('warnedAt' in what ? { warned_at: what.warnedAt } : { warning_withdrawn_at: what.withdrawnAt })
    .where('id', '=', id)
    .execute();
}

/**
 * 山西 第四十六条(三) (S6): absences without approved leave from the mandate's own congress's sessions. A
 * mandate is a seat in one congress (one term), so the count is per term. An absence recorded while the
 * mandate was not active (not_counted_reason) does not count.
 */
export async function countUnexcusedAbsences(db: Db, mandateId: number): Promise<number> {
  const row = await db
    .selectFrom('session_absences as a')
    .innerJoin('sessions as s', 's.id', 'a.session_id')
    .innerJoin('mandates as m', 'm.id', 'a.mandate_id')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('a.mandate_id', '=', mandateId)
    .where('a.excused', '=', false)
    .where('a.not_counted_reason', 'is', null)
    .whereRef('s.congress_id', '=', 'm.congress_id')
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
