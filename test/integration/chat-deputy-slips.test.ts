import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FixedClock } from '../../src/clock.ts';
import { backends } from '../helpers/backends.ts';
import { type ChatHarness, createChatHarness } from '../helpers/chat.ts';
import { seedCityRoster } from '../helpers/city-roster.ts';
import { seedSession } from '../helpers/seed.ts';

// Slips an elderly, busy or careless deputy makes: the wrong number picked from a list and corrected
// ("不对 是2"), words added to an item already handed over, two requests joined by 顺便, 红路灯 for 红绿灯,
// a rating answered with the item's words, and held words never glued onto another errand.

for (const backend of backends()) {
  describe.skipIf(!backend.available)(`a deputy's slips on ${backend.name}`, () => {
    let chat: ChatHarness;
    const clock = new FixedClock('2026-12-02T02:00:00Z'); // Wednesday 10:00 in Shanghai
    const codeOf = (text: string) => /JY-2026-\d{4}/.exec(text)![0];
    const item = (code: string) =>
      chat.deps.db
        .selectFrom('suggestions')
        .select(['content', 'status', 'rating', 'withdrawn_at'])
        .where('code', '=', code)
        .executeTakeFirstOrThrow();
    const events = async (code: string, action: string) =>
      chat.deps.db
        .selectFrom('suggestion_events as e')
        .innerJoin('suggestions as s', 's.id', 'e.suggestion_id')
        .select(['e.summary', 'e.reason'])
        .where('s.code', '=', code)
        .where('e.action', '=', action)
        .execute();
    const filed = async (who: string, words: string, handedOver = true) => {
      const code = codeOf(await chat.say(who, `建议 ${words}`));
      if (handedOver) expect(await chat.say('LiSi', `交办 ${code} 市住建局`)).toContain('已交办');
      return code;
    };
    /** The codes of a numbered list, line by line. */
    const lines = (text: string) => [...text.matchAll(/^\d+\. (JY-2026-\d{4})/gm)].map((m) => m[1]!);

    beforeAll(async () => {
      chat = await createChatHarness(backend.name, { clock });
      await seedCityRoster(chat.deps, {
        deputies: ['ZhangSan', 'WangEr', 'LiXiuYing', 'ZhaoLiu', 'QianQi', 'SunBa', 'ZhouJiu', 'WuShi'],
        zhujian: true,
        sessionAhead: true,
      });
      await seedSession(chat.deps, {
        congress: '大同市第十六届人民代表大会',
        name: '常委会第三十次会议',
        startsOn: '2027-02-10',
        endsOn: '2027-02-11',
      });
    });
    afterAll(async () => {
      await chat?.close();
    });

    describe('the wrong number, then "不对 是2"', () => {
      it('urges the item on line 2 after "第一个催一下", and says the first urge stands', async () => {
        await filed('ZhangSan', '幸福路口的路灯坏了一个月了');
        await filed('ZhangSan', '村里的路该修了 坑坑洼洼');
        const [one, two] = lines(await chat.say('ZhangSan', '查询'));
        expect(await chat.say('ZhangSan', '第一个催一下')).toContain(`${one} 已催办`);
        const r = await chat.say('ZhangSan', '不对 是2');
        expect(r).toContain(`刚才对 ${one} 的催办已经记下，不能撤回`);
        expect(r).toContain(`${two} 已催办`);
        expect(r).not.toContain('不能再撤回或修改');
        expect((await events(one!, 'urged')).length).toBe(1);
        expect((await events(two!, 'urged')).length).toBe(1);
        // Said again: line 2 is already the one.
        expect(await chat.say('ZhangSan', '不对，是第二个')).toContain(`您刚才选的就是第 2 项 ${two}`);
        expect((await events(two!, 'urged')).length).toBe(1);
      });

      it('shows the item on line 2 after "1", then "不对，是第二个"', async () => {
        const [one, two] = lines(await chat.say('ZhangSan', '查询'));
        expect(await chat.say('ZhangSan', '1')).toContain(`建议 ${one}`);
        const r = await chat.say('ZhangSan', '不对，是第二个');
        expect(r).toContain(`刚才显示的是 ${one}，没有改动它`);
        expect(r).toContain(`建议 ${two}`);
        expect(r).not.toContain('更正');
      });

      it('asks about the item meant when 撤回 still waited for a yes, and withdraws only that one', async () => {
        await filed('WangEr', '菜市场门口的下水道堵了', false);
        await filed('WangEr', '老年活动中心冬天没有暖气', false);
        const [one, two] = lines(await chat.say('WangEr', '撤回'));
        expect(await chat.say('WangEr', '1')).toContain(`确定撤回 ${one} 吗`);
        const r = await chat.say('WangEr', '不对 是2');
        expect(r).toContain(`${one} 没有任何改动`);
        expect(r).toContain(`确定撤回 ${two} 吗`);
        expect(await chat.say('WangEr', '是')).toContain(`已撤回 ${two}`);
        expect((await item(one!)).withdrawn_at).toBeNull();
        expect((await item(two!)).withdrawn_at).not.toBeNull();
      });

      it('moves a leave asked by number to the meeting on line 2', async () => {
        const list = await chat.say('LiXiuYing', '请假 住院');
        expect(list).toContain('2. 常委会第三十次会议');
        const code = /QJ-2026-\d{4}/.exec(await chat.say('LiXiuYing', '1'))![0];
        const r = await chat.say('LiXiuYing', '不对 是2');
        expect(r).toContain(`已把请假 ${code} 改为：常委会第三十次会议`);
        const rows = await chat.deps.db
          .selectFrom('leave_requests as l')
          .innerJoin('sessions as s', 's.id', 'l.session_id')
          .select(['l.code', 's.name', 'l.reason'])
          .execute();
        expect(rows.filter((x) => x.code === code)).toEqual([
          { code, name: '常委会第三十次会议', reason: '住院' },
        ]);
      });
    });

    describe('words added after 交办', () => {
      it('keeps them on the item, tells the organ and the deputy where they went', async () => {
        const code = await filed('ZhaoLiu', '幸福路口的路灯坏了一个月了');
        const r = await chat.say('ZhaoLiu', `补充 ${code} 晚上八点以后最黑`);
        expect(r).toContain(`已把您补充的话记在 ${code}「幸福路口的路灯坏了一个月了」上`);
        expect(r).toContain('已转给正在办理的市住建局');
        const more = await chat.say('ZhaoLiu', '路灯那个事再补充一下 主要是东边那几盏');
        expect(more).toContain('主要是东边那几盏');
        expect((await item(code)).content).toBe(
          '幸福路口的路灯坏了一个月了\n（交办后补充，2026-12-02）晚上八点以后最黑\n（交办后补充，2026-12-02）主要是东边那几盏',
        );
        expect((await events(code, 'supplemented')).map((e) => e.reason)).toEqual([
          '晚上八点以后最黑',
          '主要是东边那几盏',
        ]);
        const organ = await chat.inbox('ZhuJian');
        expect(organ.filter((m) => m.startsWith('【代表补充】') && m.includes(code))).toEqual([
          expect.stringContaining('晚上八点以后最黑'),
          expect.stringContaining('主要是东边那几盏'),
        ]);
      });

      it('asks for the words after 修改 of an item handed over, and keeps them', async () => {
        const code = await filed('QianQi', '和平街道路破损 下雨积水');
        expect(await chat.say('QianQi', `修改 ${code}`)).toContain(`${code} 已经交办，原来的内容不能修改了`);
        expect(await chat.say('QianQi', '主要是和平街东段')).toContain(`已把您补充的话记在 ${code}`);
        expect((await item(code)).content).toContain('（交办后补充，2026-12-02）主要是和平街东段');
      });

      it('keeps words added once answered, and says how to ask for it to be done again', async () => {
        const code = await filed('QianQi', '小区没有充电桩');
        expect(await chat.say('LiSi', `答复 ${code} 已安装`)).toContain('已记录');
        const r = await chat.say('QianQi', `补充 ${code} 装了但是不通电`);
        expect(r).toContain('承办单位已经答复过了');
        expect(r).toContain(`不满意 ${code}`);
        expect((await item(code)).content).toContain('装了但是不通电');
      });

      it('offers a correction to an item handed over as a supplement, with a button', async () => {
        const code = await filed('SunBa', '北关小学门口没有红绿灯');
        const r = await chat.send('SunBa', { kind: 'text', text: '我写错了，是南关小学' });
        expect(r?.text).toContain(`${code} 已经交办，不能再撤回或修改`);
        expect(r?.buttons?.map((b) => b.command)).toEqual([`补充 ${code} 是南关小学`]);
        expect((await item(code)).content).toBe('北关小学门口没有红绿灯');
        expect(await chat.say('SunBa', `补充 ${code} 是南关小学`)).toContain('已转给正在办理的市住建局');
      });
    });

    describe('two requests joined by 顺便', () => {
      it('files the leave and lists the items when 顺便 follows without a pause', async () => {
        const r = await chat.say('ZhouJiu', '请假 下个月人代会 住院顺便查一下我的建议');
        const code = /QJ-2026-\d{4}/.exec(r)![0];
        expect(r).toContain('您的');
        const leave = await chat.deps.db
          .selectFrom('leave_requests')
          .select('reason')
          .where('code', '=', code)
          .executeTakeFirstOrThrow();
        expect(leave.reason).toBe('住院');
      });

      it('answers the query and offers the matter told before 顺便', async () => {
        const r = await chat.say('ZhouJiu', '村口路灯坏了顺便查一下我的建议');
        // No suggestion of theirs yet: the query says so, and the matter is not lost.
        expect(r).toContain('您目前没有建议、批评或意见');
        expect(r).toContain('要把这段话作为建议提交吗？\n“村口路灯坏了”');
        expect(await chat.say('ZhouJiu', '否')).toContain('没有提交');
      });

      it('lists the items and then asks which meeting for "我要请假顺便查一下我的建议"', async () => {
        const r = await chat.say('ZhouJiu', '我要请假顺便查一下我的建议');
        expect(r).toContain('您的');
        expect(r).toContain('请问您要请假的是哪个会议或活动');
        expect(r.indexOf('您的')).toBeLessThan(r.indexOf('请问您要请假'));
        expect(await chat.say('ZhouJiu', '取消')).toContain('已取消');
      });
    });

    it('reads 红路灯 as 红绿灯 when telling the items apart, both ways', async () => {
      const red = await filed('ZhouJiu', '学校门口缺个红绿灯 孩子过马路危险');
      const lamp = await filed('ZhouJiu', '幸福路的路灯坏了');
      expect(await chat.say('ZhouJiu', '红路灯那个催一下')).toContain(`${red} 已催办`);
      expect((await events(red, 'urged')).length).toBe(1);
      expect((await events(lamp, 'urged')).length).toBe(0);
      // Filed with the slip, asked about as meant.
      const slip = await filed('WuShi', '东关街口缺个红路灯');
      await filed('WuShi', '东关街的路灯不亮');
      const shown = await chat.say('WuShi', '红绿灯那个怎么样了');
      expect(shown).toContain(`建议 ${slip}`);
      expect(shown).toContain('红路灯');
    });

    it('names the item by its words in the answer to every rating', async () => {
      const code = await filed('WangEr', '幸福路口路灯');
      expect(await chat.say('LiSi', `答复 ${code} 已更换`)).toContain('已记录');
      expect(await chat.say('WangEr', '满意')).toContain(`已记录您对 ${code}「幸福路口路灯」的评价“满意”`);
      expect(await chat.say('WangEr', '按错了，应该是不满意，只换了一盏')).toContain(
        `已把您对 ${code}「幸福路口路灯」的评价改为“不满意”`,
      );
      const other = await filed('WangEr', '和平街积水');
      expect(await chat.say('LiSi', `答复 ${other} 已疏通`)).toContain('已记录');
      expect(await chat.say('WangEr', `不满意 ${other}`)).toContain(
        `已记录您对 ${other}「和平街积水」的评价“不满意”`,
      );
    });

    it('never glues held words onto another errand, and still joins a continuation', async () => {
      const before = Number(
        (
          await chat.deps.db
            .selectFrom('suggestions')
            .select((eb) => eb.fn.countAll<string>().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
      expect(await chat.say('LiXiuYing', '路灯')).toContain('没太明白');
      const other = await chat.say('LiXiuYing', '下周人代会 住院');
      expect(other).not.toContain('路灯');
      expect(other).not.toContain('要把这段话作为建议提交吗');
      expect(await chat.say('LiXiuYing', '路灯')).toContain('没太明白');
      expect(await chat.say('LiXiuYing', '幸福路口 坏一个月了')).toContain('“路灯，幸福路口 坏一个月了”');
      expect(await chat.say('LiXiuYing', '否')).toContain('没有提交');
      const after = Number(
        (
          await chat.deps.db
            .selectFrom('suggestions')
            .select((eb) => eb.fn.countAll<string>().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
      expect(after).toBe(before);
    });
  });
}
