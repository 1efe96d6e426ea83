import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FixedClock } from '../../src/clock.ts';
import { backends } from '../helpers/backends.ts';
import { type ChatHarness, createChatHarness } from '../helpers/chat.ts';
import { seedCityRoster } from '../helpers/city-roster.ts';

// Staff asked for a reason (延期, 不批准) who ask something else first ("今天有几个人请假") never have the
// question filed as the reason: it would reach the organ or the deputy. The question stands and nothing
// changes until a reason is given. A deputy's reason that ends in a question is still the reason.

for (const backend of backends()) {
  describe.skipIf(!backend.available)(`a question where staff are asked a reason on ${backend.name}`, () => {
    let chat: ChatHarness;
    const clock = new FixedClock('2026-12-02T02:00:00Z'); // Wednesday 10:00 in Shanghai
    let code = '';
    const dueOf = async () =>
      (
        await chat.deps.db
          .selectFrom('deadlines as d')
          .innerJoin('suggestion_assignments as a', 'a.deadline_id', 'd.id')
          .innerJoin('suggestions as s', 's.id', 'a.suggestion_id')
          .select('d.due_on')
          .where('s.code', '=', code)
          .executeTakeFirstOrThrow()
      ).due_on;

    beforeAll(async () => {
      chat = await createChatHarness(backend.name, { clock });
      await seedCityRoster(chat.deps, {
        deputies: ['WangEr', 'ZhangDaYe'],
        zhujian: true,
        sessionAhead: true,
      });
      code = /JY-2026-\d{4}/.exec(await chat.say('WangEr', '建议 城南路灯不亮'))![0];
      expect(await chat.say('LiSi', `交办 ${code} 市住建局`)).toContain('已交办');
    });
    afterAll(async () => {
      await chat?.close();
    });

    it('keeps asking for the reason of a 延期 when staff ask how many, and extends only with a reason', async () => {
      const due = await dueOf();
      expect(await chat.say('LiSi', `${code} 期限延到明年3月底`)).toContain('请问延期的理由是什么？');
      for (const asked of ['还有多少件没答复？', '这个是谁负责的']) {
        const r = await chat.say('LiSi', asked);
        expect(r, asked).toContain(`像是在问别的事，没有当作理由。${code}：请问延期的理由是什么？`);
        expect(await dueOf(), asked).toEqual(due);
      }
      // A staff question the bot answers is answered, and the 延期 asks its reason again after it.
      const leave = await chat.say('LiSi', '今天有几个人请假');
      expect(leave).toContain('今天（12月2日）没有会议或活动。之后的有：');
      expect(leave).toContain(`（“延期”还没办完）${code}：请问延期的理由是什么？`);
      expect(await dueOf()).toEqual(due);
      const done = await chat.say('LiSi', '施工单位冬季停工');
      expect(done).toContain(`${code} 已延期`);
      expect(await dueOf()).not.toEqual(due);
      const notice = (await chat.inbox('ZhuJian')).find((t) => t.startsWith('【期限延长】'));
      expect(notice).toContain('原因：施工单位冬季停工');
    });

    it('still takes a deputy’s reason that ends in a question', async () => {
      expect(await chat.say('ZhangDaYe', '请假 人代会')).toContain('事由');
      const r = await chat.say('ZhangDaYe', '身体不好 能批吗');
      expect(r).toContain('已提交请假 QJ-');
      const leave = await chat.deps.db
        .selectFrom('leave_requests')
        .select('reason')
        .executeTakeFirstOrThrow();
      expect(leave.reason).toContain('身体不好');
    });
  });
}
