import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FixedClock } from '../../src/clock.ts';
import { backends } from '../helpers/backends.ts';
import { type ChatHarness, createChatHarness } from '../helpers/chat.ts';
import { seedCityRoster } from '../helpers/city-roster.ts';
import { rowCount } from '../helpers/rows.ts';

// An elderly deputy asks after what they raised as they would ask a neighbour ("我上回反映那个桥的事有信儿没
// 有", "有信儿没有"): shown that item (found by its words) or their items, never filed as a new one; the
// greeting and whom it greets ("你好小同志 我是张大爷 …") are no part of the item's title. A busy deputy's
// "qj 人代会 生病" is 请假 (the letters no part of the reason), "cx" is 查询.

for (const backend of backends()) {
  describe.skipIf(!backend.available)(`a deputy asking after an item on ${backend.name}`, () => {
    let chat: ChatHarness;
    const clock = new FixedClock('2026-12-02T02:00:00Z');
    const suggestions = () => rowCount(chat.deps.db, 'suggestions');

    beforeAll(async () => {
      chat = await createChatHarness(backend.name, { clock });
      await seedCityRoster(chat.deps, { deputies: ['ZhangDaYe', 'WangMang'], sessionAhead: true });
    });
    afterAll(async () => {
      await chat?.close();
    });

    it('files the matter with a title that starts where the matter does', async () => {
      expect(
        await chat.say(
          'ZhangDaYe',
          '你好小同志 我是张大爷 我们村那个桥年久失修 走人都晃 你们能不能给反映反映',
        ),
      ).toContain('JY-2026-0001');
      expect(await chat.say('ZhangDaYe', '建议 村口路灯坏了')).toContain('JY-2026-0002');
      const listed = await chat.say('ZhangDaYe', '查询');
      expect(listed).toContain('「我们村那个桥年久失修');
      expect(listed).not.toContain('小同志');
    });

    it('shows the item asked after by its words, and files nothing', async () => {
      const answer = await chat.say('ZhangDaYe', '我上回反映那个桥的事有信儿没有');
      expect(answer).toContain('JY-2026-0001');
      expect(answer).toContain('已提交，待交办');
      expect(answer).not.toContain('已收到您的');
      expect(await suggestions()).toBe(2);
    });

    it('lists the items when only news is asked for', async () => {
      for (const asked of ['有信儿没有', '俺提的那个事有下文没']) {
        const answer = await chat.say('ZhangDaYe', asked);
        expect(answer).toContain('JY-2026-0001');
        expect(answer).toContain('JY-2026-0002');
      }
      expect(await suggestions()).toBe(2);
    });

    it('reads a busy deputy’s first letters as the command', async () => {
      expect(await chat.say('WangMang', 'qj 人代会 生病')).toContain('事由：生病');
      const leave = await chat.deps.db.selectFrom('leave_requests').select('reason').execute();
      expect(leave.map((l) => l.reason)).toEqual(['生病']);
      expect(await chat.say('WangMang', 'cx')).toContain('QJ-2026-0001');
    });
  });
}
