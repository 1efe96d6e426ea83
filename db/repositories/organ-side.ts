import { type Selectable, sql } from 'kysely';
import type { Db } from '../client.ts';
import { normalizeExternalId } from '../external-id.ts';
import type {
  AnswerReviewStatus,
  AssignmentRole,
  OrganContactsTable,
  Photo,
  SuggestionAnswersTable,
} from '../schema.ts';

// The organs' side (migration 030): contacts, 签收 and 退回申请 on an assignment, answers held for review,
// publication on the public pages.

export type OrganContactRow = Selectable<OrganContactsTable>;
export type AnswerRow = Selectable<SuggestionAnswersTable> & { organ_name: string };

export async function contactsOfOrgan(db: Db, organId: number): Promise<OrganContactRow[]> {
  return db.selectFrom('organ_contacts').selectAll().where('organ_id', '=', organId).orderBy('id').execute();
}

export async function insertOrganContact(
  db: Db,
  c: {
    organId: number;
    name: string;
    mobile: string | null;
    wecom: string | null;
    dingtalk: string | null;
    leader: boolean;
  },
  at: Date,
): Promise<OrganContactRow> {
  return db
    .insertInto('organ_contacts')
    .values({
      organ_id: c.organId,
      name: c.name,
      mobile: c.mobile,
      wecom_userid: c.wecom,
      dingtalk_userid: c.dingtalk,
      leader: c.leader,
      created_at: at,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** How many further contacts each organ has (organs with none left out). */
export async function contactCountsByOrgan(db: Db): Promise<Map<number, number>> {
  const counts = new Map<number, number>();
  const rows = await db
    .selectFrom('organ_contacts')
    .select(['organ_id', (eb) => eb.fn.countAll<string>().as('contacts')])
    .groupBy('organ_id')
    .execute();
  for (const r of rows) counts.set(r.organ_id, Number(r.contacts));
  return counts;
}

/** Removes one contact of the organ; the row as it was, or undefined when the organ has no such contact. */
export async function deleteOrganContact(
  db: Db,
  organId: number,
  contactId: number,
): Promise<OrganContactRow | undefined> {
  return db
    .deleteFrom('organ_contacts')
    .where('id', '=', contactId)
    .where('organ_id', '=', organId)
    .returningAll()
    .executeTakeFirst();
}

export async function markSigned(db: Db, assignmentId: number, by: string, at: Date): Promise<void> {
  await db
    .updateTable('suggestion_assignments')
    .set({ signed_at: at, signed_by: by })
    .where('id', '=', assignmentId)
    .execute();
}

export async function markReturnRequested(
  db: Db,
  assignmentId: number,
  reason: string,
  at: Date,
): Promise<void> {
  await db
    .updateTable('suggestion_assignments')
    .set({ return_requested_at: at, return_request_reason: reason, return_decision: null })
    .where('id', '=', assignmentId)
    .execute();
}

export async function markReturnDecided(
  db: Db,
  assignmentId: number,
  decision: 'kept' | 'transferred',
): Promise<void> {
  await db
    .updateTable('suggestion_assignments')
    .set({ return_decision: decision })
    .where('id', '=', assignmentId)
    .execute();
}

export async function markSignReminded(db: Db, assignmentId: number, at: Date): Promise<void> {
  await db
    .updateTable('suggestion_assignments')
    .set({ sign_reminded_at: at })
    .where('id', '=', assignmentId)
    .execute();
}

/** One more reminder left unanswered on the assignment; returns how many there are now. */
export async function countReminder(db: Db, assignmentId: number): Promise<number> {
  const r = await db
    .updateTable('suggestion_assignments')
    .set((eb) => ({ unanswered_reminders: eb('unanswered_reminders', '+', 1) }))
    .where('id', '=', assignmentId)
    .returning('unanswered_reminders')
    .executeTakeFirstOrThrow();
  return r.unanswered_reminders;
}

/** One reminder fewer left unanswered (a 催办 taken back), never below none. */
export async function uncountReminder(db: Db, assignmentId: number): Promise<void> {
  await db
    .updateTable('suggestion_assignments')
    .set((eb) => ({ unanswered_reminders: sql<number>`greatest(${eb.ref('unanswered_reminders')} - 1, 0)` }))
    .where('id', '=', assignmentId)
    .execute();
}

export async function clearReminders(db: Db, assignmentId: number): Promise<void> {
  await db
    .updateTable('suggestion_assignments')
    .set({ unanswered_reminders: 0 })
    .where('id', '=', assignmentId)
    .execute();
}

/** Lead assignments still open and unsigned, assigned on or before `assignedOnOrBefore`, never reminded. */
export async function unsignedLeads(
  db: Db,
  assignedOnOrBefore: string,
): Promise<{ id: number; suggestion_id: number; organ_id: number; assigned_on: string }[]> {
  return db
    .selectFrom('suggestion_assignments')
    .select(['id', 'suggestion_id', 'organ_id', 'assigned_on'])
    .where('role', '=', 'lead')
    .where('status', '=', 'open')
    .where('signed_at', 'is', null)
    .where('sign_reminded_at', 'is', null)
    .where('assigned_on', '<=', assignedOnOrBefore)
    .orderBy('id')
    .execute();
}

export interface NewAnswer {
  suggestionId: number;
  assignmentId: number;
  organId: number;
  role: AssignmentRole;
  status: AnswerReviewStatus;
  fields: Record<string, string | null>;
  resultClass: string | null;
  docNo: string | null;
  contact: string | null;
  attachments: Photo[];
  submittedBy: string;
  at: Date;
}

export async function insertAnswer(db: Db, a: NewAnswer): Promise<number> {
  const r = await db
    .insertInto('suggestion_answers')
    .values({
      suggestion_id: a.suggestionId,
      assignment_id: a.assignmentId,
      organ_id: a.organId,
      role: a.role,
      status: a.status,
      fields: JSON.stringify(a.fields),
      result_class: a.resultClass,
      doc_no: a.docNo,
      contact: a.contact,
      attachments: JSON.stringify(a.attachments),
      submitted_by: a.submittedBy,
      submitted_at: a.at,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return r.id;
}

export async function answersOfItem(db: Db, suggestionId: number): Promise<AnswerRow[]> {
  return db
    .selectFrom('suggestion_answers')
    .innerJoin('organs', 'organs.id', 'suggestion_answers.organ_id')
    .selectAll('suggestion_answers')
    .select('organs.name as organ_name')
    .where('suggestion_answers.suggestion_id', '=', suggestionId)
    .orderBy('suggestion_answers.id')
    .execute();
}

export async function lockAnswer(db: Db, id: number): Promise<AnswerRow | undefined> {
  return db
    .selectFrom('suggestion_answers')
    .innerJoin('organs', 'organs.id', 'suggestion_answers.organ_id')
    .selectAll('suggestion_answers')
    .select('organs.name as organ_name')
    .where('suggestion_answers.id', '=', id)
    .forUpdate('suggestion_answers')
    .executeTakeFirst();
}

export async function setAnswerReview(
  db: Db,
  id: number,
  r: { status: AnswerReviewStatus; note: string | null; by: string },
  at: Date,
): Promise<void> {
  await db
    .updateTable('suggestion_answers')
    .set({ status: r.status, review_note: r.note, reviewed_by: r.by, reviewed_at: at })
    .where('id', '=', id)
    .execute();
}

export async function setPublication(
  db: Db,
  suggestionId: number,
  p: { publishedAt: Date | null; withholdName: boolean },
  at: Date,
): Promise<void> {
  await db
    .updateTable('suggestions')
    .set({ published_at: p.publishedAt, withhold_name: p.withholdName, updated_at: at })
    .where('id', '=', suggestionId)
    .execute();
}

/** Items on the public pages: published and never 涉密 (checked again here, whatever was stored). */
export async function publishedItems(db: Db) {
  return db
    .selectFrom('suggestions')
    .innerJoin('congresses', 'congresses.id', 'suggestions.congress_id')
    .select([
      'suggestions.id',
      'suggestions.code',
      'suggestions.kind',
      'suggestions.title',
      'suggestions.content',
      'suggestions.status',
      'suggestions.rating',
      'suggestions.withhold_name',
      'suggestions.published_at',
      'suggestions.submitted_on',
      'suggestions.congress_id',
      'congresses.name as congress_name',
    ])
    .where('suggestions.published_at', 'is not', null)
    .where('suggestions.secret', '=', false)
    .orderBy('suggestions.published_at', 'desc')
    .orderBy('suggestions.id', 'desc')
    .limit(500)
    .execute();
}

/** The items an organ handles now or handled (any round), newest first. */
export async function itemCodesOfOrgan(db: Db, organId: number, limit: number): Promise<string[]> {
  const rows = await db
    .selectFrom('suggestions as s')
    .select('s.code')
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom('suggestion_assignments as a')
          .select('a.id')
          .whereRef('a.suggestion_id', '=', 's.id')
          .where('a.organ_id', '=', organId)
          .where('a.status', 'in', ['open', 'answered']),
      ),
    )
    .orderBy('s.id', 'desc')
    .limit(limit)
    .execute();
  return rows.map((r) => r.code);
}

/**
 * The organ a chat id is a contact of (the organ's own contact or one in organ_contacts), with the
 * contact's name; ids compared as person ids are (trimmed, WeCom case-insensitive).
 */
export async function organOfChatId(
  db: Db,
  channel: 'wecom' | 'dingtalk',
  senderId: string,
): Promise<{ organId: number; name: string } | undefined> {
  const id = normalizeExternalId(channel, senderId);
  const norm = (col: string) =>
    channel === 'wecom' ? sql`lower(trim(${sql.ref(col)}))` : sql`trim(${sql.ref(col)})`;
  const own = await db
    .selectFrom('organs')
    .select(['id', 'contact_name', 'name'])
    .where(norm(channel === 'wecom' ? 'contact_wecom' : 'contact_dingtalk'), '=', id)
    .orderBy('id')
    .executeTakeFirst();
  if (own) return { organId: own.id, name: own.contact_name ?? `${own.name}联系人` };
  const extra = await db
    .selectFrom('organ_contacts')
    .select(['organ_id', 'name'])
    .where(norm(channel === 'wecom' ? 'wecom_userid' : 'dingtalk_userid'), '=', id)
    .orderBy('id')
    .executeTakeFirst();
  return extra ? { organId: extra.organ_id, name: extra.name } : undefined;
}

/** Open assignments due on or before `dueBy` (overdue ones too), with their item, for the organs' digest. */
export async function openAssignmentsDueBy(db: Db, dueBy: string) {
  return db
    .selectFrom('suggestion_assignments as a')
    .innerJoin('suggestions as s', 's.id', 'a.suggestion_id')
    .innerJoin('deadlines as d', 'd.id', 'a.deadline_id')
    .select([
      'a.id',
      'a.organ_id',
      'a.role',
      'd.due_on',
      'd.provisional',
      's.code',
      's.kind',
      's.title',
      's.content',
      's.secret',
    ])
    .where('a.status', '=', 'open')
    .where('d.due_on', '<=', dueBy)
    .orderBy('a.organ_id')
    .orderBy('d.due_on')
    .orderBy('s.code')
    .execute();
}

/**
 * Answers waiting for the office's review, within the congresses given (null: all), oldest first; with
 * `suggestionId`, of that item alone.
 */
export async function answersPendingReview(db: Db, congressIds: number[] | null, suggestionId?: number) {
  let q = db
    .selectFrom('suggestion_answers as a')
    .innerJoin('suggestions as s', 's.id', 'a.suggestion_id')
    .innerJoin('organs as o', 'o.id', 'a.organ_id')
    .selectAll('a')
    .select(['s.code', 's.kind', 's.title', 's.content', 's.secret', 's.congress_id', 'o.name as organ_name'])
    .where('a.status', '=', 'pending_review');
  if (congressIds !== null) q = q.where('s.congress_id', 'in', congressIds.length > 0 ? congressIds : [-1]);
  if (suggestionId !== undefined) q = q.where('a.suggestion_id', '=', suggestionId);
  return q.orderBy('a.submitted_at').orderBy('a.id').execute();
}

/**
 * Return requests the office has not decided, within the congresses given (null: all); with `suggestionId`,
 * of that item alone.
 */
export async function returnRequestsPending(db: Db, congressIds: number[] | null, suggestionId?: number) {
  let q = db
    .selectFrom('suggestion_assignments as a')
    .innerJoin('suggestions as s', 's.id', 'a.suggestion_id')
    .innerJoin('organs as o', 'o.id', 'a.organ_id')
    .select([
      'a.id',
      'a.return_request_reason',
      'a.return_requested_at',
      's.code',
      's.kind',
      's.title',
      's.content',
      's.secret',
      'o.name as organ_name',
    ])
    .where('a.status', '=', 'open')
    .where('a.return_requested_at', 'is not', null)
    .where('a.return_decision', 'is', null);
  if (congressIds !== null) q = q.where('s.congress_id', 'in', congressIds.length > 0 ? congressIds : [-1]);
  if (suggestionId !== undefined) q = q.where('a.suggestion_id', '=', suggestionId);
  return q.orderBy('a.return_requested_at').execute();
}

/** An answer still waiting for review, with more words or files from its organ (the whole fields and files). */
export async function setAnswerContent(
  db: Db,
  id: number,
  c: { fields: Record<string, string | null>; attachments: Photo[] },
): Promise<void> {
  await db
    .updateTable('suggestion_answers')
    .set({ fields: JSON.stringify(c.fields), attachments: JSON.stringify(c.attachments) })
    .where('id', '=', id)
    .where('status', '=', 'pending_review')
    .execute();
}

/** The organ takes back its return request before the office decided it: the assignment is as before it. */
export async function clearReturnRequest(db: Db, assignmentId: number): Promise<void> {
  await db
    .updateTable('suggestion_assignments')
    .set({ return_requested_at: null, return_request_reason: null, return_decision: null })
    .where('id', '=', assignmentId)
    .where('return_decision', 'is', null)
    .execute();
}
