import { type Kysely, sql } from 'kysely';

// A video a deputy sends (WeCom video, DingTalk video) is kept like a photo, under its own kind.

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table media drop constraint if exists media_kind_check`.execute(db);
  await sql`alter table media add constraint media_kind_check check (kind in ('image','voice','file','video'))`.execute(
    db,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`alter table media drop constraint if exists media_kind_check`.execute(db);
  await sql`alter table media add constraint media_kind_check check (kind in ('image','voice','file'))`.execute(
    db,
  );
}
