import { type Kysely, sql } from 'kysely';

// A group chat WeCom's intelligent robot is in can be bound to a deputy group (kind 'wecom_bot', its
// chatid): notices reach it over the robot's long connection.

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table group_bindings drop constraint if exists group_bindings_kind_check`.execute(db);
  await sql`
    alter table group_bindings add constraint group_bindings_kind_check
      check (kind in ('wecom_robot','wecom_appchat','dingtalk_robot','dingtalk_conversation','wecom_bot'))
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`delete from group_bindings where kind = 'wecom_bot'`.execute(db);
  await sql`alter table group_bindings drop constraint if exists group_bindings_kind_check`.execute(db);
  await sql`
    alter table group_bindings add constraint group_bindings_kind_check
      check (kind in ('wecom_robot','wecom_appchat','dingtalk_robot','dingtalk_conversation'))
  `.execute(db);
}
