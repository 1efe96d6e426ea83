import { type Kysely, sql } from 'kysely';

// Deputies' suggestions, criticisms and opinions (S8, 《代表法》) and inspection or research reports (S8a,
// 山西 第二十七条): the organs that answer them, each organ's assignment with its own clock and answer, the
// deputies who follow an item, every change as a history row, urges (催办) and promised follow-ups.
// What a person set is stored here; what the clock implies (due soon, overdue) is computed when read.

export async function up(db: Kysely<unknown>): Promise<void> {
  // The organs (有关机关、组织) that handle items, with the contact 催办 reaches.
  await db.schema
    .createTable('organs')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull().unique())
    .addColumn('contact_name', 'text')
    .addColumn('contact_mobile', 'text')
    .addColumn('contact_wecom', 'text')
    .addColumn('contact_dingtalk', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  // One item: a suggestion, criticism or opinion (code JY-YYYY-NNNN), or an S8a report (same numbering,
  // so a deputy queries and urges it the same way). `status` is the described state.
  await db.schema
    .createTable('suggestions')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('code', 'text', (c) => c.notNull().unique())
    .addColumn('congress_id', 'integer', (c) => c.notNull().references('congresses.id'))
    .addColumn('kind', 'text', (c) =>
      c.notNull().check(sql`kind in ('建议','批评','意见','视察报告','调研报告')`),
    )
    .addColumn('title', 'text')
    .addColumn('content', 'text', (c) => c.notNull())
    .addColumn('photos', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn('secret', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('status', 'text', (c) =>
      c.notNull().check(sql`status in ('submitted','assigned','answered','rehandling','closed')`),
    )
    .addColumn('rating', 'text', (c) =>
      c.check(sql`rating in ('satisfied','basically_satisfied','dissatisfied','no_response')`),
    )
    .addColumn('round', 'integer', (c) => c.notNull().defaultTo(0))
    // 代录: who entered it on the deputy's behalf (null when the deputy sent it).
    .addColumn('entered_by', 'text')
    .addColumn('entered_by_name', 'text')
    // The chat message it came from: the same message twice stores one item.
    .addColumn('source_inbound_id', 'integer', (c) => c.unique().references('inbound_messages.id'))
    .addColumn('activity_id', 'integer', (c) => c.references('activities.id'))
    .addColumn('submitted_on', 'date', (c) => c.notNull())
    // The day the lead organ answered in the current round: a month without a rating closes it (未表态).
    .addColumn('answered_on', 'date')
    .addColumn('closed_at', 'timestamptz')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema
    .createIndex('suggestions_congress_status_idx')
    .on('suggestions')
    .columns(['congress_id', 'status'])
    .execute();

  // The deputies who follow an item (its author; for a report, every deputy it names).
  await db.schema
    .createTable('suggestion_deputies')
    .addColumn('suggestion_id', 'integer', (c) => c.notNull().references('suggestions.id'))
    .addColumn('mandate_id', 'integer', (c) => c.notNull().references('mandates.id'))
    .addColumn('person_id', 'integer', (c) => c.notNull().references('people.id'))
    .addColumn('author', 'boolean', (c) => c.notNull().defaultTo(false))
    .addPrimaryKeyConstraint('suggestion_deputies_pk', ['suggestion_id', 'mandate_id'])
    .execute();
  await db.schema
    .createIndex('suggestion_deputies_person_idx')
    .on('suggestion_deputies')
    .column('person_id')
    .execute();

  // One organ's part in one round of handling (round 1: 交办; round n>1: 重办), with its own clock and answer.
  await db.schema
    .createTable('suggestion_assignments')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('suggestion_id', 'integer', (c) => c.notNull().references('suggestions.id'))
    .addColumn('round', 'integer', (c) => c.notNull())
    .addColumn('organ_id', 'integer', (c) => c.notNull().references('organs.id'))
    .addColumn('role', 'text', (c) => c.notNull().check(sql`role in ('lead','assist')`))
    .addColumn('assigned_on', 'date', (c) => c.notNull())
    .addColumn('assigned_by', 'text', (c) => c.notNull())
    .addColumn('deadline_id', 'integer', (c) => c.references('deadlines.id'))
    .addColumn('status', 'text', (c) =>
      c.notNull().check(sql`status in ('open','answered','returned','transferred','superseded')`),
    )
    .addColumn('answer_done', 'text')
    .addColumn('answer_planned', 'text')
    .addColumn('answer_planned_by', 'date')
    .addColumn('answer_cannot', 'text')
    .addColumn('answer_cannot_reason', 'text')
    .addColumn('answer_signed_by', 'text')
    .addColumn('answered_on', 'date')
    .addColumn('answered_by', 'text')
    // 退回 / 改办 / superseded by 重办: why the assignment ended without an answer.
    .addColumn('ended_reason', 'text')
    .addColumn('ended_at', 'timestamptz')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema
    .createIndex('suggestion_assignments_item_idx')
    .on('suggestion_assignments')
    .columns(['suggestion_id', 'round'])
    .execute();

  // Every change: who, when, what, why.
  await db.schema
    .createTable('suggestion_events')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('suggestion_id', 'integer', (c) => c.notNull().references('suggestions.id'))
    .addColumn('at', 'timestamptz', (c) => c.notNull())
    .addColumn('actor', 'text', (c) => c.notNull())
    .addColumn('actor_name', 'text', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('summary', 'text', (c) => c.notNull())
    .addColumn('reason', 'text')
    .addColumn('detail', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .execute();
  await db.schema
    .createIndex('suggestion_events_item_idx')
    .on('suggestion_events')
    .columns(['suggestion_id', 'id'])
    .execute();

  // 催办 by a deputy: at most once a week per item.
  await db.schema
    .createTable('suggestion_urges')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('suggestion_id', 'integer', (c) => c.notNull().references('suggestions.id'))
    .addColumn('person_id', 'integer', (c) => c.notNull().references('people.id'))
    .addColumn('urged_at', 'timestamptz', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('suggestion_urges_item_idx')
    .on('suggestion_urges')
    .columns(['suggestion_id', 'urged_at'])
    .execute();

  // A 落实时限 promised in an answer: the reminder job reads the open ones (due_on, reminded_at null).
  await db.schema
    .createTable('suggestion_follow_ups')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('suggestion_id', 'integer', (c) => c.notNull().references('suggestions.id'))
    .addColumn('assignment_id', 'integer', (c) =>
      c.notNull().unique().references('suggestion_assignments.id'),
    )
    .addColumn('organ_id', 'integer', (c) => c.notNull().references('organs.id'))
    .addColumn('due_on', 'date', (c) => c.notNull())
    .addColumn('promise', 'text', (c) => c.notNull())
    .addColumn('reminded_at', 'timestamptz')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema
    .createIndex('suggestion_follow_ups_due_idx')
    .on('suggestion_follow_ups')
    .columns(['reminded_at', 'due_on'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const t of [
    'suggestion_follow_ups',
    'suggestion_urges',
    'suggestion_events',
    'suggestion_assignments',
    'suggestion_deputies',
    'suggestions',
    'organs',
  ]) {
    await db.schema.dropTable(t).ifExists().execute();
  }
}
