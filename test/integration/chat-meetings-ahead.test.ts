import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FixedClock } from '../../src/clock.ts';
import { createActivity } from '../../src/services/activities/index.ts';
import { backends } from '../helpers/backends.ts';
import { type ChatHarness, createChatHarness } from '../helpers/chat.ts';
import { seedCityRoster } from '../helpers/city-roster.ts';

// "最近有会吗": the sessions and activities ahead, numbered. A number, "第一个" or the meeting's name shows
// that one with what the deputy may do — ask leave (山西 第八条 for a session, 大同 第十一条 for an activity,
// to its organiser), answer an invitation — and "请假" or "那天去不了" right after means that one.

const SESSION = '大同市第十六届人民代表大会第七次会议';

for (const backend of backends()) {
  describe.skipIf(!backend.available)(
    `the meetings ahead, picked from their list, on ${backend.name}`,
    () => {
      let chat: ChatHarness;
      let activity = '';
      const clock = new FixedClock('2026-12-02T02:00:00Z'); // Wednesday 10:00 in Shanghai
      const leave = () =>
        chat.deps.db
          .selectFrom('leave_requests as l')
          .innerJoin('mandates as m', 'm.id', 'l.mandate_id')
          .innerJoin('people as p', 'p.id', 'm.person_id')
          .leftJoin('sessions as s', 's.id', 'l.session_id')
          .leftJoin('activities as a', 'a.id', 'l.activity_id')
          .select(['p.name', 's.name as session', 'a.code as activity', 'l.reason'])
          .orderBy('l.id')
          .execute();
      const inspections = async () =>
        (await chat.deps.db.selectFrom('inspection_requests').select('id').execute()).length;

      beforeAll(async () => {
        chat = await createChatHarness(backend.name, { clock });
        await seedCityRoster(chat.deps, {
          deputies: ['WangMang', 'ZhangDaYe', 'LiMaHu', 'QianDaJie'],
          sessionAhead: true,
        });
        activity = (
          await createActivity(
            chat.deps,
            {
              kind: 'inspection',
              title: '城区供暖情况视察',
              organiser: 'LiSi',
              startsAt: '2026-12-09T01:00:00Z',
              endsAt: '2026-12-09T04:00:00Z',
              place: '市政府东门集合',
              invitees: ['WangMang', 'ZhangDaYe', 'LiMaHu'],
            },
            { actor: 'test', tokenCongressId: null },
          )
        ).activity.code;
      });
      afterAll(async () => {
        await chat?.close();
      });

      it('shows the meeting a number picks, with a 请假 button, and asks no leave by itself', async () => {
        const list = await chat.say('QianDaJie', '最近有会吗');
        expect(list).toContain(`1. ${SESSION}（2027年1月1日（星期五）至4日（星期一））`);
        expect(list).toContain('回复“1”可查看详情');
        // Before: “现在没有可以按序号选的列表”.
        const picked = await chat.send('QianDaJie', { kind: 'text', text: '1' });
        expect(picked?.text).toBe(
          `${SESSION}\n时间：2027-01-01（星期五）至2027-01-04（星期一），具体时间和地点以正式通知为准。\n不能参加的话，点“请假”，再告诉我事由就行。`,
        );
        expect(picked?.buttons).toEqual([{ label: '请假', command: `请假 ${SESSION}` }]);
        expect(await leave()).toEqual([]);
        // A list of one is answered “1”, never “1–1”.
        await chat.say('QianDaJie', '最近有会吗');
        expect(await chat.say('QianDaJie', '3')).toBe('刚才的列表只有 1 项，请回复“1”。');
        // “参加” after a session was shown: nothing to answer, nothing recorded.
        await chat.say('QianDaJie', '1');
        expect(await chat.say('QianDaJie', '参加')).toBe(
          `好的。${SESSION}按正式通知的时间和地点出席就行，不用另外答复；到时不能参加的话，再点“请假”。`,
        );
        // The days asked about: none of them that week, said so with the next one ahead.
        expect(await chat.say('QianDaJie', '下礼拜有啥活动不')).toBe(
          `下礼拜没有您要参加的会议或活动。下一个是 2027年1月1日（星期五）开始的 ${SESSION}。回复“1”可查看详情。`,
        );
        // Before: “能不能去” held “不能去”, and this became a leave request with the reason “看看”.
        expect(await chat.say('QianDaJie', '最近开啥会 我看看能不能去')).toContain('您近期的会议和活动：');
        expect(await leave()).toEqual([]);
        // “请假” right after the meeting was shown: that meeting, its reason asked.
        await chat.say('QianDaJie', '1');
        expect(await chat.say('QianDaJie', '请假')).toContain('请问请假的事由是什么？');
        expect(await chat.say('QianDaJie', '身体不好')).toContain(`已提交请假 QJ-2026-`);
        expect(await leave()).toEqual([
          { name: '钱大姐', session: SESSION, activity: null, reason: '身体不好' },
        ]);
        // Shown again, the leave is said instead of a second 请假.
        await chat.say('QianDaJie', '最近有会吗');
        const again = await chat.send('QianDaJie', { kind: 'text', text: '第一个' });
        expect(again?.text).toMatch(/您已为此请假（QJ-2026-\d{4}，待主任会议决定）/);
        expect(again?.buttons?.map((b) => b.label)).toEqual(['查看请假']);
      });

      it('shows an invited activity picked by its name, with 参加 and 请假, never filing a 视察 request', async () => {
        const list = await chat.say('WangMang', '有会没');
        expect(list).toContain('1. 城区供暖情况视察（12月9日（星期三））');
        expect(list).toContain(`2. ${SESSION}（2027年1月1日（星期五）至4日（星期一））`);
        const shown = await chat.send('WangMang', { kind: 'text', text: '视察那个' });
        expect(shown?.text).toBe(
          `${activity} 视察「城区供暖情况视察」\n时间：2026-12-09（星期三）09:00–12:00，地点：市政府东门集合\n组织单位：李四\n您还没有答复是否参加。`,
        );
        expect(shown?.buttons).toEqual([
          { label: '参加', command: `参加 ${activity}` },
          { label: '请假', command: `请假 ${activity}` },
        ]);
        expect(await inspections()).toBe(0);
        expect(await chat.say('WangMang', '参加')).toContain(`已记录：您将参加 ${activity}`);
      });

      it('reads the elderly, the busy and the careless asking and picking', async () => {
        const before = (await leave()).length;
        // Before: the menu of commands, its words kept and then taken for a meeting's name.
        const asked = await chat.say('ZhangDaYe', '小同志你好 俺想问问最近都有些啥会要开啊');
        expect(asked).toMatch(/^您近期的会议和活动：\n1\. 城区供暖情况视察/);
        expect(await chat.say('ZhangDaYe', '视察那个')).toContain('「城区供暖情况视察」');
        expect(await chat.say('ZhangDaYe', '那天俺有事去不了 家里老伴住院了')).toContain(
          `已记录您不能参加 ${activity} 城区供暖情况视察`,
        );
        await chat.say('LiMaHu', '最近有会么');
        expect(await chat.say('LiMaHu', '第2个请加 出差')).toContain(`已提交请假 QJ-2026-`);
        expect((await leave()).slice(before)).toEqual([
          { name: '张大爷', session: null, activity, reason: '有事，家里老伴住院了' },
          { name: '李马虎', session: SESSION, activity: null, reason: '出差' },
        ]);
        expect(await inspections()).toBe(0);
      });
    },
  );
}
