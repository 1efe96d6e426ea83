import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FixedClock } from '../../src/clock.ts';
import { backends } from '../helpers/backends.ts';
import { type ChatHarness, createChatHarness } from '../helpers/chat.ts';
import { seedCityRoster } from '../helpers/city-roster.ts';

// Choices as people answer them: a yes to the one 代录 offered enters it; a yes to a numbered list asks
// for the number and keeps the list; "催一下" after opening one item from 查询 urges that one; "第一个催一下" on
// a line already answered offers the rating; a rating names the item with its words.

for (const backend of backends()) {
  describe.skipIf(!backend.available)(`choices and items on ${backend.name}`, () => {
    let chat: ChatHarness;
    const clock = new FixedClock('2026-12-02T02:00:00Z');
    const db = () => chat.deps.db;
    const codes: string[] = [];
    const urges = () =>
      db()
        .selectFrom('suggestion_urges as u')
        .innerJoin('suggestions as s', 's.id', 'u.suggestion_id')
        .select('s.code')
        .orderBy('u.id')
        .execute();

    beforeAll(async () => {
      chat = await createChatHarness(backend.name, { clock });
      await seedCityRoster(chat.deps, {
        deputies: ['ZhangSan', 'WangEr'],
        zhujian: true,
      });
      // 张三's three items: two being handled, the last answered.
      for (const words of ['府西街路灯不亮', '菜市场门口积水', '小区健身器材损坏']) {
        const r = await chat.say('ZhangSan', `建议 ${words}`);
        const code = /JY-2026-\d{4}/.exec(r)![0];
        codes.push(code);
        await chat.say('LiSi', `交办 ${code} 市住建局`);
      }
      await chat.say('LiSi', `答复 ${codes[2]} 已更换健身器材`);
    });
    afterAll(async () => {
      await chat?.close();
    });

    it('asks for the number when a yes answers a numbered list, then urges the one picked', async () => {
      const asked = await chat.say('ZhangSan', '催办');
      expect(asked).toContain('请问是哪一项');
      expect(await chat.say('ZhangSan', '好')).toBe(
        '请回复数字（1–2）告诉我是哪一项，也可以点选上面的按钮。',
      );
      expect(await urges()).toEqual([]);
      expect(await chat.say('ZhangSan', '1')).toContain('催办');
      expect((await urges()).length).toBe(1);
    });

    it('urges the item just opened from 查询 when 催一下 names none', async () => {
      const list = (await chat.say('ZhangSan', '查询')).split('\n');
      // A line not urged yet (催办 is once a week per item) and not answered.
      const urged = (await urges()).map((u) => u.code);
      const code = codes.find((c) => c !== codes[2] && !urged.includes(c))!;
      const line = list.findIndex((l) => l.includes(code));
      expect(await chat.say('ZhangSan', `第${'一二三'[line - 1]}个`)).toContain(`建议 ${code}`);
      const before = (await urges()).length;
      const r = await chat.say('ZhangSan', '催一下');
      expect(r).not.toContain('请问是哪一项');
      expect((await urges()).slice(before)).toEqual([{ code }]);
    });

    it('offers the rating for a line already answered, and names the item rated', async () => {
      const list = await chat.say('ZhangSan', '查询');
      const line = list.split('\n').findIndex((l) => l.includes(codes[2]!));
      expect(line).toBeGreaterThan(0);
      const before = (await urges()).length;
      const r = await chat.send('ZhangSan', { text: `第${'一二三'[line - 1]}个催一下` });
      expect(r?.text).toContain('已经答复，不用再催办了');
      expect(r?.buttons?.map((b) => b.command)).toEqual([
        `满意 ${codes[2]}`,
        `基本满意 ${codes[2]}`,
        `不满意 ${codes[2]}`,
      ]);
      expect((await urges()).length).toBe(before);
      expect(await chat.say('ZhangSan', `满意 ${codes[2]}`)).toContain(
        `已记录您对 ${codes[2]}「小区健身器材损坏」的评价“满意”`,
      );
    });

    it('enters what staff wrote down for a deputy after a yes to the one 代录 offered', async () => {
      const offer = await chat.say('LiSi', '王二代表反映小区门口垃圾没人清运');
      expect(offer).toContain('是要替王二代表录入吗？');
      const r = await chat.say('LiSi', '是');
      expect(r).toMatch(/JY-2026-\d{4}/);
      const entered = await db()
        .selectFrom('suggestions')
        .select('content')
        .where('content', 'like', '%垃圾%')
        .execute();
      expect(entered).toEqual([{ content: '小区门口垃圾没人清运' }]);
    });
  });
}
