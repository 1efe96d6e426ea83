import type { Selectable } from 'kysely';
import { sql } from 'kysely';
import type { Db } from '../client.ts';
import { normalizeExternalId } from '../external-id.ts';
import type {
  AssignmentRole,
  ItemLocation,
  Photo,
  Rating,
  SuggestionAssignmentsTable,
  SuggestionEventsTable,
  SuggestionFollowUpsTable,
  SuggestionKind,
  SuggestionStatus,
  SuggestionsTable,
} from '../schema.ts';
import { liveMandate } from './mandates.ts';

// Deputies' suggestions and S8a reports, their assignments to organs, history, urges and follow-ups.

export type SuggestionRow = Selectable<SuggestionsTable>;
export type AssignmentRow = Selectable<SuggestionAssignmentsTable>;
export type SuggestionEventRow = Selectable<SuggestionEventsTable>;
export type FollowUpRow = Selectable<SuggestionFollowUpsTable>;

/** An assignment with its organ and clock, as every view needs it. */
export interface AssignmentView extends AssignmentRow {
  organ_name: string;
  due_on: string | null;
  due_provisional: boolean;
  deadline_starts_on: string | null;
}

export interface NewSuggestion {
  code: string;
  congressId: number;
  kind: SuggestionKind;
  title: string | null;
  content: string;
  photos: Photo[];
  /** A location sent in the dialog, kept with the item. */
  location?: ItemLocation | null;
  secret: boolean;
  status: SuggestionStatus;
  enteredBy: string | null;
  enteredByName: string | null;
  sourceInboundId: number | null;
  activityId: number | null;
  submittedOn: string;
  at: Date;
}

/** An item to insert with the deputies who made it (the first is its author). */
export interface NewSuggestionWithDeputies {
  item: NewSuggestion;
  deputies: readonly { mandateId: number; personId: number }[];
}

/**
 * Inserts items with the deputies who made them, in one statement: an item never exists without its
 * deputies, and submissions arriving together are one round trip. Each result is in the place of its
 * input, undefined where the chat message it comes from already made an item (findSuggestionByInbound has it).
 */
export async function insertSuggestions(
  db: Db,
  items: readonly NewSuggestionWithDeputies[],
): Promise<(SuggestionRow | undefined)[]> {
  if (items.length === 0) return [];
  const made = JSON.stringify(
    items.flatMap(({ item, deputies }) =>
      deputies.map((d, i) => ({ code: item.code, m: d.mandateId, p: d.personId, author: i === 0 })),
    ),
  );
  const rows = await db
    .with('item', (w) =>
      w
        .insertInto('suggestions')
        .values(
          items.map(({ item: s }) => ({
            code: s.code,
            congress_id: s.congressId,
            kind: s.kind,
            title: s.title,
            content: s.content,
            photos: JSON.stringify(s.photos),
            location: s.location ? JSON.stringify(s.location) : null,
            secret: s.secret,
            status: s.status,
            rating: null,
            entered_by: s.enteredBy,
            entered_by_name: s.enteredByName,
            source_inbound_id: s.sourceInboundId,
            activity_id: s.activityId,
            submitted_on: s.submittedOn,
            answered_on: null,
            created_at: s.at,
            updated_at: s.at,
          })),
        )
        .onConflict((oc) => oc.column('source_inbound_id').doNothing())
        .returningAll(),
    )
    .with('made', (w) =>
      w
        .insertInto('suggestion_deputies')
        .columns(['suggestion_id', 'mandate_id', 'person_id', 'author'])
        .expression(
          sql`select item.id, d.m, d.p, d.author from item
              join jsonb_to_recordset(${made}::jsonb) as d(code text, m int, p int, author boolean)
                on d.code = item.code`,
        )
        .onConflict((oc) => oc.columns(['suggestion_id', 'mandate_id']).doNothing()),
    )
    .selectFrom('item')
    .selectAll()
    .execute();
  const byCode = new Map(rows.map((r) => [r.code, r]));
  return items.map(({ item }) => byCode.get(item.code));
}

/** One item with its deputies (insertSuggestions); undefined when its chat message already made one. */
export async function insertSuggestion(
  db: Db,
  s: NewSuggestion,
  deputies: readonly { mandateId: number; personId: number }[],
): Promise<SuggestionRow | undefined> {
  return (await insertSuggestions(db, [{ item: s, deputies }]))[0];
}

export async function addSuggestionDeputy(
  db: Db,
  d: { suggestionId: number; mandateId: number; personId: number; author: boolean },
): Promise<void> {
  await db
    .insertInto('suggestion_deputies')
    .values({
      suggestion_id: d.suggestionId,
      mandate_id: d.mandateId,
      person_id: d.personId,
      author: d.author,
    })
    .onConflict((oc) => oc.columns(['suggestion_id', 'mandate_id']).doNothing())
    .execute();
}

export async function findSuggestionByInbound(db: Db, inboundId: number): Promise<SuggestionRow | undefined> {
  return db
    .selectFrom('suggestions')
    .selectAll()
    .where('source_inbound_id', '=', inboundId)
    .executeTakeFirst();
}

export async function findSuggestionByCode(db: Db, code: string): Promise<SuggestionRow | undefined> {
  return db.selectFrom('suggestions').selectAll().where('code', '=', code).executeTakeFirst();
}

/** The item, locked for a change (concurrent changes to one item run one after the other). */
export async function lockSuggestion(db: Db, code: string): Promise<SuggestionRow | undefined> {
  return db.selectFrom('suggestions').selectAll().where('code', '=', code).forUpdate().executeTakeFirst();
}

export async function updateSuggestion(
  db: Db,
  id: number,
  set: Partial<{
    status: SuggestionStatus;
    rating: Rating | null;
    round: number;
    answered_on: string | null;
    closed_at: Date | null;
    secret: boolean;
  }>,
  at: Date,
): Promise<void> {
  await db
    .updateTable('suggestions')
    .set({ ...set, updated_at: at })
    .where('id', '=', id)
    .execute();
}

/** A deputy's own change of an item before 交办: its content, its photos, or its withdrawal. */
export async function amendSuggestion(
  db: Db,
  id: number,
  set: Partial<{
    content: string;
    photos: Photo[];
    withdrawn_at: Date;
    status: SuggestionStatus;
    closed_at: Date;
  }>,
  at: Date,
): Promise<void> {
  const { photos, ...rest } = set;
  await db
    .updateTable('suggestions')
    .set({ ...rest, ...(photos ? { photos: JSON.stringify(photos) } : {}), updated_at: at })
    .where('id', '=', id)
    .execute();
}

export interface FollowerRow {
  person_id: number;
  mandate_id: number;
  author: boolean;
  name: string;
}

/** The deputies who follow an item, author first. */
export async function followersOf(db: Db, suggestionId: number): Promise<FollowerRow[]> {
  return db
    .selectFrom('suggestion_deputies')
    .innerJoin('people', 'people.id', 'suggestion_deputies.person_id')
    .select([
      'suggestion_deputies.person_id',
      'suggestion_deputies.mandate_id',
      'suggestion_deputies.author',
      'people.name',
    ])
    .where('suggestion_deputies.suggestion_id', '=', suggestionId)
    .orderBy('suggestion_deputies.author', 'desc')
    .orderBy('suggestion_deputies.person_id')
    .execute();
}

export async function isFollower(db: Db, suggestionId: number, personId: number): Promise<boolean> {
  const row = await db
    .selectFrom('suggestion_deputies')
    .select('person_id')
    .where('suggestion_id', '=', suggestionId)
    .where('person_id', '=', personId)
    .executeTakeFirst();
  return row !== undefined;
}

export async function listSuggestionsOfPerson(db: Db, personId: number): Promise<SuggestionRow[]> {
  return db
    .selectFrom('suggestions')
    .selectAll('suggestions')
    .where(
      'suggestions.id',
      'in',
      db.selectFrom('suggestion_deputies').select('suggestion_id').where('person_id', '=', personId),
    )
    .orderBy('suggestions.id', 'desc')
    .execute();
}

export async function listSuggestions(
  db: Db,
  f: { congressId?: number | undefined; statuses?: SuggestionStatus[] | undefined; ids?: number[] },
): Promise<SuggestionRow[]> {
  let q = db.selectFrom('suggestions').selectAll();
  if (f.congressId !== undefined) q = q.where('congress_id', '=', f.congressId);
  if (f.statuses && f.statuses.length > 0) q = q.where('status', 'in', f.statuses);
  if (f.ids) {
    if (f.ids.length === 0) return [];
    q = q.where('id', 'in', f.ids);
  }
  return q.orderBy('id', 'desc').execute();
}

/** Items with an open assignment whose clock has run out before `today` (computed, never stored). */
export async function overdueSuggestionIds(db: Db, today: string): Promise<number[]> {
  const rows = await db
    .selectFrom('suggestion_assignments')
    .innerJoin('deadlines', 'deadlines.id', 'suggestion_assignments.deadline_id')
    .select('suggestion_assignments.suggestion_id')
    .distinct()
    .where('suggestion_assignments.status', '=', 'open')
    .where('deadlines.due_on', '<', today)
    .execute();
  return rows.map((r) => r.suggestion_id);
}

export async function assignmentsOf(db: Db, suggestionIds: number[]): Promise<AssignmentView[]> {
  if (suggestionIds.length === 0) return [];
  const rows = await db
    .selectFrom('suggestion_assignments')
    .innerJoin('organs', 'organs.id', 'suggestion_assignments.organ_id')
    .leftJoin('deadlines', 'deadlines.id', 'suggestion_assignments.deadline_id')
    .selectAll('suggestion_assignments')
    .select([
      'organs.name as organ_name',
      'deadlines.due_on as due_on',
      'deadlines.provisional as due_provisional',
      'deadlines.starts_on as deadline_starts_on',
    ])
    .where('suggestion_assignments.suggestion_id', 'in', suggestionIds)
    .orderBy('suggestion_assignments.suggestion_id')
    .orderBy('suggestion_assignments.round')
    .orderBy('suggestion_assignments.id')
    .execute();
  return rows.map((r) => ({ ...r, due_provisional: r.due_provisional ?? false }));
}

export async function insertAssignment(
  db: Db,
  a: {
    suggestionId: number;
    round: number;
    organId: number;
    role: AssignmentRole;
    assignedOn: string;
    assignedBy: string;
  },
): Promise<AssignmentRow> {
  return db
    .insertInto('suggestion_assignments')
    .values({
      suggestion_id: a.suggestionId,
      round: a.round,
      organ_id: a.organId,
      role: a.role,
      assigned_on: a.assignedOn,
      assigned_by: a.assignedBy,
      status: 'open',
      answer_done: null,
      answer_planned: null,
      answer_planned_by: null,
      answer_cannot: null,
      answer_cannot_reason: null,
      answer_signed_by: null,
      answered_on: null,
      answered_by: null,
      ended_reason: null,
      deadline_id: null,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function setAssignmentDeadline(db: Db, id: number, deadlineId: number): Promise<void> {
  await db
    .updateTable('suggestion_assignments')
    .set({ deadline_id: deadlineId })
    .where('id', '=', id)
    .execute();
}

export interface AnswerFields {
  done: string | null;
  planned: string | null;
  plannedBy: string | null;
  cannot: string | null;
  cannotReason: string | null;
  signedBy: string | null;
}

export async function recordAnswer(
  db: Db,
  id: number,
  a: AnswerFields & { answeredOn: string; answeredBy: string },
): Promise<void> {
  await db
    .updateTable('suggestion_assignments')
    .set({
      status: 'answered',
      answer_done: a.done,
      answer_planned: a.planned,
      answer_planned_by: a.plannedBy,
      answer_cannot: a.cannot,
      answer_cannot_reason: a.cannotReason,
      answer_signed_by: a.signedBy,
      answered_on: a.answeredOn,
      answered_by: a.answeredBy,
    })
    .where('id', '=', id)
    .execute();
}

export async function endAssignment(
  db: Db,
  id: number,
  status: 'returned' | 'transferred' | 'superseded',
  reason: string,
  at: Date,
): Promise<void> {
  await db
    .updateTable('suggestion_assignments')
    .set({ status, ended_reason: reason, ended_at: at })
    .where('id', '=', id)
    .execute();
}

export interface NewEvent {
  suggestionId: number;
  at: Date;
  actor: string;
  actorName: string;
  action: string;
  summary: string;
  reason?: string | null;
  detail?: Record<string, unknown>;
}

/** Inserts history rows in one statement; their ids, each in the place of its input. */
export async function insertEvents(db: Db, events: readonly NewEvent[]): Promise<number[]> {
  if (events.length === 0) return [];
  const rows = await db
    .insertInto('suggestion_events')
    .values(
      events.map((e) => ({
        suggestion_id: e.suggestionId,
        at: e.at,
        actor: e.actor,
        actor_name: e.actorName,
        action: e.action,
        summary: e.summary,
        reason: e.reason ?? null,
        detail: JSON.stringify(e.detail ?? {}),
      })),
    )
    .returning('id')
    .execute();
  // A multi-row insert returns its rows in the order of its VALUES; ids rise with them.
  return rows.map((r) => r.id).sort((a, b) => a - b);
}

export async function insertEvent(db: Db, e: NewEvent): Promise<number> {
  return (await insertEvents(db, [e]))[0]!;
}

export async function eventsOf(db: Db, suggestionId: number): Promise<SuggestionEventRow[]> {
  return db
    .selectFrom('suggestion_events')
    .selectAll()
    .where('suggestion_id', '=', suggestionId)
    .orderBy('id')
    .execute();
}

export async function lastUrge(db: Db, suggestionId: number): Promise<Date | null> {
  const row = await db
    .selectFrom('suggestion_urges')
    .select('urged_at')
    .where('suggestion_id', '=', suggestionId)
    .orderBy('urged_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row ? new Date(row.urged_at) : null;
}

export async function insertUrge(db: Db, suggestionId: number, personId: number, at: Date): Promise<void> {
  await db
    .insertInto('suggestion_urges')
    .values({ suggestion_id: suggestionId, person_id: personId, urged_at: at })
    .execute();
}

export async function insertFollowUp(
  db: Db,
  f: { suggestionId: number; assignmentId: number; organId: number; dueOn: string; promise: string },
): Promise<void> {
  await db
    .insertInto('suggestion_follow_ups')
    .values({
      suggestion_id: f.suggestionId,
      assignment_id: f.assignmentId,
      organ_id: f.organId,
      due_on: f.dueOn,
      promise: f.promise,
    })
    .onConflict((oc) => oc.column('assignment_id').doNothing())
    .execute();
}

/** Promised 落实时限 on or before `onOrBefore` not yet reminded: what the reminder job reads. */
export async function listFollowUpsDue(
  db: Db,
  onOrBefore: string,
): Promise<(FollowUpRow & { code: string })[]> {
  return db
    .selectFrom('suggestion_follow_ups')
    .innerJoin('suggestions', 'suggestions.id', 'suggestion_follow_ups.suggestion_id')
    .selectAll('suggestion_follow_ups')
    .select('suggestions.code')
    .where('suggestion_follow_ups.reminded_at', 'is', null)
    .where('suggestion_follow_ups.due_on', '<=', onOrBefore)
    .orderBy('suggestion_follow_ups.due_on')
    .execute();
}

/** Answered items whose lead answer is older than `answeredBefore` and still unrated (for 未表态). */
export async function listUnratedAnsweredBefore(db: Db, answeredBefore: string): Promise<SuggestionRow[]> {
  return db
    .selectFrom('suggestions')
    .selectAll()
    .where('status', '=', 'answered')
    .where('answered_on', '<', answeredBefore)
    .orderBy('id')
    .execute();
}

export const countSuggestions = async (db: Db): Promise<number> =>
  Number((await sql<{ n: number }>`select count(*)::int as n from suggestions`.execute(db)).rows[0]!.n);

export interface DeputySeat {
  person_id: number;
  mandate_id: number;
  congress_id: number;
  name: string;
}

/**
 * Active deputy seats matching a name, a WeCom or DingTalk userid (case-insensitive for WeCom) or a mobile,
 * within the given congresses (null: all). Used by 代录 and report filing.
 */
export async function findDeputySeats(
  db: Db,
  who: string,
  congressIds: number[] | null,
): Promise<DeputySeat[]> {
  const w = who.trim();
  if (congressIds !== null && congressIds.length === 0) return [];
  let q = db
    .selectFrom('mandates')
    .innerJoin('people', 'people.id', 'mandates.person_id')
    .innerJoin('congresses', 'congresses.id', 'mandates.congress_id')
    .select(['mandates.person_id', 'mandates.id as mandate_id', 'mandates.congress_id', 'people.name'])
    .where('mandates.role', '=', 'deputy')
    .where(liveMandate('mandates', 'congresses'))
    .where((eb) =>
      eb.or([
        eb('people.name', '=', w),
        eb('people.mobile', '=', w),
        eb(
          'people.id',
          'in',
          eb
            .selectFrom('person_identities')
            .select('person_id')
            .where((e) =>
              e.or([e('external_id_norm', '=', normalizeExternalId('wecom', w)), e('external_id', '=', w)]),
            ),
        ),
      ]),
    );
  if (congressIds !== null) q = q.where('mandates.congress_id', 'in', congressIds);
  return q.orderBy('mandates.id').execute();
}

/** Marks a follow-up reminded unless it already was; false when another run got there first. */
export async function claimFollowUpReminder(db: Db, id: number, at: Date): Promise<boolean> {
  const row = await db
    .updateTable('suggestion_follow_ups')
    .set({ reminded_at: at })
    .where('id', '=', id)
    .where('reminded_at', 'is', null)
    .returning('id')
    .executeTakeFirst();
  return row !== undefined;
}
