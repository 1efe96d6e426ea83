import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FixedClock } from '../../src/clock.ts';
import { backends } from '../helpers/backends.ts';
import { type ChatHarness, createChatHarness } from '../helpers/chat.ts';
import { seedCityRoster } from '../helpers/city-roster.ts';
import { historyOf } from '../helpers/rows.ts';
import { seedOrgan } from '../helpers/seed.ts';

// Staff take back a 延期 just recorded ("撤销延期", "不对，不延期了"): the earlier due date returns, the change
// is audited and in the history, and the organ and the deputy, told of the extension, are told it is void
// (a notice not yet sent is withdrawn instead). A staff 答复 written while the organ's own answer waits for
// review asks which to keep: 否 keeps the organ's, 是 records the staff one and sets the organ's aside.

for (const backend of backends()) {
  describe.skipIf(!backend.available)(`taking back a 延期, and two answers, on ${backend.name}`, () => {
    let chat: ChatHarness;
    const clock = new FixedClock('2026-12-02T02:00:00Z'); // Wednesday 10:00 in Shanghai
    const codeOf = (text: string) => /JY-2026-\d{4}/.exec(text)![0];
    const dues = (code: string) =>
      chat.deps.db
        .selectFrom('suggestion_assignments as a')
        .innerJoin('suggestions as s', 's.id', 'a.suggestion_id')
        .innerJoin('deadlines as d', 'd.id', 'a.deadline_id')
        .select(['d.due_on', 'd.target_on'])
        .where('s.code', '=', code)
        .execute();
    const audits = (action: string, code: string) =>
      chat.deps.db
        .selectFrom('audit_log')
        .select(['actor', 'before', 'after', 'detail', 'request_id'])
        .where('action', '=', action)
        .where(({ ref, eb }) => eb(ref('detail', '->>').key('code' as never), '=', code))
        .execute();
    const history = (code: string) => historyOf(chat.deps.db, code);
    const answers = (code: string) =>
      chat.deps.db
        .selectFrom('suggestion_answers as a')
        .innerJoin('suggestions as s', 's.id', 'a.suggestion_id')
        .select(['a.status', 'a.review_note'])
        .where('s.code', '=', code)
        .orderBy('a.id')
        .execute();
    const assigned = async (words: string) => {
      const code = codeOf(await chat.say('ZhangSan', `建议 ${words}`));
      expect(await chat.say('LiSi', `交办 ${code} 市住建局`)).toContain('2027-03-02');
      return code;
    };

    beforeAll(async () => {
      chat = await createChatHarness(backend.name, { clock });
      await seedCityRoster(chat.deps, { deputies: ['ZhangSan'] });
      await seedOrgan(chat.deps.db, '市住建局', { name: '周科长', wecom: 'ZhujianZhou' }, clock.now());
    });
    afterAll(async () => {
      await chat?.close();
    });

    it('takes back a 延期 the organ and the deputy were told of, and tells them it is void', async () => {
      const code = await assigned('小区路灯坏了好几个月了');
      expect(await chat.say('LiSi', `延期 ${code} 2027-04-30 需要协调资金`)).toContain('2027-04-30');
      expect((await dues(code)).map((d) => d.due_on)).toEqual(['2027-04-30']);
      await chat.flush();
      expect((await chat.inbox('ZhujianZhou')).some((m) => m.includes('【期限延长】'))).toBe(true);

      const reply = await chat.say('LiSi', '不对，不延期了');
      expect(reply).toContain(`已撤销 ${code} 的延期，期限恢复为：`);
      expect(reply).toContain('市住建局：2027-03-02（星期二）');
      expect(reply).toContain('已告知代表和市住建局联系人延期作废');
      expect(await dues(code)).toEqual([{ due_on: '2027-03-02', target_on: null }]);

      const organ = await chat.inbox('ZhujianZhou');
      expect(organ.some((m) => m.includes(`【延期撤销】建议 ${code}`) && m.includes('2027-03-02'))).toBe(
        true,
      );
      const deputy = await chat.inbox('ZhangSan');
      expect(deputy.some((m) => m.includes(`【建议 ${code}】刚才通知的延期已撤销`))).toBe(true);
      expect((await history(code)).at(-1)).toMatchObject({ action: 'extension_undone' });
      const [row] = await audits('suggestion.extend_undo', code);
      expect(row).toMatchObject({
        before: { assignments: [{ organ: '市住建局', dueOn: '2027-04-30' }] },
        after: { assignments: [{ organ: '市住建局', dueOn: '2027-03-02' }] },
        detail: { via: 'chat', organsTold: ['市住建局'], deputiesTold: true },
      });
      expect(row!.actor).toMatch(/^person:\d+$/);
      expect(row!.request_id).toMatch(/^wecom:/);

      // Said again: nothing left to take back, and the date stays.
      expect(await chat.say('LiSi', '撤销延期')).toContain('不能撤销延期');
      expect((await dues(code)).map((d) => d.due_on)).toEqual(['2027-03-02']);
    });

    it('withdraws a 延期 notice not yet sent rather than sending it and its correction', async () => {
      const code = await assigned('老街排水管道堵塞');
      await chat.flush();
      await chat.say('LiSi', `延期 ${code} 2027-05-31 汛期施工受限`);
      const reply = await chat.say('LiSi', '撤销延期');
      expect(reply).toContain('延期的通知还没有发出，已不再发送');
      const organ = await chat.inbox('ZhujianZhou');
      expect(organ.filter((m) => m.includes(code) && /期限延长|延期撤销/.test(m))).toEqual([]);
      expect((await audits('suggestion.extend_undo', code))[0]).toMatchObject({
        detail: { organsTold: [], deputiesTold: false },
      });
    });

    it('asks which answer to keep when the organ answered first; 否 keeps the organ’s', async () => {
      const code = await assigned('菜市场门口积水');
      await chat.say('ZhujianZhou', `答复 ${code} A类 已修复排水口 签发人：王局长`);
      expect((await answers(code)).map((a) => a.status)).toEqual(['pending_review']);

      const asked = await chat.send('LiSi', { text: `答复 ${code} 已清理积水` });
      expect(asked?.text).toContain(`市住建局已经提交了 ${code} 的答复，正等待审核：“已修复排水口”`);
      expect(asked?.text).toContain('您写的：“已清理积水”');
      expect(asked?.buttons).toEqual([
        { label: '用我写的答复', command: '是' },
        { label: '保留市住建局的答复', command: '否' },
      ]);
      // Asked, nothing recorded either way.
      expect((await history(code)).some((e) => e.action === 'answered')).toBe(false);

      expect(await chat.say('LiSi', '否')).toContain('市住建局的答复仍在等待审核');
      expect((await answers(code)).map((a) => a.status)).toEqual(['pending_review']);
      const item = await chat.deps.db
        .selectFrom('suggestions')
        .select('status')
        .where('code', '=', code)
        .executeTakeFirstOrThrow();
      expect(item.status).toBe('assigned');
    });

    it('是 records the staff answer and sets the organ’s aside, audited and told', async () => {
      const code = await assigned('公园路面破损');
      await chat.say('ZhujianZhou', `答复 ${code} A类 已修补路面 签发人：王局长`);
      await chat.flush();
      await chat.inbox('ZhujianZhou');
      await chat.say('LiSi', `答复 ${code} 已全面修补路面 联系人 王五 13800000000`);
      expect(await chat.say('LiSi', '是')).toContain(`已记录市住建局对 ${code} 的答复，已发给代表并请其评价`);
      expect(await answers(code)).toEqual([
        { status: 'returned', review_note: '工作人员已直接录入答复，此答复未采用' },
      ]);
      const deputy = await chat.inbox('ZhangSan');
      const sent = deputy.find((m) => m.includes(`【建议 ${code}】市住建局已答复`));
      expect(sent).toContain('已全面修补路面');
      // "联系人 王五 …" without the colon is the contact, not part of what was done.
      expect(sent).toContain('联系人：王五 13800000000');
      expect(sent).not.toContain('已修补路面 联系人');
      const organ = await chat.inbox('ZhujianZhou');
      expect(organ.some((m) => m.includes(`【答复未采用】建议 ${code}`))).toBe(true);
      expect((await audits('answer.set_aside', code))[0]).toMatchObject({
        before: { status: 'pending_review' },
        after: { status: 'returned' },
      });
    });
  });
}
