import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FixedClock } from '../../src/clock.ts';
import { backends } from '../helpers/backends.ts';
import { type ChatHarness, createChatHarness } from '../helpers/chat.ts';
import { seedCityRoster } from '../helpers/city-roster.ts';

// 山西 第二十二条; 大同 第十二条 (S17) as deputies say it: a wish to go and see a place is offered as a 视察
// request, asked first; "下周吧" right after a request goes into it, and the staff who arrange it hear of
// it. And a 建议 whose command word was typed twice keeps only the matter.

for (const backend of backends()) {
  describe.skipIf(!backend.available)(`视察 and 建议 as deputies type them on ${backend.name}`, () => {
    let chat: ChatHarness;
    const clock = new FixedClock('2026-12-02T02:00:00Z'); // Wednesday 10:00 in Shanghai
    const requests = () =>
      chat.deps.db
        .selectFrom('inspection_requests')
        .select(['id', 'content', 'status'])
        .orderBy('id')
        .execute();

    beforeAll(async () => {
      chat = await createChatHarness(backend.name, { clock });
      await seedCityRoster(chat.deps, { deputies: ['ZhangDaYe', 'WangMang', 'LiMaHu', 'ZhaoLaoShi'] });
    });
    afterAll(async () => {
      await chat?.close();
    });

    it('offers a wish to see a place as a 视察 request, and files it only on 是', async () => {
      const asked = await chat.say('ZhangDaYe', '我想去看看城关镇的污水处理厂');
      expect(asked).toBe(
        '您是想申请视察“看看城关镇的污水处理厂”吗？代表视察由代表工作机构联系安排（山西 第二十二条）。回复“是”提交视察申请，回复“否”不提交。',
      );
      expect(await requests()).toEqual([]);
      const filed = await chat.say('ZhangDaYe', '是');
      expect(filed).toContain('已记录您的视察申请（第');
      expect((await requests()).map((r) => r.content)).toEqual(['看看城关镇的污水处理厂']);
      // The verb after the place, and 否.
      expect(await chat.say('LiMaHu', '俺打算到开发区的工地转转')).toContain(
        '申请视察“看看开发区的工地”吗？',
      );
      expect(await chat.say('LiMaHu', '否')).toBe('好的，没有提交视察申请。');
      expect(await chat.say('ZhaoLaoShi', '我想去学校看看')).toContain('申请视察“看看学校”吗？');
      expect(await requests()).toHaveLength(1);
      // Going to a place with no word of seeing it is no 视察.
      expect(await chat.say('WangMang', '我想去医院')).not.toContain('视察');
    });

    it('adds when the deputy would like to go to the request just made, and tells the staff', async () => {
      const [req] = await requests();
      expect(await chat.say('ZhangDaYe', '下周吧')).toBe(
        `已把“希望的时间：下周”补充到您的视察申请（第${req!.id}号），工作人员安排时会看到。`,
      );
      expect(await chat.say('ZhangDaYe', '最好是周三上午')).toContain('“希望的时间：周三上午”');
      expect((await requests())[0]!.content).toBe(
        '看看城关镇的污水处理厂；希望的时间：下周；希望的时间：周三上午',
      );
      const inbox = (await chat.inbox('LiSi')).filter((t) => t.startsWith('【视察申请补充】'));
      expect(inbox).toEqual([
        `【视察申请补充】第${req!.id}号\n代表：张大爷（大同市第十六届人民代表大会）\n补充：希望的时间：下周\n现在的内容：看看城关镇的污水处理厂；希望的时间：下周`,
        `【视察申请补充】第${req!.id}号\n代表：张大爷（大同市第十六届人民代表大会）\n补充：希望的时间：周三上午\n现在的内容：看看城关镇的污水处理厂；希望的时间：下周；希望的时间：周三上午`,
      ]);
    });

    it('adds nothing once the request is being arranged, and nothing without a request', async () => {
      const [req] = await requests();
      await chat.deps.db
        .updateTable('inspection_requests')
        .set({ status: 'arranged' })
        .where('id', '=', req!.id)
        .execute();
      expect(await chat.say('ZhangDaYe', '下个月初')).toBe(
        `视察申请第${req!.id}号已经在安排或办完了，不能再补充。有变化请直接告诉代表工作机构。`,
      );
      expect((await requests())[0]!.content).not.toContain('下个月初');
      // Another deputy's "下周吧" touches no one's request.
      expect(await chat.say('WangMang', '下周吧')).not.toContain('视察申请');
    });

    it('files a 建议 whose word was typed twice with only the matter', async () => {
      for (const typed of ['建议 建议 路灯坏了要修', '建议：jy 菜市场门口太乱', '建议：建议政府加强管理']) {
        expect(await chat.say('WangMang', typed), typed).toContain('已收到您的建议');
      }
      const items = await chat.deps.db.selectFrom('suggestions').select('content').orderBy('id').execute();
      // A 建议 that is the matter's own first word ("建议政府…") stays.
      expect(items.map((i) => i.content)).toEqual(['路灯坏了要修', '菜市场门口太乱', '建议政府加强管理']);
    });
  });
}
