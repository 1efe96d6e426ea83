import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordInbound } from '../../db/repositories/inbound-messages.ts';
import type { ChatMessage } from '../../src/channels/types.ts';
import { FixedClock } from '../../src/clock.ts';
import { closeUnratedSuggestions } from '../../src/services/suggestions/answer.ts';
import { resolveDeputy, submitSuggestion } from '../../src/services/suggestions/submission.ts';
import { createApi } from '../helpers/api.ts';
import { backends, TEST_ADMIN_TOKEN } from '../helpers/backends.ts';
import { type ChatHarness, createChatHarness } from '../helpers/chat.ts';
import { seedCityRoster, seedTrafficAndPolice } from '../helpers/city-roster.ts';
import { seedCongress } from '../helpers/seed.ts';
import { type RunningServer, startServer } from '../helpers/server.ts';

// The rules around a suggestion: 涉密 content never leaves by chat, one message stores one item, 催办 at
// most once a week, the statutory due dates at a holiday and a month end, the S8a report clock, 未表态
// after a month, and the staff API with its roles.

const at = (shanghai: string) => new Date(`${shanghai}+08:00`);
const SECRET = '某军事管理区东侧围墙外道路XYZ-7731';

for (const backend of backends()) {
  describe.skipIf(!backend.available)(`suggestion rules on ${backend.name}`, () => {
    let chat: ChatHarness;
    let server: RunningServer;
    let otherCongressToken: string;
    let staffToken: string;
    const clock = new FixedClock(at('2026-11-23T10:00:00')); // Monday

    const codeIn = (text: string) => /JY-\d{4}-\d{4}/.exec(text)?.[0] ?? '';
    const api = createApi<Record<string, unknown> | null>(
      () => server.url,
      () => staffToken,
    );
    const outboxPayloads = async () =>
      (await chat.deps.db.selectFrom('outbox').select('payload').execute()).map((r) =>
        JSON.stringify(r.payload),
      );

    beforeAll(async () => {
      chat = await createChatHarness(backend.name, { clock });
      server = await startServer(chat.deps, chat.runtime);
      await seedCityRoster(chat.deps, {
        deputies: ['ZhangSan', 'WangWu'],
      });
      await seedCongress(chat.deps.db, '晋中市第五届人民代表大会');
      await seedTrafficAndPolice(chat.deps.db, clock.now());
      const mk = async (body: unknown) =>
        (await api('POST', '/tokens', body, TEST_ADMIN_TOKEN)).json!.token as string;
      staffToken = await mk({ name: '代表工委', role: 'staff' });
      otherCongressToken = await mk({
        name: '晋中代表工委',
        role: 'staff',
        congress: '晋中市第五届人民代表大会',
      });
    });
    afterAll(async () => {
      await server.close();
      await chat.close();
    });

    it('stores one suggestion when the same message arrives twice', async () => {
      const msg: ChatMessage = {
        channel: 'wecom',
        messageKey: '7301234567890123456',
        senderId: 'ZhangSan',
        kind: 'text',
        text: '建议 在御河东路增设一处公交站',
        platformType: 'text',
        createdAt: clock.now(),
      };
      const opts = { budgetMs: 4000, maxReplyBytes: 2048 };
      const first = await chat.runtime.dispatcher.handle(msg, opts);
      const second = await chat.runtime.dispatcher.handle({ ...msg }, opts);
      expect(first.kind).toBe('reply');
      expect(second).toEqual(first);
      const rows = await chat.deps.db
        .selectFrom('suggestions')
        .select('code')
        .where('content', '=', '在御河东路增设一处公交站')
        .execute();
      expect(rows).toHaveLength(1);
    });

    it('numbers submissions made at the same moment in one unbroken run; one the database refuses leaves its number unused', async () => {
      const seq = (code: string) => Number(code.slice(-4));
      const first = seq(codeIn(await chat.say('ZhangSan', '建议 在文瀛湖公园增加休息座椅')));
      const deputies = await Promise.all(
        ['ZhangSan', 'WangWu'].map((w) => resolveDeputy(chat.deps.db, w, null)),
      );
      const actor = { id: 'system', name: '系统' };
      const made = await Promise.all(
        Array.from({ length: 12 }, (_, i) =>
          submitSuggestion(chat.deps, {
            deputy: deputies[i % 2]!,
            kind: '建议',
            content: `同时提交的第${i + 1}条建议`,
            photos: [],
            secret: false,
            actor,
          }),
        ),
      );
      const numbers = made.map((m) => seq(m.item.code)).sort((a, b) => a - b);
      expect(numbers).toEqual(Array.from({ length: 12 }, (_, i) => first + 1 + i));
      // The chat message it names does not exist: the item's transaction fails after the number was taken.
      await expect(
        submitSuggestion(chat.deps, {
          deputy: deputies[0]!,
          kind: '建议',
          content: '这一条不会保存',
          photos: [],
          secret: false,
          inboundId: 2_000_000_000,
          actor,
        }),
      ).rejects.toThrow();
      const kept = await chat.deps.db
        .selectFrom('suggestions')
        .select('code')
        .where('content', '=', '这一条不会保存')
        .execute();
      expect(kept).toEqual([]);
      const next = codeIn(await chat.say('WangWu', '建议 在文瀛湖公园增设饮水点'));
      expect(seq(next)).toBe(first + 14);
    });

    it('makes one item of one chat message handled twice, even at the same moment', async () => {
      const deputy = await resolveDeputy(chat.deps.db, 'ZhangSan', null);
      const inboundId = (await recordInbound(chat.deps.db, {
        channel: 'wecom',
        messageKey: 'retry-7301',
        senderId: 'ZhangSan',
        personId: deputy.personId,
        msgType: 'text',
        content: { text: '建议 文瀛湖北岸增设公厕' },
        receivedAt: clock.now(),
      }))!;
      const input = {
        deputy,
        kind: '建议' as const,
        content: '文瀛湖北岸增设公厕',
        photos: [],
        secret: false,
        inboundId,
        actor: { id: 'system', name: '系统' },
      };
      const [a, b] = await Promise.all([
        submitSuggestion(chat.deps, input),
        submitSuggestion(chat.deps, input),
      ]);
      const again = await submitSuggestion(chat.deps, input);
      expect([a.item.code, b.item.code, again.item.code]).toEqual([a.item.code, a.item.code, a.item.code]);
      expect([a.created, b.created, again.created].filter(Boolean)).toHaveLength(1);
      const rows = await chat.deps.db
        .selectFrom('suggestions')
        .select('code')
        .where('source_inbound_id', '=', inboundId)
        .execute();
      expect(rows).toEqual([{ code: a.item.code }]);
    });

    it('asks before 交办 to the one registered organ a short name means, and refuses a name that means none', async () => {
      clock.set(at('2026-11-23T10:00:00'));
      const code = codeIn(await chat.say('ZhangSan', '建议 御河西路公交站台遮雨棚破损'));
      const status = async () =>
        (
          await chat.deps.db
            .selectFrom('suggestions')
            .select('status')
            .where('code', '=', code)
            .executeTakeFirstOrThrow()
        ).status;
      // 延期 of an item not yet handed over is refused at once, before a date is asked for.
      expect(await chat.say('LiSi', `延期 ${code}`)).toBe(`${code} 目前不在办理中，不能延期`);
      const unknown = await chat.say('LiSi', '延期 JY-2026-9999');
      expect(unknown).toContain('没有编号为 JY-2026-9999 的建议');
      expect(unknown).toContain('没有延期');
      const short = await chat.send('LiSi', { text: `交办 ${code} 交通局` });
      expect(short?.text).toContain('没有登记的单位：交通局');
      expect(short?.text).toContain('是要交办给市交通局（承办）吗');
      expect(short?.buttons?.map((b) => b.label)).toEqual(['是', '否']);
      expect(await chat.say('LiSi', '否')).toBe('好的，没有交办。');
      expect(await status()).toBe('submitted');
      const none = await chat.say('LiSi', `交办 ${code} 水务局`);
      expect(none).toContain('请核对名称');
      expect(none).not.toContain('是要交办给');
      expect(await status()).toBe('submitted');
      // 交办 without a code lists what awaits it, oldest first, each choice carrying the organ written.
      const waiting = (
        await chat.deps.db
          .selectFrom('suggestions')
          .select('code')
          .where('status', '=', 'submitted')
          .orderBy('code')
          .execute()
      ).map((r) => r.code);
      expect(waiting.length).toBeGreaterThan(6);
      const list = await chat.send('LiSi', { text: '交办 交通局' });
      expect(list?.text).toContain('请问交办哪一项？');
      expect(list?.buttons?.map((b) => b.command)).toEqual(
        waiting.slice(0, 6).map((c) => `交办 ${c} 交通局`),
      );
      expect(list?.text).toContain(`另有 ${waiting.length - 6} 项未列出，可直接发编号。`);
      // 待办 counts them, and names no leave to a staff member who does not record decisions.
      const queue = await chat.say('LiSi', '待办');
      expect(queue).toContain(`待交办的建议 ${waiting.length} 件：发“交办 承办单位”选择要交办的一件。`);
      expect(queue).not.toContain('请假');
      expect(await status()).toBe('submitted');
      // What such a button sends: the short name is asked about before anything is assigned.
      expect(await chat.say('LiSi', `交办 ${code} 交通局`)).toContain('是要交办给市交通局（承办）吗');
      expect(await chat.say('LiSi', '是')).toContain('已交办');
      expect(await status()).toBe('assigned');
      const organs = await chat.deps.db
        .selectFrom('suggestion_assignments as a')
        .innerJoin('organs as o', 'o.id', 'a.organ_id')
        .innerJoin('suggestions as s', 's.id', 'a.suggestion_id')
        .select('o.name')
        .where('s.code', '=', code)
        .execute();
      expect(organs).toEqual([{ name: '市交通局' }]);
      // A date the deadline cannot move to is said at once, and the date asked for again; the deadline as
      // staff write it (明年3月底) is taken.
      expect(await chat.say('LiSi', `延期 ${code}`)).toContain('请问延期到哪一天');
      const early = await chat.say('LiSi', '下周五');
      expect(early).toContain('延期后的日期应晚于现在的答复期限');
      expect(early).toContain('请问延期到哪一天');
      // Past six months from 交办 (S8, 《代表法》第五十一条): the cap is named, and the date asked again.
      const late = await chat.say('LiSi', '2028-01-10');
      expect(late).toContain('延期不得超过自交办之日起6个月');
      expect(late).toContain('请问延期到哪一天');
      expect(await chat.say('LiSi', '明年3月底')).toContain('请问延期的理由');
      expect(await chat.say('LiSi', '需要协调')).toContain('2027-03-31');
    });

    it('refuses 代录 for a deputy named in part, naming the deputies it may mean, and files nothing', async () => {
      const before = await chat.deps.db.selectFrom('suggestions').select('code').execute();
      // Staff writing a deputy's command are shown the 代录 form of it.
      const own = await chat.say('LiSi', '建议 小区门口增设垃圾分类投放点');
      expect(own).toContain('建议由代表本人提出');
      expect(own).toContain('例如：代录 张三 建议');
      expect(await chat.say('LiSi', '请假 人代会 出差')).toContain('例如：代录 张三 请假');
      // A deputy's matter written down as they told it: the 代录 with their name and words, as a button.
      const told = await chat.send('LiSi', { text: '王五代表反映小区门口垃圾没人清运' });
      expect(told?.text).toContain('是要替王五代表录入吗');
      expect(told?.buttons).toEqual([{ label: '代录 王五', command: '代录 王五 建议 小区门口垃圾没人清运' }]);
      // A name that is no deputy of the congress gets the plain form.
      expect(await chat.say('LiSi', '赵大反映小区门口垃圾没人清运')).toContain('例如：代录 张三 建议');
      const part = await chat.say('LiSi', '代录 王 建议 小区门口增设垃圾分类投放点');
      expect(part).toContain('没有找到在任代表“王”。您是说：王五？');
      const none = await chat.say('LiSi', '代录 赵大 建议 小区门口增设垃圾分类投放点');
      expect(none).toContain('没有找到在任代表“赵大”。请写代表的姓名、企业微信账号或手机号。');
      // A staff member is no deputy to suggest.
      expect(await chat.say('LiSi', '代录 李 建议 小区门口增设垃圾分类投放点')).not.toContain('李四');
      expect(await chat.deps.db.selectFrom('suggestions').select('code').execute()).toEqual(before);
    });

    it('counts three months from 交办 on 11-30 to the month end, moved off a Sunday, marked provisional', async () => {
      clock.set(at('2026-11-30T10:00:00'));
      const code = codeIn(await chat.say('ZhangSan', '建议 完善城区老旧小区的充电桩'));
      const reply = await chat.say('LiSi', `交办 ${code} 市交通局`);
      // 2027-02-28 is a Sunday; 2027 has no published arrangement yet.
      expect(reply).toContain('市交通局（承办）：2027-03-01（星期一）（暂定日历）前答复');
      const detail = await chat.say('ZhangSan', `查询 ${code}`);
      expect(detail).toContain('2027-03-01（星期一）（暂定日历）前答复，还有 91 天');
    });

    it('keeps 涉密 content out of every outbound message and every public list', async () => {
      clock.set(at('2026-11-23T10:00:00'));
      const submitted = await chat.say('ZhangSan', `建议 涉密：${SECRET}的安全隐患`);
      const code = codeIn(submitted);
      expect(code).not.toBe('');
      expect(submitted).toContain('涉密');
      expect(submitted).not.toContain(SECRET);
      const stored = await chat.deps.db
        .selectFrom('suggestions')
        .selectAll()
        .where('code', '=', code)
        .executeTakeFirstOrThrow();
      expect(stored).toMatchObject({ secret: true, content: `${SECRET}的安全隐患` });

      expect(await chat.say('LiSi', `交办 ${code} 市交通局、市公安局`)).not.toContain(SECRET);
      expect(await chat.say('ZhangSan', `查询 ${code}`)).not.toContain(SECRET);
      expect(await chat.say('ZhangSan', `催办 ${code}`)).not.toContain(SECRET);
      expect(await chat.say('LiSi', `答复 ${code} 市交通局：已办理：${SECRET}已加装护栏`)).not.toContain(
        SECRET,
      );
      await chat.flush();
      const payloads = await outboxPayloads();
      expect(payloads.some((p) => p.includes(code))).toBe(true);
      for (const p of payloads) expect(p).not.toContain('XYZ-7731');
      const inbox = await chat.inbox('ZhangSan');
      expect(inbox.some((t) => t.includes('本事项涉密'))).toBe(true);

      // Staff see it whole on its own page; a list leaves it out.
      const list = await api('GET', '/suggestions');
      const row = (list.json as unknown as { code: string; content: string | null; secret: boolean }[]).find(
        (s) => s.code === code,
      )!;
      expect(row).toMatchObject({ secret: true, content: null });
      const one = await api('GET', `/suggestions/${code}`);
      expect(one.json!.content).toBe(`${SECRET}的安全隐患`);
    });

    it('reaches the organ on 催办 at most once a week, and says when it may be done again', async () => {
      clock.set(at('2026-11-23T10:00:00'));
      const code = codeIn(await chat.say('ZhangSan', '建议 修复迎宾街人行道'));
      await chat.say('LiSi', `交办 ${code} 市交通局、市公安局`);
      await chat.flush();
      const before = chat.wecom.inbox('JiaotongLiu').length;
      const staffBefore = (await chat.inbox('LiSi')).length;

      const urged = await chat.say('ZhangSan', `催办 ${code}`);
      expect(urged).toContain('已提醒市交通局（联系人刘科长）抓紧办理');
      expect(urged).toContain('市公安局未登记线上联系方式，已请工作人员电话提醒');
      await chat.flush();
      const after = chat.wecom.inbox('JiaotongLiu').map((d) => d.text);
      expect(after.length).toBe(before + 1);
      expect(after.at(-1)).toContain(`【代表催办】张三代表催办建议 ${code}`);
      const staff = (await chat.inbox('LiSi')).slice(staffBefore);
      expect(staff.some((t) => t.includes('【请电话联系】市公安局') && t.includes('13800000002'))).toBe(true);

      // Two days later: refused, nothing sent, with the day it may be done again.
      clock.set(at('2026-11-25T15:00:00'));
      const urges = async () =>
        (await chat.deps.db.selectFrom('suggestion_urges').select('id').execute()).length;
      const count = await urges();
      const again = await chat.say('ZhangSan', `催办 ${code}`);
      expect(again).toContain('每条每周只能催办一次');
      expect(again).toContain('2026-11-30（星期一） 10:00');
      expect(await urges()).toBe(count);
      await chat.flush();
      expect(chat.wecom.inbox('JiaotongLiu').length).toBe(after.length);

      // A week on, it goes through.
      clock.set(at('2026-11-30T10:00:00'));
      expect(await chat.say('ZhangSan', `催办 ${code}`)).toContain('已催办');
      expect(await urges()).toBe(count + 1);
    });

    it('files an inspection report (S8a) with its own three-month feedback clock, and refuses to extend it', async () => {
      clock.set(at('2026-07-05T10:00:00'));
      const filed = await api('POST', '/reports', {
        kind: 'inspection',
        title: '关于城区道路照明情况的视察报告',
        content: '视察发现城区道路照明存在盲区，建议……',
        deputies: ['ZhangSan', '王五'],
        lead: '市交通局',
      });
      expect(filed.status).toBe(201);
      const code = filed.json!.code as string;
      expect(filed.json).toMatchObject({ kind: '视察报告', status: 'assigned' });
      expect((filed.json!.assignments as unknown[])[0]).toMatchObject({
        organ: '市交通局',
        role: 'lead',
        dueOn: '2026-10-08',
      });
      const deadline = await chat.deps.db
        .selectFrom('deadlines')
        .select(['kind', 'months', 'due_on'])
        .where('label', 'like', `%${code}%`)
        .executeTakeFirstOrThrow();
      expect(deadline).toEqual({ kind: 'S8a', months: 3, due_on: '2026-10-08' });
      // Both deputies follow it.
      for (const who of ['ZhangSan', 'WangWu']) {
        const inbox = await chat.inbox(who);
        expect(inbox.some((t) => t.includes(`【视察报告 ${code}】已交办`) && t.includes('前反馈'))).toBe(
          true,
        );
        expect(await chat.say(who, `查询 ${code}`)).toContain('2026-10-08（星期四）前反馈');
      }
      const ext = await api('POST', `/suggestions/${code}/extensions`, {
        date: '2026-11-30',
        reason: '情况复杂',
      });
      expect(ext.status).toBe(409);
      expect((ext.json!.error as { message: string }).message).toContain('第二十七条');
    });

    it('closes an answer left unrated for a month as 未表态, and tells the deputy', async () => {
      clock.set(at('2026-07-06T10:00:00'));
      const code = codeIn(await chat.say('WangWu', '意见 公园开放时间太短'));
      await chat.say('LiSi', `交办 ${code} 市交通局`);
      await chat.say('LiSi', `答复 ${code} 已延长开放时间至晚十点`);
      clock.set(at('2026-08-06T10:00:00')); // the month is not over yet
      expect(await closeUnratedSuggestions(chat.deps)).not.toContain(code);
      clock.set(at('2026-08-07T10:00:00'));
      expect(await closeUnratedSuggestions(chat.deps)).toContain(code);
      const row = await chat.deps.db
        .selectFrom('suggestions')
        .selectAll()
        .where('code', '=', code)
        .executeTakeFirstOrThrow();
      expect(row).toMatchObject({ status: 'closed', rating: 'no_response' });
      expect((await chat.inbox('WangWu')).at(-1)).toContain('已按“未表态”办结');
      expect(await chat.say('WangWu', `满意 ${code}`)).toContain('已办结');
    });

    it('serves the staff API with roles checked and each change through its route', async () => {
      clock.set(at('2026-11-23T10:00:00'));
      expect((await api('GET', '/suggestions', undefined, null)).status).toBe(401);
      expect((await api('GET', '/suggestions', undefined, 'not-a-token')).status).toBe(401);
      // One assigned item of its own, so the filtered list cannot pass empty.
      const assigned = codeIn(await chat.say('ZhangSan', '建议 在文瀛湖南岸增设公共厕所'));
      await chat.say('LiSi', `交办 ${assigned} 市交通局`);
      const list = await api('GET', '/suggestions?status=assigned');
      expect(list.status).toBe(200);
      const listed = list.json as unknown as { code: string; status: string }[];
      expect(listed.map((s) => s.code)).toContain(assigned);
      expect(listed.every((s) => s.status === 'assigned')).toBe(true);
      expect((await api('GET', '/suggestions?status=whatever')).status).toBe(400);

      // 代录 through the API: marked as entered by staff, the deputy told.
      const proxy = await api('POST', '/suggestions', {
        deputy: 'ZhangSan',
        kind: '批评',
        content: '办事窗口排队时间过长',
      });
      expect(proxy.status).toBe(201);
      const code = proxy.json!.code as string;
      expect(proxy.json).toMatchObject({
        kind: '批评',
        proxy: true,
        enteredBy: '代表工委',
        status: 'submitted',
      });
      expect((await chat.inbox('ZhangSan')).at(-1)).toContain(`工作人员代表工委已代您录入批评`);
      // A bad body names the field and changes nothing.
      const bad = await api('POST', `/suggestions/${code}/assignments`, { assisting: ['市公安局'] });
      expect(bad.status).toBe(400);
      expect((bad.json!.error as { message: string }).message).toContain('lead');
      const unknown = await api('POST', `/suggestions/${code}/assignments`, { lead: '市不存在局' });
      expect(unknown.status).toBe(400);
      expect((await api('GET', `/suggestions/${code}`)).json!.status).toBe('submitted');

      expect(
        (await api('POST', `/suggestions/${code}/assignments`, { lead: '市交通局', assisting: ['市公安局'] }))
          .status,
      ).toBe(200);
      const moved = await api('POST', `/suggestions/${code}/transfers`, {
        from: '市公安局',
        to: '市城管局',
        reason: '属城管职责',
      });
      expect(moved.status).toBe(400); // 市城管局 not registered yet
      expect(
        (await api('PUT', '/organs/市城管局', { contactName: '孙科长', wecomUserid: 'ChengguanSun' })).status,
      ).toBe(201);
      const transferred = await api('POST', `/suggestions/${code}/transfers`, {
        from: '市公安局',
        to: '市城管局',
        reason: '属城管职责',
      });
      expect(transferred.status).toBe(200);
      const returned = await api('POST', `/suggestions/${code}/returns`, {
        organ: '市城管局',
        reason: '已由市交通局一并办理',
      });
      expect(returned.status).toBe(200);
      const cap = await api('POST', `/suggestions/${code}/extensions`, {
        date: '2027-06-30',
        reason: '复杂',
      });
      expect(cap.status).toBe(400);
      const answered = await api('POST', `/suggestions/${code}/answers`, {
        done: '已增设两个窗口',
        cannot: '暂不能全天开放',
        cannotReason: '人手不足',
        signedBy: '王局长',
      });
      expect(answered.status).toBe(200);
      const full = await api('GET', `/suggestions/${code}`);
      expect(full.json).toMatchObject({ status: 'answered' });
      const history = (full.json!.history as { action: string; actorName: string }[]).map((h) => h.action);
      expect(history).toEqual(['submitted', 'assigned', 'transferred', 'returned', 'answered']);
      expect(
        (full.json!.assignments as { organ: string; status: string }[]).map((a) => [a.organ, a.status]),
      ).toEqual([
        ['市交通局', 'answered'],
        ['市公安局', 'transferred'],
        ['市城管局', 'returned'],
      ]);

      // A token bound to another congress cannot reach these items.
      expect((await api('GET', `/suggestions/${code}`, undefined, otherCongressToken)).status).toBe(404);
      const theirs = await api('GET', '/suggestions', undefined, otherCongressToken);
      expect(theirs.json).toEqual([]);
      expect(
        (await api('POST', `/suggestions/${code}/answers`, { done: 'x' }, otherCongressToken)).status,
      ).toBe(404);
    });

    it('lists overdue items, computed from the due dates and today', async () => {
      // Its own item, assigned in November and due three months on, so overdue by April.
      clock.set(at('2026-11-23T10:00:00'));
      const late = codeIn(await chat.say('ZhangSan', '建议 整治平城区背街小巷的积水'));
      await chat.say('LiSi', `交办 ${late} 市交通局`);
      clock.set(at('2027-04-01T10:00:00'));
      const overdue = await api('GET', '/suggestions?overdue=true');
      expect(overdue.status).toBe(200);
      const rows = overdue.json as unknown as {
        code: string;
        overdue: boolean;
        assignments: { urgency: string | null }[];
      }[];
      expect(rows.length).toBeGreaterThan(0);
      expect(rows.map((r) => r.code)).toContain(late);
      for (const r of rows) expect(r.overdue).toBe(true);
    });
  });
}
