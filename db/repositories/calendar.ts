import type { Selectable } from 'kysely';
import { sql } from 'kysely';
import type { Db } from '../client.ts';
import type { CalendarCorrectionsTable, CalendarYearsTable, DateChangesTable } from '../schema.ts';

// Staff corrections of the working-day calendar, which years were loaded and how, and the record of
// every recompute that moved a stored date.

export type CalendarCorrectionRow = Selectable<CalendarCorrectionsTable>;
export type CalendarYearRow = Selectable<CalendarYearsTable>;
export type DateChangeRow = Selectable<DateChangesTable>;

export async function listCorrections(db: Db): Promise<CalendarCorrectionRow[]> {
  return db.selectFrom('calendar_corrections').selectAll().orderBy('date').execute();
}

export async function upsertCorrection(
  db: Db,
  c: { date: string; kind: 'holiday' | 'workday'; note: string; by: string; at: Date },
): Promise<void> {
  await db
    .insertInto('calendar_corrections')
    .values({ date: c.date, kind: c.kind, note: c.note, corrected_by: c.by, corrected_at: c.at })
    .onConflict((oc) =>
      oc.column('date').doUpdateSet({ kind: c.kind, note: c.note, corrected_by: c.by, corrected_at: c.at }),
    )
    .execute();
}

/** Removes a correction; true when there was one. */
export async function deleteCorrection(db: Db, date: string): Promise<boolean> {
  const r = await db.deleteFrom('calendar_corrections').where('date', '=', date).executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}

export async function listCalendarYears(db: Db): Promise<CalendarYearRow[]> {
  return db.selectFrom('calendar_years').selectAll().orderBy('year').execute();
}

export async function upsertCalendarYear(
  db: Db,
  y: { year: number; source: 'published' | 'provisional'; packageVersion: string | null; at: Date },
): Promise<void> {
  await db
    .insertInto('calendar_years')
    .values({ year: y.year, source: y.source, package_version: y.packageVersion, loaded_at: y.at })
    .onConflict((oc) =>
      oc.column('year').doUpdateSet({ source: y.source, package_version: y.packageVersion, loaded_at: y.at }),
    )
    .execute();
}

/** Inserts a year as provisional unless it is already recorded. */
export async function recordProvisionalYear(db: Db, year: number, at: Date): Promise<void> {
  await db
    .insertInto('calendar_years')
    .values({ year, source: 'provisional', package_version: null, loaded_at: at })
    .onConflict((oc) => oc.column('year').doNothing())
    .execute();
}

export async function insertDateChange(
  db: Db,
  c: {
    subjectType: 'deadline' | 'reception_day';
    subjectId: number;
    oldDate: string;
    newDate: string;
    oldProvisional: boolean;
    newProvisional: boolean;
    reason: string;
    at: Date;
  },
): Promise<number> {
  const row = await db
    .insertInto('date_changes')
    .values({
      subject_type: c.subjectType,
      subject_id: c.subjectId,
      old_date: c.oldDate,
      new_date: c.newDate,
      old_provisional: c.oldProvisional,
      new_provisional: c.newProvisional,
      reason: c.reason,
      changed_at: c.at,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function listDateChanges(
  db: Db,
  filter: { subjectType?: 'deadline' | 'reception_day'; subjectId?: number } = {},
): Promise<DateChangeRow[]> {
  let q = db.selectFrom('date_changes').selectAll().orderBy('id');
  if (filter.subjectType) q = q.where('subject_type', '=', filter.subjectType);
  if (filter.subjectId !== undefined) q = q.where('subject_id', '=', filter.subjectId);
  return q.execute();
}

/** Serializes calendar writers across instances: a transaction-scoped advisory lock (ends with it). */
export async function lockCalendarWriters(trx: Db): Promise<void> {
  await sql`select pg_advisory_xact_lock(730201)`.execute(trx);
}
