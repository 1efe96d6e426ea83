import { type Kysely, sql } from 'kysely';

// The facts from which a deputy's duties are computed (S1, S3, S5, S6, S9, S10, S14, S15, S19):
// sessions of a congress, activities with their invitees and attendance, absences, and the duty record.

export async function up(db: Kysely<unknown>): Promise<void> {
  // 山西 第八条 (S5), 第四十六条(三) (S6): the sessions (会议) of a congress.
  await db.schema
    .createTable('sessions')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('congress_id', 'integer', (c) => c.notNull().references('congresses.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('starts_on', 'date', (c) => c.notNull())
    .addColumn('ends_on', 'date', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addCheckConstraint('sessions_dates_ck', sql`ends_on >= starts_on`)
    .execute();

  // Who did not attend a session; without approved leave it counts toward S6 (per congress term).
  await db.schema
    .createTable('session_absences')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('session_id', 'integer', (c) => c.notNull().references('sessions.id'))
    .addColumn('mandate_id', 'integer', (c) => c.notNull().references('mandates.id'))
    .addColumn('excused', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('recorded_by', 'text', (c) => c.notNull())
    .addColumn('recorded_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('session_absences_uq', ['session_id', 'mandate_id'])
    .execute();

  // 大同 第六条 (S1), 第七条(十) (S3), 第十一条 (S4); 山西 第二十一条 (S9), 第三十一条 (S10), 第四十一条 (S14),
  // 第二十二条 (S17): planned activities. code HD-YYYY-NNNN.
  await db.schema
    .createTable('activities')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('code', 'text', (c) => c.notNull().unique())
    .addColumn('congress_id', 'integer', (c) => c.notNull().references('congresses.id'))
    .addColumn('kind', 'text', (c) =>
      c.notNull().check(sql`kind in ('small_group','large_group','station','study','campaign','inspection')`),
    )
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('organiser', 'text', (c) => c.notNull())
    .addColumn('group_id', 'integer', (c) => c.references('groups.id'))
    .addColumn('station_id', 'integer', (c) => c.references('stations.id'))
    .addColumn('starts_at', 'timestamptz', (c) => c.notNull())
    .addColumn('ends_at', 'timestamptz', (c) => c.notNull())
    .addColumn('place', 'text')
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addCheckConstraint('activities_times_ck', sql`ends_at > starts_at`)
    .execute();
  await db.schema
    .createIndex('activities_congress_kind_idx')
    .on('activities')
    .columns(['congress_id', 'kind'])
    .execute();

  // An invitation and what became of it: invited → accepted / declined (leave, S4) → attended.
  await db.schema
    .createTable('activity_participants')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('activity_id', 'integer', (c) => c.notNull().references('activities.id'))
    .addColumn('mandate_id', 'integer', (c) => c.notNull().references('mandates.id'))
    .addColumn('invited', 'boolean', (c) => c.notNull().defaultTo(true))
    .addColumn('response', 'text', (c) => c.check(sql`response in ('accepted','declined')`))
    .addColumn('response_reason', 'text')
    .addColumn('responded_at', 'timestamptz')
    .addColumn('attended', 'boolean', (c) => c.notNull().defaultTo(false))
    .addUniqueConstraint('activity_participants_uq', ['activity_id', 'mandate_id'])
    .execute();

  // 山西 第四十三条 (S15): every event of a deputy's duties is a line of their record (履职档案).
  await db.schema
    .createTable('duty_events')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('mandate_id', 'integer', (c) => c.notNull().references('mandates.id'))
    .addColumn('occurred_on', 'date', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('summary', 'text', (c) => c.notNull())
    .addColumn('ref', 'text')
    /** Entered by staff on the deputy's behalf (代录). */
    .addColumn('entered_by_staff', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema
    .createIndex('duty_events_mandate_idx')
    .on('duty_events')
    .columns(['mandate_id', 'occurred_on'])
    .execute();

  // Item codes (QJ, JY, JD, HD …) are numbered per prefix and year.
  await db.schema
    .createTable('code_sequences')
    .addColumn('prefix', 'text', (c) => c.notNull())
    .addColumn('year', 'integer', (c) => c.notNull())
    .addColumn('last', 'integer', (c) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint('code_sequences_pk', ['prefix', 'year'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const t of [
    'code_sequences',
    'duty_events',
    'activity_participants',
    'activities',
    'session_absences',
    'sessions',
  ]) {
    await db.schema.dropTable(t).ifExists().execute();
  }
}
