import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FixedClock } from '../../src/clock.ts';
import { backends } from '../helpers/backends.ts';
import { type ChatHarness, createChatHarness } from '../helpers/chat.ts';
import { bookingsOf, leaveOf, seedDeputyRound, suggestionsOf } from '../helpers/deputy-round.ts';

// The fifth round, as an elderly, a busy and a careless deputy wrote it: "我预约了吗" asked, never booked;
// "我约的是哪天来着" with no booking told so, with how to book; "我想约一下主任" books with no topic "主任";
// "我是张大爷，我想问一下下礼拜三那个视察我去不了了…" is leave from that inspection; "我想给学校周边交通提点
// 意见" and "关于路灯，我有个建议" announce a suggestion, whose matter comes next and is filed with the topic.

for (const backend of backends()) {
  describe.skipIf(!backend.available)(`the fifth round of chat defects on ${backend.name}`, () => {
    let chat: ChatHarness;
    // Wednesday 2026-12-02, 10:00 in Shanghai: next month's reception day is Tuesday 2027-01-05.
    const clock = new FixedClock('2026-12-02T02:00:00Z');
    const db = () => chat.deps.db;

    beforeAll(async () => {
      chat = await createChatHarness(backend.name, { clock });
      await seedDeputyRound(chat, ['ZhangDaYe', 'WangMang', 'LiMaHu', 'QianDaJie', 'ZhaoLaoShi', 'ZhangSan']);
    });
    afterAll(async () => {
      await chat?.close();
    });

    it('answers whether there is a booking without making one', async () => {
      for (const asked of [
        '我约的是哪天来着',
        '我预约了吗',
        '我预约了麻',
        '接待日约上了没有',
        '有没有约上',
        '俺约上了没有啊',
      ]) {
        const answer = await chat.say('QianDaJie', asked);
        expect(answer).toContain('您目前还没有预约接待日');
        expect(answer).toContain('我想参加下个月的接待日');
      }
      expect(await bookingsOf(db(), 'QianDaJie')).toEqual([]);

      const booked = await chat.say('QianDaJie', '我想参加下个月的接待日');
      const code = /JD-\d{4}-\d{4}/.exec(booked)?.[0];
      expect(code).toBeDefined();
      for (const asked of ['我预约了吗', '约了吗']) {
        const answer = await chat.say('QianDaJie', asked);
        expect(answer).toContain(`${code} 接待日预约`);
        expect(answer).toContain('2027-01-05');
      }
      expect(await bookingsOf(db(), 'QianDaJie')).toHaveLength(1);
    });

    it('books "我想约一下主任" with no topic, and keeps a topic said after it', async () => {
      await chat.say('ZhangSan', '我想约一下主任');
      await chat.say('LiMaHu', '约一下领导 说说养老');
      const [plain] = await bookingsOf(db(), 'ZhangSan');
      const [told] = await bookingsOf(db(), 'LiMaHu');
      expect(plain?.topic ?? null).toBeNull();
      expect(told?.topic).toBe('养老');
    });

    it('takes leave from the inspection named after an introduction and "我想问一下"', async () => {
      const answer = await chat.say(
        'ZhangDaYe',
        '我是张大爷，我想问一下下礼拜三那个视察我去不了了，老伴住院了要照顾',
      );
      expect(answer).toContain('视察老旧小区改造工作');
      expect(answer).not.toContain('没有找到');
      const [leave] = await leaveOf(db(), 'ZhangDaYe');
      expect(leave?.reason).toBe('老伴住院了要照顾');
    });

    it('asks for the matter of an announced suggestion and files it with its topic', async () => {
      const asked = await chat.say('ZhaoLaoShi', '我想给学校周边交通提点意见');
      expect(asked).toContain('请再说具体些');
      expect(await suggestionsOf(db(), 'ZhaoLaoShi')).toEqual([]);
      const filed = await chat.say(
        'ZhaoLaoShi',
        '上下学的时候校门口车太多，孩子过马路不安全，建议设个红绿灯',
      );
      expect(filed).toMatch(/已收到您的意见，编号 JY-2026-\d{4}/);
      const [item] = await suggestionsOf(db(), 'ZhaoLaoShi');
      expect(item?.content).toBe(
        '给学校周边交通，上下学的时候校门口车太多，孩子过马路不安全，建议设个红绿灯',
      );
      expect(await suggestionsOf(db(), 'ZhaoLaoShi')).toHaveLength(1);

      expect(await chat.say('WangMang', '关于路灯，我有个建议')).toContain('请再说具体些');
      await chat.say('WangMang', '村东头三盏路灯坏了半年了');
      const [lamp] = await suggestionsOf(db(), 'WangMang');
      expect(lamp?.content).toBe('关于路灯，村东头三盏路灯坏了半年了');
    });

    it('holds the topic of an announcement closed with a particle, as an elderly deputy says it', async () => {
      const asked = await chat.say('ZhangSan', '嗯 那个 俺想给学校门口的交通提点意见哈');
      expect(asked).toContain('请再说具体些');
      expect(await suggestionsOf(db(), 'ZhangSan')).toEqual([]);
      await chat.say('ZhangSan', '就是上下学的时候车太多了 娃娃们过马路危险的很');
      const items = await suggestionsOf(db(), 'ZhangSan');
      expect(items.map((i) => i.content)).toEqual([
        '给学校门口的交通，就是上下学的时候车太多了 娃娃们过马路危险的很',
      ]);
    });

    it('files a suggestion that says what it wants at once, prepositions and all', async () => {
      const filed = await chat.say('LiMaHu', '建议 对老旧小区加装电梯给予补贴');
      expect(filed).toMatch(/已收到您的建议，编号 JY-2026-\d{4}/);
      const [item] = await suggestionsOf(db(), 'LiMaHu');
      expect(item?.content).toBe('对老旧小区加装电梯给予补贴');
    });
  });
}
