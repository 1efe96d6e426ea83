import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FixedClock } from '../../src/clock.ts';
import { backends } from '../helpers/backends.ts';
import { type ChatHarness, createChatHarness } from '../helpers/chat.ts';
import { seedCityRoster } from '../helpers/city-roster.ts';
import { assignmentsOf, historyOf } from '../helpers/rows.ts';

// Staff extending a deadline as they say it: "延期 JY-… 一个月 理由", "延长两周", "再宽限10天" move each open
// organ's deadline by that much from where it stands (months counted to the corresponding day); "把自来水那个
// 延期一个月" finds the suggestion being handled by its words; "延期一个月" with no item named lists those being
// handled to pick from. Past six months from 交办 it is refused and nothing moves.

for (const backend of backends()) {
  describe.skipIf(!backend.available)(`延期 by how much on ${backend.name}`, () => {
    let chat: ChatHarness;
    // Wednesday 2026-12-02, 10:00 in Shanghai; 交办 today makes the deadline 2027-03-02 (three months).
    const clock = new FixedClock('2026-12-02T02:00:00Z');
    const due = async (code: string) => (await assignmentsOf(chat.deps.db, code)).map((a) => a.due_on);

    beforeAll(async () => {
      chat = await createChatHarness(backend.name, { clock });
      await seedCityRoster(chat.deps, { deputies: ['ZhangDaYe', 'WangMang'], liSi: 'staff', zhujian: true });
      expect(await chat.say('ZhangDaYe', '建议 村里的自来水经常停，老人挑水困难，希望尽快解决')).toContain(
        'JY-2026-0001',
      );
      expect(await chat.say('WangMang', '建议 学校门口的红绿灯坏了，孩子过马路很危险')).toContain(
        'JY-2026-0002',
      );
      for (const code of ['JY-2026-0001', 'JY-2026-0002'])
        expect(await chat.say('LiSi', `交办 ${code} 市住建局`)).toContain('2027-03-02');
    });
    afterAll(async () => {
      await chat?.close();
    });

    it('moves the deadline by a month from where it stands, with the reason', async () => {
      const answer = await chat.say('LiSi', '延期 JY-2026-0001 一个月 需要协调资金');
      expect(answer).toContain('JY-2026-0001 已延期');
      expect(answer).toContain('2027-04-02');
      expect(await due('JY-2026-0001')).toEqual(['2027-04-02']);
      const last = (await historyOf(chat.deps.db, 'JY-2026-0001')).at(-1)!;
      expect(last.action).toBe('extended');
      expect(last.summary).toContain('2027-03-02');
      expect(last.summary).toContain('2027-04-02');
    });

    it('asks why when only how much was said, and takes weeks and days', async () => {
      expect(await chat.say('LiSi', '延期 JY-2026-0002 延长两周')).toContain('请问延期的理由是什么');
      expect(await chat.say('LiSi', '管网改造需要时间')).toContain('2027-03-16');
      expect(await due('JY-2026-0002')).toEqual(['2027-03-16']);
      expect(await chat.say('LiSi', '延期 JY-2026-0002')).toContain('或说延长多久');
      expect(await chat.say('LiSi', '再宽限10天')).toContain('请问延期的理由是什么');
      expect(await chat.say('LiSi', '施工方进场晚')).toContain('2027-03-26');
      expect(await due('JY-2026-0002')).toEqual(['2027-03-26']);
    });

    it('finds the suggestion by its words, and asks before it moves one said so loosely', async () => {
      expect(await chat.say('LiSi', '把自来水那个延期一个月')).toContain(
        'JY-2026-0001：请问延期的理由是什么',
      );
      // A month after 2027-04-02 is 2027-05-02, in the May Day days off: the deadline moves to the next
      // working day.
      expect(await chat.say('LiSi', '管网改造要时间')).toContain('2027-05-05');
      expect(await due('JY-2026-0001')).toEqual(['2027-05-05']);
      const asked = await chat.say('LiSi', '红绿灯那个的期限延长两周 设备要采购');
      expect(asked).toContain('确定把 JY-2026-0002 的期限延长14天吗');
      expect(await due('JY-2026-0002')).toEqual(['2027-03-26']);
      expect(await chat.say('LiSi', '是')).toContain('2027-04-09');
      expect(await due('JY-2026-0002')).toEqual(['2027-04-09']);
    });

    it('lists what is being handled when no item is named, and a pick carries the rest', async () => {
      const listed = await chat.say('LiSi', '延期一个月 资金没到位');
      expect(listed).toContain('办理中的有');
      expect(listed).toContain('1. JY-2026-0001');
      expect(listed).toContain('2. JY-2026-0002');
      expect(await chat.say('LiSi', '2')).toContain('2027-05-10');
      expect(await due('JY-2026-0002')).toEqual(['2027-05-10']);
    });

    it('says when the words fit nothing being handled, and moves nothing', async () => {
      const before = [...(await due('JY-2026-0001')), ...(await due('JY-2026-0002'))];
      const answer = await chat.say('LiSi', '把路灯那个延期一个月');
      expect(answer).toContain('没有找到与“路灯”相符的办理中建议');
      expect(answer).toContain('延期 JY-2026-0001 1个月');
      expect(await chat.say('LiSi', '取消')).toBeTruthy();
      expect([...(await due('JY-2026-0001')), ...(await due('JY-2026-0002'))]).toEqual(before);
    });

    it('refuses a shift past six months from 交办, and the date is asked again', async () => {
      const before = await due('JY-2026-0001');
      const answer = await chat.say('LiSi', '延期 JY-2026-0001 七个月 太难了');
      expect(answer).toContain('延期不得超过自交办之日起6个月');
      expect(answer).toContain('请问延期到哪一天');
      expect(await chat.say('LiSi', '取消')).toContain('已取消');
      expect(await due('JY-2026-0001')).toEqual(before);
    });

    it('is staff words only: a deputy saying 延期一个月 moves nothing', async () => {
      const before = await due('JY-2026-0001');
      const answer = await chat.say('ZhangDaYe', '把自来水那个延期一个月');
      expect(answer).not.toContain('已延期');
      expect(await due('JY-2026-0001')).toEqual(before);
    });
  });
}
