import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FixedClock } from '../../src/clock.ts';
import { backends } from '../helpers/backends.ts';
import { type ChatHarness, createChatHarness } from '../helpers/chat.ts';
import { seedCityRoster } from '../helpers/city-roster.ts';
import { assignmentsOf } from '../helpers/rows.ts';
import { seedOrgan } from '../helpers/seed.ts';

// Staff in a hurry: a mistyped command word keeps the code and organ typed after it; a correction in the
// middle of a dialog changes the part it corrects and is never filed as an answer; 交办 alone never falls
// back on an item already handed over; a code typed while a dialog asks for something else is a request
// of its own; 延期 reaches the organs too.

for (const backend of backends()) {
  describe.skipIf(!backend.available)(`staff slips in chat on ${backend.name}`, () => {
    let chat: ChatHarness;
    const clock = new FixedClock('2026-12-02T02:00:00Z'); // Wednesday 10:00 in Shanghai
    /** An item's assignments in the order they were made: the organ, its role and its answer. */
    const assignments = (code: string) => assignmentsOf(chat.deps.db, code);
    const assigned = async (code: string) => (await assignments(code)).map((r) => r.name);

    beforeAll(async () => {
      chat = await createChatHarness(backend.name, { clock });
      await seedCityRoster(chat.deps, {
        deputies: ['ZhangSan', 'WangEr'],
      });
      for (const [organ, wecom] of [
        ['市住建局', 'ZhujianZhou'],
        ['市水务局', 'ShuiwuMa'],
      ] as const)
        await seedOrgan(chat.deps.db, organ, { name: `${organ}联系人`, wecom }, clock.now());
      for (const text of [
        '建议 府西街路灯不亮已经一个月了',
        '建议 南关小学门口缺少红绿灯',
        '建议 菜市场门口占道经营',
      ])
        expect(await chat.say('ZhangSan', text)).toMatch(/JY-2026-000\d/);
    });
    afterAll(async () => {
      await chat?.close();
    });

    it('keeps the code and organ typed after a mistyped word when the number of the menu is chosen', async () => {
      // The item just looked up is not the one meant.
      await chat.say('LiSi', '查询 JY-2026-0001');
      const menu = await chat.send('LiSi', { kind: 'text', text: '交班 JY-2026-0003 市水务局' });
      expect(menu?.text).toContain('没太明白您的意思');
      const n = menu!.buttons!.findIndex((b) => b.command === '交办 JY-2026-0003 市水务局') + 1;
      expect(n).toBeGreaterThan(0);
      expect(await chat.say('LiSi', String(n))).toContain('JY-2026-0003 已交办');
      expect(await assigned('JY-2026-0003')).toEqual(['市水务局']);
      expect(await assigned('JY-2026-0001')).toEqual([]);
    });

    it('lists what waits for 交办 rather than the item just talked about when that one is handed over', async () => {
      await chat.say('LiSi', '查询 JY-2026-0003');
      const list = await chat.send('LiSi', { kind: 'text', text: '交办' });
      expect(list?.text).toContain('请问交办哪一项？');
      expect(list?.buttons?.map((b) => b.command)).toEqual(['交办 JY-2026-0001', '交办 JY-2026-0002']);
      // Picked: the organ question names the item it is for; a code typed instead is a request of its own.
      expect(await chat.say('LiSi', '1')).toMatch(/^JY-2026-0001：请问承办单位是？/);
      expect(await chat.say('LiSi', '查询 JY-2026-0002')).toContain('南关小学门口缺少红绿灯');
      expect(await assigned('JY-2026-0001')).toEqual([]);
    });

    it('hands an item to the organ named when the guessed one is denied', async () => {
      const guess = await chat.say('LiSi', '交办 JY-2026-0001 住建局');
      expect(guess).toContain('是要交办给市住建局（承办）吗？');
      expect(await chat.say('LiSi', '不是，是市水务局')).toContain('JY-2026-0001 已交办');
      expect(await assigned('JY-2026-0001')).toEqual(['市水务局']);
    });

    it('offers the registered organ for a name typed one character off, and never tells a deputy a plan was done', async () => {
      expect(await chat.say('LiSi', '交办 JY-2026-0002 市水物局')).toContain(
        '是要交办给市水务局（承办）吗？',
      );
      expect(await chat.say('LiSi', '是')).toContain('JY-2026-0002 已交办');
      expect(await assigned('JY-2026-0002')).toEqual(['市水务局']);
      expect(await chat.say('LiSi', '回复 JY-2026-0002 经研究，列入明年计划')).toContain(
        '已记录市水务局对 JY-2026-0002 的答复',
      );
      const told = (await chat.inbox('ZhangSan')).filter((m) => m.includes('JY-2026-0002】市水务局已答复'));
      expect(told).toHaveLength(1);
      expect(told[0]).toContain('计划办理：经研究，列入明年计划');
      expect(told[0]).not.toContain('已办理');
    });

    it('hands an item to a lead and an assisting organ as offices write it, and asks which organ an answer is from', async () => {
      const code = /JY-2026-\d{4}/.exec(
        await chat.say('WangEr', '建议 和平街积水严重，下水管网需要改造'),
      )![0];
      expect(await chat.say('LiSi', `交办 ${code} 市水务局牵头，市住建局协办`)).toContain(`${code} 已交办`);
      expect((await assignments(code)).map(({ name, role }) => ({ name, role }))).toEqual([
        { name: '市水务局', role: 'lead' },
        { name: '市住建局', role: 'assist' },
      ]);
      const which = await chat.send('LiSi', { kind: 'text', text: `答复 ${code} 已配合完成管网勘察` });
      expect(which?.text).toContain(`${code} 由 2 个单位办理，这是哪个单位的答复？`);
      expect(which?.buttons?.map((b) => b.command)).toEqual([
        `答复 ${code} 市水务局：已配合完成管网勘察`,
        `答复 ${code} 市住建局：已配合完成管网勘察`,
      ]);
      const answered = async () =>
        (await assignments(code)).map(({ name, answer_done }) => ({ name, answer_done }));
      expect((await answered()).map((a) => a.answer_done)).toEqual([null, null]);
      expect(await chat.say('LiSi', '2')).toContain(`已记录协办单位市住建局对 ${code} 的答复`);
      expect(await answered()).toEqual([
        { name: '市水务局', answer_done: null },
        { name: '市住建局', answer_done: '已配合完成管网勘察' },
      ]);
    });

    it('takes a correction of the deputy or the date as the part it corrects, filing nothing with it', async () => {
      expect(await chat.say('LiSi', '代录 张三 建议')).toContain('请发建议的内容');
      expect(await chat.say('LiSi', '不对，是王二')).toBe(
        '好的，代表改为“王二”。\n请发建议的内容。\n（发“取消”可结束）',
      );
      const filed = await chat.say('LiSi', '南街下水道经常堵');
      const code = /JY-2026-\d{4}/.exec(filed)![0];
      const row = await chat.deps.db
        .selectFrom('suggestions as s')
        .innerJoin('suggestion_deputies as d', 'd.suggestion_id', 's.id')
        .innerJoin('people as p', 'p.id', 'd.person_id')
        .select(['s.content', 'p.name'])
        .where('s.code', '=', code)
        .execute();
      expect(row).toEqual([{ content: '南街下水道经常堵', name: '王二' }]);

      // 延期 to a date said again: the new date, then the reason; the organ is told as well.
      expect(await chat.say('LiSi', '延期 JY-2026-0003 2027年4月1日')).toBe(
        'JY-2026-0003：请问延期的理由是什么？\n（发“取消”可结束）',
      );
      expect(await chat.say('LiSi', '不对，延到2027年4月15日')).toContain('新期限改为“2027-04-15”');
      const done = await chat.say('LiSi', '需要协调资金');
      expect(done).toContain('市水务局（承办）：2027-04-15（星期四）');
      expect(done).toContain('已告知代表和承办单位联系人。');
      const told = (await chat.inbox('ShuiwuMa')).filter((m) => m.startsWith('【期限延长】'));
      expect(told).toHaveLength(1);
      expect(told[0]).toContain('JY-2026-0003');
      expect(told[0]).toContain('延至 2027-04-15（星期四）');
      expect(told[0]).toContain('原因：需要协调资金');
      // Words that correct nothing that can be read end the dialog with nothing done.
      await chat.say('LiSi', '延期 JY-2026-0003 2027年5月10日');
      expect(await chat.say('LiSi', '不对不对')).toContain('“延期”这次没有办理');
      expect((await chat.inbox('ShuiwuMa')).filter((m) => m.startsWith('【期限延长】'))).toHaveLength(1);
    });
  });
}
