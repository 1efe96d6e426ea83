import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { upsertOrgan } from '../../db/repositories/organs.ts';
import { FixedClock } from '../../src/clock.ts';
import { type AnyJson, createApi } from '../helpers/api.ts';
import { backends, createTestDeps, type TestDeps } from '../helpers/backends.ts';
import { seedCongress, seedPerson } from '../helpers/seed.ts';
import { type RunningServer, startServer } from '../helpers/server.ts';

// An organ's contact in the console, as testers found it: the list names the real state of each item
// (退回 waiting, an answer waiting for review or sent back), the item's page shows what was sent while
// it waits for the office (no forms), a refused answer comes back with what was typed, an answer sent
// back comes back pre-filled with the office's note, a second answer or return request is a 409 naming
// why and changes nothing, and the suggestion's line breaks are kept, escaped.

for (const backend of backends()) {
  describe.skipIf(!backend.available)(`an organ's items in the console on ${backend.name}`, () => {
    let deps: TestDeps;
    let server: RunningServer;
    let token = '';
    const clock = new FixedClock('2026-11-23T02:00:00Z'); // Monday 10:00 in Shanghai
    const api = createApi<AnyJson>(() => server.url);
    const own = createApi<AnyJson>(
      () => server.url,
      () => token,
    );
    const organ = '市住建局';

    const get = async (path: string) => {
      const res = await fetch(`${server.url}/console${path}`, {
        headers: { authorization: `Bearer ${token}` },
      });
      return { status: res.status, text: await res.text() };
    };
    const post = async (path: string, form: Record<string, string>) => {
      const res = await fetch(`${server.url}/console${path}`, {
        method: 'POST',
        redirect: 'manual',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(form).toString(),
      });
      return { status: res.status, location: res.headers.get('location'), text: await res.text() };
    };
    const newItem = async (content: string) => {
      const r = await api('POST', '/suggestions', { deputy: 'WangWu', content });
      expect(r.status).toBe(201);
      const code = r.json.code as string;
      expect((await api('POST', `/suggestions/${code}/assignments`, { lead: organ })).status).toBe(200);
      return code;
    };
    const answersOf = (code: string) =>
      deps.db
        .selectFrom('suggestion_answers as a')
        .innerJoin('suggestions as s', 's.id', 'a.suggestion_id')
        .select(['a.id', 'a.status'])
        .where('s.code', '=', code)
        .orderBy('a.id')
        .execute();
    const assignmentOf = (code: string) =>
      deps.db
        .selectFrom('suggestion_assignments as a')
        .innerJoin('suggestions as s', 's.id', 'a.suggestion_id')
        .select(['a.status', 'a.return_requested_at', 'a.return_request_reason'])
        .where('s.code', '=', code)
        .orderBy('a.id', 'desc')
        .executeTakeFirstOrThrow();
    /** The state cell of one item's row in the list (its card on a phone). */
    const listState = async (code: string) => {
      const page = (await get('/organ')).text;
      const row = page.split('<tr>').find((r) => r.includes(`>${code}<`));
      expect(row, `row of ${code}`).toBeDefined();
      return /data-label="状态"><div>(.*?)<\/div>/.exec(row!)?.[1]?.replace(/<[^>]+>/g, '');
    };
    const answer = {
      resultClass: 'B',
      done: '已完成府西街 3 处路灯更换\n并安排每周巡查',
      planned: '明年更换全部老旧灯杆',
      plannedBy: '2027-06-30',
      signedBy: '张局长',
      contact: '周科长 0352-1234567',
      docNo: '同住建函〔2026〕18号',
    };

    beforeAll(async () => {
      deps = await createTestDeps(backend.name, { clock });
      server = await startServer(deps);
      const congressId = await seedCongress(deps.db);
      await seedPerson(deps.db, { name: '王五', wecom: 'WangWu', mobile: '13800000001', congressId });
      await upsertOrgan(
        deps.db,
        organ,
        { contactName: '周科长', contactMobile: null, contactWecom: 'ZhujianZhou', contactDingtalk: null },
        clock.now(),
      );
      const t = await api('POST', '/tokens', { name: '住建局联系人', role: 'organ', organ });
      expect(t.status).toBe(201);
      token = t.json.token;
    });
    afterAll(async () => {
      await server?.close();
      await deps?.cleanup();
    });

    it('shows the list as cards with whole codes, and the content with its line breaks, escaped', async () => {
      const code = await newItem('府西街路灯不亮\n晚上出行不便<b>请修</b>\n请定期巡查');
      const list = await get('/organ');
      expect(list.status).toBe(200);
      expect(list.text).toContain('<table class="list">');
      expect(list.text).toContain(
        `<td data-label="编号"><div><a class="code" href="/console/organ/items/${code}/handle">${code}</a>`,
      );
      expect(await listState(code)).toBe('待签收，办理中');
      const page = await get(`/organ/items/${code}/handle`);
      expect(page.text).toContain(
        '<p class="pre">府西街路灯不亮\n晚上出行不便&lt;b&gt;请修&lt;/b&gt;\n请定期巡查</p>',
      );
      expect(page.text).not.toContain('<b>请修</b>');
    });

    it('brings a refused answer back with every value typed, and keeps nothing', async () => {
      const code = await newItem('迎宾街人行道破损');
      const refused = await post(`/organ/items/${code}/answer`, { ...answer, plannedBy: '2026-11-20' });
      expect(refused.status).toBe(400);
      expect(refused.text).toContain('落实时限 2026-11-20 早于今天');
      expect(refused.text).toContain('<option value="B" selected>');
      expect(refused.text).toContain('>已完成府西街 3 处路灯更换\n并安排每周巡查</textarea>');
      expect(refused.text).toContain('>明年更换全部老旧灯杆</textarea>');
      expect(refused.text).toContain('name="plannedBy" value="2026-11-20"');
      expect(refused.text).toContain('name="signedBy" maxlength="100" value="张局长"');
      expect(refused.text).toContain('value="周科长 0352-1234567"');
      expect(refused.text).toContain('value="同住建函〔2026〕18号"');
      expect(await answersOf(code)).toEqual([]);
      const noReason = await post(`/organ/items/${code}/return-request`, { reason: '' });
      expect(noReason.status).toBe(400);
      expect((await assignmentOf(code)).return_requested_at).toBeNull();
    });

    it('shows a submitted answer waiting for review without forms, refuses another with 409, and pre-fills it when sent back', async () => {
      const code = await newItem('南关街下水道堵塞');
      const sent = await post(`/organ/items/${code}/answer`, answer);
      expect(sent.status).toBe(303);
      expect(await listState(code)).toBe('答复已提交，等待代表工作机构审核');
      const waiting = (await get(`/organ/items/${code}/handle`)).text;
      expect(waiting).toContain('正等待人大常委会代表工作机构审核');
      expect(waiting).toContain('已完成府西街 3 处路灯更换\n并安排每周巡查');
      expect(waiting).toContain('同住建函〔2026〕18号');
      expect(waiting).not.toContain(`action="/console/organ/items/${code}/answer"`);
      expect(waiting).not.toContain(`action="/console/organ/items/${code}/return-request"`);

      const again = await post(`/organ/items/${code}/answer`, { ...answer, done: '第二份' });
      expect(again.status).toBe(409);
      expect(again.text).toContain('的答复已提交，正等待人大常委会代表工作机构审核');
      const back = await post(`/organ/items/${code}/return-request`, { reason: '不属于本单位' });
      expect(back.status).toBe(409);
      expect(await answersOf(code)).toEqual([expect.objectContaining({ status: 'pending_review' })]);
      expect((await assignmentOf(code)).return_requested_at).toBeNull();

      // The office sends it back with a note: the form returns, filled with the earlier answer.
      const [first] = await answersOf(code);
      const review = await api('POST', `/suggestions/${code}/answers/${first!.id}/review`, {
        decision: 'return',
        note: '请写明每周巡查的责任科室',
      });
      expect(review.status).toBe(200);
      expect(await listState(code)).toBe('答复被退回修改，请修改后重新提交');
      const revise = (await get(`/organ/items/${code}/handle`)).text;
      expect(revise).toContain('请写明每周巡查的责任科室');
      expect(revise).toContain(`action="/console/organ/items/${code}/answer"`);
      expect(revise).toContain('>已完成府西街 3 处路灯更换\n并安排每周巡查</textarea>');
      expect(revise).toContain('<option value="B" selected>');
      expect(revise).toContain('name="plannedBy" value="2027-06-30"');
      expect(revise).toContain('name="signedBy" maxlength="100" value="张局长"');
      const resent = await post(`/organ/items/${code}/answer`, {
        ...answer,
        done: '已完成府西街 3 处路灯更换，由城建科每周巡查',
      });
      expect(resent.status).toBe(303);
      const [, second] = await answersOf(code);
      expect(second?.status).toBe('pending_review');

      // Approved: the assignment is answered; the organ sees the answer, and a POST is a 409 naming why.
      expect(
        (await api('POST', `/suggestions/${code}/answers/${second!.id}/review`, { decision: 'approve' }))
          .status,
      ).toBe(200);
      expect((await assignmentOf(code)).status).toBe('answered');
      expect(await listState(code)).toBe('已答复');
      const done = await get(`/organ/items/${code}/handle`);
      expect(done.status).toBe(200);
      expect(done.text).toContain('由城建科每周巡查');
      expect(done.text).not.toContain(`action="/console/organ/items/${code}/answer"`);
      for (const [path, form] of [
        ['answer', answer],
        ['return-request', { reason: '不属于本单位' }],
      ] as const) {
        const r = await post(`/organ/items/${code}/${path}`, form);
        expect(r.status, path).toBe(409);
        expect(r.text).toContain(`${code} 本单位已经答复，不能再申请退回或答复`);
        expect(r.text).not.toContain('没有找到编号');
      }
      // The API says the same (it was a 404 before).
      const viaApi = await own('POST', `/suggestions/${code}/return-request`, { reason: '不属于本单位' });
      expect(viaApi.status).toBe(409);
      expect(viaApi.json.error.message).toContain('本单位已经答复');
      expect((await own('POST', `/suggestions/${code}/answers`, answer)).status).toBe(409);
      expect((await answersOf(code)).map((a) => a.status)).toEqual(['returned', 'approved']);
      expect((await assignmentOf(code)).return_requested_at).toBeNull();
    });

    it('shows a return request waiting for the office, with its reason, and refuses an answer meanwhile', async () => {
      const code = await newItem('广场舞噪音扰民');
      const r = await post(`/organ/items/${code}/return-request`, { reason: '噪音管理属于环保局职责' });
      expect(r.status).toBe(303);
      expect(await listState(code)).toBe('已申请退回，等待代表工作机构决定');
      const page = (await get(`/organ/items/${code}/handle`)).text;
      expect(page).toContain('噪音管理属于环保局职责');
      expect(page).toContain('正等待人大常委会代表工作机构决定');
      expect(page).not.toContain(`action="/console/organ/items/${code}/answer"`);
      expect(page).not.toContain(`action="/console/organ/items/${code}/return-request"`);
      const ans = await post(`/organ/items/${code}/answer`, answer);
      expect(ans.status).toBe(409);
      expect(ans.text).toContain('已申请退回，正等待人大常委会代表工作机构决定');
      const twice = await post(`/organ/items/${code}/return-request`, { reason: '再次申请' });
      expect(twice.status).toBe(409);
      expect(await answersOf(code)).toEqual([]);
      expect((await assignmentOf(code)).return_request_reason).toBe('噪音管理属于环保局职责');

      // Kept by the office: the forms come back, and the list says so.
      expect(
        (await api('POST', `/suggestions/${code}/return-request/decision`, { organ, decision: 'keep' }))
          .status,
      ).toBe(200);
      expect(await listState(code)).toBe('退回申请未获同意，请继续办理');
      expect((await get(`/organ/items/${code}/handle`)).text).toContain(
        `action="/console/organ/items/${code}/answer"`,
      );
    });
  });
}
