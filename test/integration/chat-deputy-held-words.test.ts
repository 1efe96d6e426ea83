import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FixedClock } from '../../src/clock.ts';
import { backends } from '../helpers/backends.ts';
import { type ChatHarness, createChatHarness } from '../helpers/chat.ts';
import { seedCityRoster } from '../helpers/city-roster.ts';
import { rowCount } from '../helpers/rows.ts';
import { seedOrgan } from '../helpers/seed.ts';

// A deputy's words held by the "没太明白" menu go on with what they write next, never dropped; and items
// told apart by their words (路灯 / 修路), a word shared by both asked about with numbered buttons.

for (const backend of backends()) {
  describe.skipIf(!backend.available)(`a deputy's held words and items on ${backend.name}`, () => {
    let chat: ChatHarness;
    const clock = new FixedClock('2026-12-02T02:00:00Z'); // Wednesday 10:00 in Shanghai
    const codeOf = (text: string) => /JY-2026-\d{4}/.exec(text)![0];
    const contentOf = async (code: string) =>
      (
        await chat.deps.db
          .selectFrom('suggestions')
          .select('content')
          .where('code', '=', code)
          .executeTakeFirstOrThrow()
      ).content;
    const count = () => rowCount(chat.deps.db, 'suggestions');

    beforeAll(async () => {
      chat = await createChatHarness(backend.name, { clock });
      await seedCityRoster(chat.deps, {
        deputies: ['ZhangSan', 'WangEr', 'LiXiuYing', 'ZhaoLiu', 'ZhouQi', 'SunBa'],
      });
      const contact = { name: '联系人', mobile: '13800000001', wecom: 'ZhujianWang' };
      await seedOrgan(chat.deps.db, '市住建局', contact, clock.now());
    });
    afterAll(async () => {
      await chat.close();
    });

    it('keeps "路灯" the menu held together with the words that follow, in the offer and the item filed', async () => {
      const menu = await chat.say('ZhangSan', '路灯');
      expect(menu).toContain('您刚才的话不用再打一遍');
      const offer = await chat.say('ZhangSan', '幸福路口 坏一个月了');
      expect(offer).toContain('要把这段话作为建议提交吗');
      expect(offer).toContain('路灯，幸福路口 坏一个月了');
      const filed = await chat.say('ZhangSan', '是');
      expect(await contentOf(codeOf(filed))).toBe('路灯，幸福路口 坏一个月了');
    });

    it('joins held words with more words that alone are no matter, and files them after a yes', async () => {
      expect(await chat.say('WangEr', '那个路灯')).toContain('没太明白');
      // Alone this would be another menu; with what was held it is a matter.
      const offer = await chat.say('WangEr', '就是幸福路那边的，晚上黑');
      expect(offer).toContain('“那个路灯，就是幸福路那边的，晚上黑”');
      const filed = await chat.say('WangEr', '是');
      expect(await contentOf(codeOf(filed))).toBe('那个路灯，就是幸福路那边的，晚上黑');
    });

    it('starts the suggestion from the held words when 建议 is picked by its number', async () => {
      const before = await count();
      const menu = await chat.send('LiXiuYing', { kind: 'text', text: '路灯' });
      const n = menu!.buttons!.findIndex((b) => b.command === '建议') + 1;
      expect(n).toBeGreaterThan(0);
      const goOn = await chat.say('LiXiuYing', String(n));
      expect(goOn).toContain('“路灯”');
      expect(goOn).not.toContain('已收到');
      expect(await count()).toBe(before);
      const filed = await chat.say('LiXiuYing', '东关街口坏了俩月了');
      expect(await contentOf(codeOf(filed))).toBe('路灯，东关街口坏了俩月了');
    });

    it('lets a real command after the menu run as itself, the held words filing nothing', async () => {
      const before = await count();
      expect(await chat.say('LiXiuYing', '路灯')).toContain('没太明白');
      const list = await chat.say('LiXiuYing', '查询');
      expect(list).toContain('您的事项');
      expect(list).not.toContain('要把这段话作为建议提交吗');
      expect(await count()).toBe(before);
      // Terse, as a busy deputy writes it: the bare verb is 查询, not another menu.
      const terse = await chat.say('LiXiuYing', '查下');
      expect(terse).toContain('您的事项');
      expect(terse).not.toContain('没太明白');
      expect(await chat.say('LiXiuYing', '俩都查下')).toContain('您的事项');
    });

    it('keeps the held words through a greeting, and across several short messages of an elderly deputy', async () => {
      expect(await chat.say('WangEr', '路灯')).toContain('没太明白');
      expect(await chat.say('WangEr', '在吗')).toContain('您好');
      expect(await chat.say('WangEr', '幸福路口的坏了')).toContain('“路灯，幸福路口的坏了”');
      expect(await chat.say('WangEr', '否')).toContain('没有提交');

      expect(await chat.say('LiXiuYing', '俺们村')).toContain('没太明白');
      expect(await chat.say('LiXiuYing', '那个 大桥')).toContain('没太明白');
      const offer = await chat.say('LiXiuYing', '去年就说要修 到现在也没动');
      expect(offer).toContain('“俺们村，那个 大桥，去年就说要修 到现在也没动”');
      const filed = await chat.say('LiXiuYing', '是');
      expect(await contentOf(codeOf(filed))).toBe('俺们村，那个 大桥，去年就说要修 到现在也没动');
    });

    it('answers "…坏了 另外查一下我的建议" as two: the list, then the matter offered, never dropped', async () => {
      const before = await count();
      const both = await chat.say('WangEr', '菜市场门口的下水道堵了 另外查一下我的建议');
      expect(both).toContain('您的');
      expect(both).toContain('要把这段话作为建议提交吗');
      expect(both).toContain('“菜市场门口的下水道堵了”');
      expect(both.indexOf('您的')).toBeLessThan(both.indexOf('要把这段话'));
      const filed = await chat.say('WangEr', '是');
      expect(await contentOf(codeOf(filed))).toBe('菜市场门口的下水道堵了');
      expect(await count()).toBe(before + 1);
    });

    describe('two items, 路灯 and 修路', () => {
      let lamp: string;
      let road: string;
      const urged = async (code: string) =>
        (
          await chat.deps.db
            .selectFrom('suggestion_events')
            .innerJoin('suggestions', 'suggestions.id', 'suggestion_events.suggestion_id')
            .select('suggestions.code')
            .where('suggestion_events.action', '=', 'urged')
            .where('suggestions.code', '=', code)
            .execute()
        ).length;

      beforeAll(async () => {
        lamp = codeOf(await chat.say('ZhaoLiu', '建议 俺们村东头的路灯坏了好几个月了 晚上黑咕隆咚的'));
        road = codeOf(await chat.say('ZhaoLiu', '建议 村里的路该修了 坑坑洼洼的 下雨没法走'));
        for (const code of [lamp, road])
          expect(await chat.say('LiSi', `交办 ${code} 市住建局`)).toContain('已交办');
      });

      it('shows the road item for "修路那个怎么样了", though the words hold 修 and 路 apart', async () => {
        const shown = await chat.say('ZhaoLiu', '修路那个怎么样了');
        expect(shown).toContain(`建议 ${road}`);
        expect(shown).toContain('村里的路该修了');
        expect(shown).not.toContain(lamp);
        // One character that only the lamp item has, among fillers and the question.
        const lampShown = await chat.say('ZhaoLiu', '那个灯的事咋样了');
        expect(lampShown).toContain(`建议 ${lamp}`);
        expect(lampShown).not.toContain(road);
      });

      it('asks about "路的那个催一下" even right after 查询 showed one, and narrows by words said to the list', async () => {
        const ask = await chat.send('ZhaoLiu', { kind: 'text', text: '路的那个催一下' });
        expect(ask?.text).toContain('哪一项');
        expect(ask?.buttons?.map((b) => b.command).sort()).toEqual([`催办 ${lamp}`, `催办 ${road}`].sort());
        expect(await urged(road)).toBe(0);
        // Still both: asked again with the same buttons, nothing urged.
        const again = await chat.send('ZhaoLiu', { kind: 'text', text: '路的那个' });
        expect(again?.text).toContain('哪一项');
        expect(again?.buttons?.length).toBe(2);
        expect((await urged(lamp)) + (await urged(road))).toBe(0);
        expect(await chat.say('ZhaoLiu', '灯那个')).toContain(`${lamp} 已催办`);
        expect([await urged(lamp), await urged(road)]).toEqual([1, 0]);
      });

      it('urges the road item for "修路那个催一下", and "路灯那个建议催一下" is the lamp one', async () => {
        expect(await chat.say('ZhaoLiu', '修路那个催一下')).toContain(`${road} 已催办`);
        expect(await urged(road)).toBe(1);
        // Urged this week already: the answer is about the lamp item alone.
        const lampAgain = await chat.say('ZhaoLiu', '路灯那个建议催一下');
        expect(lampAgain).toContain(lamp);
        expect(lampAgain).not.toContain(road);
      });

      it('answers "路灯", then "啥时候能修好啊", with the lamp item, though the road one was viewed last', async () => {
        expect(await chat.say('ZhaoLiu', `查询 ${road}`)).toContain(`建议 ${road}`);
        expect(await chat.say('ZhaoLiu', '路灯')).toContain('没太明白');
        const when = await chat.say('ZhaoLiu', '啥时候能修好啊');
        expect(when).toContain(`建议 ${lamp}`);
        expect(when).not.toContain(road);
      });
    });

    it("adds words to an item of one's own with 补充 written before or after its code", async () => {
      const code = codeOf(await chat.say('SunBa', '建议 小区没有充电桩 电动车乱拉电线 危险'));
      expect(await chat.say('SunBa', `补充 ${code} 最好装二十个`)).toContain(`加到 ${code}`);
      expect(await chat.say('SunBa', `${code.toLowerCase()} 再补充 车棚也行`)).toContain(`加到 ${code}`);
      expect(await contentOf(code)).toBe(
        '小区没有充电桩 电动车乱拉电线 危险\n（补充）最好装二十个\n（补充）车棚也行',
      );
    });

    describe('ratings said carelessly', () => {
      const status = async (code: string) =>
        chat.deps.db
          .selectFrom('suggestions')
          .select(['status', 'rating'])
          .where('code', '=', code)
          .executeTakeFirstOrThrow();
      const answered = async (who: string, words: string, answer: string) => {
        const code = codeOf(await chat.say(who, `建议 ${words}`));
        expect(await chat.say('LiSi', `交办 ${code} 市住建局`)).toContain('已交办');
        expect(await chat.say('LiSi', `答复 ${code} ${answer}`)).toContain('已记录');
        return code;
      };

      it("asks which when a rating's words point at an answer other than the last one, never rating the last", async () => {
        const lamp = await answered('ZhouQi', '幸福路的路灯坏了', '已更换路灯');
        const road = await answered('ZhouQi', '和平街道路破损', '已列入明年计划');
        const ask = await chat.send('ZhouQi', { kind: 'text', text: '不满意 路灯只换了一半' });
        expect(ask?.text).toContain('哪一项');
        expect(ask?.buttons?.map((b) => b.command)).toContain(`不满意 ${lamp} 路灯只换了一半`);
        expect(await status(road)).toEqual({ status: 'answered', rating: null });
        expect(await status(lamp)).toEqual({ status: 'answered', rating: null });
        // Once 不满意, the road item is being handled again, and is not said to have no answer yet.
        expect(await chat.say('ZhouQi', `不满意 ${road} 光说列入计划`)).toContain('重新办理');
        const again = await chat.say('ZhouQi', '道路那个 说了等于没说');
        expect(again).toContain('已在重新办理');
        expect(again).not.toContain('还没有答复');
      });

      it('takes 不满意 said again with why, after being asked why, as the reason', async () => {
        const code = await answered('SunBa', '学校门口缺个红绿灯', '已安装');
        expect(await chat.say('SunBa', '不满意')).toContain('哪里不满意');
        const kept = await chat.say('SunBa', '俺对那个答复不太满意 红绿灯装是装了 老是不亮');
        expect(kept).toContain(`已把您说的原因记在 ${code}`);
        const reasons = await chat.deps.db
          .selectFrom('suggestion_events')
          .innerJoin('suggestions', 'suggestions.id', 'suggestion_events.suggestion_id')
          .select('suggestion_events.reason')
          .where('suggestions.code', '=', code)
          .where('suggestion_events.action', '=', 'rating_reason')
          .execute();
        expect(reasons.map((r) => r.reason)).toEqual([expect.stringContaining('老是不亮')]);
        expect(await status(code)).toEqual({ status: 'rehandling', rating: 'dissatisfied' });
      });
    });
  });
}
