import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FixedClock } from '../../src/clock.ts';
import { backends } from '../helpers/backends.ts';
import { type ChatHarness, createChatHarness } from '../helpers/chat.ts';
import { seedCityRoster } from '../helpers/city-roster.ts';
import { rowCount } from '../helpers/rows.ts';

// Staff writing to the bot in plain words, as they would ask a colleague: "今天有啥事" and "谁还没交办" show
// what waits for them (待办), never the menu; a deputy saying "今天有啥事" is not shown the office's queue.

for (const backend of backends()) {
  describe.skipIf(!backend.available)(`staff in plain words on ${backend.name}`, () => {
    let chat: ChatHarness;
    // Wednesday 2026-12-02, 10:00 in Shanghai.
    const clock = new FixedClock('2026-12-02T02:00:00Z');

    beforeAll(async () => {
      chat = await createChatHarness(backend.name, { clock });
      // 李四 records leave decisions of the city congress (an approver is staff too).
      await seedCityRoster(chat.deps, {
        deputies: ['ZhangDaYe', 'WangMang', 'ZhangSan'],
        liSi: 'approver',
        zhujian: true,
        sessionAhead: true,
      });
      expect(await chat.say('ZhangDaYe', '建议 村口的路灯坏了半个月了，晚上看不见路')).toContain(
        'JY-2026-0001',
      );
      expect(await chat.say('WangMang', '建议 学校门口的红绿灯坏了，孩子过马路很危险')).toContain(
        'JY-2026-0002',
      );
    });
    afterAll(async () => {
      await chat?.close();
    });

    it('shows staff what waits when they ask in plain words, and a deputy the menu', async () => {
      for (const asked of ['今天有啥事', '谁还没交办', '还有哪些没交办的', '有啥要我办的']) {
        const answer = await chat.say('LiSi', asked);
        expect(answer, asked).toContain('等您处理的事项：');
        expect(answer, asked).toContain('待交办的建议 2 件');
        expect(answer, asked).not.toContain('没太明白');
      }
      // A deputy asking the same is offered what a deputy can do, never the office's queue.
      const deputy = await chat.say('ZhangDaYe', '今天有啥事');
      expect(deputy).not.toContain('等您处理的事项');
      expect(deputy).toContain('帮助');
      // Asking changes nothing: no leave filed, no item handed over, nothing new filed.
      expect(await rowCount(chat.deps.db, 'leave_requests')).toBe(0);
      expect(await rowCount(chat.deps.db, 'suggestion_assignments')).toBe(0);
      expect(await rowCount(chat.deps.db, 'suggestions')).toBe(2);
    });
  });
}
