import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FixedClock } from '../../src/clock.ts';
import { backends } from '../helpers/backends.ts';
import { type ChatHarness, createChatHarness } from '../helpers/chat.ts';
import { seedCityRoster } from '../helpers/city-roster.ts';
import { seedSession } from '../helpers/seed.ts';

// 山西 第八条 (S5): a deputy who can come after all takes back the leave of a session ahead, whether it still
// awaits a decision or was approved: asked once (是 / 否), withdrawn on 是, the congress's staff told. A 否 or
// the question itself changes nothing; a session under way, or no leave at all, is answered plainly.

const CONGRESS = '大同市第十六届人民代表大会';
const AHEAD = '市十六届人大五次会议';
const UNDER_WAY = '市十六届人大临时会议';
const QUESTION = `您要撤回 12月25日 ${AHEAD} 的请假、改为按时参加吗？\n回复“是”撤回请假，回复“否”请假照旧。`;

for (const backend of backends()) {
  describe.skipIf(!backend.available)(`taking back leave on ${backend.name}`, () => {
    let chat: ChatHarness;
    const clock = new FixedClock('2026-12-02T02:00:00Z'); // Wednesday 10:00 in Shanghai
    const leaveRows = () =>
      chat.deps.db
        .selectFrom('leave_requests')
        .select(['code', 'status', 'decided_on', 'decision_reason', 'recorded_by', 'updated_at'])
        .orderBy('id')
        .execute();
    const status = async (code: string) => (await leaveRows()).find((r) => r.code === code)?.status;
    const counts = async () => ({
      outbox: (await chat.deps.db.selectFrom('outbox').select('id').execute()).length,
      duty: (await chat.deps.db.selectFrom('duty_events').select('id').execute()).length,
    });
    /** What the question and a 否 must leave as it was. */
    const snapshot = async () => ({ leave: await leaveRows(), ...(await counts()) });
    const askLeave = async (who: string, meeting: string, reason: string): Promise<string> => {
      const r = await chat.say(who, `请假 ${meeting} ${reason}`);
      const code = /已提交请假 (QJ-\d{4}-\d{4})/.exec(r)?.[1];
      expect(code, r).toBeDefined();
      return code!;
    };

    beforeAll(async () => {
      chat = await createChatHarness(backend.name, { clock });
      await seedCityRoster(chat.deps, {
        deputies: ['ZhangSan', 'WangMang', 'ZhaoLiu', 'QianQi'],
        liSi: 'approver',
      });
      await seedSession(chat.deps, {
        congress: CONGRESS,
        name: AHEAD,
        startsOn: '2026-12-25',
        endsOn: '2026-12-27',
      });
      await seedSession(chat.deps, {
        congress: CONGRESS,
        name: UNDER_WAY,
        startsOn: '2026-12-01',
        endsOn: '2026-12-03',
      });
    });
    afterAll(async () => {
      await chat?.close();
    });

    it('asks once of an approved leave, and a 否 changes nothing', async () => {
      const code = await askLeave('ZhangSan', AHEAD, '出差');
      expect(await chat.say('LiSi', `批准 ${code}`)).toContain('决定批准');
      expect(await status(code)).toBe('approved');
      for (const said of [
        '我出差回来了 能去了',
        '会我能参加了',
        '事办完了，可以去开会了',
        '不用请假了 我能去',
      ]) {
        const before = await snapshot();
        const asked = await chat.send('ZhangSan', { kind: 'text', text: said });
        expect(asked?.text, said).toBe(QUESTION);
        expect(asked?.buttons?.map((b) => b.command)).toEqual(['是', '否']);
        expect(await snapshot(), said).toEqual(before);
        expect(await chat.say('ZhangSan', '否')).toBe('好的，没有撤回请假。');
        expect(await snapshot(), said).toEqual(before);
      }
      expect(await status(code)).toBe('approved');
    });

    it('withdraws the approved leave on 是 and tells the staff', async () => {
      const [code] = (await leaveRows()).map((r) => r.code);
      await chat.flush();
      const staffBefore = (await chat.inbox('LiSi')).length;
      expect(await chat.say('ZhangSan', '请假那个不要了')).toBe(QUESTION);
      expect(await status(code!)).toBe('approved');
      expect(await chat.say('ZhangSan', '是')).toBe(
        `好的，已撤回您对 12月25日 ${AHEAD} 的请假 ${code}，请按时参加；代表工作机构已收到通知。撤回后如不出席，按未经批准不出席计（山西 第四十六条(三)）。`,
      );
      const row = (await leaveRows()).find((r) => r.code === code)!;
      expect(row.status).toBe('withdrawn');
      expect(row.decided_on).toBe('2026-12-02');
      expect(row.recorded_by).toMatch(/^person:\d+$/);
      const duty = await chat.deps.db
        .selectFrom('duty_events')
        .select(['kind', 'ref'])
        .where('ref', '=', code!)
        .orderBy('id')
        .execute();
      expect(duty.map((d) => d.kind)).toEqual(['leave.requested', 'leave.decided', 'leave.withdrawn']);
      const told = (await chat.inbox('LiSi')).slice(staffBefore);
      expect(told).toEqual([`【请假撤回】${code}：张三 代表撤回了 12月25日 ${AHEAD} 的请假，将按时参加。`]);
      // Nothing is left to take back.
      const before = await snapshot();
      expect(await chat.say('ZhangSan', '我出差回来了 能去了')).toBe(
        '您没有待参加会议的请假记录。会议按通知按时参加即可，不用另外办理；发“查询”可查看您的请假记录。',
      );
      expect(await snapshot()).toEqual(before);
    });

    it('withdraws a leave still awaiting a decision, just after asking it, by its code too', async () => {
      const code = await askLeave('WangMang', AHEAD, '家里有事');
      expect(await status(code)).toBe('pending');
      const before = await snapshot();
      expect(await chat.say('WangMang', `撤回 ${code}`)).toBe(QUESTION);
      expect(await snapshot()).toEqual(before);
      await chat.flush();
      const staffBefore = (await chat.inbox('LiSi')).length;
      expect(await chat.say('WangMang', '是')).toContain(`好的，已撤回您对 12月25日 ${AHEAD} 的请假 ${code}`);
      expect(await status(code)).toBe('withdrawn');
      expect((await chat.inbox('LiSi')).slice(staffBefore)).toEqual([
        `【请假撤回】${code}：王忙 代表撤回了 12月25日 ${AHEAD} 的请假，将按时参加。这项请假无需再决定。`,
      ]);
    });

    it('answers plainly of a session under way, and of no leave at all, changing nothing', async () => {
      const code = await askLeave('ZhaoLiu', UNDER_WAY, '住院');
      const before = await snapshot();
      expect(await chat.say('ZhaoLiu', '我出差回来了 能去了')).toBe(
        `12月1日 ${UNDER_WAY} 已经开始，请假 ${code} 不能在这里撤回。能到会的话，请直接到会并告诉代表工作机构，由会务记录出席。`,
      );
      expect(await chat.say('QianQi', '事办完了，可以去开会了')).toBe(
        '您没有待参加会议的请假记录。会议按通知按时参加即可，不用另外办理；发“查询”可查看您的请假记录。',
      );
      expect(await snapshot()).toEqual(before);
      expect(await status(code)).toBe('pending');
    });
  });
}
