import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FixedClock } from '../../src/clock.ts';
import { backends } from '../helpers/backends.ts';
import { type ChatHarness, createChatHarness } from '../helpers/chat.ts';
import { seedCityRoster } from '../helpers/city-roster.ts';
import { assignmentsOf, rowCount, signedCodes } from '../helpers/rows.ts';

// Staff writing to the bot in plain words, as they would ask a colleague: "今天有啥事" and "谁还没交办" show
// what waits for them (待办), never the menu; a deputy saying "今天有啥事" is not shown the office's queue.
// "请假的那个批了吧" from an approver is 批准 of the one request waiting, asked about with a yes first (never
// a request for leave of their own); with several waiting it asks which, with none it says so.
// "把路灯那个交给住建局" finds the suggestion waiting that the words name and asks once before handing it over;
// words that fit several list them, words that fit none say so and how to write it with the code.
// A deputy's "“我对农村养老”有个建议" only announces one: the matter told next is filed after 农村养老, with no
// stray 我对; told in the same message, the words are filed whole, as written.
// "第二个" picks the second line of the list just shown (an organ's 查询 list too); with no list, or past its
// end, it says so. An organ's "是" when nothing was offered is answered in a line and does nothing.

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

    /** The leave requests by code, with where each stands. */
    const leave = async () =>
      (
        await chat.deps.db.selectFrom('leave_requests').select(['code', 'status']).orderBy('code').execute()
      ).map((r) => [r.code, r.status]);

    it('shows staff what waits when they ask in plain words, and a deputy the menu', async () => {
      for (const asked of [
        '今天有啥事',
        '谁还没交办',
        '还有哪些没交办的',
        '有啥要我办的',
        '有没有要处理的',
        '还有没有要审的',
      ]) {
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

    it('approves the one leave request waiting when an approver points at it in words', async () => {
      // None waiting: said so, and no leave is filed for the approver.
      const none = await chat.say('LiSi', '请假的那个批了吧');
      expect(none).toBe('目前没有待决定的请假。');
      expect(await leave()).toEqual([]);

      expect(await chat.say('ZhangSan', '请假 人代会 出差')).toContain('已提交请假 QJ-2026-0001');
      const asked = await chat.say('LiSi', '请假的那个批了吧');
      expect(asked).toContain('确定批准 QJ-2026-0001 张三「第七次会议」 吗？');
      expect(asked).not.toContain('不在您可以使用的命令中');
      expect(await leave()).toEqual([['QJ-2026-0001', 'pending']]);
      expect(await chat.say('LiSi', '否')).toBe('好的，没有批准。');
      expect(await leave()).toEqual([['QJ-2026-0001', 'pending']]);

      expect(await chat.say('LiSi', '那个请假的批了')).toContain(
        '确定批准 QJ-2026-0001 张三「第七次会议」 吗？',
      );
      expect(await chat.say('LiSi', '是')).toContain('QJ-2026-0001');
      expect(await leave()).toEqual([['QJ-2026-0001', 'approved']]);
      expect((await chat.inbox('ZhangSan')).join('\n')).toContain('批准');
    });

    it('asks which when several wait, and finds the one called by surname', async () => {
      expect(await chat.say('WangMang', '请假 人代会 住院')).toContain('已提交请假 QJ-2026-0002');
      expect(await chat.say('ZhangDaYe', '请假 人代会 家里有事')).toContain('已提交请假 QJ-2026-0003');
      const which = await chat.say('LiSi', '请假的那个批了吧');
      expect(which).toContain('请问批准哪一项？待决定的有：');
      expect(which).toContain('1. QJ-2026-0002 王忙「第七次会议」');
      expect(which).toContain('2. QJ-2026-0003 张大爷「第七次会议」');
      expect(await leave()).toEqual([
        ['QJ-2026-0001', 'approved'],
        ['QJ-2026-0002', 'pending'],
        ['QJ-2026-0003', 'pending'],
      ]);
      // "老张": the one request of a deputy surnamed 张 still waiting (张三's is decided).
      expect(await chat.say('LiSi', '老张的请假批了吧')).toContain(
        '确定批准 QJ-2026-0003 张大爷「第七次会议」 吗？',
      );
      expect(await chat.say('LiSi', '是')).toContain('QJ-2026-0003');
      expect(await leave()).toEqual([
        ['QJ-2026-0001', 'approved'],
        ['QJ-2026-0002', 'pending'],
        ['QJ-2026-0003', 'approved'],
      ]);
      // A name with nothing waiting is said, with what does wait.
      expect(await chat.say('LiSi', '老赵的请假批了吧')).toContain(
        '老赵目前没有待决定的请假。请问批准哪一项？',
      );
      expect(await leave()).toContainEqual(['QJ-2026-0002', 'pending']);
    });

    it('hands over the suggestion its words name, asked about once', async () => {
      expect(await chat.say('ZhangSan', '建议 小区的路灯不亮，物业不管')).toContain('JY-2026-0003');
      const none = await chat.say('LiSi', '把垃圾那个交给住建局');
      expect(none).toContain(
        '没有找到与“垃圾”相符的待交办建议。请写明编号，例如“交办 JY-2026-0001 住建局”。',
      );
      expect(none).toContain('2. JY-2026-0002 王忙「学校门口的红绿灯坏了，孩子过…」');

      const several = await chat.say('LiSi', '把路灯那个交给住建局');
      expect(several).toContain('与“路灯”相符的待交办建议有 2 项，请问交办哪一项？');
      expect(several).toContain('1. JY-2026-0001 张大爷「村口的路灯坏了半个月了，晚上…」');
      expect(several).toContain('2. JY-2026-0003 张三「小区的路灯不亮，物业不管」');
      expect(several).not.toContain('JY-2026-0002');
      expect(await rowCount(chat.deps.db, 'suggestion_assignments')).toBe(0);

      const one = await chat.say('LiSi', '把红绿灯那个交给住建局');
      expect(one).toContain('确定把 JY-2026-0002 王忙「学校门口的红绿灯坏了，孩子过…」 交办给市住建局吗？');
      expect(await rowCount(chat.deps.db, 'suggestion_assignments')).toBe(0);
      expect(await chat.say('LiSi', '是')).toContain('JY-2026-0002 已交办：\n市住建局（承办）');
      expect((await assignmentsOf(chat.deps.db, 'JY-2026-0002')).map((a) => [a.name, a.role])).toEqual([
        ['市住建局', 'lead'],
      ]);
      // Only the item named went: the two about 路灯 still wait.
      expect(await rowCount(chat.deps.db, 'suggestion_assignments')).toBe(1);
      // By the deputy's name, with a bare 给 to an organ: asked once, 否 hands nothing over.
      expect(await chat.say('LiSi', '张三那个给住建局')).toContain(
        '确定把 JY-2026-0003 张三「小区的路灯不亮，物业不管」 交办给市住建局吗？',
      );
      expect(await chat.say('LiSi', '否')).toContain('没有交办');
      expect(await rowCount(chat.deps.db, 'suggestion_assignments')).toBe(1);
      // The one being handled by the organ named: its 延期 asks the reason first.
      const due = (await assignmentsOf(chat.deps.db, 'JY-2026-0002')).map((a) => a.due_on);
      expect(await chat.say('LiSi', '住建局的那个延期一个月')).toContain(
        'JY-2026-0002：请问延期的理由是什么？',
      );
      expect(await chat.say('LiSi', '取消')).toContain('已取消');
      expect((await assignmentsOf(chat.deps.db, 'JY-2026-0002')).map((a) => a.due_on)).toEqual(due);
    });

    it('holds a quoted topic for the matter told next, without a stray 我对', async () => {
      /** An item's content as filed. */
      const content = async (code: string) =>
        (
          await chat.deps.db
            .selectFrom('suggestions')
            .select('content')
            .where('code', '=', code)
            .executeTakeFirstOrThrow()
        ).content;
      const before = await rowCount(chat.deps.db, 'suggestions');
      const asked = await chat.say('ZhangDaYe', '“我对农村养老”有个建议');
      expect(asked).toContain('“农村养老”……请再说具体些');
      expect(await rowCount(chat.deps.db, 'suggestions')).toBe(before);
      expect(await chat.say('ZhangDaYe', '村里的老人没人照看')).toContain('JY-2026-0004');
      expect(await content('JY-2026-0004')).toBe('“农村养老”，村里的老人没人照看');

      expect(await chat.say('ZhangDaYe', '我对农村养老有个建议')).toContain('“农村养老”……请再说具体些');
      expect(await chat.say('ZhangDaYe', '村西头的老人冬天没人照看，希望建日间照料中心')).toContain(
        'JY-2026-0005',
      );
      expect(await content('JY-2026-0005')).toBe('农村养老，村西头的老人冬天没人照看，希望建日间照料中心');

      // Told in one message, nothing is dropped.
      const whole = '“我对农村养老”有个建议：村东头的老人看病难，希望村医每周上门';
      expect(await chat.say('ZhangDaYe', whole)).toContain('JY-2026-0006');
      expect(await content('JY-2026-0006')).toBe(whole);
    });

    it('picks the line of the list just shown, and says so when there is none', async () => {
      const none = await chat.say('LiSi', '第二个');
      expect(none).toBe('现在没有可以按序号选的列表。请直接告诉我您要办什么，发“帮助”可查看能办理的事项。');
      const listed = await chat.say('LiSi', '查询 张大爷');
      expect(listed).toContain('2. JY-2026-0005');
      expect(await chat.say('LiSi', '第二个')).toContain('内容：农村养老，村西头的老人冬天没人照看');
      // Past the end of the list: said, the list kept for the number meant.
      const own = (await chat.say('ZhangDaYe', '查询')).split('\n');
      const count = own.filter((l) => /^\d\. /.test(l)).length;
      expect(await chat.say('ZhangDaYe', '第九个')).toBe(
        `刚才的列表只有 ${count} 项，请回复 1–${count} 中的数字。`,
      );
      const line2 = /[A-Z]{2}-2026-\d{4}/.exec(own.find((l) => l.startsWith('2. '))!)![0];
      expect(await chat.say('ZhangDaYe', '第二个')).toContain(line2);
    });

    it('answers an organ’s “是” to nothing in a line, and its 第二个 with that line of 查询', async () => {
      const signed = () => signedCodes(chat.deps.db);
      const yes = await chat.say('ZhuJian', '是');
      expect(yes).toBe(
        '现在没有等您回答的问题，这条“是”没有办理任何事项。发“查询”可查看本单位正在办理的事项。',
      );
      expect(await signed()).toEqual([]);

      expect(await chat.say('LiSi', '交办 JY-2026-0001 市住建局')).toContain('JY-2026-0001 已交办');
      const list = await chat.say('ZhuJian', '查询');
      const lines = list.split('\n');
      expect(lines[0]).toMatch(/^1\. JY-2026-000[12]「/);
      expect(lines[1]).toMatch(/^2\. JY-2026-000[12]「/);
      const second = /JY-2026-000[12]/.exec(lines[1]!)![0];
      const card = await chat.say('ZhuJian', '第二个');
      expect(card).toContain(`${second}「`);
      expect(card).toContain('还没有签收');
      // The card's buttons are no question: "是" after it signs nothing.
      expect(await chat.say('ZhuJian', '是')).toContain('现在没有等您回答的问题');
      expect(await signed()).toEqual([]);
    });
  });
}
