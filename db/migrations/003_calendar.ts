import { type Kysely, sql } from 'kysely';

// The working-day calendar's stored part (staff corrections, which years were loaded and how), the dates
// derived from it (reception days, statutory deadlines) and a record of every recompute that moved one.

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('calendar_corrections')
    .addColumn('date', 'date', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('holiday','workday')`))
    .addColumn('note', 'text', (c) => c.notNull())
    .addColumn('corrected_by', 'text', (c) => c.notNull())
    .addColumn('corrected_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable('calendar_years')
    .addColumn('year', 'integer', (c) => c.primaryKey())
    .addColumn('source', 'text', (c) => c.notNull().check(sql`source in ('published','provisional')`))
    .addColumn('package_version', 'text')
    .addColumn('loaded_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  // 大同 第七条(九) (S2): each congress's reception day of each month, as last computed.
  await db.schema
    .createTable('reception_days')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('congress_id', 'integer', (c) => c.notNull().references('congresses.id'))
    .addColumn('month', 'text', (c) => c.notNull().check(sql`month ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'`))
    .addColumn('date', 'date', (c) => c.notNull())
    .addColumn('provisional', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('computed_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('reception_days_congress_month_uq', ['congress_id', 'month'])
    .execute();

  // Statutory clocks (S8, S8a, S8 re-handling). due_on is derived: from starts_on + months, or from
  // target_on (a date set by hand, e.g. an approved extension), moved off a rest day.
  await db.schema
    .createTable('deadlines')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('S8','S8a','S8-rehandle')`))
    .addColumn('subject_type', 'text', (c) => c.notNull())
    .addColumn('subject_id', 'text', (c) => c.notNull())
    .addColumn('congress_id', 'integer', (c) => c.references('congresses.id'))
    .addColumn('label', 'text', (c) => c.notNull())
    .addColumn('starts_on', 'date', (c) => c.notNull())
    .addColumn('months', 'integer', (c) => c.notNull().check(sql`months between 1 and 120`))
    .addColumn('target_on', 'date')
    .addColumn('due_on', 'date', (c) => c.notNull())
    .addColumn('provisional', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('closed_at', 'timestamptz')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema
    .createIndex('deadlines_subject_idx')
    .on('deadlines')
    .columns(['subject_type', 'subject_id'])
    .execute();
  await db.schema
    .createIndex('deadlines_open_due_idx')
    .on('deadlines')
    .columns(['closed_at', 'due_on'])
    .execute();

  // Whom a deadline concerns: they are told when a recompute moves it.
  await db.schema
    .createTable('deadline_people')
    .addColumn('deadline_id', 'integer', (c) => c.notNull().references('deadlines.id').onDelete('cascade'))
    .addColumn('person_id', 'integer', (c) => c.notNull().references('people.id'))
    .addPrimaryKeyConstraint('deadline_people_pk', ['deadline_id', 'person_id'])
    .execute();

  await db.schema
    .createTable('date_changes')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('subject_type', 'text', (c) =>
      c.notNull().check(sql`subject_type in ('deadline','reception_day')`),
    )
    .addColumn('subject_id', 'integer', (c) => c.notNull())
    .addColumn('old_date', 'date', (c) => c.notNull())
    .addColumn('new_date', 'date', (c) => c.notNull())
    .addColumn('old_provisional', 'boolean', (c) => c.notNull())
    .addColumn('new_provisional', 'boolean', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('changed_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema
    .createIndex('date_changes_subject_idx')
    .on('date_changes')
    .columns(['subject_type', 'subject_id'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const t of [
    'date_changes',
    'deadline_people',
    'deadlines',
    'reception_days',
    'calendar_years',
    'calendar_corrections',
  ]) {
    await db.schema.dropTable(t).ifExists().execute();
  }
}
