import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FixedClock } from '../../src/clock.ts';
import { sendReceptionAgendas } from '../../src/services/reception/index.ts';
import { backends } from '../helpers/backends.ts';
import { type ChatHarness, createChatHarness } from '../helpers/chat.ts';
import { seedCityRoster } from '../helpers/city-roster.ts';
import { setCongressSettings } from '../helpers/seed.ts';

// 大同 第七条(九) (S2): what deputies ask about the reception day besides its date — whether someone may come
// along, whether the day can be moved — answered from the rule and never booked or changed; and a booking
// that falls on next month, or after the host already has the day's topics, says so.

const COMPANION = '规定里没有说可以带其他人同去';
const FIXED_DAY = '不能单独改到别的日子';

for (const backend of backends()) {
  describe.skipIf(!backend.available)(`questions about the reception day on ${backend.name}`, () => {
    let chat: ChatHarness;
    const clock = new FixedClock('2026-12-02T02:00:00Z'); // Wednesday 10:00 in Shanghai
    const bookings = () =>
      chat.deps.db.selectFrom('reception_bookings').select(['code', 'month', 'status', 'topic']).execute();
    const dutyEvents = async () =>
      (await chat.deps.db.selectFrom('duty_events').select('id').execute()).length;

    beforeAll(async () => {
      chat = await createChatHarness(backend.name, { clock });
      const city = await seedCityRoster(chat.deps, {
        deputies: ['ZhangSan', 'WangEr', 'ZhangDaYe', 'WangMang', 'LiMaHu', 'ZhaoLaoShi', 'QianDaJie'],
      });
      await setCongressSettings(chat.deps.db, city, { receptionHosts: ['LiSi'], agendaLeadWorkingDays: 3 });
    });
    afterAll(async () => {
      await chat?.close();
    });

    it('answers whether someone may come along, in the ways people ask it, and books nothing', async () => {
      const before = await dutyEvents();
      for (const [who, asked] of [
        ['ZhangDaYe', '接待日能带别人去吗'],
        ['ZhangDaYe', '接待日可以带群众吗'],
        ['ZhangDaYe', '能不能带个人一起去接待日'],
        // Before: booked, with “我家属能陪” as the topic.
        ['ZhangDaYe', '接待日我家属能陪我去吗'],
        ['ZhangDaYe', '接待日那天俺能不能叫上村支书一块去反映修路的事'],
        ['LiMaHu', '接带日能带人吗'],
        ['LiMaHu', '接待日  能带  家属吗'],
        ['WangMang', '接待日 带人?'],
      ] as const) {
        const r = await chat.send(who, { kind: 'text', text: asked });
        expect(r?.text, asked).toContain(COMPANION);
        expect(r?.text, asked).toContain('主任、副主任接待代表的日子（大同 第七条(九)）');
        expect(r?.text, asked).toContain('2026-12-07（星期一）');
        expect(r?.buttons, asked).toEqual([{ label: '预约接待日', command: '预约接待日 2026-12' }]);
      }
      expect(await bookings()).toEqual([]);
      expect(await dutyEvents()).toBe(before);
    });

    it('says what the day is when asked, with its date, and books nothing', async () => {
      const r = await chat.send('ZhangDaYe', {
        kind: 'text',
        text: '同志你好 俺是张大爷 俺想问一下这个接待日是干啥的 俺能去不',
      });
      expect(r?.text).toMatch(
        /^接待日是常委会主任、副主任接待代表的日子（大同 第七条\(九\)），代表可以当面反映情况、提意见建议。想去的话先预约/,
      );
      expect(r?.text).toContain('2026-12-07（星期一）');
      expect(r?.buttons).toEqual([{ label: '预约接待日', command: '预约接待日 2026-12' }]);
      // “…是什么时候” asks the date only.
      expect(await chat.say('ZhangDaYe', '接待日是什么时候')).not.toContain('代表可以当面反映情况');
      expect(await bookings()).toEqual([]);
    });

    it('still books a topic that takes someone along when nothing is asked', async () => {
      const text = await chat.say('QianDaJie', '预约接待日 带村民代表反映修路');
      expect(text).toContain('已预约接待日');
      expect(text).not.toContain(COMPANION);
      expect(await bookings()).toEqual([
        expect.objectContaining({ month: '2026-12', topic: '带村民代表反映修路', status: 'booked' }),
      ]);
    });

    it('says the day is fixed by the rule when asked to move it, and changes nothing', async () => {
      const before = await bookings();
      const r = await chat.send('WangEr', { kind: 'text', text: '我下个月接待日能不能换个时间' });
      expect(r?.text).toContain(FIXED_DAY);
      expect(r?.text).toContain('每月5日，如遇节假日顺延至休息后的第一个工作日（大同 第七条(九)）');
      expect(r?.text).toContain('2027-01-05（星期二）');
      expect(r?.text).toContain('可以预约别的月份');
      expect(r?.buttons).toEqual([{ label: '预约2月接待日', command: '预约接待日 2027-02' }]);
      // Before: “接待日” about this month's day, “去不了” a cancellation asked for.
      expect(await chat.say('WangEr', '5号我去不了 接待日能不能改到10号')).toContain(FIXED_DAY);
      expect(await chat.say('LiMaHu', '接待日改期')).toContain(FIXED_DAY);
      expect(await bookings()).toEqual(before);
    });

    it('answers a bare “改期?” or “带人?” just after the day was talked about, about the day booked', async () => {
      const booked = await chat.say('WangMang', '约');
      expect(booked).toContain('已预约接待日');
      const before = await bookings();
      const moved = await chat.send('WangMang', { kind: 'text', text: '改期?' });
      expect(moved?.text).toContain(FIXED_DAY);
      const code = before.find((b) => b.topic === null && b.month === '2026-12')!.code;
      expect(moved?.text).toContain(`您已预约这一天（${code}）`);
      expect(moved?.buttons).toEqual([{ label: '取消预约', command: `取消预约 ${code}` }]);
      const along = await chat.send('WangMang', { kind: 'text', text: '能带家属不' });
      expect(along?.text).toContain(COMPANION);
      expect(along?.text).toContain(`您已预约这一天（${code}）`);
      expect(along?.buttons).toBeUndefined();
      // An elderly deputy's way of asking it, with no word of the day: about the day just booked.
      const grandson = await chat.say('WangMang', '俺到时候能领着俺孙子去不 他给俺开车');
      expect(grandson).toContain(COMPANION);
      expect(grandson).toContain(`您已预约这一天（${code}）`);
      // Before: “改期?” and “带人?” with nothing else got the menu of commands.
      expect(await chat.say('ZhaoLaoShi', '接待日')).toContain('2026-12-07');
      expect(await chat.say('ZhaoLaoShi', '带人?')).toContain(COMPANION);
      expect(await bookings()).toEqual(before);
    });

    it('tells the host at once of a booking made after the day’s topics went out, and says so', async () => {
      // 2026-12-02 is 3 working days before 2026-12-07: the agenda goes to the host today.
      expect(await sendReceptionAgendas(chat.deps, 'reception-agendas')).toBe(1);
      const agenda = (await chat.inbox('LiSi')).join('\n');
      expect(agenda).toContain('【接待日议题】');
      const text = await chat.say('ZhangSan', '我想约个接待日 说说停车难');
      expect(text).toMatch(/^已预约接待日 JD-2026-\d{4}：2026-12-07（星期一），接待人：LiSi，话题：停车难。/);
      expect(text).toContain('接待人已经收到当天的议题，您的预约也已马上告诉接待人');
      const code = /JD-\d{4}-\d{4,}/.exec(text)![0];
      const told = (await chat.inbox('LiSi')).filter((m) => m.includes('新增预约'));
      expect(told).toEqual([
        `【接待日议题更新】2026-12-07（星期一）主任接待代表日新增预约：张三代表（${code}），话题：停车难`,
      ]);
    });

    it('says why next month is booked once this month’s day has passed', async () => {
      clock.set('2026-12-08T02:00:00Z');
      try {
        const text = await chat.say('ZhaoLaoShi', '我想约个接待日');
        expect(text).toMatch(
          /^本月的接待日（12月7日）已经过了，为您约的是下个月的。\n已预约接待日 JD-2027-\d{4}：2027-01-05（星期二）/,
        );
        // Not yet three working days before 2027-01-05: the host gets it with the day's topics.
        expect(text).toContain('接待人会在3个工作日前收到预约话题');
        const code = /JD-\d{4}-\d{4,}/.exec(text)![0];
        expect((await bookings()).find((b) => b.code === code)).toMatchObject({
          month: '2027-01',
          status: 'booked',
        });
      } finally {
        clock.set('2026-12-02T02:00:00Z');
      }
    });
  });
}
