import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FixedClock } from '../../src/clock.ts';
import { backends } from '../helpers/backends.ts';
import { type ChatHarness, createChatHarness } from '../helpers/chat.ts';
import { seedCityRoster } from '../helpers/city-roster.ts';
import { signedCodes } from '../helpers/rows.ts';

// An organ's contact asking about the organ's own items in plain words — what waits for 签收, what waits for
// an answer and by when (《代表法》第五十一条第二款, S8) — gets the facts from those items; the question is
// never read as a 签收, an answer or a return, and nothing changes until the contact says so.

const CONTACT = 'ZhuJian';
const DUE = '2027-03-02（星期二）（暂定日历）';

for (const backend of backends()) {
  describe.skipIf(!backend.available)(`an organ's contact asking about its items on ${backend.name}`, () => {
    let chat: ChatHarness;
    const clock = new FixedClock('2026-12-02T02:00:00Z'); // Wednesday 10:00 in Shanghai
    const signed = () => signedCodes(chat.deps.db);
    const rows = async () => ({
      answers: (await chat.deps.db.selectFrom('suggestion_answers').select('id').execute()).length,
      returns: (
        await chat.deps.db
          .selectFrom('suggestion_assignments')
          .select('id')
          .where('return_requested_at', 'is not', null)
          .execute()
      ).length,
    });

    beforeAll(async () => {
      chat = await createChatHarness(backend.name, { clock });
      await seedCityRoster(chat.deps, { deputies: ['ZhangSan', 'WangEr'], zhujian: true });
      await chat.say('ZhangSan', '建议 府西街路灯不亮已经一个月了');
      await chat.say('ZhangSan', '建议 东关菜市场门口占道经营太乱');
      await chat.say('WangEr', '建议 南环路自来水水压太低');
      for (const code of ['JY-2026-0001', 'JY-2026-0002', 'JY-2026-0003'])
        expect(await chat.say('LiSi', `交办 ${code} 市住建局`)).toContain('市住建局（承办）');
      expect(await chat.say(CONTACT, '签收 JY-2026-0003')).toBe('已签收 JY-2026-0003，请按期办理。');
    });
    afterAll(async () => {
      await chat?.close();
    });

    it('answers what waits for 签收, about one item or all, and signs only on a yes', async () => {
      const before = await rows();
      // Before: each of these got the list of commands, or buttons offering the words as an answer.
      const all = await chat.send(CONTACT, { kind: 'text', text: '我们是不是还有没签收的' });
      expect(all?.text).toContain('本单位还有 2 项没有签收：');
      expect(all?.text).toContain('JY-2026-0001「府西街路灯不亮已经一个月了」承办');
      expect(all?.text).toContain('JY-2026-0002「东关菜市场门口占道经营太乱」承办');
      expect(all?.text).not.toContain('JY-2026-0003');
      const one = await chat.send(CONTACT, { kind: 'text', text: '那件路灯的事我们还没签收吧' });
      expect(one?.text).toBe(
        `JY-2026-0001「府西街路灯不亮已经一个月了」：还没有签收。期限 ${DUE}，还有 90 天。\n要现在签收吗？回复“是”或点下面的按钮。`,
      );
      expect(one?.buttons).toEqual([{ label: '签收 JY-2026-0001', command: '签收 JY-2026-0001' }]);
      expect(await signed()).toEqual(['JY-2026-0003']);
      // “签收” alone right after it signs that one, not the list of both.
      expect(await chat.say(CONTACT, '签收')).toBe('已签收 JY-2026-0001，请按期办理。');
      expect(await signed()).toEqual(['JY-2026-0001', 'JY-2026-0003']);
      expect(await chat.say(CONTACT, '自来水那个签收了吗')).toBe(
        `JY-2026-0003「南环路自来水水压太低」：已签收，正在办理。期限 ${DUE}，还有 90 天。`,
      );
      // A question about one item offered it for signing: “是” signs that one.
      expect(await chat.say(CONTACT, '菜市场那个啥时候之前要答复')).toContain(
        `JY-2026-0002「东关菜市场门口占道经营太乱」：还没有签收。期限 ${DUE}，还有 90 天。`,
      );
      expect(await chat.say(CONTACT, '是')).toBe('已签收 JY-2026-0002，请按期办理。');
      expect(await signed()).toEqual(['JY-2026-0001', 'JY-2026-0002', 'JY-2026-0003']);
      expect(await chat.say(CONTACT, '还有没签收的吗')).toBe('本单位正在办理的 3 项都已签收。');
      expect(await rows()).toEqual(before);
    });

    it('answers how many still wait for an answer and by when, and a number shows one', async () => {
      const before = await rows();
      for (const asked of ['交给我们的还有几件没答复', '还有多少没办完', '我们单位还有啥没办的']) {
        const text = await chat.say(CONTACT, asked);
        expect(text, asked).toMatch(/^本单位还有 3 项没有答复：\n1\. JY-2026-000\d「/);
        expect(text, asked).toContain(`期限 ${DUE}，还有 90 天`);
      }
      expect(await chat.say(CONTACT, '3')).toContain('本单位承办，答复期限');
      // A code typed as clerks type it, with 答复 in the question: asked, never an answer begun.
      expect(await chat.say(CONTACT, 'jy2026 3 答复了没')).toBe(
        `JY-2026-0003「南环路自来水水压太低」：还没有答复，正在办理。期限 ${DUE}，还有 90 天。`,
      );
      expect(await chat.say(CONTACT, '超期了没有')).toMatch(
        /^本单位目前没有超过答复期限的事项。最近的是 JY-2026-000\d「/,
      );
      expect(await chat.say(CONTACT, '哪个快到期了')).toMatch(/^本单位目前没有15天内到期的事项。/);
      expect(await rows()).toEqual(before);
    });

    it('answers near and past deadlines once the clock comes to them', async () => {
      clock.set('2027-02-20T02:00:00Z');
      try {
        const soon = await chat.say(CONTACT, '有没有快到期的');
        expect(soon).toMatch(/^本单位15天内到期的有 3 项：\n1\. JY-2026-000\d「/);
        expect(soon).toContain(`期限 ${DUE}，还有 10 天`);
        clock.set('2027-03-05T02:00:00Z');
        expect(await chat.say(CONTACT, '咱们有没有超期的')).toContain('，已超期 3 天');
      } finally {
        clock.set('2026-12-02T02:00:00Z');
      }
    });

    it('takes an answer written out with a question word in it as the answer', async () => {
      const said = '答复 JY-2026-0001 已列入明年计划，落实期限2027年3月底，有什么问题请联系';
      expect(await chat.say(CONTACT, said)).toContain('的办理结果属于哪一类？');
      expect(await chat.say(CONTACT, '取消')).toContain('没有提交');
      expect((await rows()).answers).toBe(0);
    });

    it('answers a question asked while an answer is being told, and keeps that answer waiting', async () => {
      expect(await chat.say(CONTACT, '答复 JY-2026-0003 已更换加压泵')).toContain('的办理结果属于哪一类？');
      const asked = await chat.say(CONTACT, '还有几件没答复');
      expect(asked).toMatch(/^本单位还有 3 项没有答复：/);
      expect(asked).toContain('JY-2026-0003 的答复还没有提交');
      expect((await rows()).answers).toBe(0);
    });
  });
}
