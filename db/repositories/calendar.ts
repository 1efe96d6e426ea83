import type { Selectable } from 'kysely';
import { sql } from 'kysely';
import type { Db } from '../client.ts';
import type {
  CalendarCorrectionsTable,
  CalendarNoticeDaysTable,
  CalendarYearsTable,
  DateChangesTable,
} from '../schema.ts';

// Staff corrections of the working-day calendar, which years were loaded and how, and the record of
// every recompute that moved a stored date.

export type CalendarCorrectionRow = Selectable<CalendarCorrectionsTable>;
export type CalendarYearRow = Selectable<CalendarYearsTable>;
export type DateChangeRow = Selectable<DateChangesTable>;
export type CalendarNoticeDayRow = Selectable<CalendarNoticeDaysTable>;

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

/** What the working calendar is built from: the corrections and the notices' days, in one statement. */
export async function workCalendarRows(db: Db): Promise<{
  corrections: Pick<CalendarCorrectionRow, 'date' | 'kind' | 'note'>[];
  noticeDays: Pick<CalendarNoticeDayRow, 'notice_year' | 'date' | 'kind' | 'festival'>[];
}> {
  const r = await sql<{ corrections: unknown; notice_days: unknown }>`select
      coalesce((select json_agg(json_build_object('date', c.date, 'kind', c.kind, 'note', c.note)
                                order by c.date) from calendar_corrections c), '[]') as corrections,
      coalesce((select json_agg(json_build_object('notice_year', d.notice_year, 'date', d.date,
                                'kind', d.kind, 'festival', d.festival) order by d.date)
                from calendar_notice_days d), '[]') as notice_days`.execute(db);
  const row = r.rows[0]!;
  // The driver hands json over parsed; read as text where it does not.
  const parse = (v: unknown) => (typeof v === 'string' ? JSON.parse(v) : v);
  return { corrections: parse(row.corrections), noticeDays: parse(row.notice_days) };
}

export async function findCalendarYear(db: Db, year: number): Promise<CalendarYearRow | undefined> {
  return db.selectFrom('calendar_years').selectAll().where('year', '=', year).executeTakeFirst();
}

/**
 * Records a year as published by the State Council's notice, replacing the days of any notice recorded
 * for it before. A date another notice named is taken over by this one.
 */
export async function recordNoticeYear(
  db: Db,
  n: {
    year: number;
    title: string;
    number: string | null;
    issuedOn: string;
    text: string;
    by: string;
    at: Date;
    days: { date: string; kind: 'holiday' | 'workday'; festival: string }[];
  },
): Promise<void> {
  const notice = {
    source: 'published' as const,
    notice_title: n.title,
    notice_number: n.number,
    notice_date: n.issuedOn,
    notice_text: n.text,
    notice_by: n.by,
    loaded_at: n.at,
  };
  await db
    .insertInto('calendar_years')
    .values({ year: n.year, package_version: null, ...notice })
    .onConflict((oc) => oc.column('year').doUpdateSet(notice))
    .execute();
  await db.deleteFrom('calendar_notice_days').where('notice_year', '=', n.year).execute();
  if (n.days.length === 0) return;
  await db
    .insertInto('calendar_notice_days')
    .values(n.days.map((d) => ({ date: d.date, notice_year: n.year, kind: d.kind, festival: d.festival })))
    .onConflict((oc) =>
      oc.column('date').doUpdateSet((eb) => ({
        notice_year: eb.ref('excluded.notice_year'),
        kind: eb.ref('excluded.kind'),
        festival: eb.ref('excluded.festival'),
      })),
    )
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
