import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FixedClock } from '../../src/clock.ts';
import { backends } from '../helpers/backends.ts';
import { type ChatHarness, createChatHarness } from '../helpers/chat.ts';
import { seedCityRoster } from '../helpers/city-roster.ts';
import { assignmentsOf, historyOf } from '../helpers/rows.ts';

// 延期 as staff say it: by "一个半月", "一个月零十天", "俩礼拜"; with "延到", "推迟到", "往后推", "期限延长"
// after the code or the item's words; "再给十天 理由" asked about first, with how much in the question. A shift
// that lands on a rest day says why the deadline shown is later; one past six months from 交办 says where it
// would land, and nothing moves.

for (const backend of backends()) {
  describe.skipIf(!backend.available)(`延期 as staff say it on ${backend.name}`, () => {
    let chat: ChatHarness;
    // Wednesday 2026-12-02, 10:00 in Shanghai; 交办 today makes the deadline 2027-03-02, the cap 2027-06-02.
    const clock = new FixedClock('2026-12-02T02:00:00Z');
    const due = async (code: string) => (await assignmentsOf(chat.deps.db, code)).map((a) => a.due_on);
    // The reason of the item's latest change, as its history keeps it.
    const lastReason = async (code: string) =>
      (
        await chat.deps.db
          .selectFrom('suggestion_events as e')
          .innerJoin('suggestions as s', 's.id', 'e.suggestion_id')
          .select('e.reason')
          .where('s.code', '=', code)
          .orderBy('e.id', 'desc')
          .executeTakeFirstOrThrow()
      ).reason;

    beforeAll(async () => {
      chat = await createChatHarness(backend.name, { clock });
      await seedCityRoster(chat.deps, { deputies: ['ZhangDaYe', 'LiMaHu'], liSi: 'staff', zhujian: true });
      expect(await chat.say('ZhangDaYe', '建议 村里的自来水经常停，老人挑水困难，希望尽快解决')).toContain(
        'JY-2026-0001',
      );
      expect(await chat.say('LiMaHu', '建议 菜市场门口垃圾没人清理，气味很大')).toContain('JY-2026-0002');
      for (const code of ['JY-2026-0001', 'JY-2026-0002'])
        expect(await chat.say('LiSi', `交办 ${code} 市住建局`)).toContain('2027-03-02');
    });
    afterAll(async () => {
      await chat?.close();
    });

    it('takes a month and a half, and says why a deadline on a Saturday is the Monday after', async () => {
      const answer = await chat.say('LiSi', '延期 JY-2026-0001 一个半月 需要协调资金');
      // 2027-03-02 + one month = 04-02, + fifteen days = 04-17, a Saturday.
      expect(answer).toContain('JY-2026-0001 已延期');
      expect(answer).toContain('2027-04-19（星期一）');
      expect(answer).toContain('2027-04-17（星期六）不是工作日');
      expect(await due('JY-2026-0001')).toEqual(['2027-04-19']);
      expect(await lastReason('JY-2026-0001')).toBe('需要协调资金');
    });

    it('says where a shift past six months would land, and moves nothing', async () => {
      const before = (await historyOf(chat.deps.db, 'JY-2026-0001')).length;
      const answer = await chat.say('LiSi', '延期 JY-2026-0001 两个月零十天 资金');
      // 04-19 + two months = 06-19, + ten days = 06-29: past 2027-06-02.
      expect(answer).toContain('再延2个月10天是 2027-06-29（星期二）');
      expect(answer).toContain('最迟 2027-06-02');
      expect(await due('JY-2026-0001')).toEqual(['2027-04-19']);
      expect(await chat.say('LiSi', '取消')).toContain('已取消');
      expect(await historyOf(chat.deps.db, 'JY-2026-0001')).toHaveLength(before);
    });

    it('reads 延到, 往后推 and 俩礼拜 after the code as 延期 of it', async () => {
      expect(await chat.say('LiSi', 'JY-2026-0002 延到4月底 清运合同要重签')).toContain(
        '2027-04-30（星期五）',
      );
      expect(await due('JY-2026-0002')).toEqual(['2027-04-30']);
      const pushed = await chat.say('LiSi', 'JY-2026-0002的期限往后推俩礼拜 设备要采购');
      expect(pushed).toContain('2027-05-14（星期五）');
      expect(pushed).not.toContain('不是工作日');
      expect(await due('JY-2026-0002')).toEqual(['2027-05-14']);
      expect(await lastReason('JY-2026-0002')).toBe('设备要采购');
    });

    it('asks before "再给十天", saying how much, and moves nothing until told yes', async () => {
      const asked = await chat.say('LiSi', 'JY-2026-0002再给十天 居民意见要再征求');
      expect(asked).toContain('确定把 JY-2026-0002 的期限延长10天吗');
      expect(await due('JY-2026-0002')).toEqual(['2027-05-14']);
      expect(await chat.say('LiSi', '是')).toContain('2027-05-24（星期一）');
      expect(await due('JY-2026-0002')).toEqual(['2027-05-24']);
    });

    it('finds the item by its words for 延到 a date, and names that date in the question', async () => {
      const asked = await chat.say('LiSi', '把自来水那个延到5月10号 管网改造');
      expect(asked).toContain('确定把 JY-2026-0001 的期限延到 2027-05-10（星期一）吗');
      expect(await due('JY-2026-0001')).toEqual(['2027-04-19']);
      expect(await chat.say('LiSi', '是')).toContain('2027-05-10（星期一）');
      expect(await due('JY-2026-0001')).toEqual(['2027-05-10']);
    });

    it('reads other words after a code as no 延期', async () => {
      const before = (await historyOf(chat.deps.db, 'JY-2026-0002')).length;
      expect(await chat.say('LiSi', 'JY-2026-0002 再给他打个电话')).not.toContain('延期');
      expect(await due('JY-2026-0002')).toEqual(['2027-05-24']);
      expect(await historyOf(chat.deps.db, 'JY-2026-0002')).toHaveLength(before);
    });
  });
}
