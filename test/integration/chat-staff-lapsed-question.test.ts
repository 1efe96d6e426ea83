import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FixedClock } from '../../src/clock.ts';
import { backends } from '../helpers/backends.ts';
import { type ChatHarness, createChatHarness } from '../helpers/chat.ts';
import { seedCityRoster } from '../helpers/city-roster.ts';

// A staff step asked about with 是 / 否 and then passed over ("张大爷的假批了吧", then "王忙那个请假也同意") is
// said to be still undone before the next is asked: "也同意" must not leave the approver thinking the first
// was recorded. "张大爷那个假不能批，人代会必须参加" is 不批准 of that request with its reason.

for (const backend of backends()) {
  describe.skipIf(!backend.available)(`a staff question passed over on ${backend.name}`, () => {
    let chat: ChatHarness;
    const clock = new FixedClock('2026-12-02T02:00:00Z');
    const statuses = async () =>
      (
        await chat.deps.db.selectFrom('leave_requests').select(['code', 'status']).orderBy('code').execute()
      ).map((r) => `${r.code} ${r.status}`);

    beforeAll(async () => {
      chat = await createChatHarness(backend.name, { clock });
      await seedCityRoster(chat.deps, {
        deputies: ['ZhangDaYe', 'WangMang'],
        liSi: 'approver',
        sessionAhead: true,
      });
      expect(await chat.say('ZhangDaYe', '我下个月的会去不了，孙子结婚')).toContain('QJ-2026-0001');
      expect(await chat.say('WangMang', '请假 人代会 出差')).toContain('QJ-2026-0002');
    });
    afterAll(async () => {
      await chat?.close();
    });

    it('says the first is still undone when the next is asked instead', async () => {
      expect(await chat.say('LiSi', '张大爷的假批了吧')).toContain('确定批准 QJ-2026-0001');
      const next = await chat.say('LiSi', '王忙那个请假也同意');
      expect(next).toContain('没有收到“是”，所以还没有办理');
      expect(next).toContain('QJ-2026-0001');
      expect(next).toContain('确定批准 QJ-2026-0002');
      expect(await chat.say('LiSi', '是')).toContain('QJ-2026-0002');
      expect(await statuses()).toEqual(['QJ-2026-0001 pending', 'QJ-2026-0002 approved']);
    });

    it('reads "张大爷那个假不能批，…" as 不批准 of that request, its reason kept', async () => {
      expect(await chat.say('LiSi', '张大爷那个假不能批，人代会必须参加')).toContain(
        '确定不批准 QJ-2026-0001',
      );
      expect(await statuses()).toEqual(['QJ-2026-0001 pending', 'QJ-2026-0002 approved']);
      expect(await chat.say('LiSi', '是')).toContain('QJ-2026-0001');
      const row = await chat.deps.db
        .selectFrom('leave_requests')
        .select(['status', 'decision_reason'])
        .where('code', '=', 'QJ-2026-0001')
        .executeTakeFirstOrThrow();
      expect(row).toEqual({ status: 'rejected', decision_reason: '人代会必须参加' });
    });
  });
}
