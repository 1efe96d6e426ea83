import { type Kysely, sql } from 'kysely';

// A year's arrangement read from the State Council's notice itself (国务院办公厅关于YYYY年部分节假日
// 安排的通知), for a year the holiday package does not yet publish: the notice recorded on the year
// (title, number, date, text as pasted) and each day it names (days off and make-up working days).

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('calendar_years')
    .addColumn('notice_title', 'text')
    .addColumn('notice_number', 'text')
    .addColumn('notice_date', 'date')
    .addColumn('notice_text', 'text')
    .addColumn('notice_by', 'text')
    .execute();

  // A date belongs to one notice (a notice may name a day of the year before, e.g. 12月31日 上班).
  await db.schema
    .createTable('calendar_notice_days')
    .addColumn('date', 'date', (c) => c.primaryKey())
    .addColumn('notice_year', 'integer', (c) => c.notNull().references('calendar_years.year'))
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('holiday','workday')`))
    .addColumn('festival', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('calendar_notice_days_year_idx')
    .on('calendar_notice_days')
    .column('notice_year')
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('calendar_notice_days').ifExists().execute();
  await db.schema
    .alterTable('calendar_years')
    .dropColumn('notice_title')
    .dropColumn('notice_number')
    .dropColumn('notice_date')
    .dropColumn('notice_text')
    .dropColumn('notice_by')
    .execute();
}
