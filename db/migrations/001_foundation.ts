import { type Kysely, sql } from 'kysely';

// Congresses, people and their mandates, groups, stations, tokens, audit.
// Every table that stores an outside id carries its channel.

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('congresses')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull().unique())
    .addColumn('level', 'text', (c) =>
      c.notNull().check(sql`level in ('province','city','county','township')`),
    )
    .addColumn('term_starts_on', 'date')
    .addColumn('term_ends_on', 'date')
    .addColumn('archived_at', 'timestamptz')
    .addColumn('settings', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable('people')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('mobile', 'text', (c) => c.unique())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  // external_id_norm: WeCom userids compare case-insensitively (lower-cased), DingTalk ids exactly.
  await db.schema
    .createTable('person_identities')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('person_id', 'integer', (c) => c.notNull().references('people.id').onDelete('cascade'))
    .addColumn('channel', 'text', (c) => c.notNull().check(sql`channel in ('wecom','dingtalk')`))
    .addColumn('external_id', 'text', (c) => c.notNull())
    .addColumn('external_id_norm', 'text', (c) => c.notNull())
    .addUniqueConstraint('person_identities_channel_id_uq', ['channel', 'external_id_norm'])
    .addUniqueConstraint('person_identities_person_channel_uq', ['person_id', 'channel'])
    .execute();

  await db.schema
    .createTable('stations')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('congress_id', 'integer', (c) => c.notNull().references('congresses.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('head_person_id', 'integer', (c) => c.references('people.id'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('stations_congress_name_uq', ['congress_id', 'name'])
    .execute();

  await db.schema
    .createTable('groups')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('congress_id', 'integer', (c) => c.notNull().references('congresses.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('large','small','staff')`))
    .addColumn('leader_person_id', 'integer', (c) => c.references('people.id'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('groups_congress_name_uq', ['congress_id', 'name'])
    .execute();

  // How a group is reached: WeCom robot webhook key or app-created chat id; DingTalk custom robot
  // (webhook access token + signing secret) or the enterprise robot's openConversationId.
  await db.schema
    .createTable('group_bindings')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('group_id', 'integer', (c) => c.notNull().references('groups.id').onDelete('cascade'))
    .addColumn('channel', 'text', (c) => c.notNull().check(sql`channel in ('wecom','dingtalk')`))
    .addColumn('kind', 'text', (c) =>
      c
        .notNull()
        .check(sql`kind in ('wecom_robot','wecom_appchat','dingtalk_robot','dingtalk_conversation')`),
    )
    .addColumn('address', 'text', (c) => c.notNull())
    .addColumn('secret', 'text')
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('group_bindings_group_kind_uq', ['group_id', 'kind'])
    .execute();

  await db.schema
    .createTable('mandates')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('person_id', 'integer', (c) => c.notNull().references('people.id'))
    .addColumn('congress_id', 'integer', (c) => c.notNull().references('congresses.id'))
    .addColumn('electoral_unit', 'text')
    .addColumn('large_group_id', 'integer', (c) => c.references('groups.id'))
    .addColumn('small_group_id', 'integer', (c) => c.references('groups.id'))
    .addColumn('station_id', 'integer', (c) => c.references('stations.id'))
    .addColumn('role', 'text', (c) => c.notNull().check(sql`role in ('deputy','staff','approver','admin')`))
    .addColumn('status', 'text', (c) =>
      c.notNull().defaultTo('active').check(sql`status in ('active','suspended','terminated')`),
    )
    .addColumn('status_reason', 'text')
    .addColumn('status_changed_at', 'timestamptz')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('mandates_person_congress_uq', ['person_id', 'congress_id'])
    .execute();
  await db.schema.createIndex('mandates_congress_idx').on('mandates').column('congress_id').execute();

  // 山西 第四十五至四十八条 (S16): every status change is kept with its reason.
  await db.schema
    .createTable('mandate_status_changes')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('mandate_id', 'integer', (c) => c.notNull().references('mandates.id'))
    .addColumn('from_status', 'text', (c) => c.notNull())
    .addColumn('to_status', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('changed_by', 'text', (c) => c.notNull())
    .addColumn('changed_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable('api_tokens')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('role', 'text', (c) => c.notNull().check(sql`role in ('admin','staff','approver')`))
    .addColumn('congress_id', 'integer', (c) => c.references('congresses.id'))
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('token_prefix', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('last_used_at', 'timestamptz')
    .addColumn('revoked_at', 'timestamptz')
    .execute();

  await db.schema
    .createTable('audit_log')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('actor', 'text', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('subject_type', 'text', (c) => c.notNull())
    .addColumn('subject_id', 'text')
    .addColumn('detail', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('request_id', 'text')
    .execute();
  await db.schema
    .createIndex('audit_log_subject_idx')
    .on('audit_log')
    .columns(['subject_type', 'subject_id'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const t of [
    'audit_log',
    'api_tokens',
    'mandate_status_changes',
    'mandates',
    'group_bindings',
    'groups',
    'stations',
    'person_identities',
    'people',
    'congresses',
  ]) {
    await db.schema.dropTable(t).ifExists().execute();
  }
}
