import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as m009 from '../../db/migrations/009_trim_external_ids.ts';
import { findPeopleByAnyId } from '../../db/repositories/people.ts';
import { findSender } from '../../db/repositories/senders.ts';
import { importRoster } from '../../src/services/roster/import.ts';
import {
  backends,
  createTestDeps,
  type TestDeps,
  testDatabaseUrl,
  withSchemaLock,
} from '../helpers/backends.ts';

const HEADER = '人大,层级,姓名,选举单位,代表大组,代表小组,联络站,企业微信账号,钉钉账号,手机,角色,状态';
const DATONG = '大同市第十六届人民代表大会';

// One normal form for chat ids (db/external-id.ts): trimmed everywhere, WeCom lower-cased; migration 009
// brings stored rows to it and lists, never merges, two identities that it would make one.
for (const backend of backends()) {
  describe.skipIf(!backend.available)(`external ids on ${backend.name}`, () => {
    let deps: TestDeps;
    beforeAll(async () => {
      deps = await createTestDeps(backend.name);
    });
    afterAll(async () => {
      await deps.cleanup();
    });

    it('finds the person a roster names with spaces and capitals from a message by the trimmed id', async () => {
      const text = `${HEADER}\n${DATONG},市,赵六,平城区,,,,"  ZhaoLiu ",,13800000061,代表,正常\n`;
      const summary = await importRoster(deps, text, { actor: 'test' });
      expect(summary).toMatchObject({ created: 1, rejected: [] });
      const fromChat = await findSender(deps.db, 'wecom', 'zhaoliu');
      expect(fromChat?.name).toBe('赵六');
      const fromPlatform = await findSender(deps.db, 'wecom', ' ZHAOLIU ');
      expect(fromPlatform?.personId).toBe(fromChat!.personId);
      const byStaff = await findPeopleByAnyId(deps.db, ' ZhaoLiu');
      expect(byStaff.map((p) => p.id)).toEqual([fromChat!.personId]);
    });

    it('migration 009 trims stored ids and lists, without merging, two that trimming would make one', async () => {
      const db = deps.db;
      const person = async (name: string) =>
        (await db.insertInto('people').values({ name }).returning('id').executeTakeFirstOrThrow()).id;
      const identity = async (person_id: number, channel: 'wecom' | 'dingtalk', id: string, norm: string) =>
        (
          await db
            .insertInto('person_identities')
            .values({ person_id, channel, external_id: id, external_id_norm: norm })
            .returning('id')
            .executeTakeFirstOrThrow()
        ).id;
      // Rows as the code before 009 stored them: lower-cased, never trimmed.
      const a = await person('孙七');
      const b = await person('孙七（重复）');
      const c = await person('周八');
      const d = await person('吴九');
      const ia = await identity(a, 'wecom', 'SunQi', 'sunqi');
      const ib = await identity(b, 'wecom', ' sunqi ', ' sunqi ');
      const ic = await identity(c, 'wecom', ' ZhouBa ', ' zhouba ');
      const id = await identity(d, 'dingtalk', ' Ding09 ', ' Ding09 ');
      const peopleBefore = await db.selectFrom('people').select('id').orderBy('id').execute();

      // Run 009 again over these rows, as a deployment upgrading from 008 would. Its down drops a table: on
      // the shared PostgreSQL that is done under the lock that creating, migrating and dropping test schemas
      // take, since another worker's migration reads every schema's catalog and fails on a table going away.
      const untyped = db as unknown as Kysely<unknown>;
      const again = async () => {
        await m009.down(untyped);
        await m009.up(untyped);
      };
      if (backend.name === 'postgres+redis') await withSchemaLock(testDatabaseUrl(), again);
      else await again();

      const listed = await db
        .selectFrom('external_id_collisions')
        .select(['channel', 'normal_form', 'identity_id', 'person_id', 'external_id'])
        .orderBy('identity_id')
        .execute();
      expect(listed).toEqual([
        { channel: 'wecom', normal_form: 'sunqi', identity_id: ia, person_id: a, external_id: 'SunQi' },
        { channel: 'wecom', normal_form: 'sunqi', identity_id: ib, person_id: b, external_id: ' sunqi ' },
      ]);
      // Nobody merged or removed: both colliding rows keep the value they had, each with its own person.
      expect(await db.selectFrom('people').select('id').orderBy('id').execute()).toEqual(peopleBefore);
      const norms = await db
        .selectFrom('person_identities')
        .select(['id', 'person_id', 'external_id_norm'])
        .where('id', 'in', [ia, ib, ic, id])
        .orderBy('id')
        .execute();
      expect(norms).toEqual([
        { id: ia, person_id: a, external_id_norm: 'sunqi' },
        { id: ib, person_id: b, external_id_norm: ' sunqi ' },
        { id: ic, person_id: c, external_id_norm: 'zhouba' },
        { id: id, person_id: d, external_id_norm: 'Ding09' },
      ]);
      expect((await findSender(db, 'wecom', 'ZhouBa'))?.personId).toBe(c);
      expect((await findSender(db, 'dingtalk', 'Ding09'))?.personId).toBe(d);
      expect((await findSender(db, 'wecom', ' SunQi '))?.personId).toBe(a);
    });
  });
}
