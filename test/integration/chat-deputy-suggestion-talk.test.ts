import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FixedClock } from '../../src/clock.ts';
import { backends } from '../helpers/backends.ts';
import { type ChatHarness, createChatHarness } from '../helpers/chat.ts';
import { seedCityRoster } from '../helpers/city-roster.ts';

// A deputy handing in and following up suggestions as deputies write: 不公开姓名 said with the matter,
// a suggestion and a question about one's items in one message, a heading answered where the matter was
// asked, 修改 of an item handed over or answered, and "不是这个" to 撤回's question.

for (const backend of backends()) {
  describe.skipIf(!backend.available)(`a deputy talking about suggestions on ${backend.name}`, () => {
    let chat: ChatHarness;
    const clock = new FixedClock('2026-12-02T02:00:00Z'); // Wednesday 10:00 in Shanghai
    const codeOf = (text: string) => /JY-2026-\d{4}/.exec(text)![0];
    const item = (code: string) =>
      chat.deps.db
        .selectFrom('suggestions')
        .select(['content', 'status', 'withhold_name', 'withdrawn_at'])
        .where('code', '=', code)
        .executeTakeFirstOrThrow();
    const itemsOf = (wecom: string) =>
      chat.deps.db
        .selectFrom('suggestions as s')
        .innerJoin('suggestion_deputies as d', 'd.suggestion_id', 's.id')
        .innerJoin('person_identities as p', 'p.person_id', 'd.person_id')
        .select(['s.code', 's.content', 's.withhold_name'])
        .where('p.channel', '=', 'wecom')
        .where('p.external_id', '=', wecom)
        .orderBy('s.code')
        .execute();
    const history = (code: string, action: string) =>
      chat.deps.db
        .selectFrom('suggestion_events as e')
        .innerJoin('suggestions as s', 's.id', 'e.suggestion_id')
        .select(['e.summary'])
        .where('s.code', '=', code)
        .where('e.action', '=', action)
        .execute();

    beforeAll(async () => {
      chat = await createChatHarness(backend.name, { clock });
      await seedCityRoster(chat.deps, {
        deputies: ['ZhangDaYe', 'WangMang', 'LiMaHu', 'ZhaoLaoShi', 'QianDaJie', 'SunBa'],
        zhujian: true,
      });
    });
    afterAll(async () => {
      await chat?.close();
    });

    describe('不公开姓名 said with the matter', () => {
      it('files the matter without the request and withholds the name of the new item only', async () => {
        const first = codeOf(
          await chat.say(
            'ZhangDaYe',
            '建议 俺们村的自来水老是停 一停就是好几天 希望自来水公司给解决一下 公开的时候不要写俺的名字',
          ),
        );
        // A second matter with the request at its end: a new item, never the request put on the first.
        const r = await chat.say('ZhangDaYe', '俺想提个意见 村里垃圾没人收 不要公开我的姓名');
        expect(r).toContain('已收到您的意见');
        expect(r).toContain('公开时不写您的姓名');
        const second = codeOf(r);
        expect(second).not.toBe(first);
        // A voice transcript, no punctuation.
        const v = await chat.send('ZhangDaYe', {
          kind: 'voice',
          platformType: 'voice',
          text: '我要提个建议咱们镇上的卫生院缺医生看病要跑到县里去希望上级给配几个医生这个建议不要公开我的名字',
          media: { mediaId: 'V-1' },
        });
        expect(v?.text).toContain('已收到您的建议');
        const third = codeOf(v!.text);
        expect(await itemsOf('ZhangDaYe')).toEqual([
          {
            code: first,
            content: '俺们村的自来水老是停 一停就是好几天 希望自来水公司给解决一下',
            withhold_name: true,
          },
          { code: second, content: '村里垃圾没人收', withhold_name: true },
          {
            code: third,
            content: '咱们镇上的卫生院缺医生看病要跑到县里去希望上级给配几个医生',
            withhold_name: true,
          },
        ]);
        expect(await history(second, 'withhold_name')).toHaveLength(1);
      });

      it('still withholds an earlier item by itself, and leaves a plain suggestion named', async () => {
        const code = codeOf(await chat.say('SunBa', '建议 幸福路的公交站没有遮雨棚'));
        expect((await item(code)).withhold_name).toBe(false);
        expect(await chat.say('SunBa', '不公开姓名')).toContain(`${code} 在网上公开时不会写您的姓名`);
        expect((await item(code)).withhold_name).toBe(true);
        expect(await itemsOf('SunBa')).toHaveLength(1);
      });
    });

    it('files a suggestion and lists the items when one message asks both', async () => {
      const r = await chat.say('WangMang', '建议 幸福路路灯坏了 另外 我上个月提的那个咋样了');
      expect(r).toContain('已收到您的建议');
      const code = codeOf(r);
      expect(r).toContain(`${code} 建议「幸福路路灯坏了」：已提交，待交办`);
      expect((await itemsOf('WangMang')).map((x) => x.content)).toEqual(['幸福路路灯坏了']);
    });

    it('joins a heading answered to "请讲讲您的建议内容" with the matter told next', async () => {
      expect(await chat.say('QianDaJie', '我有个建议')).toContain('请讲讲您的建议内容');
      const ask = await chat.say('QianDaJie', '关于老旧小区加装电梯');
      expect(ask).toContain('请再说具体些');
      expect(await itemsOf('QianDaJie')).toEqual([]);
      const r = await chat.say('QianDaJie', '现在补贴太少了\n居民意见很大\n希望提高补贴标准');
      expect(r).toContain('已收到您的建议');
      expect((await itemsOf('QianDaJie')).map((x) => x.content)).toEqual([
        '关于老旧小区加装电梯，现在补贴太少了\n居民意见很大\n希望提高补贴标准',
      ]);
    });

    describe('修改', () => {
      it('asks for the words when "修改 JY-… 加一句" names an answered item, and records nothing', async () => {
        const code = codeOf(await chat.say('ZhaoLaoShi', '建议 学校门口放学时段安排交警疏导交通'));
        expect(await chat.say('LiSi', `交办 ${code} 市住建局`)).toContain('已交办');
        expect(await chat.say('LiSi', `答复 ${code} 已安排交警早晚疏导`)).toContain('已记录');
        const before = (await item(code)).content;
        const r = await chat.say('ZhaoLaoShi', `修改 ${code} 加一句`);
        expect(r).toContain(`${code} 已经答复，原来的内容不能修改了`);
        expect(r).toContain(`不满意 ${code}`);
        expect((await item(code)).content).toBe(before);
        expect(await history(code, 'supplemented')).toEqual([]);
        // The words sent next are the supplement.
        const kept = await chat.say('ZhaoLaoShi', '下午放学那会儿没有交警');
        expect(kept).toContain('已把您补充的话记在');
        expect((await item(code)).content).toBe(
          `${before}\n（交办后补充，2026-12-02）下午放学那会儿没有交警`,
        );
        expect(await history(code, 'supplemented')).toHaveLength(1);
      });

      it('takes a bare 修改 to the one item not yet handed over', async () => {
        const handed = codeOf(await chat.say('LiMaHu', '建议 修复和平街小区门口路灯'));
        expect(await chat.say('LiSi', `交办 ${handed} 市住建局`)).toContain('已交办');
        const open = codeOf(await chat.say('LiMaHu', '建议 老旧小区加装电梯补贴太少 希望提高'));
        const r = await chat.say('LiMaHu', '修改');
        expect(r).toContain(`会加到 ${open} 里`);
        expect(r).not.toContain('哪一项');
        expect(await chat.say('LiMaHu', '补贴要覆盖2000年以前建成的小区')).toContain(`加到 ${open}`);
        expect((await item(open)).content).toBe(
          '老旧小区加装电梯补贴太少 希望提高\n（补充）补贴要覆盖2000年以前建成的小区',
        );
        expect((await item(handed)).content).toBe('修复和平街小区门口路灯');
      });
    });

    it('asks about the item meant when "不是这个" answers 撤回\'s question, and withdraws only it', async () => {
      const lamp = codeOf(await chat.say('LiMaHu', '建议 幸福路东头三盏路灯不亮'));
      const park = codeOf(await chat.say('LiMaHu', '建议 公园里的健身器材坏了好几个 小孩容易受伤'));
      expect(await chat.say('LiMaHu', '撤回 刚才那个')).toContain(`确定撤回 ${park} 吗`);
      const r = await chat.say('LiMaHu', '不是这个 是路灯那个');
      expect(r).toContain(`${park} 没有撤回`);
      expect(r).toContain(`确定撤回 ${lamp} 吗`);
      expect(await chat.say('LiMaHu', '是')).toContain(`已撤回 ${lamp}`);
      expect((await item(lamp)).withdrawn_at).not.toBeNull();
      expect((await item(park)).withdrawn_at).toBeNull();
    });

    it('reads “我想改一下我那个建议” as a change of the item, never a new one with those words', async () => {
      const lamp = codeOf(await chat.say('QianDaJie', '建议 小区门口的路灯不亮了'));
      const count = (await itemsOf('QianDaJie')).length;
      // 钱大姐 has several items: which one is asked, and the line picked is the one changed.
      const asked = await chat.say('QianDaJie', '我想改一下我那个建议');
      expect(asked).toContain('请问要修改哪一项？');
      const line = asked.split('\n').find((l) => l.includes(lamp))!;
      expect(line).toMatch(/^\d\. /);
      expect(await chat.say('QianDaJie', line.slice(0, 1))).toContain(
        `请发要补充或修改的内容，会加到 ${lamp} 里`,
      );
      expect((await item(lamp)).content).toBe('小区门口的路灯不亮了');
      const added = await chat.say('QianDaJie', '是三盏路灯不亮');
      expect(added).toContain(`已把您补充的内容加到 ${lamp}：“是三盏路灯不亮”`);
      // Not handed over yet: the words go into the item itself.
      expect((await item(lamp)).content).toContain('是三盏路灯不亮');
      // Only naming the item is no words to add.
      const bare = await chat.say('QianDaJie', `修改 ${lamp} 建议`);
      expect(bare).toContain(`请发要补充或修改的内容，会加到 ${lamp} 里`);
      expect(await chat.say('QianDaJie', '取消')).not.toContain('已把您补充的内容');
      expect((await item(lamp)).content.match(/是三盏路灯不亮/g)).toHaveLength(1);
      expect(await itemsOf('QianDaJie')).toHaveLength(count);
      expect((await item(lamp)).content).not.toContain('我那个建议');
    });

    it('files the matter told after asking whether one may, never the question with it', async () => {
      const before = (await itemsOf('SunBa')).length;
      // Asked alone: the bot asks for the matter, and nothing is filed.
      expect(await chat.say('SunBa', '能提建议吗')).toContain('请讲讲您的建议内容');
      expect(await itemsOf('SunBa')).toHaveLength(before);
      expect(await chat.say('SunBa', '取消')).not.toContain('JY-');
      const canteen = codeOf(await chat.say('SunBa', '老师能提建议吗 学校食堂太贵了'));
      expect((await item(canteen)).content).toBe('学校食堂太贵了');
      const prices = codeOf(await chat.say('SunBa', '能不能反映个意见 菜价太高'));
      expect((await item(prices)).content).toBe('菜价太高');
      const lamp = codeOf(await chat.say('SunBa', '路灯坏了 我能提建议吗'));
      expect((await item(lamp)).content).toBe('路灯坏了');
      expect((await itemsOf('SunBa')).map((x) => x.content)).toEqual(
        expect.arrayContaining(['学校食堂太贵了', '菜价太高', '路灯坏了']),
      );
      expect(await itemsOf('SunBa')).toHaveLength(before + 3);
    });
  });
}
