import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FixedClock } from '../../src/clock.ts';
import { backends } from '../helpers/backends.ts';
import { type ChatHarness, createChatHarness } from '../helpers/chat.ts';
import { seedCityRoster, seedTrafficAndPolice } from '../helpers/city-roster.ts';
import { assignmentsOf, everyRecord, historyOf, signedCodes } from '../helpers/rows.ts';

// What a busy organ contact asks the desk rather than does — which item is most urgent, how to answer,
// more time, another organ to handle it with, changing an answer sent, photos to come later, a mistyped
// code — is answered from the organ's own items and changes nothing; the one act among them, 申请延期, is
// asked 是 / 否 first when said in words, goes to the office (《代表法》第五十一条第二款: the office approves an
// extension) and moves no date. "附件稍后发" is never taken for the answer's signer.

const CONTACT = 'ZhuJian';
const LAMP = 'JY-2026-0001「府西街路灯不亮已经一个月了」';
const MARKET = 'JY-2026-0003「东关菜市场门口占道经营太乱」';
const DUE = '2027-03-02（星期二）（暂定日历）';
const SIGNER_Q = '请问这份答复的签发人是谁？写姓名或职务即可，例如：王局长。（发“取消”可结束）';

for (const backend of backends()) {
  describe.skipIf(!backend.available)(`an organ contact's asks of the desk on ${backend.name}`, () => {
    let chat: ChatHarness;
    const clock = new FixedClock('2026-12-02T02:00:00Z'); // Wednesday 10:00 in Shanghai
    const say = (text: string) => chat.send(CONTACT, { kind: 'text', text });
    /** Says `text` and checks that nothing was written (the message's own record aside). */
    const unchanged = async (text: string) => {
      const before = await everyRecord(chat.deps.db);
      const r = await say(text);
      expect(await everyRecord(chat.deps.db)).toBe(before);
      return r;
    };
    const answers = () =>
      chat.deps.db.selectFrom('suggestion_answers').select(['status', 'fields', 'result_class']).execute();

    beforeAll(async () => {
      chat = await createChatHarness(backend.name, { clock });
      await seedCityRoster(chat.deps, { deputies: ['ZhangSan', 'WangEr'], zhujian: true });
      await seedTrafficAndPolice(chat.deps.db, clock.now());
      await chat.say('ZhangSan', '建议 府西街路灯不亮已经一个月了');
      await chat.say('WangEr', '建议 南环路红绿灯时间太短');
      expect(await chat.say('LiSi', '交办 JY-2026-0001 市住建局')).toContain('市住建局（承办）');
      expect(await chat.say('LiSi', '交办 JY-2026-0002 市交通局')).toContain('市交通局（承办）');
      clock.advance(86_400_000); // the market item is handed a day later, so it is due a day later
      await chat.say('ZhangSan', '建议 东关菜市场门口占道经营太乱');
      expect(await chat.say('LiSi', '交办 JY-2026-0003 市住建局')).toContain('市住建局（承办）');
    });
    afterAll(async () => {
      await chat?.close();
    });

    it('names the most urgent item, and says a mistyped or another organ’s code is none of its own, keeping the words', async () => {
      // Before: the list of commands.
      const urgent = await unchanged('最急的是哪个');
      expect(urgent?.text).toBe(
        `期限最近的是 ${LAMP}：还没有签收。期限 ${DUE}，还有 89 天。\n本单位待答复的共 2 项，发“查询”可查看全部。\n要现在签收吗？回复“是”或点下面的按钮。`,
      );
      expect(urgent?.buttons).toEqual([{ label: '签收 JY-2026-0001', command: '签收 JY-2026-0001' }]);
      expect((await unchanged('先办哪个'))?.text).toContain(`期限最近的是 ${LAMP}`);
      // 市交通局's item is "not found", exactly as a code that does not exist; its title is never shown.
      const other = await unchanged('JY-2026-0002');
      expect(other?.text).toContain('没有找到编号为 JY-2026-0002 的事项，请核对编号。');
      expect(other?.text).not.toContain('红绿灯');
      // Before: "没有找到编号为 JY-2026-0009 的事项", and 办好了 lost.
      const typo = await unchanged('JY-2026-0009 办好了');
      expect(typo?.text).toContain('没有找到编号为 JY-2026-0009 的事项，请核对编号。');
      expect(typo?.text).toContain('即按该项办理“办好了”');
      expect(typo?.text).toContain(LAMP);
      expect(typo?.text).toContain(MARKET);
      expect(typo?.buttons).toHaveLength(2);
      expect(typo?.buttons).toEqual(
        expect.arrayContaining([
          { label: '改为 JY-2026-0001', command: 'JY-2026-0001 办好了' },
          { label: '改为 JY-2026-0003', command: 'JY-2026-0003 办好了' },
        ]),
      );
      const wrongSign = await unchanged('签收 JY-2026-0009');
      expect(wrongSign?.buttons?.map((b) => b.command).sort()).toEqual([
        '签收 JY-2026-0001',
        '签收 JY-2026-0003',
      ]);
      expect(await signedCodes(chat.deps.db)).toEqual([]);
    });

    it('says how to answer or sign, with the organ’s own code, and does neither', async () => {
      // Before: "怎么答复" got the command list; "答复怎么写" began an answer; "签收怎么弄" was a 签收.
      for (const how of ['怎么答复', '答复怎么写']) {
        const r = await unchanged(how);
        expect(r?.text).toContain('直接告诉我办理情况即可，例如“路灯已经修好了”');
        expect(r?.text).toContain('和签发人，问完就提交，经人大常委会代表工作机构审核后发给代表。');
        expect(r?.text).toMatch(/答复 JY-2026-000[13] 分类：A；已办理：……；签发人：……/);
      }
      expect((await unchanged('签收怎么弄'))?.text).toMatch(/^发“签收 JY-2026-000[13]”即可/);
      expect(await signedCodes(chat.deps.db)).toEqual([]);
    });

    it('tells the deadline and who extends it when more time is asked, and asks before passing the request on', async () => {
      // Before: the command list, or the words offered as the item's answer.
      const which = await unchanged('能不能晚几天答复');
      expect(which?.text).toContain(
        '涉及面广、处理难度大的，可以申请延期，由人大常委会代表工作机构决定，最迟不超过自交办之日起六个月（《代表法》第五十一条第二款）。',
      );
      expect(which?.text).toContain('要为哪一项申请延期？');
      expect(which?.buttons?.map((b) => b.command).sort()).toEqual([
        '申请延期 JY-2026-0001 能不能晚几天答复',
        '申请延期 JY-2026-0003 能不能晚几天答复',
      ]);
      expect((await unchanged('是'))?.text).toBe('请回复数字（1–2）选择其中一项，或点选上面的按钮。');
      const lamp = await unchanged('路灯那个时间不够，要等资金到位');
      expect(lamp?.text).toBe(
        `${LAMP}的答复期限是 ${DUE}（自交办之日起三个月）。涉及面广、处理难度大的，可以申请延期，由人大常委会代表工作机构决定，最迟至 2027-06-02（星期三）（暂定日历）（《代表法》第五十一条第二款）。\n` +
          '要向人大常委会代表工作机构申请延期吗？回复“是”或点下面的按钮提交（理由：“路灯那个时间不够，要等资金到位”）；要另写理由的话，发：申请延期 JY-2026-0001 理由',
      );
      expect(await say('是')).toEqual({
        text: `已提出延期申请（JY-2026-0001），由人大常委会代表工作机构决定；决定前请按原期限 ${DUE}办理，延期最迟至 2027-06-02（星期三）（暂定日历）。`,
      });
      // The request changes no date: the office approves it with 延期.
      expect((await assignmentsOf(chat.deps.db, 'JY-2026-0001')).map((a) => a.due_on)).toEqual([
        '2027-03-02',
      ]);
      expect((await historyOf(chat.deps.db, 'JY-2026-0001')).at(-1)).toEqual({
        action: 'extension_requested',
        summary: `市住建局（承办）申请延期，现答复期限 ${DUE}`,
      });
      const audit = await chat.deps.db
        .selectFrom('audit_log')
        .select(['detail', 'before', 'after'])
        .where('action', '=', 'assignment.extension_request')
        .execute();
      expect(audit).toHaveLength(1);
      expect(audit[0]!.detail).toMatchObject({
        code: 'JY-2026-0001',
        organ: '市住建局',
        via: 'chat',
        reason: '路灯那个时间不够，要等资金到位',
      });
      expect((await chat.inbox('LiSi')).join('\n')).toContain(
        `【延期申请】市住建局申请延长建议 ${LAMP}的答复期限（现为 ${DUE}），理由：路灯那个时间不够，要等资金到位。延期最迟至 2027-06-02（星期三）（暂定日历）（自交办之日起6个月）。同意的，发“延期 JY-2026-0001 日期 理由”`,
      );
      // 申请延期 with its code and no reason asks for one.
      expect((await unchanged('申请延期 JY-2026-0003'))?.text).toBe(
        '请写明理由，如：申请延期 JY-2026-0003 需要协调资金，预计3月底完成',
      );
    });

    it('answers “要跟交通局一起办” with how another organ comes in, changing nothing', async () => {
      // Before: offered as the item's answer.
      const r = await unchanged('这个要跟交通局一起办');
      expect(r?.text).toContain('需要交通局配合的，可以直接与对方协商办理，答复时写明会同办理的情况。');
      expect(r?.text).toContain('认为应由交通局牵头的');
      expect(r?.buttons).toBeUndefined();
    });

    it('never takes “附件稍后发” for the signer; “把答复改一下” offers 撤回答复 and changes nothing', async () => {
      expect((await say('路灯那个已经修好了'))?.text).toContain('的办理结果属于哪一类？');
      expect((await say('A'))?.text).toBe(SIGNER_Q);
      // Before: recorded as the signer ("签发人：附件稍后发") and the answer submitted.
      expect((await unchanged('附件稍后发'))?.text).toBe(
        `好的，照片或文件发来后会和这份答复一起提交。${SIGNER_Q}`,
      );
      expect(await answers()).toEqual([]);
      expect((await say('王局长'))?.text).toContain('已收到 JY-2026-0001 的答复');
      const sent = await answers();
      expect(sent).toHaveLength(1);
      expect(sent[0]).toMatchObject({
        status: 'pending_review',
        result_class: 'A',
        fields: { done: '已经修好了', signedBy: '王局长' },
      });
      expect((await unchanged('附件稍后发'))?.text).toBe(
        '好的。JY-2026-0001 的答复审核前，发来的照片或文件会补充到这份答复中。',
      );
      // Before: offered “把答复改一下” as words to add to the answer.
      for (const words of ['把答复改一下', '我想改一下答复']) {
        const r = await unchanged(words);
        expect(r?.text).toBe(
          'JY-2026-0001 的答复已提交，正等待审核，审核前可以修改：\n' +
            '要补充的，直接发补充的内容（如“另外线路也检修了”）或照片；\n' +
            '要重新写的，点下面的按钮撤回这份答复（撤回后不会发给代表），再重新告诉我办理情况。',
        );
        expect(r?.buttons).toEqual([{ label: '撤回答复 JY-2026-0001', command: '撤回答复 JY-2026-0001' }]);
      }
      expect(await answers()).toEqual(sent);
    });
  });
}
