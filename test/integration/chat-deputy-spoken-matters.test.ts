import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FixedClock } from '../../src/clock.ts';
import { backends } from '../helpers/backends.ts';
import { type ChatHarness, createChatHarness } from '../helpers/chat.ts';
import { seedCityRoster } from '../helpers/city-roster.ts';

// Matters told the way an elderly deputy talks on the phone, typed by voice: a 喂, the greeting of whoever
// answers, who is speaking, then the matter. "能不能把旁边空地改成停车场" is part of a matter, never a change to
// an item; the item is listed from where the matter begins; "你们啥时候派人来" asks after it; "收到答复了，还行吧" is
// 基本满意 (asked first); "去不了接待日" with nothing booked needs no leave; "代表建议一般多久能有答复" is answered
// with the law's three and six months, never filed; "好几天了" right after filing is offered to that suggestion.

for (const backend of backends()) {
  describe.skipIf(!backend.available)(`matters told as spoken on ${backend.name}`, () => {
    let chat: ChatHarness;
    const clock = new FixedClock('2026-12-02T02:00:00Z');
    const contents = () =>
      chat.deps.db.selectFrom('suggestions').select(['code', 'content']).orderBy('code').execute();

    beforeAll(async () => {
      chat = await createChatHarness(backend.name, { clock });
      await seedCityRoster(chat.deps, { deputies: ['ZhangDaYe', 'QianDaJie'], zhujian: true });
    });
    afterAll(async () => {
      await chat?.close();
    });

    it('offers a matter that asks for a change to something as a suggestion, its words kept whole', async () => {
      const said = '我想说说我们小区停车难的问题 车位太少 晚上回来都没地方停 能不能把旁边空地改成停车场';
      // Before: "您目前没有还在办理的建议可以补充", the words read as a change to an item.
      const offered = await chat.say('QianDaJie', said);
      expect(offered).toContain('要把这段话作为建议提交吗');
      expect(offered).not.toContain('补充');
      expect(await chat.say('QianDaJie', '是')).toContain('JY-2026-0001');
      expect(await contents()).toEqual([{ code: 'JY-2026-0001', content: said }]);
      expect(await chat.say('QianDaJie', '查询')).toContain('「我们小区停车难的问题 车位太少');
    });

    it('lists a spoken matter from where it begins, and answers when someone will come with the item', async () => {
      const said =
        '喂喂 小同志你好 我是城关镇的张大爷 我们那个村口的桥年久失修 桥面都裂了 过大车的时候晃得厉害 希望上级派人来看看 谢谢你们了';
      expect(await chat.say('ZhangDaYe', said)).toContain('要把这段话作为建议提交吗');
      expect(await chat.say('ZhangDaYe', '嗯')).toContain('JY-2026-0002');
      expect((await contents()).at(-1)).toEqual({ code: 'JY-2026-0002', content: said });
      const listed = await chat.say('ZhangDaYe', '查询');
      expect(listed).toContain('「我们那个村口的桥年久失修');
      expect(listed).not.toContain('喂喂');
      // Before: "这个问题我暂时答不上来，会议和活动的时间以通知为准".
      for (const asked of ['你们啥时候派人来', '有人来看了吗']) {
        const answer = await chat.say('ZhangDaYe', asked);
        expect(answer).toContain('建议 JY-2026-0002');
        expect(answer).toContain('状态：已提交，待交办');
      }
    });

    it('offers to add how long it has lasted, told just after filing, to the suggestion filed', async () => {
      expect(await chat.say('QianDaJie', '建议 电梯')).toContain('请再说具体些');
      const filed = /JY-\d{4}-\d{4}/.exec(await chat.say('QianDaJie', '坏了'))![0];
      // Before: "没太明白您的意思" with 请假 first.
      const offered = await chat.say('QianDaJie', '好几天了');
      expect(offered).toContain(`“好几天了”要补充到刚提交的 ${filed}「电梯，坏了」里`);
      expect(await chat.say('QianDaJie', '1')).toContain(`已把您补充的内容加到 ${filed}`);
      const item = (await contents()).find((c) => c.code === filed)!;
      expect(item.content).toBe('电梯，坏了\n（补充）好几天了');
    });

    it('answers how long an answer takes, in general, and files nothing of the question', async () => {
      const before = await contents();
      // Before: filed as a suggestion 「代表建议一般多久能有答复？」.
      for (const asked of ['老师您好，我想问一下代表建议一般多久能有答复？', '提意见多长时间有回复啊']) {
        const answer = await chat.say('QianDaJie', asked);
        expect(answer).toContain('一般在三个月内答复');
        expect(answer).toContain('最长六个月');
      }
      expect(await contents()).toEqual(before);
      // About one's own: 查询.
      expect(await chat.say('QianDaJie', '我的建议多久能答复')).toContain('JY-2026-0001');
    });

    it('reads a rating after the words that say the answer came, and 去不了接待日 with nothing booked', async () => {
      expect(await chat.say('LiSi', '交办 JY-2026-0002 市住建局')).toContain('已交办');
      expect(await chat.say('LiSi', '答复 JY-2026-0002 已派人检修桥面')).toContain('请其评价');
      // Before: "没太明白您的意思".
      const rating = await chat.say('ZhangDaYe', '收到答复了，还行吧');
      expect(rating).toContain('评价“基本满意”吗');
      expect(await chat.say('ZhangDaYe', '是')).toContain('该事项已办结');
      const item = await chat.deps.db
        .selectFrom('suggestions')
        .select(['rating'])
        .where('code', '=', 'JY-2026-0002')
        .executeTakeFirstOrThrow();
      expect(item.rating).toBe('basically_satisfied');
      // Before: the reception day read as a meeting to ask leave from.
      const asked = await chat.say('QianDaJie', '去不了接待日');
      expect(asked).toContain('没有可以取消的接待日预约，不去也不用请假');
      expect(await chat.deps.db.selectFrom('leave_requests').select('id').execute()).toEqual([]);
    });
  });
}
