import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { upsertOrgan } from '../../db/repositories/organs.ts';
import { FixedClock } from '../../src/clock.ts';
import { createApi } from '../helpers/api.ts';
import { backends } from '../helpers/backends.ts';
import { type ChatHarness, createChatHarness } from '../helpers/chat.ts';
import { seedCongress, seedGroup, seedPerson } from '../helpers/seed.ts';
import { addSession } from '../helpers/seed-api.ts';
import { type RunningServer, startServer } from '../helpers/server.ts';

// Every change staff make is audited, whichever way it comes: a step given in chat (交办, 延期, 答复, 代录 of
// a suggestion or of leave, 批准 / 不批准, 通知 … 确认) writes exactly one audit row in the change's own
// transaction — who, the action, the item, `via: 'chat'` and the message it came from — with the same
// action code as the same step through the API, which still writes exactly one row. A refused step (a
// deputy giving a staff command, another congress's item, a code that does not exist) writes none and
// changes nothing.

const CITY = '大同市第十六届人民代表大会';
const COUNTY = '阳高县第十八届人民代表大会';
const SESSION = '大同市第十六届人民代表大会第七次会议';

interface AuditRow {
  actor: string;
  action: string;
  subject_type: string;
  subject_id: string | null;
  request_id: string | null;
  detail: Record<string, unknown>;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
}

for (const backend of backends()) {
  describe.skipIf(!backend.available)(`staff steps in chat are audited on ${backend.name}`, () => {
    let chat: ChatHarness;
    let server: RunningServer;
    const clock = new FixedClock('2026-12-02T02:00:00Z'); // Wednesday 10:00 in Shanghai
    const api = createApi(() => server.url);
    const people: Record<string, number> = {};
    const codeOf = (prefix: 'JY' | 'QJ', text: string) => new RegExp(`${prefix}-2026-\\d{4}`).exec(text)![0];

    const allRows = async (): Promise<AuditRow[]> =>
      (await chat.deps.db
        .selectFrom('audit_log')
        .select(['actor', 'action', 'subject_type', 'subject_id', 'request_id', 'detail', 'before', 'after'])
        .orderBy('id')
        .execute()) as AuditRow[];
    /** The rows about one item (its code in the detail). */
    const rowsOf = async (code: string) => (await allRows()).filter((r) => r.detail.code === code);
    const itemState = (code: string) =>
      chat.deps.db
        .selectFrom('suggestions')
        .select(['status', 'updated_at'])
        .where('code', '=', code)
        .executeTakeFirstOrThrow();
    const leaveCodes = async () =>
      (await chat.deps.db.selectFrom('leave_requests').select('code').orderBy('id').execute()).map(
        (r) => r.code,
      );
    /** A deputy's own suggestion, by chat: no audit row (it is not a staff change). */
    const submitted = async (words: string) => {
      const code = codeOf('JY', await chat.say('ZhangSan', `建议 ${words}`));
      expect(await rowsOf(code)).toEqual([]);
      return code;
    };
    const staffActor = (name: string) => `person:${people[name]}`;

    beforeAll(async () => {
      chat = await createChatHarness(backend.name, { clock, robotKeys: ['key-city'] });
      server = await startServer(chat.deps, chat.runtime);
      const db = chat.deps.db;
      const city = await seedCongress(db, CITY, 'city');
      const county = await seedCongress(db, COUNTY, 'county');
      const seed = async (name: string, wecom: string, congressId: number, role?: 'staff' | 'approver') => {
        people[name] = (
          await seedPerson(db, { name, wecom, congressId, ...(role ? { role } : {}) })
        ).personId;
      };
      await seed('张三', 'ZhangSan', city);
      await seed('董建军', 'Dong', city);
      await seed('周玉兰', 'Zhou', city);
      await seed('李四', 'LiSi', city, 'staff');
      await seed('刘主任', 'LiuZhuren', city, 'approver');
      await seed('赵七', 'ZhaoQi', county, 'staff');
      await seedGroup(db, { congressId: city, name: '城区小组', robotKey: 'key-city' });
      for (const [organ, contact] of [
        ['市住建局', 'ZhujianZhou'],
        ['市交通局', 'JiaotongLiu'],
      ] as const) {
        await upsertOrgan(
          db,
          organ,
          { contactName: '联系人', contactMobile: null, contactWecom: contact, contactDingtalk: null },
          clock.now(),
        );
      }
      await addSession(api, { congress: CITY, name: SESSION, startsOn: '2027-01-12', endsOn: '2027-01-15' });
    });
    afterAll(async () => {
      await server?.close();
      await chat?.close();
    });

    it('交办, 延期 and 答复 in chat: one row each, as the API writes them', async () => {
      const code = await submitted('东关街路灯坏了好几个月');
      await chat.say('LiSi', `交办 ${code} 市住建局`);
      expect((await itemState(code)).status).toBe('assigned');
      const [assign, ...more] = await rowsOf(code);
      expect(more).toEqual([]);
      expect(assign).toMatchObject({
        actor: staffActor('李四'),
        action: 'suggestion.assign',
        subject_type: 'suggestion',
        detail: { code, via: 'chat', organs: [{ organ: '市住建局', role: 'lead' }] },
        before: { code, status: 'submitted', assignments: [] },
        after: {
          code,
          status: 'assigned',
          assignments: [{ organ: '市住建局', role: 'lead', status: 'open' }],
        },
      });
      expect(assign!.request_id).toMatch(/^wecom:\d+$/);
      // The message it names is the one recorded (inbound_messages).
      const inbound = await chat.deps.db
        .selectFrom('inbound_messages')
        .select('message_key')
        .where('message_key', '=', assign!.request_id!.slice('wecom:'.length))
        .execute();
      expect(inbound).toHaveLength(1);

      await chat.say('LiSi', `延期 ${code} 2027-04-30 需要协调资金`);
      const extend = (await rowsOf(code)).filter((r) => r.action === 'suggestion.extend');
      expect(extend).toHaveLength(1);
      expect(extend[0]).toMatchObject({
        actor: staffActor('李四'),
        detail: {
          code,
          via: 'chat',
          requested: '2027-04-30',
          organs: [{ organ: '市住建局', to: '2027-04-30' }],
        },
        before: { assignments: [{ organ: '市住建局', dueOn: '2027-03-02' }] },
        after: { assignments: [{ organ: '市住建局', dueOn: '2027-04-30' }] },
      });

      await chat.say('LiSi', `答复 ${code} 已更换路灯十二盏`);
      expect((await itemState(code)).status).toBe('answered');
      const answer = (await rowsOf(code)).filter((r) => r.action === 'suggestion.answer');
      expect(answer).toHaveLength(1);
      expect(answer[0]).toMatchObject({
        actor: staffActor('李四'),
        detail: {
          code,
          via: 'chat',
          organ: '市住建局',
          role: 'lead',
          answerFields: { done: '已更换路灯十二盏' },
        },
        before: { status: 'assigned' },
        after: { status: 'answered', assignments: [{ organ: '市住建局', status: 'answered' }] },
      });
      // Three steps, three rows: nothing generic besides.
      expect((await rowsOf(code)).map((r) => r.action)).toEqual([
        'suggestion.assign',
        'suggestion.extend',
        'suggestion.answer',
      ]);
    });

    it('the same steps through the API: one row each, the same action codes, via api', async () => {
      const code = await submitted('西关小学门口缺少减速带');
      const before = (await allRows()).length;
      const assigned = await api('POST', `/suggestions/${code}/assignments`, { lead: '市交通局' });
      expect(assigned.status, assigned.text).toBe(200);
      const extended = await api('POST', `/suggestions/${code}/extensions`, {
        date: '2027-04-30',
        reason: '需要协调资金',
      });
      expect(extended.status, extended.text).toBe(200);
      const answered = await api('POST', `/suggestions/${code}/answers`, { done: '已安装减速带' });
      expect(answered.status, answered.text).toBe(200);
      const rows = (await allRows()).slice(before);
      expect(rows.map((r) => r.action)).toEqual([
        'suggestion.assign',
        'suggestion.extend',
        'suggestion.answer',
      ]);
      for (const r of rows) {
        expect(r).toMatchObject({ actor: 'admin:bootstrap', detail: { code, via: 'api' } });
        expect(r.request_id).not.toBeNull();
      }
    });

    it('代录 of a suggestion, in chat and through the API: one row each, never the words', async () => {
      const reply = await chat.say('LiSi', '代录 张三 建议 北环路积水严重，雨天无法通行');
      const code = codeOf('JY', reply);
      const [row, ...more] = await rowsOf(code);
      expect(more).toEqual([]);
      expect(row).toMatchObject({
        actor: staffActor('李四'),
        action: 'suggestion.proxy',
        detail: { code, via: 'chat', deputy: people.张三, kind: '建议', secret: false },
        before: null,
        after: { code, status: 'submitted', assignments: [] },
      });
      expect(row!.request_id).toMatch(/^wecom:/);
      expect(JSON.stringify(row)).not.toContain('积水');

      const made = await api('POST', '/suggestions', { deputy: 'ZhangSan', content: '南关菜市场污水横流' });
      expect(made.status, made.text).toBe(201);
      const apiRows = await rowsOf(made.json.code as string);
      expect(apiRows.map((r) => [r.action, r.detail.via])).toEqual([['suggestion.proxy', 'api']]);
      expect((await allRows()).filter((r) => r.action === 'api:POST /api/suggestions')).toEqual([]);
    });

    it('代录 of leave and 批准 / 不批准, in chat and through the API: one row each', async () => {
      await chat.say('LiSi', '代录 董建军 请假 人代会 住院治疗');
      const [chatLeave] = await leaveCodes();
      expect(chatLeave).toBeDefined();
      const proxied = (await rowsOf(chatLeave!)).filter((r) => r.action === 'leave.proxy');
      expect(proxied).toHaveLength(1);
      expect(proxied[0]).toMatchObject({
        actor: staffActor('李四'),
        subject_type: 'leave_request',
        detail: { code: chatLeave, via: 'chat' },
        before: null,
        after: { code: chatLeave, status: 'pending' },
      });

      await chat.say('LiuZhuren', `批准 ${chatLeave}`);
      const decided = (await rowsOf(chatLeave!)).filter((r) => r.action === 'leave.decide');
      expect(decided).toHaveLength(1);
      expect(decided[0]).toMatchObject({
        actor: staffActor('刘主任'),
        detail: { code: chatLeave, via: 'chat', decision: 'approved' },
        before: { code: chatLeave, status: 'pending' },
        after: { code: chatLeave, status: 'approved' },
      });
      expect(decided[0]!.request_id).toMatch(/^wecom:/);

      const entered = await api('POST', '/leave-requests', {
        userid: 'Zhou',
        session: SESSION,
        reason: '出差',
      });
      expect(entered.status, entered.text).toBe(201);
      const apiLeave = entered.json.code as string;
      const rejected = await api('POST', `/leave-requests/${apiLeave}/decision`, {
        decision: 'rejected',
        reason: '会议重要，请安排好工作',
      });
      expect(rejected.status, rejected.text).toBe(200);
      expect((await rowsOf(apiLeave)).map((r) => [r.action, r.detail.via])).toEqual([
        ['leave.proxy', 'api'],
        ['leave.decide', 'api'],
      ]);
      expect((await allRows()).filter((r) => /^api:POST \/api\/leave-requests/.test(r.action))).toEqual([]);

      // 不批准 in chat, on a request the deputy made themselves (no 代录 row for that one).
      await chat.say('ZhangSan', '请假 人代会 家中老人生病需要照顾');
      const own = (await leaveCodes()).at(-1)!;
      expect(own).not.toBe(apiLeave);
      expect(await rowsOf(own)).toEqual([]);
      await chat.say('LiuZhuren', `不批准 ${own} 请另行安排照顾`);
      expect((await rowsOf(own)).map((r) => [r.action, r.detail.via, r.actor])).toEqual([
        ['leave.decide', 'chat', staffActor('刘主任')],
      ]);
    });

    it('通知 sent after 确认 in chat: its one row says it came from chat', async () => {
      const before = (await allRows()).length;
      const preview = await chat.say('LiSi', '通知 城区小组 周五上午九点集中学习');
      expect(preview).toContain('确认');
      expect((await allRows()).length).toBe(before);
      await chat.say('LiSi', '确认');
      const rows = (await allRows()).slice(before);
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({
        actor: staffActor('李四'),
        action: 'broadcast.create',
        detail: { via: 'chat' },
      });
      expect(rows[0]!.request_id).toMatch(/^wecom:/);
    });

    it('a refused step writes no row and changes nothing', async () => {
      const code = await submitted('老城区停车难');
      const state = await itemState(code);
      const count = (await allRows()).length;
      const leaves = await leaveCodes();

      // A deputy giving a staff command.
      await chat.say('ZhangSan', `交办 ${code} 市住建局`);
      // Staff of another congress, on this congress's item.
      await chat.say('ZhaoQi', `交办 ${code} 市住建局`);
      await chat.say('ZhaoQi', `代录 张三 建议 另一个人大的代表`);
      // A code that does not exist.
      const unknown = await chat.say('LiSi', '交办 JY-2026-9999 市住建局');
      expect(unknown).toContain('JY-2026-9999');
      await chat.say('LiSi', '延期 JY-2026-9999 2027-04-30 需要协调');
      await chat.say('LiSi', '答复 JY-2026-9999 已办理');
      // Not yet assigned: neither 延期 nor 答复 can be recorded.
      await chat.say('LiSi', `延期 ${code} 2027-04-30 需要协调`);
      await chat.say('LiSi', `答复 ${code} 已办理`);
      // Staff who are not approvers record no decision; nor does anyone on a request that does not exist,
      // nor staff of another congress.
      await chat.say('LiSi', `批准 ${leaves.at(-1)}`);
      await chat.say('LiuZhuren', '批准 QJ-2026-9999');
      await chat.say('ZhaoQi', `不批准 ${leaves.at(-1)} 不同意`);

      expect((await allRows()).length).toBe(count);
      expect(await itemState(code)).toEqual(state);
      expect(await leaveCodes()).toEqual(leaves);
      const suggestions = await chat.deps.db.selectFrom('suggestions').select('code').execute();
      expect(suggestions.some((s) => s.code === 'JY-2026-9999')).toBe(false);
    });
  });
}
