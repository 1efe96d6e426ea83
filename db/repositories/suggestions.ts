import type { Selectable } from 'kysely';
import { type RawBuilder, sql } from 'kysely';
import { type Db, preparedStatement } from '../client.ts';
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
import { type GroupMessage, groupMessagesQuery, outboxToGroupsInsert } from './outbox.ts';

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

/**
 * Inserts an item with the deputies who made it (the first is its author), in one statement: an item
 * never exists without its deputies, and a chat submission is a round trip shorter. Undefined when the
 * chat message it comes from already made an item (findSuggestionByInbound has it).
 */
export async function insertSuggestion(
  db: Db,
  s: NewSuggestion,
  deputies: readonly { mandateId: number; personId: number }[],
): Promise<SuggestionRow | undefined> {
  const made = JSON.stringify(deputies.map((d, i) => ({ m: d.mandateId, p: d.personId, author: i === 0 })));
  return db
    .with('item', (w) =>
      w
        .insertInto('suggestions')
        .values({
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
        })
        .onConflict((oc) => oc.column('source_inbound_id').doNothing())
        .returningAll(),
    )
    .with('made', (w) =>
      w
        .insertInto('suggestion_deputies')
        .columns(['suggestion_id', 'mandate_id', 'person_id', 'author'])
        .expression(
          sql`select item.id, d.m, d.p, d.author from item
              cross join jsonb_to_recordset(${made}::jsonb) as d(m int, p int, author boolean)`,
        )
        .onConflict((oc) => oc.columns(['suggestion_id', 'mandate_id']).doNothing()),
    )
    .selectFrom('item')
    .selectAll()
    .executeTakeFirst();
}

/** A submission as insertSubmissions writes it whole. */
export interface NewSubmission {
  item: NewSuggestion;
  /** The deputy who made it: its author. */
  author: { mandateId: number; personId: number };
  /** Its line in the author's duty record. */
  duty: { kind: string; summary: string; enteredByStaff: boolean };
  /** Its first history row. */
  event: {
    actor: string;
    actorName: string;
    action: string;
    summary: string;
    detail: Record<string, unknown>;
  };
  /** The message to its congress's staff, in the outbox's form (its group is the congress). */
  notice: GroupMessage;
}

/**
 * Writes submissions whole in one statement, so in one commit and one round trip: each item with its
 * author, its duty event, its first history row and its notice to `staff` (a query of `group_id`, the
 * congress, and `person_id`). Each result, in the place of its input, is the item with the id of its
 * history row; undefined where the chat message it comes from already made an item, and then nothing else
 * is written for it (findSuggestionByInbound has that item).
 */
export async function insertSubmissions(
  db: Db,
  staff: RawBuilder<{ group_id: number; person_id: number }>,
  subs: readonly NewSubmission[],
): Promise<({ item: SuggestionRow; eventId: number } | undefined)[]> {
  if (subs.length === 0) return [];
  const list = JSON.stringify(
    subs.map(({ item: s, author, duty, event }, ord) => ({
      ord,
      code: s.code,
      congress_id: s.congressId,
      kind: s.kind,
      title: s.title,
      content: s.content,
      photos: s.photos,
      // A key left out is NULL; a JSON null in a jsonb column would be the JSON value null.
      ...(s.location ? { location: s.location } : {}),
      secret: s.secret,
      status: s.status,
      entered_by: s.enteredBy,
      entered_by_name: s.enteredByName,
      source_inbound_id: s.sourceInboundId,
      activity_id: s.activityId,
      submitted_on: s.submittedOn,
      at: s.at.toISOString(),
      mandate_id: author.mandateId,
      person_id: author.personId,
      duty_kind: duty.kind,
      duty_summary: duty.summary,
      duty_by_staff: duty.enteredByStaff,
      ev_actor: event.actor,
      ev_actor_name: event.actorName,
      ev_action: event.action,
      ev_summary: event.summary,
      ev_detail: event.detail,
    })),
  );
  const notices = sql`select n.* from (${groupMessagesQuery(subs.map((s) => s.notice))}) as n
    join input i on i.ord = n.ord join item on item.code = i.code`;
  // One text for any batch (the lists in one JSON value, the staff by arrays): prepared once per connection,
  // it is not parsed and planned for every batch, which was about a third of PostgreSQL's work per item.
  const { rows } = await sql<SuggestionRow & { event_id: number | string }>`
    ${preparedStatement('insert_submissions')}
    with input as (
      select * from jsonb_to_recordset(${list}::jsonb) as i(
        ord int, code text, congress_id int, kind text, title text, content text, photos jsonb, location jsonb,
        secret boolean, status text, entered_by text, entered_by_name text, source_inbound_id int,
        activity_id int, submitted_on date, at timestamptz, mandate_id int, person_id int,
        duty_kind text, duty_summary text, duty_by_staff boolean,
        ev_actor text, ev_actor_name text, ev_action text, ev_summary text, ev_detail jsonb)
    ),
    item as (
      insert into suggestions (code, congress_id, kind, title, content, photos, location, secret, status,
        rating, entered_by, entered_by_name, source_inbound_id, activity_id, submitted_on, answered_on,
        created_at, updated_at)
      select code, congress_id, kind, title, content, photos, location, secret, status,
        null, entered_by, entered_by_name, source_inbound_id, activity_id, submitted_on, null, at, at
      from input order by ord
      on conflict (source_inbound_id) do nothing
      returning *
    ),
    made as (
      insert into suggestion_deputies (suggestion_id, mandate_id, person_id, author)
      select item.id, i.mandate_id, i.person_id, true from item join input i on i.code = item.code
    ),
    duty as (
      insert into duty_events (mandate_id, occurred_on, kind, summary, ref, entered_by_staff)
      select i.mandate_id, i.submitted_on, i.duty_kind, i.duty_summary, i.code, i.duty_by_staff
      from item join input i on i.code = item.code order by i.ord
    ),
    event as (
      insert into suggestion_events (suggestion_id, at, actor, actor_name, action, summary, reason, detail)
      select item.id, i.at, i.ev_actor, i.ev_actor_name, i.ev_action, i.ev_summary, null, i.ev_detail
      from item join input i on i.code = item.code order by i.ord
      returning id, suggestion_id
    ),
    notice as (${outboxToGroupsInsert(staff, notices)})
    select item.*, event.id as event_id from item join event on event.suggestion_id = item.id`.execute(db);
  const byCode = new Map(
    rows.map(({ event_id, ...item }) => [item.code, { item, eventId: Number(event_id) }]),
  );
  return subs.map((s) => byCode.get(s.item.code));
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

export async function findSuggestionById(db: Db, id: number): Promise<SuggestionRow | undefined> {
  return db.selectFrom('suggestions').selectAll().where('id', '=', id).executeTakeFirst();
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

export async function insertEvent(db: Db, e: NewEvent): Promise<number> {
  const row = await db
    .insertInto('suggestion_events')
    .values({
      suggestion_id: e.suggestionId,
      at: e.at,
      actor: e.actor,
      actor_name: e.actorName,
      action: e.action,
      summary: e.summary,
      reason: e.reason ?? null,
      detail: JSON.stringify(e.detail ?? {}),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
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

/** Forgets the urge `personId` made at `at` (taken back), so the week counts from the one before. */
export async function deleteUrge(db: Db, suggestionId: number, personId: number, at: Date): Promise<void> {
  await db
    .deleteFrom('suggestion_urges')
    .where('suggestion_id', '=', suggestionId)
    .where('person_id', '=', personId)
    .where('urged_at', '=', at)
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

/** Names of live deputies that contain `fragment` (a name written in part: 张秀 → 张秀英、张秀兰), at most `limit`. */
export async function deputyNamesLike(
  db: Db,
  fragment: string,
  congressIds: number[] | null,
  limit: number,
): Promise<string[]> {
  const f = fragment.trim();
  if (f === '' || (congressIds !== null && congressIds.length === 0)) return [];
  // LIKE's own characters in what was written are plain characters.
  const pattern = `%${f.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  let q = db
    .selectFrom('mandates')
    .innerJoin('people', 'people.id', 'mandates.person_id')
    .innerJoin('congresses', 'congresses.id', 'mandates.congress_id')
    .select('people.name')
    .distinct()
    .where('mandates.role', '=', 'deputy')
    .where(liveMandate('mandates', 'congresses'))
    .where('people.name', 'like', pattern);
  if (congressIds !== null) q = q.where('mandates.congress_id', 'in', congressIds);
  return (await q.orderBy('people.name').limit(limit).execute()).map((r) => r.name);
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
