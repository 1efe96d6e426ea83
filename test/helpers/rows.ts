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

/**
 * Whether each table is written by every message, whatever it asks (the message itself is recorded, with
 * the answer kept for a repeat): every table is named, so a new one is never left out of everyRecord.
 */
const EVERY_MESSAGE_WRITES: Readonly<Record<keyof Database, boolean>> = {
  congresses: false,
  people: false,
  person_identities: false,
  external_id_collisions: false,
  stations: false,
  groups: false,
  group_bindings: false,
  mandates: false,
  mandate_status_changes: false,
  api_tokens: false,
  audit_log: false,
  inbound_messages: true,
  outbox: false,
  reminder_ledger: false,
  job_marks: false,
  sessions: false,
  session_absences: false,
  activities: false,
  activity_participants: false,
  duty_events: false,
  code_sequences: false,
  calendar_corrections: false,
  calendar_years: false,
  calendar_notice_days: false,
  reception_days: false,
  deadlines: false,
  deadline_people: false,
  date_changes: false,
  organs: false,
  suggestions: false,
  media: false,
  media_contents: false,
  suggestion_deputies: false,
  suggestion_assignments: false,
  suggestion_events: false,
  suggestion_urges: false,
  suggestion_follow_ups: false,
  organ_contacts: false,
  suggestion_answers: false,
  leave_requests: false,
  reception_bookings: false,
  inspection_requests: false,
  broadcasts: false,
  broadcast_groups: false,
};

/**
 * Every row of every table but those each message writes, in a form two readings compare by: a question
 * that only reads leaves it as it was.
 */
export async function everyRecord(db: Db): Promise<string> {
  const out: Record<string, string[]> = {};
  for (const [table, always] of Object.entries(EVERY_MESSAGE_WRITES)) {
    if (always) continue;
    const rows = await db
      .selectFrom(table as 'suggestions')
      .selectAll()
      .execute();
    out[table] = rows.map((r) => JSON.stringify(r)).sort();
  }
  return JSON.stringify(out);
}
