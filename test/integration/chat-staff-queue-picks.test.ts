import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FixedClock } from '../../src/clock.ts';
import { backends } from '../helpers/backends.ts';
import { type ChatHarness, createChatHarness } from '../helpers/chat.ts';
import { seedCityRoster } from '../helpers/city-roster.ts';
import { assignmentsOf } from '../helpers/rows.ts';

// An approver working through 待办 on a phone: the lines that can be done in chat are numbered, and
// "第二个" lists what that line waits for; a decision said with the deputy's name first ("王忙的请假不批，
// 人代会必须参加", "李秀英那个批了") names that request and is asked about once before it is recorded.

for (const backend of backends()) {
  describe.skipIf(!backend.available)(`待办 picked by number on ${backend.name}`, () => {
    let chat: ChatHarness;
    const clock = new FixedClock('2026-12-02T02:00:00Z');
    const leave = () =>
      chat.deps.db
        .selectFrom('leave_requests')
        .select(['code', 'status', 'decision_reason'])
        .orderBy('code')
        .execute();

    beforeAll(async () => {
      chat = await createChatHarness(backend.name, { clock });
      await seedCityRoster(chat.deps, {
        deputies: ['ZhangDaYe', 'WangMang', 'LiXiuYing'],
        liSi: 'approver',
        zhujian: true,
        sessionAhead: true,
      });
      expect(await chat.say('ZhangDaYe', '建议 村里的自来水经常停，老人挑水困难')).toContain('JY-2026-0001');
      expect(await chat.say('WangMang', '请假 人代会 出差')).toContain('QJ-2026-0001');
      expect(await chat.say('LiXiuYing', '请假 人代会 孩子结婚')).toContain('QJ-2026-0002');
    });
    afterAll(async () => {
      await chat?.close();
    });

    it('numbers what can be done in chat, and a number lists what that line waits for', async () => {
      const queue = await chat.say('LiSi', '待办');
      expect(queue).toContain('1. 待决定的请假 2 件');
      expect(queue).toContain('2. 待交办的建议 1 件');
      // Before: "现在没有可以按序号选的列表".
      const listed = await chat.say('LiSi', '第二个');
      expect(listed).toContain('请问交办哪一项？待交办的有');
      expect(listed).toContain('1. JY-2026-0001 张大爷');
      expect(await chat.say('LiSi', '1')).toContain('JY-2026-0001：请问承办单位是');
      expect(await chat.say('LiSi', '市住建局')).toContain('JY-2026-0001 已交办');
      expect((await assignmentsOf(chat.deps.db, 'JY-2026-0001')).map((a) => a.name)).toEqual(['市住建局']);
      expect(await leave()).toEqual([
        { code: 'QJ-2026-0001', status: 'pending', decision_reason: null },
        { code: 'QJ-2026-0002', status: 'pending', decision_reason: null },
      ]);
    });

    it('refuses the request of the deputy named first, with the reason said after, once asked', async () => {
      // Before: read as a request for leave of the approver's own.
      const asked = await chat.say('LiSi', '王忙的请假不批，人代会必须参加');
      expect(asked).toContain('确定不批准 QJ-2026-0001 王忙');
      expect((await leave())[0]!.status).toBe('pending');
      expect(await chat.say('LiSi', '是')).toContain('决定不批准（理由：人代会必须参加）');
      expect((await leave())[0]).toEqual({
        code: 'QJ-2026-0001',
        status: 'rejected',
        decision_reason: '人代会必须参加',
      });
    });

    it('approves the request of the deputy named before 那个批了, once asked; how it is said names no one', async () => {
      // Words that only say how are no name: what waits is listed.
      const how = await chat.say('LiSi', '直接批了');
      expect(how).not.toContain('直接目前没有');
      expect(await leave()).toContainEqual(
        expect.objectContaining({ code: 'QJ-2026-0002', status: 'pending' }),
      );
      // Before: "没太明白您的意思".
      expect(await chat.say('LiSi', '李秀英那个批了')).toContain('确定批准 QJ-2026-0002 李秀英');
      expect(await chat.say('LiSi', '是')).toContain('决定批准');
      expect((await leave())[1]).toEqual({ code: 'QJ-2026-0002', status: 'approved', decision_reason: null });
    });
  });
}
