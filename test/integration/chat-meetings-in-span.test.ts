import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FixedClock } from '../../src/clock.ts';
import { backends } from '../helpers/backends.ts';
import { type ChatHarness, createChatHarness } from '../helpers/chat.ts';
import { seedCityRoster } from '../helpers/city-roster.ts';
import { everyRecord } from '../helpers/rows.ts';
import { seedActivity, seedSession } from '../helpers/seed.ts';

// "这周有什么会", "下周有啥会", "这个月有什么会": only the meetings of the week (Monday to Sunday, in
// APP_TIMEZONE) or the month asked, a meeting of several days with its whole span; none in it is said, with
// the next one ahead. "接待日要带什么" from a deputy with no booking: the day, whom to ask what to bring, and
// how to book. Every one of these is a question: nothing is written.

const SESSION = '大同市第十六届人民代表大会第五次会议';
/** A study of one day in January. */
const STUDY = (invitees: string[]) => ({
  kind: 'study' as const,
  title: '代表履职学习',
  organiser: 'LiSi',
  startsAt: '2027-01-08T01:00:00Z',
  endsAt: '2027-01-08T04:00:00Z',
  place: '市人大常委会二楼会议室',
  invitees,
});
const TAIL = '时间和地点以正式通知为准，回复“1”可查看详情。不能参加的话，请发“请假 会议名称 事由”';

for (const backend of backends()) {
  describe.skipIf(!backend.available)(`the meetings of the days asked, on ${backend.name}`, () => {
    let chat: ChatHarness;
    // Wednesday 2026-12-16, 10:00 in Shanghai: this week is 12月14日 to 20日, next week 21日 to 27日.
    const clock = new FixedClock('2026-12-16T02:00:00Z');
    let inspection = '';

    /** The answer to a question, checked to have changed no row. */
    const ask = async (who: string, text: string) => {
      const before = await everyRecord(chat.deps.db);
      const reply = await chat.send(who, { kind: 'text', text });
      expect(await everyRecord(chat.deps.db), `“${text}” changed a record`).toBe(before);
      return reply;
    };

    beforeAll(async () => {
      chat = await createChatHarness(backend.name, { clock });
      await seedCityRoster(chat.deps, { deputies: ['WangMang', 'QianDaJie', 'ZhangDaYe', 'LiMaHu'] });
      await seedSession(chat.deps, {
        congress: '大同市第十六届人民代表大会',
        name: SESSION,
        startsOn: '2026-12-25',
        endsOn: '2026-12-27',
      });
      inspection = await seedActivity(chat.deps, {
        kind: 'inspection',
        title: '城区供暖情况视察',
        organiser: 'LiSi',
        startsAt: '2026-12-18T01:00:00Z',
        endsAt: '2026-12-18T04:00:00Z',
        place: '市政府东门集合',
        invitees: ['WangMang'],
      });
      await seedActivity(chat.deps, STUDY(['WangMang', 'QianDaJie']));
    });
    afterAll(async () => {
      await chat?.close();
    });

    it('lists only the meetings of this week, next week or this month', async () => {
      const thisWeek = `您这周的会议和活动：\n1. 城区供暖情况视察（12月18日（星期五））\n${TAIL}，例如“请假 城区供暖情况视察 出差”。`;
      // Before: every meeting ahead, the session of next week and the study of January among them.
      expect((await ask('WangMang', '这周有什么会'))?.text).toBe(thisWeek);
      expect((await ask('WangMang', '这周有会吗'))?.text).toBe(thisWeek);
      expect((await ask('WangMang', '本周有什么会议'))?.text).toBe(thisWeek.replace('这周', '本周'));
      expect((await ask('WangMang', '下周有啥会'))?.text).toBe(
        `您下周的会议和活动：\n1. ${SESSION}（12月25日（星期五）至27日（星期日））\n${TAIL}，例如“请假 ${SESSION} 出差”。`,
      );
      expect((await ask('WangMang', '这个月有什么会'))?.text).toBe(
        '您这个月的会议和活动：\n1. 城区供暖情况视察（12月18日（星期五））\n' +
          `2. ${SESSION}（12月25日（星期五）至27日（星期日））\n` +
          '时间和地点以正式通知为准，回复序号（如“第一个”）可查看详情。不能参加的话，请发“请假 会议名称 事由”，例如“请假 城区供暖情况视察 出差”。',
      );
      // The line picked is the one of that list.
      const picked = await ask('WangMang', '1');
      expect(picked?.text).toMatch(new RegExp(`^${inspection} 视察「城区供暖情况视察」`));
    });

    it('says when the days asked hold none, and names the next one ahead', async () => {
      const none = `这周没有您要参加的会。下一个是 12月25日（星期五）开始的 ${SESSION}。回复“1”可查看详情。`;
      // Before: the session and the study listed as if they were this week's.
      expect((await ask('QianDaJie', '这周有什么会'))?.text).toBe(none);
      expect((await ask('QianDaJie', '这周有会吗'))?.text).toBe(none);
      expect((await ask('QianDaJie', '本周有什么会议'))?.text).toBe(none.replace('这周', '本周'));
      expect((await ask('QianDaJie', '1'))?.text).toBe(
        `${SESSION}\n时间：2026-12-25（星期五）至2026-12-27（星期日），具体时间和地点以正式通知为准。\n不能参加的话，点“请假”，再告诉我事由就行。`,
      );
      // Nothing after the days asked: the nearest one ahead, before them.
      expect((await ask('ZhangDaYe', '下个月有什么会'))?.text).toBe(
        `下个月没有您要参加的会。近期的一个是 12月25日（星期五）开始的 ${SESSION}。回复“1”可查看详情。`,
      );
    });

    it('lists a meeting of several days with its whole span, a later year said', async () => {
      expect((await ask('QianDaJie', '最近有会吗'))?.text).toBe(
        `您近期的会议和活动：\n1. ${SESSION}（12月25日（星期五）至27日（星期日））\n` +
          '2. 代表履职学习（2027年1月8日（星期五））\n' +
          `时间和地点以正式通知为准，回复序号（如“第一个”）可查看详情。不能参加的话，请发“请假 会议名称 事由”，例如“请假 ${SESSION} 出差”。`,
      );
    });

    it('tells a deputy with no booking what to bring to the reception day, and how to book it', async () => {
      const day =
        '大同市第十六届人民代表大会2026年12月的主任接待代表日是 2026-12-07（星期一）。\n' +
        '该日已过；下个月的接待日是 2027-01-05（星期二）（暂定日历）。\n';
      // The reception days are worked out from the calendar the first time a month is read (stored, as any
      // 接待日 question stores them); read once here, so what follows is checked to write nothing.
      expect(await chat.say('QianDaJie', '接待日')).toContain('2027-01-05');
      for (const asked of ['接待日要带什么', '去接待日要带啥']) {
        // Before: the date alone; "去接待日要带啥" booked the day with the topic “要带啥”.
        const r = await ask('ZhangDaYe', asked);
        expect(r?.text, asked).toBe(
          `${day}具体几点、在什么地方、要准备什么，以代表工作机构的通知为准，可以直接问他们。\n` +
            '如需预约，请发“预约接待日 2027-01 话题”。',
        );
        expect(r?.buttons, asked).toEqual([{ label: '预约接待日', command: '预约接待日 2027-01' }]);
      }
      // Booked, the same question is answered with the booking's day.
      expect(await chat.say('LiMaHu', '预约接待日 下个月 停车难')).toContain('已预约接待日 JD-2027-');
      const booking = await chat.deps.db
        .selectFrom('reception_bookings')
        .select('code')
        .executeTakeFirstOrThrow();
      expect((await ask('LiMaHu', '接待日要带什么'))?.text).toBe(
        `您预约的接待日（${booking.code}）是 2027-01-05（星期二）（暂定日历）。具体几点、在什么地方、要准备什么，以代表工作机构的通知为准，可以直接问他们；接待日前一天我会再提醒您。`,
      );
    });
  });

  describe.skipIf(!backend.available)(`the week as counted in Shanghai, on ${backend.name}`, () => {
    let chat: ChatHarness;
    // Monday 2026-12-21 01:00 in Shanghai, still Sunday 12-20 in UTC: this week is 21日 to 27日.
    const clock = new FixedClock('2026-12-20T17:00:00Z');
    beforeAll(async () => {
      chat = await createChatHarness(backend.name, { clock });
      await seedCityRoster(chat.deps, { deputies: ['QianDaJie'] });
      await seedSession(chat.deps, {
        congress: '大同市第十六届人民代表大会',
        name: SESSION,
        startsOn: '2026-12-25',
        endsOn: '2026-12-27',
      });
      await seedActivity(chat.deps, STUDY(['QianDaJie']));
    });
    afterAll(async () => {
      await chat?.close();
    });

    it('counts this week from the Monday of APP_TIMEZONE', async () => {
      expect(await chat.say('QianDaJie', '这周有什么会')).toBe(
        `您这周的会议和活动：\n1. ${SESSION}（12月25日（星期五）至27日（星期日））\n${TAIL}，例如“请假 ${SESSION} 出差”。`,
      );
      // A meeting of one day is said without 开始; one of another year with its year.
      expect(await chat.say('QianDaJie', '下周有啥会')).toBe(
        '下周没有您要参加的会。下一个是 2027年1月8日（星期五）的 代表履职学习。回复“1”可查看详情。',
      );
    });
  });
}
