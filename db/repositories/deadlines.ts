import type { Generated, Selectable } from 'kysely';
import type { Db } from '../client.ts';

// Statutory clocks (S8, S8a, S8 re-handling) and the people each one concerns.

type Timestamp = import('kysely').ColumnType<Date, Date | string | undefined, Date | string>;
type NullableTimestamp = import('kysely').ColumnType<
  Date | null,
  Date | string | null | undefined,
  Date | string | null
>;

export type DeadlineKind = 'S8' | 'S8a' | 'S8-rehandle';

export interface DeadlinesTable {
  id: Generated<number>;
  kind: DeadlineKind;
  /** What the clock runs for, e.g. 'suggestion' / 'JY-2026-0012', 'report' / '17'. */
  subject_type: string;
  subject_id: string;
  congress_id: number | null;
  /** How people read it in a message (zh-CN), e.g. '建议 JY-2026-0012 的答复期限'. */
  label: string;
  starts_on: string;
  months: number;
  /** A date set by hand (an approved extension): the due date is it, moved off a rest day. */
  target_on: string | null;
  due_on: string;
  provisional: boolean;
  closed_at: NullableTimestamp;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface DeadlinePeopleTable {
  deadline_id: number;
  person_id: number;
}

export type DeadlineRow = Selectable<DeadlinesTable>;

export interface NewDeadline {
  kind: DeadlineKind;
  subjectType: string;
  subjectId: string;
  congressId: number | null;
  label: string;
  startsOn: string;
  months: number;
  targetOn?: string | null;
  dueOn: string;
  provisional: boolean;
  personIds: number[];
}

export async function insertDeadline(db: Db, d: NewDeadline): Promise<DeadlineRow> {
  const row = await db
    .insertInto('deadlines')
    .values({
      kind: d.kind,
      subject_type: d.subjectType,
      subject_id: d.subjectId,
      congress_id: d.congressId,
      label: d.label,
      starts_on: d.startsOn,
      months: d.months,
      target_on: d.targetOn ?? null,
      due_on: d.dueOn,
      provisional: d.provisional,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  const people = [...new Set(d.personIds)];
  if (people.length > 0) {
    await db
      .insertInto('deadline_people')
      .values(people.map((p) => ({ deadline_id: row.id, person_id: p })))
      .execute();
  }
  return row;
}

export async function findDeadline(db: Db, id: number): Promise<DeadlineRow | undefined> {
  return db.selectFrom('deadlines').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findDeadlinesOf(
  db: Db,
  subjectType: string,
  subjectId: string,
): Promise<DeadlineRow[]> {
  return db
    .selectFrom('deadlines')
    .selectAll()
    .where('subject_type', '=', subjectType)
    .where('subject_id', '=', subjectId)
    .orderBy('id')
    .execute();
}

/** Every open deadline, locked for the recompute that reads it. */
export async function listOpenDeadlinesForUpdate(db: Db): Promise<DeadlineRow[]> {
  return db
    .selectFrom('deadlines')
    .selectAll()
    .where('closed_at', 'is', null)
    .orderBy('id')
    .forUpdate()
    .execute();
}

export async function updateDeadlineDue(
  db: Db,
  id: number,
  d: { dueOn: string; provisional: boolean; targetOn?: string | null; at: Date },
): Promise<void> {
  await db
    .updateTable('deadlines')
    .set({
      due_on: d.dueOn,
      provisional: d.provisional,
      ...(d.targetOn !== undefined ? { target_on: d.targetOn } : {}),
      updated_at: d.at,
    })
    .where('id', '=', id)
    .execute();
}

export async function closeDeadline(db: Db, id: number, at: Date): Promise<void> {
  await db
    .updateTable('deadlines')
    .set({ closed_at: at, updated_at: at })
    .where('id', '=', id)
    .where('closed_at', 'is', null)
    .execute();
}

export async function peopleOfDeadline(db: Db, id: number): Promise<number[]> {
  const rows = await db
    .selectFrom('deadline_people')
    .select('person_id')
    .where('deadline_id', '=', id)
    .orderBy('person_id')
    .execute();
  return rows.map((r) => r.person_id);
}
