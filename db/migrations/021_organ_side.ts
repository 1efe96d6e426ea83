import { type Kysely, sql } from 'kysely';

// The organs' side (《代表法》第五十一条第二、三款; 山西 第三十七条 网上公示):
// - api_tokens: role 'organ', bound to one organ (organ_id): the contact who sees and answers its items.
// - organ_contacts: more than one contact per organ, one of them may be its leader (催办 escalates there).
// - suggestion_assignments: 签收 (signed_at/by), a request to return it (退回申请) and the office's decision,
//   the sign reminder sent, and reminders left unanswered (two escalate to the leader).
// - suggestion_answers: an organ's answer as submitted, held for the office's review (通过 / 退回修改);
//   an assisting organ's part goes to the lead ('to_lead').
// - suggestions: publication on the public pages, and the deputy's wish to withhold their name.

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table api_tokens drop constraint if exists api_tokens_role_check`.execute(db);
  await sql`alter table api_tokens add constraint api_tokens_role_check
    check (role in ('admin','staff','approver','organ'))`.execute(db);
  await db.schema
    .alterTable('api_tokens')
    .addColumn('organ_id', 'integer', (c) => c.references('organs.id'))
    .execute();

  await db.schema
    .createTable('organ_contacts')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('organ_id', 'integer', (c) => c.notNull().references('organs.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('mobile', 'text')
    .addColumn('wecom_userid', 'text')
    .addColumn('dingtalk_userid', 'text')
    .addColumn('leader', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('organ_contacts_organ').on('organ_contacts').column('organ_id').execute();

  await db.schema
    .alterTable('suggestion_assignments')
    .addColumn('signed_at', 'timestamptz')
    .addColumn('signed_by', 'text')
    .addColumn('return_requested_at', 'timestamptz')
    .addColumn('return_request_reason', 'text')
    .addColumn('return_decision', 'text', (c) => c.check(sql`return_decision in ('kept','transferred')`))
    .addColumn('sign_reminded_at', 'timestamptz')
    .addColumn('unanswered_reminders', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();

  await db.schema
    .createTable('suggestion_answers')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('suggestion_id', 'integer', (c) => c.notNull().references('suggestions.id'))
    .addColumn('assignment_id', 'integer', (c) => c.notNull().references('suggestion_assignments.id'))
    .addColumn('organ_id', 'integer', (c) => c.notNull().references('organs.id'))
    .addColumn('role', 'text', (c) => c.notNull().check(sql`role in ('lead','assist')`))
    .addColumn('status', 'text', (c) =>
      c.notNull().check(sql`status in ('pending_review','returned','approved','to_lead')`),
    )
    .addColumn('fields', 'jsonb', (c) => c.notNull())
    .addColumn('result_class', 'text')
    .addColumn('doc_no', 'text')
    .addColumn('contact', 'text')
    .addColumn('attachments', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn('submitted_by', 'text', (c) => c.notNull())
    .addColumn('submitted_at', 'timestamptz', (c) => c.notNull())
    .addColumn('review_note', 'text')
    .addColumn('reviewed_by', 'text')
    .addColumn('reviewed_at', 'timestamptz')
    .execute();
  await db.schema
    .createIndex('suggestion_answers_item')
    .on('suggestion_answers')
    .column('suggestion_id')
    .execute();

  await db.schema
    .alterTable('suggestions')
    .addColumn('published_at', 'timestamptz')
    .addColumn('withhold_name', 'boolean', (c) => c.notNull().defaultTo(false))
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('suggestions').dropColumn('published_at').dropColumn('withhold_name').execute();
  await db.schema.dropTable('suggestion_answers').execute();
  await db.schema
    .alterTable('suggestion_assignments')
    .dropColumn('signed_at')
    .dropColumn('signed_by')
    .dropColumn('return_requested_at')
    .dropColumn('return_request_reason')
    .dropColumn('return_decision')
    .dropColumn('sign_reminded_at')
    .dropColumn('unanswered_reminders')
    .execute();
  await db.schema.dropTable('organ_contacts').execute();
  await db.schema.alterTable('api_tokens').dropColumn('organ_id').execute();
  await sql`alter table api_tokens drop constraint if exists api_tokens_role_check`.execute(db);
  await sql`alter table api_tokens add constraint api_tokens_role_check
    check (role in ('admin','staff','approver'))`.execute(db);
}
