import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FixedClock } from '../../src/clock.ts';
import { backends } from '../helpers/backends.ts';
import { type ChatHarness, createChatHarness } from '../helpers/chat.ts';
import { seedCityRoster } from '../helpers/city-roster.ts';
import { rowCount } from '../helpers/rows.ts';

// What deputies ask of the bot itself: "你是谁", "你是机器人吗" are told it answers by itself, and what it does;
// "人工客服", "转人工" where a person is found; "会在哪开" lists the meetings ahead, their time and place in the
// notices; a question about anything else ("你们几点下班") is not told about meeting times; "能不能不公开我的名
// 字" just after filing is 不公开姓名 of that item. None of it files anything.

for (const backend of backends()) {
  describe.skipIf(!backend.available)(`a deputy asking the bot on ${backend.name}`, () => {
    let chat: ChatHarness;
    const clock = new FixedClock('2026-12-02T02:00:00Z');

    beforeAll(async () => {
      chat = await createChatHarness(backend.name, { clock });
      await seedCityRoster(chat.deps, { deputies: ['WangEr', 'QianDaJie'], sessionAhead: true });
    });
    afterAll(async () => {
      await chat?.close();
    });

    it('says who answers, and where a person is found', async () => {
      for (const asked of ['你是谁', '你是机器人吗']) {
        const answer = await chat.say('WangEr', asked);
        expect(answer).toContain('自动回复的助手');
        expect(answer).not.toContain('答不上来');
      }
      for (const asked of ['人工客服', '转人工', '我要找工作人员']) {
        const answer = await chat.say('WangEr', asked);
        expect(answer).toContain('请联系代表工作机构');
        expect(answer).not.toContain('没太明白');
      }
      expect(await rowCount(chat.deps.db, 'suggestions')).toBe(0);
    });

    it('lists the meetings ahead when asked where one is, and keeps meeting times out of other questions', async () => {
      const where = await chat.say('WangEr', '会在哪开');
      expect(where).toContain('第七次会议（2027年1月1日（星期五）至4日（星期一））');
      expect(where).toContain('时间和地点以正式通知为准');
      const other = await chat.say('WangEr', '你们几点下班');
      expect(other).toContain('暂时答不上来');
      expect(other).not.toContain('会议和活动的时间');
    });

    it('withholds the name of the item just filed when asked "能不能不公开我的名字"', async () => {
      expect(await chat.say('QianDaJie', '我想反映一下菜市场乱收费的问题，摊位费一年涨了三次')).toContain(
        'JY-2026-0001',
      );
      expect(await chat.say('QianDaJie', '能不能不公开我的名字')).toContain(
        'JY-2026-0001 在网上公开时不会写您的姓名',
      );
      const rows = await chat.deps.db.selectFrom('suggestions').select(['code', 'withhold_name']).execute();
      expect(rows).toEqual([{ code: 'JY-2026-0001', withhold_name: true }]);
    });
  });
}
