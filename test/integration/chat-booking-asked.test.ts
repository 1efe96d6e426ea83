import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FixedClock } from '../../src/clock.ts';
import { backends } from '../helpers/backends.ts';
import { type ChatHarness, createChatHarness } from '../helpers/chat.ts';
import { seedCityRoster } from '../helpers/city-roster.ts';
import { setCongressSettings } from '../helpers/seed.ts';

// 大同 第七条(九) (S2) as deputies ask around a booking: whether and how early to book, which day they booked,
// what to do if they cannot come, and moving a booking when they ask rather than tell. A question books,
// moves and cancels nothing. Staff asking the day's date get it, with who booked, in chat.

for (const backend of backends()) {
  describe.skipIf(!backend.available)(`asking around a reception-day booking on ${backend.name}`, () => {
    let chat: ChatHarness;
    // Wednesday 2 December 2026, 10:00 in Shanghai: December's day is Monday the 7th, January's the 5th.
    const clock = new FixedClock('2026-12-02T02:00:00Z');
    const live = async (name: string) =>
      (
        await chat.deps.db
          .selectFrom('reception_bookings as b')
          .innerJoin('mandates as m', 'm.id', 'b.mandate_id')
          .innerJoin('people as p', 'p.id', 'm.person_id')
          .select(['b.code', 'b.month', 'b.topic'])
          .where('p.name', '=', name)
          .where('b.status', '=', 'booked')
          .orderBy('b.id')
          .execute()
      ).map((b) => `${b.code} ${b.month} ${b.topic ?? ''}`.trim());

    beforeAll(async () => {
      chat = await createChatHarness(backend.name, { clock });
      const city = await seedCityRoster(chat.deps, {
        deputies: ['ZhangSan', 'WangEr', 'ZhangDaYe', 'WangMang', 'LiMaHu'],
      });
      await setCongressSettings(chat.deps.db, city, { receptionHosts: ['刘主任'], agendaLeadWorkingDays: 3 });
    });
    afterAll(async () => {
      await chat?.close();
    });

    it('says how and how early to book, as people ask it, and books nothing', async () => {
      for (const asked of [
        '接待日要提前几天预约吗',
        '接待日需要预约吗',
        '接待日不预约能去吗',
        '俺想去接待日 要不要先预约啊',
      ]) {
        const r = await chat.say('WangEr', asked);
        expect(r, asked).toContain('规定里没有说必须预约');
        expect(r, asked).toContain('最好在接待日3个工作日前约好');
        expect(r, asked).toContain('2026-12-07（星期一）');
      }
      expect(await live('王二')).toEqual([]);
      // Said as a wish, it is the booking.
      expect(await chat.say('WangEr', '我需要预约接待日')).toContain('已预约接待日 JD-2026-');
      expect(await live('王二')).toHaveLength(1);
    });

    it('tells the day booked first when asked which day it was, not only this month’s', async () => {
      const booked = await chat.say('ZhangDaYe', '预约接待日 下个月 停车难');
      const code = /JD-2027-\d{4}/.exec(booked)?.[0];
      expect(code).toBeDefined();
      const r = await chat.say('ZhangDaYe', '接待日 哪天来着');
      expect(r.split('\n')[0]).toBe(
        `您预约的接待日是 2027-01-05（星期二）（暂定日历）（${code}），前一天会提醒您。`,
      );
      // This month's day is still given, but not offered for booking in place of the one booked.
      expect(r).toContain('2026年12月的主任接待代表日是 2026-12-07（星期一）');
      expect(r).not.toContain('如需预约');
    });

    it('asks before moving a booking when the move is asked, and moves it only on 是', async () => {
      const [held] = await live('张大爷');
      const code = held!.split(' ')[0]!;
      const asked = await chat.say('ZhangDaYe', '那俺下个月去不了咋办 能不能换到二月份');
      expect(asked).toBe(
        `确定把接待日预约 ${code}（2027-01-05（星期二）（暂定日历））改到二月份吗？回复“是”改约，回复“否”保留原来的预约。`,
      );
      expect(await live('张大爷')).toEqual([`${code} 2027-01 停车难`]);
      const moved = await chat.say('ZhangDaYe', '是');
      expect(moved).toContain('已预约接待日 JD-2027-');
      expect(moved).toContain(`原来的预约 ${code}（2027-01-05（星期二）（暂定日历））已取消。`);
      const now = await live('张大爷');
      expect(now).toHaveLength(1);
      expect(now[0]).toMatch(/^JD-2027-\d{4} 2027-02 停车难$/);
    });

    it('keeps the booking on 否, and moves at once when told right after booking', async () => {
      await chat.say('WangMang', '预约接待日');
      const told = await chat.say('WangMang', '改到下个月');
      expect(told).toContain('已预约接待日 JD-2027-');
      expect(told).toContain('已取消');
      const [held] = await live('王忙');
      expect(held).toMatch(/ 2027-01$/);
      expect(await chat.say('WangMang', '能不能改到三月')).toContain('改到三月吗？');
      expect(await chat.say('WangMang', '否')).toBe('好的，没有改约。');
      expect(await live('王忙')).toEqual([held]);
    });

    it('says what to do if the deputy cannot come, and cancels nothing', async () => {
      const booked = await chat.say('LiMaHu', '预约接待日 路灯');
      const code = /JD-2026-\d{4}/.exec(booked)?.[0];
      for (const asked of ['我去不了的话咋办', '要是那天下雨我去不了怎么办']) {
        const r = await chat.send('LiMaHu', { kind: 'text', text: asked });
        expect(r?.text, asked).toBe(
          `去不了的话，可以取消这次预约，也可以改到别的月份，例如发“接待日改到下个月”。您的预约 ${code}（2026-12-07（星期一））现在还保留着。`,
        );
        expect(r?.buttons, asked).toEqual([{ label: '取消预约', command: `取消预约 ${code}` }]);
      }
      expect(await live('李马虎')).toEqual([`${code} 2026-12 路灯`]);
      // Said as a fact, it is still the cancellation, asked first.
      expect(await chat.say('LiMaHu', '那天我临时有事去不了了')).toContain('确定取消吗？');
    });

    it('gives staff the day, its host and who booked it, for the month they ask', async () => {
      const december = await chat.say('LiSi', '这个月接待日是哪天');
      expect(december).toContain('2026年12月的主任接待代表日是 2026-12-07（星期一），接待人：刘主任。');
      expect(december).toContain('已有2位代表预约：王二（未写话题）；李马虎（路灯）。');
      expect(december).toContain('「工作平台 → 接待日」');
      const january = await chat.say('LiSi', '下个月接待日几号');
      expect(january).toContain('2027年1月的主任接待代表日是 2027-01-05（星期二）（暂定日历）');
      expect(january).toContain('已有1位代表预约：王忙（未写话题）。');
      const march = await chat.say('LiSi', '接待日 2027-03');
      expect(march).toContain('2027年3月');
      expect(march).toContain('还没有代表预约。');
    });
  });
}
