import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FixedClock } from '../../src/clock.ts';
import { sendReceptionAgendas } from '../../src/services/reception/index.ts';
import { backends } from '../helpers/backends.ts';
import { type ChatHarness, createChatHarness } from '../helpers/chat.ts';
import { seedCityRoster } from '../helpers/city-roster.ts';

// A booking's topic changed in words (大同 第七条(九): the host receives the booked topics before the day):
// "话题改成…" replaces it, "还想说说…" adds to it, "想说说菜市场的事" after booking without one gives it; once
// the host has the day's topics, the host is told of the new one. Other requests are left alone.

for (const backend of backends()) {
  describe.skipIf(!backend.available)(`a booking's topic changed in chat on ${backend.name}`, () => {
    let chat: ChatHarness;
    // Wednesday 2 December 2026, 10:00 in Shanghai: December's reception day (Monday the 7th) is three
    // working days ahead, so its topics go to the host today.
    const clock = new FixedClock('2026-12-02T02:00:00Z');
    const topicOf = async (code: string) =>
      (
        await chat.deps.db
          .selectFrom('reception_bookings')
          .select('topic')
          .where('code', '=', code)
          .executeTakeFirstOrThrow()
      ).topic;

    beforeAll(async () => {
      chat = await createChatHarness(backend.name, { clock });
      // No host is named in the settings: the staff (李四) pass the topics on.
      await seedCityRoster(chat.deps, {
        deputies: ['ZhangSan', 'WangEr'],
      });
    });
    afterAll(async () => {
      await chat?.close();
    });

    it('replaces the topic, then adds to it, before the host has the topics', async () => {
      const booked = await chat.say('ZhangSan', '预约接待日 下个月 停车难');
      const code = /JD-2027-\d{4}/.exec(booked)?.[0];
      expect(code).toBeDefined();
      const changed = await chat.say('ZhangSan', '话题改成老旧小区加装电梯');
      expect(changed).toContain(`已把预约 ${code}`);
      expect(changed).toContain('的话题改为：老旧小区加装电梯。');
      expect(changed).toContain('接待人会在3个工作日前收到预约话题');
      expect(await topicOf(code!)).toBe('老旧小区加装电梯');
      const added = await chat.say('ZhangSan', '还想说说学校门口拥堵的事');
      expect(added).toContain('的话题补充为：老旧小区加装电梯；学校门口拥堵的事。');
      expect(await topicOf(code!)).toBe('老旧小区加装电梯；学校门口拥堵的事');
      // Not a topic: a suggestion is still filed as one.
      expect(await chat.say('ZhangSan', '想提个建议，路灯坏了')).toContain('已收到您的建议');
      expect(await topicOf(code!)).toBe('老旧小区加装电梯；学校门口拥堵的事');
    });

    it('gives a topic to a booking made without one, and tells the host who already has the day', async () => {
      const booked = await chat.say('WangEr', '预约接待日');
      const code = /JD-2026-\d{4}/.exec(booked)?.[0];
      expect(code).toBeDefined();
      expect(await sendReceptionAgendas(chat.deps, 'reception-agendas')).toBe(1);
      expect((await chat.inbox('LiSi')).join('\n')).toContain(`王二（${code}）：未写话题`);
      const told = await chat.say('WangEr', '想说说菜市场的事');
      expect(told).toContain('的话题改为：菜市场的事。');
      expect(told).toContain('新的话题也已告诉接待人');
      expect(await topicOf(code!)).toBe('菜市场的事');
      const inbox = await chat.inbox('LiSi');
      expect(inbox.filter((t) => t.startsWith('【接待日议题更新】'))).toEqual([
        `【接待日议题更新】2026-12-07（星期一）主任接待代表日：王二代表（${code}）的话题改为：菜市场的事`,
      ]);
      const again = await chat.say('WangEr', '接待日想谈的事换一下，改成学校门口拥堵');
      expect(again).toContain('的话题改为：学校门口拥堵。');
      expect(await topicOf(code!)).toBe('学校门口拥堵');
    });
  });
}
