import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findLeaveByCode } from '../../db/repositories/leave.ts';
import { FixedClock } from '../../src/clock.ts';
import { decideLeave } from '../../src/services/leave/index.ts';
import { createApi } from '../helpers/api.ts';
import { backends } from '../helpers/backends.ts';
import { type ChatHarness, createChatHarness } from '../helpers/chat.ts';
import { seedCongress, seedPerson } from '../helpers/seed.ts';
import { addActivity, addSession } from '../helpers/seed-api.ts';
import { type RunningServer, startServer } from '../helpers/server.ts';

// Leave as a tester met it: 参加 after 请假 withdraws the leave (大同 第十一条, S4); 代录 finished by picking
// from a list answers as 代录 does; a reason that says nothing is asked about; an activity's organiser on
// the staff records its leave and is named by name; meetings named by month or day are found.

const CITY = '大同市第十六届人民代表大会';
const SESSION = '大同市第十六届人民代表大会第七次会议';
const UNIT = '市人大常委会选联工委';

for (const backend of backends()) {
  describe.skipIf(!backend.available)(`leave as the tester met it on ${backend.name}`, () => {
    let chat: ChatHarness;
    let api: RunningServer;
    const clock = new FixedClock('2026-12-02T02:00:00Z'); // Wednesday 10:00 in Shanghai
    const call = createApi(() => api.url);
    const codes: Record<string, string> = {};
    const people: Record<string, number> = {};
    let sessionId = 0;
    const deputies = [
      ['张三', 'ZhangSan'],
      ['王五', 'WangWu'],
      ['赵六', 'ZhaoLiu'],
      ['孙七', 'SunQi'],
      ['周八', 'ZhouBa'],
      ['吴九', 'WuJiu'],
      ['郑十', 'ZhengShi'],
      ['钱一', 'QianYi'],
      ['冯二', 'FengEr'],
      ['陈三', 'ChenSan'],
      ['董建军', 'DongJianJun'],
    ] as const;

    const codeIn = (text: string) => /QJ-\d{4}-\d{4,}/.exec(text)?.[0] ?? '';
    const leave = (code: string) =>
      chat.deps.db
        .selectFrom('leave_requests')
        .selectAll()
        .where('code', '=', code)
        .executeTakeFirstOrThrow();
    const leaveOf = (userid: string) =>
      chat.deps.db
        .selectFrom('leave_requests as l')
        .innerJoin('mandates as m', 'm.id', 'l.mandate_id')
        .innerJoin('person_identities as pi', 'pi.person_id', 'm.person_id')
        .selectAll('l')
        .where('pi.external_id', '=', userid)
        .orderBy('l.id')
        .execute();

    beforeAll(async () => {
      chat = await createChatHarness(backend.name, { clock });
      api = await startServer(chat.deps, chat.runtime);
      const db = chat.deps.db;
      const city = await seedCongress(db, CITY, 'city');
      for (const [name, wecom] of deputies)
        people[wecom] = (await seedPerson(db, { name, wecom, congressId: city })).personId;
      people.LiSi = (
        await seedPerson(db, { name: '李四', wecom: 'LiSi', congressId: city, role: 'staff' })
      ).personId;
      people.WangShen = (
        await seedPerson(db, { name: '王审', wecom: 'WangShen', congressId: city, role: 'approver' })
      ).personId;
      sessionId = await addSession(call, {
        congress: CITY,
        name: SESSION,
        startsOn: '2027-01-12',
        endsOn: '2027-01-15',
      });
      for (const [key, kind, title, day, organiser] of [
        ['sitting', 'sitting_in', '列席市人大常委会第三十二次会议', '2026-12-10', 'LiSi'],
        ['inspection', 'inspection', '城区供暖视察', '2026-12-15', UNIT],
      ] as const) {
        codes[key] = await addActivity(call, {
          kind,
          title,
          organiser,
          congress: CITY,
          startsAt: `${day}T01:00:00Z`,
          endsAt: `${day}T04:00:00Z`,
          invitees: deputies.map(([, w]) => w),
        });
      }
      await chat.flush();
    });
    afterAll(async () => {
      await api.close();
      await chat.close();
    });

    it('names the organiser on the staff by name, and sends the leave to them alone', async () => {
      const invitation = (await chat.inbox('ZhangSan')).find((t) => t.includes(codes.sitting!))!;
      expect(invitation).toContain('组织单位：李四');
      expect(invitation).not.toContain('LiSi');
      const text = await chat.say('ZhangSan', `请假 ${codes.sitting} 出差`);
      const code = codeIn(text);
      expect(text).toContain('应向组织单位（李四）履行请假手续');
      expect(text).not.toContain('LiSi');
      expect((await leave(code)).deciding_body_label).toBe('李四');
      expect(await chat.say('ZhangSan', `查询 ${code}`)).toContain('待李四决定');
      const organiser = (await chat.inbox('LiSi')).find((t) => t.includes(code))!;
      expect(organiser).toContain('这个活动由您组织');
      expect(organiser).toContain(`批准 ${code}`);
      expect(organiser).not.toContain('LiSi作出决定后');
      // Not the approvers': the organiser decides (大同 第十一条).
      expect((await chat.inbox('WangShen')).some((t) => t.includes(code))).toBe(false);
    });

    it('withdraws the pending leave when the deputy answers 参加, and tells the organiser', async () => {
      const code = codeIn(await chat.say('WangWu', `请假 ${codes.sitting} 单位开会`));
      const attend = await chat.say('WangWu', `参加 ${codes.sitting}`);
      expect(attend).toContain('已记录：您将参加');
      expect(attend).toContain(`原来的请假 ${code} 已撤销`);
      expect(attend).toContain('活动前一天会再提醒您');
      const row = await leave(code);
      expect(row.status).toBe('withdrawn');
      expect(row.recorded_at).not.toBeNull();
      expect((await findLeaveByCode(chat.deps.db, code))?.withdrawn).toBe(true);
      const told = (await chat.inbox('LiSi')).filter((t) => t.includes(code));
      expect(told.at(-1)).toContain('【请假撤销】');
      expect(told.at(-1)).toContain('无需再决定');
      // The reminder the 请假 withdrew is queued again.
      const reminders = await chat.deps.db
        .selectFrom('outbox')
        .select(['status', 'target_address'])
        .where('cause', '=', `activity:${codes.sitting}:reminder`)
        .where('target_address', '=', 'WangWu')
        .execute();
      expect(reminders.map((r) => r.status).sort()).toEqual(['dead', 'pending']);
      // Nobody decides it any more, and it waits in nobody's list.
      expect(await chat.say('WangShen', `批准 ${code}`)).toContain('已撤销');
      expect(await chat.say('WangShen', '待办')).not.toContain(code);
      expect(await chat.say('WangWu', `查询 ${code}`)).toContain('已撤销');
      // Asked again later, it is a new request.
      const again = codeIn(await chat.say('WangWu', `请假 ${codes.sitting} 单位开会`));
      expect(again).not.toBe(code);
    });

    it('answers 代录 finished by a number from the list as the direct 代录, and tells the deputy', async () => {
      const list = await chat.say('LiSi', '代录 董建军 请假 植树节联欢会 住院');
      expect(list).toContain('没有找到');
      const line = list.split('\n').find((l) => /^\d\. 城区供暖视察/.test(l))!;
      const picked = await chat.say('LiSi', line.slice(0, line.indexOf('.')));
      expect(picked).toContain('已为董建军代录');
      expect(picked).toContain('（工作人员代录）');
      expect(picked).toContain('董建军不能参加');
      expect(picked).not.toContain('您不能参加');
      const code = codeIn(picked);
      expect(await leave(code)).toMatchObject({ entered_by_staff: true, reason: '住院' });
      const heard = (await chat.inbox('DongJianJun')).filter((t) => t.startsWith('【代您请假】'));
      expect(heard.some((t) => t.includes(code) && t.includes('城区供暖视察'))).toBe(true);
      // The direct path tells the deputy the same way.
      const direct = codeIn(await chat.say('LiSi', '代录 董建军 请假 人代会 住院'));
      const told = (await chat.inbox('DongJianJun')).filter((t) => t.startsWith('【代您请假】'));
      expect(told.some((t) => t.includes(direct))).toBe(true);
    });

    it('asks why when the reason says nothing, and files the reason sent next', async () => {
      const asked = await chat.say('ZhaoLiu', '视察那天我有事去不了');
      expect(asked).toContain('城区供暖视察');
      expect(asked).toContain('“有事”还没说是什么事');
      expect(codeIn(asked)).toBe('');
      expect(await leaveOf('ZhaoLiu')).toHaveLength(0);
      const filed = await chat.say('ZhaoLiu', '孙子结婚');
      expect(filed).toContain('事由：孙子结婚');
      expect(await leaveOf('ZhaoLiu')).toMatchObject([
        { reason: '孙子结婚', activity_id: expect.any(Number) },
      ]);
    });

    it('takes “一样的原因” as the deputy’s earlier reason, and asks once only when there is none', async () => {
      await chat.say('SunQi', `请假 ${codes.sitting} 家里老人住院`);
      const same = await chat.say('SunQi', `请假 ${codes.inspection} 一样的原因`);
      expect(same).toContain('事由：家里老人住院');
      expect(same).toContain('之前的请假');
      expect((await leaveOf('SunQi')).map((r) => r.reason)).toEqual(['家里老人住院', '家里老人住院']);
      // No earlier reason: asked; a second answer that still says nothing is filed as said (no trap).
      const asked = await chat.say('ZhouBa', `请假 ${codes.inspection} 同上`);
      expect(asked).toContain('没有查到您之前请假写的原因');
      expect(await leaveOf('ZhouBa')).toHaveLength(0);
      expect(await chat.say('ZhouBa', '有点事')).toContain('事由：有点事');
    });

    it('lets the organiser on the staff see and record leave from their activity; one recorded by another names who', async () => {
      const first = codeIn(await chat.say('WuJiu', `请假 ${codes.sitting} 外出学习`));
      const waiting = await chat.deps.db
        .selectFrom('leave_requests')
        .select('code')
        .where('status', '=', 'pending')
        .where('recorded_at', 'is', null)
        .where('deciding_body_label', '=', '李四')
        .orderBy('id')
        .execute();
      expect(waiting.map((w) => w.code)).toContain(first);
      const queue = await chat.send('LiSi', { kind: 'text', text: '待办' });
      expect(queue?.text).toContain(`您组织的活动有待您决定的请假 ${waiting.length} 件：${waiting[0]!.code}`);
      expect(queue?.buttons).toContainEqual({
        label: `批准 ${waiting[0]!.code}`,
        command: `批准 ${waiting[0]!.code}`,
      });
      // The organiser records (the chat gate for 批准 is src/bot's; the rule is the service's).
      const decided = await decideLeave(chat.deps, {
        code: first,
        decision: 'approved',
        reason: null,
        today: '2026-12-02',
        by: { personId: people.LiSi! },
        actor: `person:${people.LiSi}`,
      });
      expect(decided.ok).toBe(true);
      expect(decided.text).toContain('经李四于');
      expect((await leave(first)).status).toBe('approved');
      expect((await chat.inbox('WuJiu')).join('\n')).toContain(
        `您的请假 ${first}（列席市人大常委会第三十二次会议）经李四于`,
      );
      // A staff member who neither organises nor approves may not.
      const other = codeIn(await chat.say('ZhengShi', `请假 ${codes.inspection} 外出学习`));
      const refused = await decideLeave(chat.deps, {
        code: other,
        decision: 'approved',
        reason: null,
        today: '2026-12-02',
        by: { personId: people.LiSi! },
        actor: `person:${people.LiSi}`,
      });
      expect(refused).toMatchObject({ ok: false });
      expect(refused.text).toContain(`由组织单位（${UNIT}）决定`);
      // The approver records the organiser's decision: the record names who recorded it.
      const second = codeIn(await chat.say('ZhengShi', `请假 ${codes.sitting} 外出学习`));
      const byApprover = await chat.say('WangShen', `批准 ${second}`);
      expect(byApprover).toContain('经李四于');
      expect(byApprover).toContain('已通知代表本人和组织单位（李四）');
      const deputyTold = (await chat.inbox('ZhengShi')).find((t) =>
        t.includes(`【请假决定】您的请假 ${second}`),
      )!;
      expect(deputyTold).toContain('经李四于');
      expect(deputyTold).toContain('（王审记录）');
      expect((await chat.inbox('LiSi')).some((t) => t.startsWith(`【请假决定已记录】${second}`))).toBe(true);
      const duty = await chat.deps.db
        .selectFrom('duty_events')
        .select('summary')
        .where('ref', '=', second)
        .where('kind', '=', 'leave.decided')
        .executeTakeFirstOrThrow();
      expect(duty.summary).toContain('经李四决定：批准（王审记录）');
    });

    it('finds the session by month or day words, and files the reason without the words framing it', async () => {
      const asked = await chat.say('QianYi', '明年一月份那个人代会俺可能去不了了');
      expect(asked).toContain('事由');
      const a = await chat.say('QianYi', '身体不好');
      expect(a).toContain(`已提交请假 ${codeIn(a)}`);
      expect(await leaveOf('QianYi')).toMatchObject([{ session_id: sessionId, reason: '身体不好' }]);

      const b = await chat.say('FengEr', '俺下个月十二号那个会去不了 俺要做手术');
      expect(b).not.toContain('没有找到');
      expect(await leaveOf('FengEr')).toMatchObject([{ session_id: sessionId, reason: '俺要做手术' }]);

      await chat.say('ChenSan', '我要请假');
      const c = await chat.say('ChenSan', '就是一月份开大会那个');
      expect(c).toContain('事由');
      expect(await chat.say('ChenSan', '出差')).not.toContain('没有找到');
      expect(await leaveOf('ChenSan')).toMatchObject([{ session_id: sessionId, reason: '出差' }]);

      const d = await chat.say('ZhangSan', '俺想跟你说个事 人代会俺去不了 要住院 你看能不能给俺请个假');
      const row = await leave(codeIn(d));
      expect(row).toMatchObject({ session_id: sessionId, reason: '要住院' });
      expect(d).toContain('事由：要住院');
    });
  });
}
