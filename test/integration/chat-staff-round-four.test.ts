import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FixedClock } from '../../src/clock.ts';
import { backends } from '../helpers/backends.ts';
import { type ChatHarness, createChatHarness } from '../helpers/chat.ts';
import { seedCityRoster } from '../helpers/city-roster.ts';
import { assignmentsOf } from '../helpers/rows.ts';

// Staff asking what came in as they would ask a colleague ("今天有什么新建议吗", "有几个请假的", "谁请假了")
// are shown what waits, the leave that others record counted too; "第一个交给住建局" with one suggestion
// waiting asks once about that one, the short name read as the registered organ, and a yes hands it over.

for (const backend of backends()) {
  describe.skipIf(!backend.available)(`staff asking in words on ${backend.name}`, () => {
    let chat: ChatHarness;
    // Wednesday 2026-12-02, 10:00 in Shanghai.
    const clock = new FixedClock('2026-12-02T02:00:00Z');
    let code = '';

    beforeAll(async () => {
      chat = await createChatHarness(backend.name, { clock });
      // 李四 is staff, not an approver: leave from the session is recorded by others.
      await seedCityRoster(chat.deps, {
        deputies: ['ZhangDaYe', 'WangMang'],
        zhujian: true,
        sessionAhead: true,
      });
      const filed = await chat.say('ZhangDaYe', '建议 村口的路灯坏了半个月了，晚上看不见路');
      code = /JY-2026-\d{4}/.exec(filed)![0];
      expect(await chat.say('WangMang', '请假 人代会 出差')).toContain('已提交请假');
    });
    afterAll(async () => {
      await chat?.close();
    });

    it('shows what waits when staff ask what came in', async () => {
      for (const asked of ['今天有什么新建议吗', '有几个请假的', '谁请假了', '请假的有哪些']) {
        const answer = await chat.say('LiSi', asked);
        expect(answer, asked).toContain('等您处理的事项：');
        expect(answer, asked).toContain('由别人记录决定的请假 1 件（主任会议或活动组织单位决定）');
        expect(answer, asked).toContain('待交办的建议 1 件');
      }
      // Staff asking never files leave of their own.
      const leave = await chat.deps.db.selectFrom('leave_requests').select('code').execute();
      expect(leave).toHaveLength(1);
    });

    it('asks once about the one suggestion waiting, with the organ as registered', async () => {
      const asked = await chat.say('LiSi', '第一个交给住建局');
      expect(asked).toContain(`确定把 ${code} 张大爷「村口的路灯坏了半个月了`);
      expect(asked).toContain('交办给市住建局吗？');
      expect(await assignmentsOf(chat.deps.db, code)).toEqual([]);
      const done = await chat.say('LiSi', '是');
      expect(done).toContain(`${code} 已交办：\n市住建局（承办）`);
      expect((await assignmentsOf(chat.deps.db, code)).map((a) => [a.name, a.role])).toEqual([
        ['市住建局', 'lead'],
      ]);
    });
  });
}
