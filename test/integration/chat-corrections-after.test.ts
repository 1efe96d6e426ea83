import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FixedClock } from '../../src/clock.ts';
import { backends } from '../helpers/backends.ts';
import { type ChatHarness, createChatHarness } from '../helpers/chat.ts';
import { seedCityRoster } from '../helpers/city-roster.ts';
import { rowCount } from '../helpers/rows.ts';

// What deputies say right after they sent something: "刚才说错了，是东关街" corrects the suggestion just filed
// (never a new one), a leave just filed is not changed in chat and they are told how, and "按错了，应该是不满意"
// changes the rating just given, within a week.

for (const backend of backends()) {
  describe.skipIf(!backend.available)(`corrections after sending on ${backend.name}`, () => {
    let chat: ChatHarness;
    const clock = new FixedClock('2026-12-02T02:00:00Z');
    const item = (code: string) =>
      chat.deps.db
        .selectFrom('suggestions')
        .select(['content', 'status', 'rating', 'closed_at', 'round'])
        .where('code', '=', code)
        .executeTakeFirstOrThrow();
    const count = (table: 'suggestions' | 'leave_requests') => rowCount(chat.deps.db, table);
    const answered = async (deputy: string, text: string, organ: string) => {
      const filed = await chat.say(deputy, `建议 ${text}`);
      const code = /JY-2026-\d{4}/.exec(filed)?.[0];
      expect(code).toBeDefined();
      expect(await chat.say('LiSi', `交办 ${code} ${organ}`)).toContain('已交办');
      expect(await chat.say('LiSi', `答复 ${code} 已经处理好了`)).toContain('已发给代表并请其评价');
      return code!;
    };

    beforeAll(async () => {
      chat = await createChatHarness(backend.name, { clock });
      await seedCityRoster(chat.deps, {
        deputies: ['ZhangSan', 'WangEr', 'LiXiuYing', 'ZhaoLiu', 'QianQi'],
        zhujian: true,
        sessionAhead: true,
      });
    });
    afterAll(async () => {
      await chat?.close();
    });

    it('adds a correction to the suggestion just filed, and files nothing new', async () => {
      expect(await chat.say('ZhangSan', '建议 西关街的路灯坏了好几个，晚上很黑')).toContain('JY-2026-0001');
      const before = await count('suggestions');
      const r = await chat.say('ZhangSan', '刚才说错了，是东关街不是西关街');
      expect(r).toBe(
        '已把您的更正加到 JY-2026-0001：“是东关街不是西关街”。原来写的也保留着，交办时一并转交，工作人员会看到更正。',
      );
      expect(await count('suggestions')).toBe(before);
      expect((await item('JY-2026-0001')).content).toBe(
        '西关街的路灯坏了好几个，晚上很黑\n（补充）更正：是东关街不是西关街',
      );
    });

    it('asks for the correction when only "不对" is said, and adds the next message as one', async () => {
      expect(await chat.say('WangEr', '建议 三楼楼道的灯不亮')).toContain('JY-2026-0002');
      expect(await chat.say('WangEr', '不对')).toContain('请发更正后的内容，会加到 JY-2026-0002 里');
      expect(await chat.say('WangEr', '是五楼')).toContain('已把您的更正加到 JY-2026-0002：“是五楼”');
      expect((await item('JY-2026-0002')).content).toBe('三楼楼道的灯不亮\n（补充）更正：是五楼');
    });

    it('does not change a suggestion already handed over, and says whom to tell', async () => {
      expect(await chat.say('LiXiuYing', '建议 北关小学门口没有红绿灯')).toContain('JY-2026-0003');
      expect(await chat.say('LiSi', '交办 JY-2026-0003 市住建局')).toContain('已交办');
      const r = await chat.say('LiXiuYing', '我写错了，是南关小学');
      expect(r).toContain('JY-2026-0003 已经交办，不能再撤回或修改');
      expect((await item('JY-2026-0003')).content).toBe('北关小学门口没有红绿灯');
    });

    it('tells how to correct a leave just filed, and files no other leave', async () => {
      expect(await chat.say('ZhaoLiu', '请假 人代会 出差')).toContain('QJ-2026-0001');
      const before = await count('leave_requests');
      const r = await chat.say('ZhaoLiu', '哎呀我说错了 是常委会');
      // No 常委会 ahead to move it to: the request stays as it is (moving one: chat-leave-correction).
      expect(r).toContain('请假 QJ-2026-0001 没有改动');
      expect(r).toContain('请告诉代表工作机构');
      expect(await count('leave_requests')).toBe(before);
    });

    it('answers "说错了" with nothing before it plainly, and keeps "路牌写错了" as a matter', async () => {
      const r = await chat.send('QianQi', { text: '说错了' });
      expect(r?.text).toContain('好的，没关系。请问您要办什么？');
      expect(r?.buttons ?? []).toEqual([]);
      const sign = await chat.say('QianQi', '路牌写错了，把东关街写成了冬关街');
      expect(sign).toContain('要把这段话作为建议提交吗？');
      expect(sign).toContain('路牌写错了，把东关街写成了冬关街');
    });

    it('changes a 满意 just given to 不满意 with the reason, and the item is handled again', async () => {
      const code = await answered('ZhangSan', '东关街路灯坏了', '市住建局');
      expect(await chat.say('ZhangSan', '满意')).toContain(
        `已记录您对 ${code}「东关街路灯坏了」的评价“满意”`,
      );
      const r = await chat.say('ZhangSan', '哎呀按错了，应该是不满意，路灯只换了一半');
      expect(r).toContain(`已把您对 ${code}「东关街路灯坏了」的评价改为“不满意”，已转入重新办理（重办）`);
      expect(r).not.toContain('哪里不满意');
      const now = await item(code);
      expect(now).toMatchObject({ status: 'rehandling', rating: 'dissatisfied', closed_at: null, round: 2 });
      const events = await chat.deps.db
        .selectFrom('suggestion_events as e')
        .innerJoin('suggestions as s', 's.id', 'e.suggestion_id')
        .select(['e.summary', 'e.reason'])
        .where('s.code', '=', code)
        .where('e.action', '=', 'rated')
        .orderBy('e.id')
        .execute();
      expect(events).toEqual([
        { summary: '评价：满意', reason: null },
        { summary: '更正评价：满意 → 不满意', reason: '路灯只换了一半' },
      ]);
    });

    it('asks which rating was meant after "我点错了", and a second 满意 changes nothing', async () => {
      const code = await answered('WangEr', '菜市场门口积水', '市住建局');
      expect(await chat.say('WangEr', '满意')).toContain('该事项已办结');
      expect(await chat.say('WangEr', '满意')).toBe(
        `${code} 已经评价为“满意”了。要改的话，直接回复另一个评价即可，例如“基本满意”。`,
      );
      const asked = await chat.send('WangEr', { text: '我点错了' });
      expect(asked?.text).toContain(`您对 ${code} 的评价是“满意”。要改成哪一个？`);
      expect(asked?.buttons?.map((b) => b.command)).toEqual([`基本满意 ${code}`, `不满意 ${code}`]);
      expect(await chat.say('WangEr', '基本满意')).toBe(
        `已把您对 ${code}「菜市场门口积水」的评价改为“基本满意”，该事项已办结。`,
      );
      expect(await item(code)).toMatchObject({ status: 'closed', rating: 'basically_satisfied' });
    });

    it('keeps a rating after a week', async () => {
      const code = await answered('LiXiuYing', '小区垃圾没人清', '市住建局');
      expect(await chat.say('LiXiuYing', '满意')).toContain('该事项已办结');
      clock.advance(8 * 24 * 3600_000);
      try {
        expect(await chat.say('LiXiuYing', `不满意 ${code}`)).toContain(`${code} 已办结（评价：满意）`);
        expect(await item(code)).toMatchObject({ status: 'closed', rating: 'satisfied' });
      } finally {
        clock.advance(-8 * 24 * 3600_000);
      }
    });
  });
}
