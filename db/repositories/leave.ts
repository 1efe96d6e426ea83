import { type Selectable, sql } from 'kysely';
import type { Db } from '../client.ts';
import type { DecidingBody, LeavePhase, LeaveRequestsTable, LeaveStatus } from '../schema.ts';

// 山西 第八条 (S5), 大同 第十一条 (S4): leave requests and their decisions.

export type LeaveRequestRow = Selectable<LeaveRequestsTable>;

export interface NewLeaveRequest {
  code: string;
  congressId: number;
  mandateId: number;
  sessionId: number | null;
  activityId: number | null;
  reason: string;
  phase: LeavePhase | null;
  decidingBody: DecidingBody;
  decidingBodyLabel: string;
  status: LeaveStatus;
  submittedOn: string;
  enteredBy: string | null;
  at: Date;
}

export async function insertLeaveRequest(db: Db, r: NewLeaveRequest): Promise<LeaveRequestRow> {
  return db
    .insertInto('leave_requests')
    .values({
      code: r.code,
      congress_id: r.congressId,
      mandate_id: r.mandateId,
      session_id: r.sessionId,
      activity_id: r.activityId,
      reason: r.reason,
      phase: r.phase,
      deciding_body: r.decidingBody,
      deciding_body_label: r.decidingBodyLabel,
      status: r.status,
      submitted_on: r.submittedOn,
      entered_by_staff: r.enteredBy !== null,
      entered_by: r.enteredBy,
      created_at: r.at,
      updated_at: r.at,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** One request with what a message or a form needs: the deputy, the congress, the session or activity. */
export function leaveDetailQuery(db: Db) {
  return db
    .selectFrom('leave_requests as l')
    .innerJoin('mandates as m', 'm.id', 'l.mandate_id')
    .innerJoin('people as p', 'p.id', 'm.person_id')
    .innerJoin('congresses as c', 'c.id', 'l.congress_id')
    .leftJoin('sessions as s', 's.id', 'l.session_id')
    .leftJoin('activities as a', 'a.id', 'l.activity_id')
    .selectAll('l')
    .select([
      'm.person_id',
      'm.electoral_unit',
      'p.name as deputy_name',
      'c.name as congress_name',
      'c.level as congress_level',
      's.name as session_name',
      's.starts_on as session_starts_on',
      's.ends_on as session_ends_on',
      'a.code as activity_code',
      'a.title as activity_title',
      'a.starts_at as activity_starts_at',
      'a.organiser as activity_organiser',
      sql<boolean>`(l.status = 'withdrawn')`.as('withdrawn'),
    ]);
}

export type LeaveDetail = Awaited<ReturnType<ReturnType<typeof leaveDetailQuery>['executeTakeFirstOrThrow']>>;

export async function findLeaveByCode(
  db: Db,
  code: string,
  forUpdate = false,
): Promise<LeaveDetail | undefined> {
  let q = leaveDetailQuery(db).where('l.code', '=', code);
  if (forUpdate) q = q.forUpdate('l');
  return q.executeTakeFirst();
}

export async function listLeave(
  db: Db,
  f: { status?: LeaveStatus | undefined; congressId?: number | undefined; personId?: number | undefined },
): Promise<LeaveDetail[]> {
  let q = leaveDetailQuery(db);
  if (f.status !== undefined) q = q.where('l.status', '=', f.status);
  if (f.congressId !== undefined) q = q.where('l.congress_id', '=', f.congressId);
  if (f.personId !== undefined) q = q.where('m.person_id', '=', f.personId);
  return q.orderBy('l.id', 'desc').limit(1000).execute();
}

export async function recordLeaveDecision(
  db: Db,
  id: number,
  d: { status: 'approved' | 'rejected'; decidedOn: string; reason: string | null; by: string; at: Date },
): Promise<void> {
  await db
    .updateTable('leave_requests')
    .set({
      status: d.status,
      decided_on: d.decidedOn,
      decision_reason: d.reason,
      recorded_by: d.by,
      recorded_at: d.at,
      updated_at: d.at,
    })
    .where('id', '=', id)
    .execute();
}

/**
 * A request still awaiting a decision moved to another session (the deputy named the wrong meeting), with
 * that session's phase and deciding body; false when it was decided meanwhile.
 */
export async function moveLeaveToSession(
  db: Db,
  id: number,
  m: {
    sessionId: number;
    phase: LeavePhase;
    body: DecidingBody;
    label: string;
    status: LeaveStatus;
    at: Date;
  },
): Promise<boolean> {
  const r = await db
    .updateTable('leave_requests')
    .set({
      session_id: m.sessionId,
      phase: m.phase,
      deciding_body: m.body,
      deciding_body_label: m.label,
      status: m.status,
      updated_at: m.at,
    })
    .where('id', '=', id)
    .where('status', '=', 'pending')
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

/** Whether the mandate had approved leave for the session (an absence with it does not count for S6). */
export async function hasApprovedLeave(db: Db, mandateId: number, sessionId: number): Promise<boolean> {
  const row = await db
    .selectFrom('leave_requests')
    .select('id')
    .where('mandate_id', '=', mandateId)
    .where('session_id', '=', sessionId)
    .where('status', '=', 'approved')
    .executeTakeFirst();
  return row !== undefined;
}

/**
 * Withdraws a request the deputy no longer needs (they will attend after all) while it stands as one of
 * `from` (awaiting a decision unless told otherwise); false when it no longer did. `why` is kept as the
 * request's closing note.
 */
export async function withdrawLeave(
  db: Db,
  id: number,
  w: { why: string; by: string; at: Date; from?: readonly LeaveStatus[] },
): Promise<boolean> {
  const r = await db
    .updateTable('leave_requests')
    .set({
      status: 'withdrawn',
      decision_reason: w.why,
      recorded_by: w.by,
      recorded_at: w.at,
      updated_at: w.at,
    })
    .where('id', '=', id)
    .where('status', 'in', w.from ?? ['pending'])
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

/** A request that still stands: awaiting a decision, approved, or forwarded (never refused or withdrawn). */
export const LIVE_LEAVE_STATUSES: readonly LeaveStatus[] = ['pending', 'approved', 'forwarded'];

/** A live (pending, approved or forwarded; never withdrawn) request of the mandate for the same session or activity. */
export async function findOpenLeave(
  db: Db,
  mandateId: number,
  subject: { sessionId: number } | { activityId: number },
): Promise<LeaveRequestRow | undefined> {
  let q = db
    .selectFrom('leave_requests')
    .selectAll()
    .where('mandate_id', '=', mandateId)
    .where('status', 'in', LIVE_LEAVE_STATUSES);
  q =
    'sessionId' in subject
      ? q.where('session_id', '=', subject.sessionId)
      : q.where('activity_id', '=', subject.activityId);
  return q.executeTakeFirst();
}
