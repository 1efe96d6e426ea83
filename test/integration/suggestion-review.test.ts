import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { upsertOrgan } from '../../db/repositories/organs.ts';
import { withdrawPendingByKeyPrefix } from '../../db/repositories/outbox.ts';
import { FixedClock } from '../../src/clock.ts';
import { assignSuggestion } from '../../src/services/suggestions/index.ts';
import { createApi } from '../helpers/api.ts';
import { backends, createTestDeps, TEST_ADMIN_TOKEN, type TestDeps } from '../helpers/backends.ts';
import { seedCongress, seedPerson } from '../helpers/seed.ts';
import { type RunningServer, startServer } from '../helpers/server.ts';

// 立案审查 through the console's forms (HTTP, a bearer token): 不予立案 with its reason reaching the deputy,
// a merge that moves the deputies to the item it joins, accept with title, category and 重点督办, refusals
// that change nothing, a bound token kept to its congress — and 交办 still working without any review.

for (const backend of backends()) {
  describe.skipIf(!backend.available)(`立案审查 on ${backend.name}`, () => {
    let deps: TestDeps;
    let server: RunningServer;
    let boundToken: string;
    const clock = new FixedClock('2026-11-23T02:00:00Z'); // Monday 10:00 in Shanghai
    const api = createApi<Record<string, unknown>>(() => server.url);
    const codes: Record<string, string> = {};
    const people: Record<string, number> = {};

    const post = async (path: string, form: Record<string, string>, token = TEST_ADMIN_TOKEN) => {
      const res = await fetch(`${server.url}/console${path}`, {
        method: 'POST',
        redirect: 'manual',
        headers: {
          authorization: `Bearer ${token}`,
          'content-type': 'application/x-www-form-urlencoded',
        },
        body: new URLSearchParams(form).toString(),
      });
      return { status: res.status, location: res.headers.get('location'), text: await res.text() };
    };
    const get = async (path: string) => {
      const res = await fetch(`${server.url}/console${path}`, {
        headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}` },
      });
      return { status: res.status, text: await res.text() };
    };
    const item = (code: string) =>
      deps.db.selectFrom('suggestions').selectAll().where('code', '=', code).executeTakeFirstOrThrow();
    const messagesTo = async (personId: number) =>
      (
        await deps.db
          .selectFrom('outbox')
          .innerJoin('person_identities as i', 'i.external_id', 'outbox.target_address')
          .select('outbox.payload')
          .where('i.person_id', '=', personId)
          .execute()
      ).map((r) => String((r.payload as { text?: unknown }).text ?? ''));

    beforeAll(async () => {
      deps = await createTestDeps(backend.name, { clock });
      server = await startServer(deps);
      const congressId = await seedCongress(deps.db);
      await seedCongress(deps.db, '晋中市第五届人民代表大会');
      people.wang = (await seedPerson(deps.db, { name: '王五', wecom: 'WangWu', congressId })).personId;
      people.zhao = (await seedPerson(deps.db, { name: '赵六', wecom: 'ZhaoLiu', congressId })).personId;
      await upsertOrgan(
        deps.db,
        '市住建局',
        { contactName: '周科长', contactMobile: null, contactWecom: 'ZhujianZhou', contactDingtalk: null },
        clock.now(),
      );
      for (const [key, deputy, content] of [
        ['declined', 'WangWu', '建议在小区门口设置彩票销售点\n便于群众购买'],
        ['duplicate', 'ZhaoLiu', '府西街路灯坏了，请尽快修复'],
        ['kept', 'WangWu', '府西街路灯不亮，晚上出行不便'],
        ['plain', 'ZhaoLiu', '新建北路人行道破损'],
      ] as const) {
        const r = await api('POST', '/suggestions', { deputy, content });
        expect(r.status).toBe(201);
        codes[key] = r.json.code as string;
      }
      boundToken = (
        await api('POST', '/tokens', {
          name: '晋中代表工委',
          role: 'staff',
          congress: '晋中市第五届人民代表大会',
        })
      ).json.token as string;
    }, 180_000);
    afterAll(async () => {
      await server?.close();
      await deps?.cleanup();
    });

    it('refuses 不予立案 without a reason, keeping what was typed and changing nothing', async () => {
      const before = await deps.db.selectFrom('outbox').select('id').execute();
      const r = await post(`/suggestions/${codes.declined}/review`, {
        decision: 'not_accepted',
        reason: '',
        title: '彩票销售点',
      });
      expect(r.status).toBe(400);
      expect(r.text).toContain('请填写不予立案的理由');
      expect(r.text).toContain('value="彩票销售点"');
      const row = await item(codes.declined!);
      expect(row).toMatchObject({ status: 'submitted', review_state: null, title: null });
      expect(await deps.db.selectFrom('outbox').select('id').execute()).toHaveLength(before.length);
    });

    it('records 不予立案 with its reason and tells the deputy why', async () => {
      const reason = '彩票销售点设置不属于本级人大常委会代表工作机构交办范围';
      const r = await post(`/suggestions/${codes.declined}/review`, { decision: 'not_accepted', reason });
      expect(r.status).toBe(303);
      expect(r.location).toBe(`/console/suggestions/${codes.declined}?done=notAccepted`);
      const row = await item(codes.declined!);
      expect(row).toMatchObject({
        status: 'closed',
        review_state: 'not_accepted',
        review_reason: reason,
        reviewed_by: 'admin:bootstrap',
      });
      const told = await messagesTo(people.wang!);
      expect(
        told.some((t) => t.includes(codes.declined!) && t.includes('不予立案') && t.includes(reason)),
      ).toBe(true);
      const page = await get(`/suggestions/${codes.declined}`);
      expect(page.text).toContain('不予立案');
      expect(page.text).not.toContain(`action="/console/suggestions/${codes.declined}/assign"`);
      // Nor can it be assigned afterwards, by chat or the API.
      const again = await api('POST', `/suggestions/${codes.declined}/assignments`, { lead: '市住建局' });
      expect(again.status).toBe(409);
    });

    it('merges a duplicate: its deputy follows the other item and is told why', async () => {
      const refused = await post(`/suggestions/${codes.duplicate}/review`, {
        decision: 'merge',
        into: codes.declined!,
        reason: '内容相同',
      });
      expect(refused.status).toBe(409);
      expect((await item(codes.duplicate!)).status).toBe('submitted');

      const reason = '与王五代表所提府西街路灯问题相同，合并办理';
      const r = await post(`/suggestions/${codes.duplicate}/review`, {
        decision: 'merge',
        into: codes.kept!.toLowerCase(),
        reason,
      });
      expect(r.status).toBe(303);
      const merged = await item(codes.duplicate!);
      const kept = await item(codes.kept!);
      expect(merged).toMatchObject({ status: 'closed', review_state: 'merged', merged_into_id: kept.id });
      const followers = await deps.db
        .selectFrom('suggestion_deputies')
        .select(['person_id', 'author'])
        .where('suggestion_id', '=', kept.id)
        .orderBy('person_id')
        .execute();
      expect(followers).toEqual([
        { person_id: people.wang, author: true },
        { person_id: people.zhao, author: false },
      ]);
      const told = await messagesTo(people.zhao!);
      expect(told.some((t) => t.includes(codes.kept!) && t.includes(reason) && t.includes('合并办理'))).toBe(
        true,
      );
      // The merged item's history names where it went; the other item's names what joined it.
      expect((await get(`/suggestions/${codes.kept}`)).text).toContain(
        `${codes.duplicate}（赵六）并入本件合并办理`,
      );
    });

    it('accepts with a title, a category and 重点督办, then 交办 follows', async () => {
      const r = await post(`/suggestions/${codes.kept}/review`, {
        decision: 'accept',
        title: '府西街路灯维修',
        category: '城乡建设',
        key: 'true',
      });
      expect(r.status).toBe(303);
      expect(await item(codes.kept!)).toMatchObject({
        status: 'submitted',
        review_state: 'accepted',
        title: '府西街路灯维修',
        category: '城乡建设',
        key_supervision: true,
      });
      const twice = await post(`/suggestions/${codes.kept}/review`, { decision: 'accept' });
      expect(twice.status).toBe(409);
      const list = await get('/suggestions?key=true');
      expect(list.text).toContain(codes.kept!);
      expect(list.text).toContain('府西街路灯维修');
      expect(list.text).not.toContain(codes.plain!);
      const assigned = await post(`/suggestions/${codes.kept}/assign`, { lead: '市住建局' });
      expect(assigned.status).toBe(303);
      expect((await item(codes.kept!)).status).toBe('assigned');
    });

    it('keeps 交办 working without any review (as chat 交办 calls it)', async () => {
      await assignSuggestion(deps, {
        code: codes.plain!,
        organs: { lead: '市住建局', assisting: [] },
        actor: { id: 'person:1', name: '工作人员' },
        scope: null,
      });
      expect(await item(codes.plain!)).toMatchObject({ status: 'assigned', review_state: null });
      // The list shows a chat item's first line as its title.
      expect((await get('/suggestions')).text).toContain('新建北路人行道破损');
    });

    it('does not count a reminder withdrawn before sending as a failed message', async () => {
      const row = (key: string) => ({
        channel: 'wecom' as const,
        target_kind: 'user',
        target_address: 'WangWu',
        payload: JSON.stringify({ text: key }),
        idempotency_key: key,
        not_before: clock.now(),
        created_at: clock.now(),
      });
      await deps.db
        .insertInto('outbox')
        .values([
          {
            ...row('tried-and-failed'),
            status: 'dead',
            attempts: 5,
            first_tried_at: clock.now(),
            last_error: '用户不存在',
          },
          { ...row('leave-warning:withdrawn-one'), status: 'pending' },
        ])
        .execute();
      await withdrawPendingByKeyPrefix(deps.db, 'leave-warning:', '请假已获批准，缺席提醒撤回');
      const overview = await get('');
      expect(overview.text).toMatch(/<span class="n">1<small> 条<\/small><\/span>发送失败的消息/);
      expect(overview.text).toContain('1 条提醒</a>在发送前已撤回');
      const failed = await get('/outbox?status=dead');
      expect(failed.text).toContain('tried-and-failed');
      expect(failed.text).not.toContain('withdrawn-one');
      const withdrawn = await get('/outbox?status=withdrawn');
      expect(withdrawn.text).toContain('withdrawn-one');
      expect(withdrawn.text).not.toContain('重新发送</button>');
    });

    it('links a bound staff token only to pages it may open', async () => {
      const as = (path: string) =>
        fetch(`${server.url}${path}`, { headers: { authorization: `Bearer ${boundToken}` } });
      const home = await (await as('/console')).text();
      const nav = /<nav>(.*?)<\/nav>/s.exec(home)?.[1] ?? '';
      const links = [...nav.matchAll(/href="([^"]+)"/g)].map((m) => m[1]!);
      expect(links).toContain('/console/suggestions');
      expect(links).not.toContain('/console/outbox');
      for (const link of links) expect((await as(link)).status, link).not.toBe(403);
    });

    it('keeps a token bound to another congress out', async () => {
      const r = await post(
        `/suggestions/${codes.plain}/review`,
        { decision: 'not_accepted', reason: '无' },
        boundToken,
      );
      expect(r.status).toBe(404);
    });
  });
}
