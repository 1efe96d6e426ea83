import type { Selectable } from 'kysely';
import type { Db } from '../client.ts';
import type { DeadlineKind, DeadlinesTable } from '../schema.ts';

// Statutory clocks (S8, S8a, S8 re-handling) and the people each one concerns.

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

/** Clocks still running, oldest first (the feedback-clock reminder). */
export async function listOpenDeadlines(db: Db) {
  return db
    .selectFrom('deadlines')
    .select(['id', 'kind', 'label', 'subject_id', 'congress_id', 'due_on', 'provisional'])
    .where('closed_at', 'is', null)
    .orderBy('id')
    .execute();
}

/** Clocks' labels by id (the reminder ledger names a clock by its id). */
export async function deadlineLabels(db: Db, ids: readonly number[]): Promise<Map<number, string>> {
  if (ids.length === 0) return new Map();
  const rows = await db.selectFrom('deadlines').select(['id', 'label']).where('id', 'in', ids).execute();
  return new Map(rows.map((r) => [r.id, r.label]));
}
