import { type Kysely, sql } from 'kysely';

// Stored chat ids were lower-cased (WeCom) but never trimmed, while a chat sender was looked up trimmed:
// an id entered with a stray space could never be found. This brings every external_id_norm to the one
// normal form of db/external-id.ts (trimmed on every channel, WeCom lower-cased).
// Two identities that would then share a value are NOT merged (they may be two people): both keep the
// value they had, so each is still found as before, and both are listed in external_id_collisions (and
// on stderr at startup) for staff to resolve by hand. Nothing here can fail on existing data.

// Frozen here rather than imported: a migration must do the same thing whenever it runs.
const normalForm = (channel: string, id: string): string => {
  const trimmed = id.trim();
  return channel === 'wecom' ? trimmed.toLowerCase() : trimmed;
};

interface IdentityRow {
  id: number;
  person_id: number;
  channel: string;
  external_id: string;
  external_id_norm: string;
}

export async function up(db: Kysely<unknown>): Promise<void> {
  // Rows go away with the identity or person they name, so the list shrinks as staff resolve it.
  await db.schema
    .createTable('external_id_collisions')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('normal_form', 'text', (c) => c.notNull())
    .addColumn('identity_id', 'integer', (c) =>
      c.notNull().references('person_identities.id').onDelete('cascade'),
    )
    .addColumn('person_id', 'integer', (c) => c.notNull().references('people.id').onDelete('cascade'))
    .addColumn('external_id', 'text', (c) => c.notNull())
    .addColumn('found_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  const rows = (
    await sql<IdentityRow>`
      select id, person_id, channel, external_id, external_id_norm from person_identities order by id`.execute(
      db,
    )
  ).rows;
  const key = (channel: string, value: string) => `${channel}\n${value}`;
  const target = new Map(rows.map((r) => [r, normalForm(r.channel, r.external_id)]));
  const byTarget = new Map<string, IdentityRow[]>();
  for (const r of rows) {
    const k = key(r.channel, target.get(r)!);
    byTarget.set(k, [...(byTarget.get(k) ?? []), r]);
  }
  const colliding = new Set([...byTarget.values()].filter((group) => group.length > 1).flat());
  // A row whose new value is the value a colliding row keeps cannot take it either.
  const holder = new Map(rows.map((r) => [key(r.channel, r.external_id_norm), r]));
  for (let changed = true; changed; ) {
    changed = false;
    for (const r of rows) {
      const h = holder.get(key(r.channel, target.get(r)!));
      if (!colliding.has(r) && h && h !== r && colliding.has(h)) {
        colliding.add(r);
        colliding.add(h);
        changed = true;
      }
    }
  }

  for (const r of rows.filter((x) => colliding.has(x))) {
    await sql`
      insert into external_id_collisions (channel, normal_form, identity_id, person_id, external_id)
      values (${r.channel}, ${target.get(r)!}, ${r.id}, ${r.person_id}, ${r.external_id})`.execute(db);
  }

  // Two steps, so that a row may take a value another changing row gives up without a transient
  // duplicate (PostgreSQL checks the unique constraint row by row).
  const moving = rows.filter((r) => !colliding.has(r) && target.get(r) !== r.external_id_norm);
  for (const r of moving) {
    await sql`update person_identities set external_id_norm = ${`\u0001009:${r.id}`} where id = ${r.id}`.execute(
      db,
    );
  }
  for (const r of moving) {
    await sql`update person_identities set external_id_norm = ${target.get(r)!} where id = ${r.id}`.execute(
      db,
    );
  }

  if (colliding.size > 0) {
    process.stderr.write(
      `迁移 009：${colliding.size} 个聊天账号去掉首尾空格后与他人重复，均未合并，已列入 external_id_collisions 表，请人工核对：\n`,
    );
    for (const r of rows.filter((x) => colliding.has(x))) {
      process.stderr.write(`  ${r.channel} 「${r.external_id}」 人员 ${r.person_id}\n`);
    }
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  // The normal forms stay: they are what every lookup compares with.
  await db.schema.dropTable('external_id_collisions').ifExists().execute();
}
