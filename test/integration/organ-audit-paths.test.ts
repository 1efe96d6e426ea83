import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FixedClock } from '../../src/clock.ts';
import { type AnyJson, createApi } from '../helpers/api.ts';
import { backends } from '../helpers/backends.ts';
import { type ChatHarness, createChatHarness } from '../helpers/chat.ts';
import { seedCityRoster } from '../helpers/city-roster.ts';
import { seedOrgan } from '../helpers/seed.ts';
import { issueToken } from '../helpers/seed-api.ts';
import { type RunningServer, startServer } from '../helpers/server.ts';

// An organ's action writes one audit row whichever way it comes — the API, the console's organ forms or
// chat —, from the one function its service shares (services/suggestions/organ-acts.ts): the assignment
// (and the organ's answer) before and after, and where it came from. The API's generic trail writes no
// second row with `before` null; a repeat 签收 writes none; chat's 撤回, 补充 and 撤回退回申请 are rows too.

const ORGAN = '市住建局';
const CLERK = 'ZhujianZhou';

interface AuditRow {
  actor: string;
  action: string;
  subject_type: string;
  subject_id: string | null;
  request_id: string | null;
  detail: AnyJson;
  before: AnyJson;
  after: AnyJson;
}

for (const backend of backends()) {
  describe.skipIf(!backend.available)(`one audit row for each organ action on ${backend.name}`, () => {
    const clock = new FixedClock('2026-11-23T02:00:00Z'); // Monday 10:00 in Shanghai
    let chat: ChatHarness;
    let server: RunningServer;
    const api = createApi<AnyJson>(() => server.url);
    let organToken = '';

    const organRows = async (code: string): Promise<AuditRow[]> =>
      (await chat.deps.db
        .selectFrom('audit_log')
        .select(['actor', 'action', 'subject_type', 'subject_id', 'request_id', 'detail', 'before', 'after'])
        .where('subject_type', '=', 'suggestion_assignment')
        .where('action', 'like', 'assignment.%')
        .orderBy('id')
        .execute()
        .then((rows) => rows.filter((r) => (r.detail as AnyJson).code === code))) as AuditRow[];
    const genericRows = async () =>
      (await chat.deps.db.selectFrom('audit_log').select('action').orderBy('id').execute())
        .map((r) => r.action)
        .filter((a) => /^(?:api|console):POST .*\/(?:sign|return-request|answers?)$/.test(a));
    const assignmentId = async (code: string) =>
      String(
        (
          await chat.deps.db
            .selectFrom('suggestion_assignments as a')
            .innerJoin('suggestions as s', 's.id', 'a.suggestion_id')
            .select('a.id')
            .where('s.code', '=', code)
            .executeTakeFirstOrThrow()
        ).id,
      );
    const newItem = async (content: string): Promise<string> => {
      const code = /JY-\d{4}-\d{4}/.exec(await chat.say('ZhangSan', `建议 ${content}`))![0];
      expect(await chat.say('LiSi', `交办 ${code} ${ORGAN}`)).toContain('已交办');
      return code;
    };
    /** The three actions' rows of one item, in order, as the path wrote them. */
    const expectThreeRows = async (code: string, via: string, actor: RegExp) => {
      const rows = await organRows(code);
      expect(rows.map((r) => r.action)).toEqual([
        'assignment.sign',
        'assignment.return_request',
        'assignment.answer',
      ]);
      const id = await assignmentId(code);
      for (const r of rows) {
        expect(r).toMatchObject({ subject_type: 'suggestion_assignment', subject_id: id });
        expect(r.actor).toMatch(actor);
        expect(r.detail).toMatchObject({ code, organ: ORGAN, role: 'lead', via });
        expect(r.request_id).not.toBeNull();
        expect(r.before).toMatchObject({ code, organ: ORGAN, status: 'open' });
        expect(r.after).toMatchObject({ code, organ: ORGAN, status: 'open' });
      }
      const [sign, ret, ans] = rows as [AuditRow, AuditRow, AuditRow];
      expect(sign.before).toMatchObject({ signedAt: null, returnRequested: false, answer: null });
      expect(sign.after.signedAt).toMatch(/^2026-11-23T02:00:00/);
      expect(ret.before).toMatchObject({ returnRequested: false });
      expect(ret.after).toMatchObject({ returnRequested: true, answer: null });
      expect(ret.detail.reason).toBe('路灯归城管局管理');
      expect(ans.before).toMatchObject({ answer: null, answerId: null, answerFields: null });
      expect(ans.after).toMatchObject({
        answer: 'pending_review',
        answerFields: { done: '已更换路灯12盏', signedBy: '张局长' },
      });
      expect(ans.after.answerId).toBe(ans.detail.answerId);
      expect(ans.detail).toMatchObject({ status: 'pending_review', resultClass: 'A' });
    };
    /** The office keeps the organ's part after its return request, so it may answer. */
    const keep = async (code: string) => {
      const r = await api('POST', `/suggestions/${code}/return-request/decision`, {
        organ: ORGAN,
        decision: 'keep',
      });
      expect(r.status, r.text).toBe(200);
    };

    beforeAll(async () => {
      chat = await createChatHarness(backend.name, { clock });
      server = await startServer(chat.deps, chat.runtime);
      await seedCityRoster(chat.deps, { deputies: ['ZhangSan'] });
      await seedOrgan(chat.deps.db, ORGAN, { name: '周科长', wecom: CLERK }, clock.now());
      organToken = await issueToken(api, { name: `${ORGAN}联系人`, role: 'organ', organ: ORGAN });
    });
    afterAll(async () => {
      await server?.close();
      await chat?.close();
    });

    it('through the API: 签收, 申请退回 and 答复 are one row each, with the assignment before and after', async () => {
      const code = await newItem('府西街路灯不亮已经一个月');
      const post = (path: string, body?: unknown) =>
        api('POST', `/suggestions/${code}/${path}`, body, organToken);
      expect((await post('sign')).status).toBe(200);
      // A repeat changes nothing: no row.
      expect((await post('sign')).json.already).toBe(true);
      expect((await post('return-request', { reason: '路灯归城管局管理' })).status).toBe(200);
      // While the office has not decided the return request, an answer is refused (409), no row.
      const early = { done: '已更换路灯12盏', signedBy: '张局长', resultClass: 'A' };
      expect((await post('answers', early)).status).toBe(409);
      await keep(code);
      const ans = await post('answers', early);
      expect(ans.status, ans.text).toBe(202);
      await expectThreeRows(code, 'api', /^token:\d+$/);
      expect(await genericRows()).toEqual([]);
    });

    it('through the console: the same rows', async () => {
      const code = await newItem('新建北路人行道破损');
      const post = async (path: string, form: Record<string, string> = {}) => {
        const res = await fetch(`${server.url}/console/organ/items/${code}/${path}`, {
          method: 'POST',
          redirect: 'manual',
          headers: {
            authorization: `Bearer ${organToken}`,
            'content-type': 'application/x-www-form-urlencoded',
          },
          body: new URLSearchParams(form).toString(),
        });
        expect(res.status, await res.text()).toBe(303);
      };
      await post('sign');
      await post('sign');
      await post('return-request', { reason: '路灯归城管局管理' });
      await keep(code);
      await post('answer', { resultClass: 'A', done: '已更换路灯12盏', signedBy: '张局长' });
      await expectThreeRows(code, 'console', /^token:\d+$/);
      expect(await genericRows()).toEqual([]);
    });

    it('through chat: the same rows, naming the message they came from', async () => {
      const code = await newItem('迎泽街路灯不亮');
      expect(await chat.say(CLERK, `签收 ${code}`)).toBe(`已签收 ${code}，请按期办理。`);
      expect(await chat.say(CLERK, `签收 ${code}`)).toBe(`${code} 已签收过。`);
      expect(await chat.say(CLERK, `申请退回 ${code} 路灯归城管局管理`)).toContain('已提出退回申请');
      await keep(code);
      expect(await chat.say(CLERK, `答复 ${code} 分类：A；已办理：已更换路灯12盏；签发人：张局长`)).toContain(
        `已收到 ${code} 的答复`,
      );
      await expectThreeRows(code, 'chat', new RegExp(`^organ:wecom:${CLERK}$`));
      for (const r of await organRows(code)) expect(r.request_id).toMatch(/^wecom:\d+$/);
      // The request id is the message's: the row and the recorded message meet.
      const [first] = await organRows(code);
      const key = first!.request_id!.slice('wecom:'.length);
      const recorded = await chat.deps.db
        .selectFrom('inbound_messages')
        .select('id')
        .where('message_key', '=', key)
        .execute();
      expect(recorded).toHaveLength(1);
    });

    it('through chat: 补充, 撤回 an answer and 撤回 a return request are rows too', async () => {
      const code = await newItem('太原街排水口堵塞');
      await chat.say(CLERK, `答复 ${code} 分类：A；已办理：已疏通排水口；签发人：张局长`);
      // More words just after: offered, then added on 是.
      expect(await chat.say(CLERK, '还有周边雨水箅子也清理了')).toContain('要把');
      expect(await chat.say(CLERK, '是')).toBe(`已补充到 ${code} 的答复（正等待审核）。`);
      expect(await chat.say(CLERK, '撤回刚才的答复')).toContain(`已撤回 ${code} 的答复，它不会发给代表。`);
      expect(await chat.say(CLERK, '取消')).toContain('答复没有提交');
      expect(await chat.say(CLERK, `申请退回 ${code} 应由市水务局负责`)).toContain('已提出退回申请');
      expect(await chat.say(CLERK, '撤回退回申请')).toBe(`已撤回 ${code} 的退回申请，请继续办理，期限不变。`);
      const rows = await organRows(code);
      expect(rows.map((r) => r.action)).toEqual([
        'assignment.answer',
        'assignment.answer_add',
        'assignment.answer_withdraw',
        'assignment.return_request',
        'assignment.return_withdraw',
      ]);
      const [, add, withdraw, , unreturn] = rows as AuditRow[];
      expect(add!.detail).toMatchObject({ via: 'chat', added: { done: '周边雨水箅子也清理了' } });
      expect(add!.before.answerFields).toMatchObject({ done: '已疏通排水口' });
      expect(add!.after.answerFields).toMatchObject({ done: '已疏通排水口；周边雨水箅子也清理了' });
      expect(withdraw!.before).toMatchObject({ answer: 'pending_review' });
      expect(withdraw!.after).toMatchObject({ answer: 'returned' });
      expect(unreturn!.before).toMatchObject({ returnRequested: true });
      expect(unreturn!.after).toMatchObject({ returnRequested: false });
      // What the database holds: the answer returned by the organ itself, the request gone, the history.
      const answers = await chat.deps.db
        .selectFrom('suggestion_answers as a')
        .innerJoin('suggestions as s', 's.id', 'a.suggestion_id')
        .select(['a.status', 'a.review_note', 'a.fields'])
        .where('s.code', '=', code)
        .execute();
      expect(answers).toEqual([
        {
          status: 'returned',
          review_note: '承办单位撤回',
          fields: expect.objectContaining({ done: '已疏通排水口；周边雨水箅子也清理了' }),
        },
      ]);
      const events = await chat.deps.db
        .selectFrom('suggestion_events as e')
        .innerJoin('suggestions as s', 's.id', 'e.suggestion_id')
        .select('e.action')
        .where('s.code', '=', code)
        .orderBy('e.id')
        .execute();
      expect(events.map((e) => e.action)).toEqual(
        expect.arrayContaining(['answer_added', 'answer_withdrawn', 'return_requested', 'return_withdrawn']),
      );
      // Staff were told the answer they would review is gone, and the return request too.
      const staff = (await chat.inbox('LiSi')).join('\n');
      expect(staff).toContain(`【答复撤回】${ORGAN}撤回了建议 ${code}`);
      expect(staff).toContain(`【退回申请撤回】${ORGAN}撤回了建议 ${code}`);
      expect(await genericRows()).toEqual([]);
    });
  });
}
