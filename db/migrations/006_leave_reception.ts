import { type Kysely, sql } from 'kysely';

// Leave requests (S4, S5), reception-day bookings (S2) and inspection requests (S17).

export async function up(db: Kysely<unknown>): Promise<void> {
  // 山西 第八条 (S5), 大同 第十一条 (S4): a request for leave from a session or an activity. The deciding
  // body is derived at submission and stored; the bot records the decision, it does not make it.
  await db.schema
    .createTable('leave_requests')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('code', 'text', (c) => c.notNull().unique())
    .addColumn('congress_id', 'integer', (c) => c.notNull().references('congresses.id'))
    .addColumn('mandate_id', 'integer', (c) => c.notNull().references('mandates.id'))
    .addColumn('session_id', 'integer', (c) => c.references('sessions.id'))
    .addColumn('activity_id', 'integer', (c) => c.references('activities.id'))
    .addColumn('reason', 'text', (c) => c.notNull())
    /** before / during the session (S5); null for an activity. */
    .addColumn('phase', 'text', (c) => c.check(sql`phase in ('before','during')`))
    .addColumn('deciding_body', 'text', (c) =>
      c
        .notNull()
        .check(
          sql`deciding_body in ('chairmen_meeting','secretariat','presidium','organiser','provincial_standing_committee')`,
        ),
    )
    /** The body as people read it (主任会议, 大会秘书处, 主席团, the organiser's name …). */
    .addColumn('deciding_body_label', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) =>
      c.notNull().defaultTo('pending').check(sql`status in ('pending','approved','rejected','forwarded')`),
    )
    .addColumn('submitted_on', 'date', (c) => c.notNull())
    .addColumn('decided_on', 'date')
    .addColumn('decision_reason', 'text')
    .addColumn('recorded_by', 'text')
    .addColumn('recorded_at', 'timestamptz')
    /** 代录: entered by staff on the deputy's behalf. */
    .addColumn('entered_by_staff', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('entered_by', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addCheckConstraint('leave_requests_subject_ck', sql`(session_id is null) <> (activity_id is null)`)
    .execute();
  await db.schema
    .createIndex('leave_requests_mandate_idx')
    .on('leave_requests')
    .column('mandate_id')
    .execute();
  await db.schema
    .createIndex('leave_requests_status_idx')
    .on('leave_requests')
    .columns(['congress_id', 'status'])
    .execute();

  // 大同 第七条(九) (S2): a deputy's booking of a month's reception day, with the topic.
  await db.schema
    .createTable('reception_bookings')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('code', 'text', (c) => c.notNull().unique())
    .addColumn('congress_id', 'integer', (c) => c.notNull().references('congresses.id'))
    .addColumn('mandate_id', 'integer', (c) => c.notNull().references('mandates.id'))
    .addColumn('month', 'text', (c) => c.notNull())
    .addColumn('topic', 'text')
    .addColumn('status', 'text', (c) =>
      c.notNull().defaultTo('booked').check(sql`status in ('booked','cancelled')`),
    )
    .addColumn('entered_by_staff', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('cancelled_at', 'timestamptz')
    .execute();
  await db.schema
    .createIndex('reception_bookings_month_idx')
    .on('reception_bookings')
    .columns(['congress_id', 'month', 'status'])
    .execute();
  // One live booking per deputy and month.
  await sql`create unique index reception_bookings_live_uq on reception_bookings (mandate_id, month) where status = 'booked'`.execute(
    db,
  );

  // 山西 第二十二条, 大同 第十二条 (S17): an inspection a deputy asks staff to arrange. Its report later becomes
  // an S8a item (山西 第二十七条): report_ref holds that item's code.
  await db.schema
    .createTable('inspection_requests')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('congress_id', 'integer', (c) => c.notNull().references('congresses.id'))
    .addColumn('mandate_id', 'integer', (c) => c.notNull().references('mandates.id'))
    .addColumn('content', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) =>
      c.notNull().defaultTo('requested').check(sql`status in ('requested','arranged','reported')`),
    )
    .addColumn('activity_id', 'integer', (c) => c.references('activities.id'))
    .addColumn('report_ref', 'text')
    .addColumn('entered_by_staff', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const t of ['inspection_requests', 'reception_bookings', 'leave_requests']) {
    await db.schema.dropTable(t).ifExists().execute();
  }
}
