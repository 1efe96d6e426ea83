import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importRoster } from '../../src/services/roster/import.ts';
import { createApi } from '../helpers/api.ts';
import { backends, createTestDeps, type TestDeps } from '../helpers/backends.ts';
import { seedPeople } from '../helpers/seed.ts';
import { type RunningServer, startServer } from '../helpers/server.ts';

const DATONG = '大同市第十六届人民代表大会';
const SHANXI = '山西省第十四届人民代表大会';
const enc = encodeURIComponent;

interface ApiError {
  error: { code: string; message: string };
}

for (const backend of backends()) {
  describe.skipIf(!backend.available)(`congresses and groups API on ${backend.name}`, () => {
    let deps: TestDeps;
    let server: RunningServer;
    const api = createApi<unknown>(() => server.url);
    const stored = async (name: string) =>
      deps.db.selectFrom('congresses').selectAll().where('name', '=', name).executeTakeFirst();

    beforeAll(async () => {
      deps = await createTestDeps(backend.name);
      server = await startServer(deps);
    });
    afterAll(async () => {
      await server.close();
      await deps.cleanup();
    });

    describe('congresses', () => {
      it('needs a level to create a congress', async () => {
        const res = await api('PUT', `/congresses/${enc(DATONG)}`, { termStartsOn: '2022-01-01' });
        expect(res.status).toBe(400);
        expect((res.json as ApiError).error.message).toContain('level');
        expect(await stored(DATONG)).toBeUndefined();
      });

      it('creates a congress and answers with the full settings, Datong defaults filled', async () => {
        const res = await api('PUT', `/congresses/${enc(DATONG)}`, {
          level: 'city',
          termStartsOn: '2022-01-01',
          termEndsOn: '2026-12-31',
        });
        expect(res.status).toBe(201);
        expect(res.json).toMatchObject({
          name: DATONG,
          level: 'city',
          termStartsOn: '2022-01-01',
          termEndsOn: '2026-12-31',
          settings: {
            receptionDayOfMonth: 5,
            receptionHosts: [],
            whoMayBook: 'all',
            reHandlingMonths: 1,
            extensionCapMonths: 6,
          },
        });
      });

      it('merges new settings over the stored ones', async () => {
        const a = await api('PUT', `/congresses/${enc(DATONG)}`, { settings: { receptionDayOfMonth: 10 } });
        expect(a.status).toBe(200);
        const b = await api('PUT', `/congresses/${enc(DATONG)}`, {
          settings: { receptionHosts: ['王主任', '李副主任'] },
        });
        expect(b.status).toBe(200);
        expect((b.json as { settings: Record<string, unknown> }).settings).toMatchObject({
          receptionDayOfMonth: 10,
          receptionHosts: ['王主任', '李副主任'],
          whoMayBook: 'all',
        });
        expect((await stored(DATONG))!.settings).toMatchObject({
          receptionDayOfMonth: 10,
          receptionHosts: ['王主任', '李副主任'],
        });
        const list = (await api('GET', '/congresses')).json as {
          name: string;
          settings: { receptionDayOfMonth: number };
        }[];
        expect(list.map((c) => [c.name, c.settings.receptionDayOfMonth])).toEqual([[DATONG, 10]]);
      });

      it('refuses bad settings or dates with a 400 naming the field, changing nothing', async () => {
        const before = await stored(DATONG);
        const cases: [unknown, string][] = [
          [{ settings: { receptionDayOfMonth: 31 } }, 'settings.receptionDayOfMonth'],
          [{ settings: { receptionDayOfMonth: '5' } }, 'settings.receptionDayOfMonth'],
          [{ settings: { receptionDay: 5 } }, 'receptionDay'],
          [{ settings: { whoMayBook: 'some' } }, 'settings.whoMayBook'],
          [{ settings: { reHandlingMonths: 0 } }, 'settings.reHandlingMonths'],
          [{ termEndsOn: '2026-02-30' }, 'termEndsOn'],
          [{ termStartsOn: '2027-01-01' }, 'termEndsOn'],
          [{ level: 'nation' }, 'level'],
          [{ colour: 'red' }, 'colour'],
        ];
        for (const [body, field] of cases) {
          const res = await api('PUT', `/congresses/${enc(DATONG)}`, body);
          expect(res.status, JSON.stringify(body)).toBe(400);
          expect((res.json as ApiError).error.message, JSON.stringify(body)).toContain(field);
        }
        expect(await stored(DATONG)).toEqual(before);
      });
    });

    describe('groups', () => {
      beforeAll(async () => {
        await importRoster(
          deps,
          `人大,层级,姓名,代表大组,代表小组,企业微信账号,手机\n${DATONG},市,张三,第一代表大组,第一小组,zhangsan,13800000001\n${SHANXI},省,李四,第一代表大组,,lisi,13800000002\n`,
          { actor: 'test' },
        );
      });
      // Who leads Datong's 第一小组, as stored.
      const leaderOf = async () =>
        (
          await deps.db
            .selectFrom('groups as g')
            .innerJoin('congresses as c', 'c.id', 'g.congress_id')
            .select('g.leader_person_id')
            .where('g.name', '=', '第一小组')
            .where('c.name', '=', DATONG)
            .executeTakeFirstOrThrow()
        ).leader_person_id;
      const bindings = async (name: string, congress: string) =>
        deps.db
          .selectFrom('group_bindings as b')
          .innerJoin('groups as g', 'g.id', 'b.group_id')
          .innerJoin('congresses as c', 'c.id', 'g.congress_id')
          .select(['b.channel', 'b.kind', 'b.address', 'b.secret'])
          .where('g.name', '=', name)
          .where('c.name', '=', congress)
          .orderBy('b.kind')
          .execute();

      it('binds a group to its chats and sets its leader; the list never shows keys or secrets', async () => {
        const res = await api('PUT', `/groups/${enc('第一小组')}`, {
          wecomWebhookKey: 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=aaaa-1111-bbbb',
          wecomChatId: 'wrchat001',
          dingtalkWebhookToken: 'dt-token-123',
          dingtalkSecret: 'SECabc123',
          dingtalkOpenConversationId: 'cidXYZ==',
          leader: '13800000001',
        });
        expect(res.status).toBe(200);
        expect(res.json).toMatchObject({
          name: '第一小组',
          kind: 'small',
          congress: DATONG,
          leader: { name: '张三' },
          members: 1,
          bindings: {
            wecomRobot: true,
            wecomAppchat: true,
            dingtalkRobot: true,
            dingtalkRobotSigned: true,
            dingtalkConversation: true,
          },
        });
        expect(await bindings('第一小组', DATONG)).toEqual([
          { channel: 'dingtalk', kind: 'dingtalk_conversation', address: 'cidXYZ==', secret: null },
          { channel: 'dingtalk', kind: 'dingtalk_robot', address: 'dt-token-123', secret: 'SECabc123' },
          { channel: 'wecom', kind: 'wecom_appchat', address: 'wrchat001', secret: null },
          { channel: 'wecom', kind: 'wecom_robot', address: 'aaaa-1111-bbbb', secret: null },
        ]);
        const list = await api('GET', '/groups');
        expect(list.status).toBe(200);
        for (const secret of ['aaaa-1111-bbbb', 'wrchat001', 'dt-token-123', 'SECabc123', 'cidXYZ==']) {
          expect(list.text).not.toContain(secret);
        }
        const audit = await deps.db
          .selectFrom('audit_log')
          .select('detail')
          .where('action', '=', 'group.update')
          .execute();
        expect(JSON.stringify(audit)).not.toContain('SECabc123');
      });

      it('removes a binding set to null and keeps the others', async () => {
        const res = await api('PUT', `/groups/${enc('第一小组')}`, { wecomChatId: null });
        expect(res.status).toBe(200);
        expect(
          (res.json as { bindings: { wecomAppchat: boolean; wecomRobot: boolean } }).bindings,
        ).toMatchObject({
          wecomAppchat: false,
          wecomRobot: true,
        });
      });

      it('asks which congress when a group name is in several', async () => {
        const res = await api('PUT', `/groups/${enc('第一代表大组')}`, { wecomWebhookKey: 'k-1' });
        expect(res.status).toBe(400);
        expect((res.json as ApiError).error.message).toContain('congress');
        const ok = await api('PUT', `/groups/${enc('第一代表大组')}`, {
          congress: SHANXI,
          wecomWebhookKey: 'k-1',
          leader: 'LISI',
        });
        expect(ok.status).toBe(200);
        expect(ok.json).toMatchObject({ congress: SHANXI, leader: { name: '李四' } });
        expect(await bindings('第一代表大组', DATONG)).toEqual([]);
      });

      it('creates a group with a congress and a kind, and refuses without', async () => {
        const noKind = await api('PUT', `/groups/${enc('工作人员群')}`, { congress: DATONG });
        expect(noKind.status).toBe(400);
        expect((noKind.json as ApiError).error.message).toContain('kind');
        const noCongress = await api('PUT', `/groups/${enc('工作人员群')}`, { kind: 'staff' });
        expect(noCongress.status).toBe(400);
        expect((noCongress.json as ApiError).error.message).toContain('congress');
        const created = await api('PUT', `/groups/${enc('工作人员群')}`, {
          congress: DATONG,
          kind: 'staff',
          wecomWebhookKey: 'k-2',
        });
        expect(created.status).toBe(201);
        expect(created.json).toMatchObject({
          name: '工作人员群',
          kind: 'staff',
          congress: DATONG,
          bindings: { wecomRobot: true },
        });
      });

      it('refuses a secret without its robot, an unknown leader and bad keys, changing nothing', async () => {
        // A staff group is led by one of the congress's staff.
        const datong = await deps.db
          .selectFrom('congresses')
          .select('id')
          .where('name', '=', DATONG)
          .executeTakeFirstOrThrow();
        await seedPeople(deps.db, datong.id, [['赵干事', 'zhaoganshi']], 'staff');
        expect(
          (await api('PUT', `/groups/${enc('工作人员群')}`, { congress: DATONG, leader: 'zhaoganshi' }))
            .status,
        ).toBe(200);
        const before = await bindings('工作人员群', DATONG);
        const leaderBefore = await deps.db
          .selectFrom('groups')
          .select('leader_person_id')
          .where('name', '=', '工作人员群')
          .executeTakeFirstOrThrow();
        const cases: [unknown, string][] = [
          [{ congress: DATONG, dingtalkSecret: 'SEC1' }, 'dingtalkWebhookToken'],
          [{ congress: DATONG, wecomChatId: 'new-chat', leader: 'nobody' }, 'nobody'],
          [{ congress: DATONG, wecomWebhookKey: 'has space' }, 'wecomWebhookKey'],
          [{ congress: DATONG, wecomWebhookKey: 12 }, 'wecomWebhookKey'],
          [{ congress: DATONG, kind: 'large' }, 'staff'],
          [{ congress: DATONG, unknown: 1 }, 'unknown'],
        ];
        for (const [body, word] of cases) {
          const res = await api('PUT', `/groups/${enc('工作人员群')}`, body);
          expect(res.status, JSON.stringify(body)).toBeGreaterThanOrEqual(400);
          expect((res.json as ApiError).error.message, JSON.stringify(body)).toContain(word);
        }
        expect(await bindings('工作人员群', DATONG)).toEqual(before);
        const leaderAfter = await deps.db
          .selectFrom('groups')
          .select('leader_person_id')
          .where('name', '=', '工作人员群')
          .executeTakeFirstOrThrow();
        expect(leaderAfter).toEqual(leaderBefore);
        expect(leaderAfter.leader_person_id).not.toBeNull();
      });

      it("never takes another congress's person as leader, and answers as for someone unknown", async () => {
        // 李四 (lisi, 13800000002) holds a seat in the province only; 第一小组 is Datong's.
        const before = await leaderOf();
        for (const leader of ['13800000002', 'lisi', 'nobody-at-all']) {
          const res = await api('PUT', `/groups/${enc('第一小组')}`, { leader });
          expect(res.status, leader).toBe(400);
          const message = (res.json as ApiError).error.message;
          expect(message).toBe(`找不到负责人「${leader}」（按企业微信账号、钉钉账号或手机查找）`);
          expect(message).not.toContain('李四');
        }
        expect(await leaderOf()).toEqual(before);
        // A change that is made names the leader before and after in its audit row.
        const zhang = await deps.db
          .selectFrom('people')
          .select('id')
          .where('name', '=', '张三')
          .executeTakeFirstOrThrow();
        expect((await api('PUT', `/groups/${enc('第一小组')}`, { leader: null })).status).toBe(200);
        expect((await api('PUT', `/groups/${enc('第一小组')}`, { leader: 'zhangsan' })).status).toBe(200);
        const row = await deps.db
          .selectFrom('audit_log')
          .select(['action', 'before', 'after'])
          .where('action', '=', 'group.update')
          .orderBy('id', 'desc')
          .executeTakeFirstOrThrow();
        expect(row.before).toEqual({ leaderPersonId: null });
        expect(row.after).toEqual({ leaderPersonId: zhang.id });
      });

      it('takes a leader by id only from the group’s own congress, answering alike for anyone else', async () => {
        const idOf = async (name: string) =>
          (await deps.db.selectFrom('people').select('id').where('name', '=', name).executeTakeFirstOrThrow())
            .id;
        const zhang = await idOf('张三');
        expect((await api('PUT', `/groups/${enc('第一小组')}`, { leaderPersonId: null })).status).toBe(200);
        expect(await leaderOf()).toBeNull();
        // 李四 holds a seat in the province only; 999999 is nobody.
        for (const id of [await idOf('李四'), 999999]) {
          const res = await api('PUT', `/groups/${enc('第一小组')}`, {
            leaderPersonId: id,
            wecomChatId: 'chat-x',
          });
          expect(res.status, String(id)).toBe(400);
          expect((res.json as ApiError).error.message).toBe(
            '所选的负责人不是本人大的在任代表，负责人没有改动，本次也没有保存其他修改。',
          );
        }
        expect(await leaderOf()).toBeNull();
        expect((await bindings('第一小组', DATONG)).map((b) => b.address)).not.toContain('chat-x');
        const both = await api('PUT', `/groups/${enc('第一小组')}`, {
          leader: 'zhangsan',
          leaderPersonId: zhang,
        });
        expect(both.status).toBe(400);
        expect((await api('PUT', `/groups/${enc('第一小组')}`, { leaderPersonId: zhang })).status).toBe(200);
        expect(await leaderOf()).toBe(zhang);
      });

      it('keeps the key of a robot’s whole address, and refuses another robot’s or page’s address', async () => {
        const key = async () =>
          (await bindings('第一小组', DATONG)).find((b) => b.kind === 'wecom_robot')?.address ?? null;
        const ok = await api('PUT', `/groups/${enc('第一小组')}`, {
          wecomWebhookKey: 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k-url-1',
        });
        expect(ok.status).toBe(200);
        expect(await key()).toBe('k-url-1');
        for (const address of [
          'https://oapi.dingtalk.com/robot/send?access_token=abc',
          'https://example.com/page?key=k-evil',
          'https://qyapi.weixin.qq.com/cgi-bin/webhook/send',
        ]) {
          const res = await api('PUT', `/groups/${enc('第一小组')}`, { wecomWebhookKey: address });
          expect(res.status, address).toBe(400);
          expect((res.json as ApiError).error.message).toBe(
            '字段「wecomWebhookKey」不是企业微信群机器人的 Webhook 地址，也不是其中的 key',
          );
        }
        expect(await key()).toBe('k-url-1');
      });

      it('counts only the members whose seat is in force, and takes no leader whose seat ended', async () => {
        await importRoster(
          deps,
          `人大,层级,姓名,代表大组,代表小组,企业微信账号,手机\n${DATONG},市,王五,第一代表大组,第一小组,wangwu,13800000005\n`,
          { actor: 'test' },
        );
        const members = async () =>
          ((await api('GET', '/groups')).json as { name: string; congress: string; members: number }[]).find(
            (g) => g.name === '第一小组' && g.congress === DATONG,
          )?.members;
        expect(await members()).toBe(2);
        const wangwu = await deps.db
          .selectFrom('people')
          .select('id')
          .where('name', '=', '王五')
          .executeTakeFirstOrThrow();
        await deps.db
          .updateTable('mandates')
          .set({ status: 'terminated' })
          .where('person_id', '=', wangwu.id)
          .execute();
        expect(await members()).toBe(1);
        // Named by a phone of theirs, one whose seat ended leads no group, and nothing changes.
        const before = await leaderOf();
        const res = await api('PUT', `/groups/${enc('第一小组')}`, { leader: '13800000005' });
        expect(res.status).toBe(400);
        expect((res.json as ApiError).error.message).toContain('不是本人大的在任代表');
        expect(await leaderOf()).toBe(before);
        expect(before).not.toBe(wangwu.id);
      });
    });
  });
}
