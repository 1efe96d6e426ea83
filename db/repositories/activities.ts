import { type Selectable, sql } from 'kysely';
import type { Db } from '../client.ts';
import type { ActivityKind, InspectionRequestsTable } from '../schema.ts';

// Activities, their invitees and attendance (S1, S4, S9, S10, S14), and inspection requests (S17).

export type InspectionRequestRow = Selectable<InspectionRequestsTable>;

export interface NewActivity {
  code: string;
  congressId: number;
  kind: ActivityKind;
  title: string;
  organiser: string;
  groupId: number | null;
  stationId: number | null;
  startsAt: Date;
  endsAt: Date;
  place: string | null;
  createdBy: string;
  at: Date;
}

export async function insertActivity(db: Db, a: NewActivity) {
  return db
    .insertInto('activities')
    .values({
      code: a.code,
      congress_id: a.congressId,
      kind: a.kind,
      title: a.title,
      organiser: a.organiser,
      group_id: a.groupId,
      station_id: a.stationId,
      starts_at: a.startsAt,
      ends_at: a.endsAt,
      place: a.place,
      created_by: a.createdBy,
      created_at: a.at,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function findActivityByCode(db: Db, code: string) {
  return db.selectFrom('activities').selectAll().where('code', '=', code).executeTakeFirst();
}

export async function insertInvitations(db: Db, activityId: number, mandateIds: number[]): Promise<void> {
  if (mandateIds.length === 0) return;
  await db
    .insertInto('activity_participants')
    .values(mandateIds.map((m) => ({ activity_id: activityId, mandate_id: m, invited: true })))
    .onConflict((oc) => oc.columns(['activity_id', 'mandate_id']).doNothing())
    .execute();
}

export async function findParticipant(db: Db, activityId: number, mandateId: number) {
  return db
    .selectFrom('activity_participants')
    .selectAll()
    .where('activity_id', '=', activityId)
    .where('mandate_id', '=', mandateId)
    .executeTakeFirst();
}

/** The invitation of one of these mandates to the activity (the person's invited seat). */
export async function findInvitationOfPerson(db: Db, activityId: number, personId: number) {
  return db
    .selectFrom('activity_participants as ap')
    .innerJoin('mandates as m', 'm.id', 'ap.mandate_id')
    .selectAll('ap')
    .select(['m.person_id', 'm.congress_id'])
    .where('ap.activity_id', '=', activityId)
    .where('m.person_id', '=', personId)
    .executeTakeFirst();
}

/** The activities not yet started that this person is invited to and has not declined, soonest first. */
/** A person's invitations to activities not yet begun: those still open, or (declined) those declined. */
export async function listUpcomingInvitationsOfPerson(
  db: Db,
  personId: number,
  from: Date,
  declined = false,
) {
  return db
    .selectFrom('activity_participants as ap')
    .innerJoin('mandates as m', 'm.id', 'ap.mandate_id')
    .innerJoin('activities as a', 'a.id', 'ap.activity_id')
    .innerJoin('congresses as c', 'c.id', 'a.congress_id')
    .select(['a.code', 'a.title', 'a.kind', 'a.starts_at', 'a.ends_at', 'c.level'])
    .where('m.person_id', '=', personId)
    .where('ap.invited', '=', true)
    .where((eb) =>
      declined
        ? eb('ap.response', '=', 'declined')
        : eb.or([eb('ap.response', 'is', null), eb('ap.response', '!=', 'declined')]),
    )
    .where('a.starts_at', '>', from)
    .orderBy('a.starts_at')
    .orderBy('a.id')
    .execute();
}

export async function setResponse(
  db: Db,
  id: number,
  r: { response: 'accepted' | 'declined'; reason: string | null; at: Date },
): Promise<void> {
  await db
    .updateTable('activity_participants')
    .set({ response: r.response, response_reason: r.reason, responded_at: r.at })
    .where('id', '=', id)
    .execute();
}

/** Marks attendance; someone who came uninvited is added as a participant. Returns the newly marked. */
export async function markAttended(db: Db, activityId: number, mandateIds: number[]): Promise<number[]> {
  const marked: number[] = [];
  for (const mandateId of mandateIds) {
    const existing = await findParticipant(db, activityId, mandateId);
    if (existing?.attended) continue;
    if (existing) {
      await db
        .updateTable('activity_participants')
        .set({ attended: true })
        .where('id', '=', existing.id)
        .execute();
    } else {
      await db
        .insertInto('activity_participants')
        .values({ activity_id: activityId, mandate_id: mandateId, invited: false, attended: true })
        .execute();
    }
    marked.push(mandateId);
  }
  return marked;
}

/** Activities of a kind at a station that started in [from, to). */
export async function listStationActivities(db: Db, stationId: number, from: Date, to: Date) {
  return db
    .selectFrom('activities')
    .select(['id', 'code', 'title', 'starts_at', 'ends_at'])
    .where('kind', '=', 'station')
    .where('station_id', '=', stationId)
    .where('starts_at', '>=', from)
    .where('starts_at', '<', to)
    .orderBy('starts_at')
    .execute();
}

/** Activities a mandate attended in [from, to), with their kind. */
export async function listAttendedActivities(db: Db, mandateIds: number[], from: Date, to: Date) {
  if (mandateIds.length === 0) return [];
  return db
    .selectFrom('activity_participants as ap')
    .innerJoin('activities as a', 'a.id', 'ap.activity_id')
    .select([
      'a.code',
      'a.kind',
      'a.title',
      'a.organiser',
      'a.starts_at',
      'a.ends_at',
      'a.place',
      'ap.mandate_id',
    ])
    .where('ap.mandate_id', 'in', mandateIds)
    .where('ap.attended', '=', true)
    .where('a.starts_at', '>=', from)
    .where('a.starts_at', '<', to)
    .orderBy('a.starts_at')
    .execute();
}

/** Whether a group held an activity of its kind that started in [from, to). */
export async function groupMet(db: Db, groupId: number, from: Date, to: Date): Promise<boolean> {
  return (await listGroupActivitiesIn(db, groupId, from, to)).length > 0;
}

/** A group's activities of its kind that start in [from, to), in order: held ones and those still planned. */
export async function listGroupActivitiesIn(db: Db, groupId: number, from: Date, to: Date) {
  return db
    .selectFrom('activities')
    .select(['code', 'title', 'starts_at'])
    .where('group_id', '=', groupId)
    .where('kind', 'in', ['small_group', 'large_group'])
    .where('starts_at', '>=', from)
    .where('starts_at', '<', to)
    .orderBy('starts_at')
    .execute();
}

export async function insertInspectionRequest(
  db: Db,
  r: { congressId: number; mandateId: number; content: string; enteredByStaff: boolean; at: Date },
): Promise<InspectionRequestRow> {
  return db
    .insertInto('inspection_requests')
    .values({
      congress_id: r.congressId,
      mandate_id: r.mandateId,
      content: r.content,
      entered_by_staff: r.enteredByStaff,
      created_at: r.at,
      updated_at: r.at,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function listInspectionRequests(db: Db, congressId: number | null) {
  let q = db
    .selectFrom('inspection_requests as i')
    .innerJoin('mandates as m', 'm.id', 'i.mandate_id')
    .innerJoin('people as p', 'p.id', 'm.person_id')
    .leftJoin('activities as a', 'a.id', 'i.activity_id')
    .selectAll('i')
    .select(['p.name as deputy_name', 'a.code as activity_code'])
    .orderBy('i.id', 'desc');
  if (congressId !== null) q = q.where('i.congress_id', '=', congressId);
  return q.execute();
}

/**
 * Words added to a request still waiting to be arranged, by the deputy who made it (one of their seats);
 * the request as it now stands, or undefined when it is not theirs or no longer waiting.
 */
export async function appendToInspectionRequest(
  db: Db,
  r: { id: number; mandateIds: readonly number[]; words: string; at: Date },
): Promise<InspectionRequestRow | undefined> {
  if (r.mandateIds.length === 0) return undefined;
  return db
    .updateTable('inspection_requests')
    .set((eb) => ({ content: sql<string>`${eb.ref('content')} || ${`；${r.words}`}`, updated_at: r.at }))
    .where('id', '=', r.id)
    .where('mandate_id', 'in', [...r.mandateIds])
    .where('status', '=', 'requested')
    .returningAll()
    .executeTakeFirst();
}

/** S17 → S8a: links an inspection request to the activity that carried it out or the item its report became. */
export async function updateInspectionRequest(
  db: Db,
  id: number,
  patch: { activityId?: number; reportRef?: string; at: Date },
): Promise<boolean> {
  const r = await db
    .updateTable('inspection_requests')
    .set({
      ...(patch.activityId !== undefined
        ? { activity_id: patch.activityId, status: 'arranged' as const }
        : {}),
      ...(patch.reportRef !== undefined ? { report_ref: patch.reportRef, status: 'reported' as const } : {}),
      updated_at: patch.at,
    })
    .where('id', '=', id)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}
