import { type Kysely, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateToLatest } from '../../db/migrate.ts';
import * as digestsInOutbox from '../../db/migrations/023_digests_in_outbox.ts';
import { migrations } from '../../db/migrations/index.ts';
import { backends, createTestDb, type TestDb, testDatabaseUrl, withSchemaLock } from '../helpers/backends.ts';

for (const backend of backends()) {
  describe.skipIf(!backend.available)(`migrations on ${backend.name}`, () => {
    let testDb: TestDb;
    beforeAll(async () => {
      testDb = await createTestDb(backend.name);
    });
    afterAll(async () => {
      await testDb.drop();
    });

    it('ran every migration up from an empty database', async () => {
      const rows = await sql<{ name: string }>`select name from kysely_migration order by name`.execute(
        testDb.handle.db,
      );
      expect(rows.rows.map((r) => r.name)).toEqual(Object.keys(migrations).sort());
    });

    it('is a no-op the second time', async () => {
      const again = () => migrateToLatest(testDb.handle.db);
      const outcome =
        backend.name === 'postgres+redis' ? await withSchemaLock(testDatabaseUrl(), again) : await again();
      expect(outcome.applied).toEqual([]);
    });

    it('created the tables of the model with a channel wherever an outside id is stored', async () => {
      const cols = await sql<{ table_name: string; column_name: string }>`
        select table_name, column_name from information_schema.columns
        where table_schema = current_schema()`.execute(testDb.handle.db);
      const has = (t: string, c: string) => cols.rows.some((r) => r.table_name === t && r.column_name === c);
      for (const t of ['person_identities', 'group_bindings', 'inbound_messages', 'outbox']) {
        expect(has(t, 'channel'), `${t}.channel`).toBe(true);
      }
      for (const [t, c] of [
        ['congresses', 'settings'],
        ['mandates', 'congress_id'],
        ['mandates', 'status'],
        ['groups', 'leader_person_id'],
        ['stations', 'head_person_id'],
        ['api_tokens', 'token_hash'],
        ['audit_log', 'actor'],
        ['reminder_ledger', 'period'],
      ] as const) {
        expect(has(t, c), `${t}.${c}`).toBe(true);
      }
    });

    it('lets one person hold mandates in two congresses but not two in one', async () => {
      const db = testDb.handle.db;
      const city = await db
        .insertInto('congresses')
        .values({ name: '大同市第十六届人民代表大会', level: 'city', settings: '{}' })
        .returning('id')
        .executeTakeFirstOrThrow();
      const prov = await db
        .insertInto('congresses')
        .values({ name: '山西省第十四届人民代表大会', level: 'province', settings: '{}' })
        .returning('id')
        .executeTakeFirstOrThrow();
      const p = await db
        .insertInto('people')
        .values({ name: '张三' })
        .returning('id')
        .executeTakeFirstOrThrow();
      await db
        .insertInto('mandates')
        .values({ person_id: p.id, congress_id: city.id, role: 'deputy' })
        .execute();
      await db
        .insertInto('mandates')
        .values({ person_id: p.id, congress_id: prov.id, role: 'deputy' })
        .execute();
      await expect(
        db.insertInto('mandates').values({ person_id: p.id, congress_id: city.id, role: 'deputy' }).execute(),
      ).rejects.toThrow();
    });

    it('turns the item list of a digest still waiting into its count, and leaves a sent one as it was', async () => {
      const db = testDb.handle.db;
      const text = '【履职提醒】今天有 2 项提醒：\n1. 甲\n2. 乙';
      const old = JSON.stringify({ text, items: [{ text: '甲' }, { text: '乙' }] });
      const row = (key: string, status: 'pending' | 'sent') =>
        db
          .insertInto('outbox')
          .values({
            channel: 'wecom',
            target_kind: 'user',
            target_address: 'zhangsan',
            payload: old,
            idempotency_key: key,
            status,
          })
          .returning('id')
          .executeTakeFirstOrThrow();
      const waiting = await row('digest:person:1:2026-12-21:wecom:user#1', 'pending');
      const sent = await row('digest:person:1:2026-12-20:wecom:user#1', 'sent');
      await digestsInOutbox.up(db as unknown as Kysely<unknown>);
      const payloadOf = async (id: number) =>
        (await db.selectFrom('outbox').select('payload').where('id', '=', id).executeTakeFirstOrThrow())
          .payload;
      expect(await payloadOf(waiting.id)).toEqual({ text, count: 2 });
      expect(await payloadOf(sent.id)).toEqual(JSON.parse(old));
      // Back down: the digest index again, each key's newest message; the waiting digest loses its count.
      await digestsInOutbox.down(db as unknown as Kysely<unknown>);
      const index = await sql<{ base: string; outbox_id: number; seq: number }>`
        select base, outbox_id, seq from reminder_digests order by base`.execute(db);
      expect(index.rows).toEqual([
        { base: 'digest:person:1:2026-12-20:wecom:user', outbox_id: sent.id, seq: 1 },
        { base: 'digest:person:1:2026-12-21:wecom:user', outbox_id: waiting.id, seq: 1 },
      ]);
      expect(await payloadOf(waiting.id)).toEqual({ text });
      await digestsInOutbox.up(db as unknown as Kysely<unknown>);
    });
  });
}
