import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FixedClock } from '../../src/clock.ts';
import { backends } from '../helpers/backends.ts';
import { type ChatHarness, createChatHarness } from '../helpers/chat.ts';
import { seedCityRoster } from '../helpers/city-roster.ts';
import { everyRecord, rowCount } from '../helpers/rows.ts';

// What deputies ask of the bot itself: "你是谁", "你是机器人吗" are told it answers by itself, and what it does;
// "人工客服", "转人工" where a person is found; "会在哪开" shows the meeting ahead, its time and place in the
// notices, and “要带啥”, “开几天” after it are of that meeting; a question about anything else ("你们几点下班") is not told about meeting times; "能不能不公开我的名
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

    it('shows the meeting ahead when asked where one is, and keeps meeting times out of other questions', async () => {
      const where = await chat.say('WangEr', '会在哪开');
      expect(where).toContain('第七次会议\n时间：2027-01-01（星期五）至2027-01-04（星期一）');
      expect(where).toContain('开会的地点以正式通知为准；还没收到通知的话，可以问代表工作机构。');
      const other = await chat.say('WangEr', '你们几点下班');
      expect(other).toContain('暂时答不上来');
      expect(other).not.toContain('会议和活动的时间');
    });

    it('answers “在哪开”, “要带啥”, “开几天” of the one meeting just listed, and changes nothing', async () => {
      const before = await everyRecord(chat.deps.db);
      expect(await chat.say('WangEr', '人代会是几号开')).toContain('1. 大同市第十六届人民代表大会第七次会议');
      const where = await chat.say('WangEr', '在哪开');
      expect(where).toContain('大同市第十六届人民代表大会第七次会议\n时间：');
      expect(where).toContain('开会的地点以正式通知为准');
      expect(await chat.say('WangEr', '要带啥')).toContain('要带什么、要准备什么，以会议通知为准');
      expect(await chat.say('WangEr', '开几天')).toContain('会期共 4 天');
      expect(await chat.say('WangEr', '几点开始')).toContain('几点开始、几点报到以正式通知为准');
      // Asked with the meeting named, with no list before.
      expect(await chat.say('QianDaJie', '开人代会要带什么')).toContain(
        '要带什么、要准备什么，以会议通知为准',
      );
      expect(await everyRecord(chat.deps.db)).toBe(before);
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
