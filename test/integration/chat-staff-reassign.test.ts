import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FixedClock } from '../../src/clock.ts';
import { backends } from '../helpers/backends.ts';
import { type ChatHarness, createChatHarness } from '../helpers/chat.ts';
import { seedCityRoster } from '../helpers/city-roster.ts';
import { assignmentsOf } from '../helpers/rows.ts';
import { seedOrgan } from '../helpers/seed.ts';

// Staff who handed an item to the wrong organ say so right after ("不对，是水务局"): asked once, then the
// item moves to the right organ on the date it already had, the wrong organ is told it was withdrawn (if
// its letter went out), the deputy sees the right organ, and the change is audited. Once the organ signed
// for it, staff are told what to do instead.

for (const backend of backends()) {
  describe.skipIf(!backend.available)(`staff correct the organ of a 交办 on ${backend.name}`, () => {
    let chat: ChatHarness;
    const clock = new FixedClock('2026-12-02T02:00:00Z'); // Wednesday 10:00 in Shanghai
    const codeOf = (text: string) => /JY-2026-\d{4}/.exec(text)![0];
    const assignments = (code: string) => assignmentsOf(chat.deps.db, code);
    const audits = (code: string) =>
      chat.deps.db
        .selectFrom('audit_log')
        .select(['actor', 'action', 'detail', 'before', 'after', 'request_id'])
        .where('action', '=', 'assignment.correct')
        .where(({ ref, eb }) => eb(ref('detail', '->>').key('code' as never), '=', code))
        .execute();
    const filed = async (deputy: string, text: string) => codeOf(await chat.say(deputy, `建议 ${text}`));

    beforeAll(async () => {
      chat = await createChatHarness(backend.name, { clock });
      await seedCityRoster(chat.deps, { deputies: ['ZhangSan'] });
      for (const [name, wecom] of [
        ['市住建局', 'ZhujianWang'],
        ['市水务局', 'ShuiwuLi'],
        ['市交通局', 'JiaotongLiu'],
      ] as const)
        await seedOrgan(chat.deps.db, name, { name: '联系人', mobile: '13800000001', wecom }, clock.now());
    });
    afterAll(async () => {
      await chat?.close();
    });

    it('moves a 交办 not yet signed for to the organ meant, keeping its date, after one yes', async () => {
      const code = await filed('ZhangSan', '小区污水井盖破损，雨天污水外溢');
      expect(await chat.say('LiSi', `交办 ${code} 市住建局`)).toContain('2027-03-02');
      await chat.flush();
      await chat.inbox('ZhujianWang');
      await chat.inbox('ZhangSan');

      const offer = await chat.send('LiSi', { text: '不对，是水务局' });
      expect(offer?.text).toContain(`是要把 ${code} 改交市水务局吗？`);
      expect(offer?.text).toContain('期限不变：2027-03-02（星期二）');
      expect(offer?.buttons).toEqual([{ label: '是，改交市水务局', command: '是' }]);
      // Asked, nothing moved yet.
      expect((await assignments(code)).map((a) => [a.name, a.status])).toEqual([['市住建局', 'open']]);

      const done = await chat.say('LiSi', '是');
      expect(done).toContain(`已把 ${code} 改交市水务局（承办），期限不变：2027-03-02（星期二）`);
      expect(done).toContain('市住建局的交办已撤回，已告知该单位');
      const rows = await assignments(code);
      expect(rows.map((a) => [a.name, a.status, a.role, a.due_on])).toEqual([
        ['市住建局', 'transferred', 'lead', '2027-03-02'],
        ['市水务局', 'open', 'lead', '2027-03-02'],
      ]);
      expect(rows[0]!.closed_at).not.toBeNull();
      expect(rows[1]!.closed_at).toBeNull();

      await chat.flush();
      const wrong = await chat.inbox('ZhujianWang');
      expect(wrong.some((m) => m.includes(`【撤回交办】建议 ${code}`) && m.includes('已从贵单位撤回'))).toBe(
        true,
      );
      expect((await chat.inbox('ShuiwuLi')).some((m) => m.includes(`【建议交办】${code}`))).toBe(true);
      const deputy = await chat.inbox('ZhangSan');
      expect(deputy.some((m) => m.includes('改由市水务局承办') && m.includes('期限不变'))).toBe(true);

      const view = await chat.say('LiSi', `查询 ${code}`);
      expect(view).toContain('市住建局（承办）：交办有误，已撤回');
      expect(view).toContain('市水务局（承办）：2027-03-02（星期二）');

      const [row] = await audits(code);
      expect(row).toMatchObject({
        action: 'assignment.correct',
        before: { organ: '市住建局', dueOn: '2027-03-02' },
        after: { organ: '市水务局', dueOn: '2027-03-02' },
        detail: { from: '市住建局', to: '市水务局', fromTold: true },
      });
      expect(row!.actor).toMatch(/^person:\d+$/);
      expect(row!.request_id).toMatch(/^wecom:/);
    });

    it('withdraws a letter not yet sent, and tells the wrong organ nothing', async () => {
      const code = await filed('ZhangSan', '老街排水管道堵塞');
      await chat.say('LiSi', `交办 ${code} 市住建局`);
      expect(await chat.say('LiSi', '交错了，应该给市交通局')).toContain(`是要把 ${code} 改交市交通局吗？`);
      expect(await chat.say('LiSi', '是')).toContain('交办函还没发出，不再发送');
      await chat.flush();
      expect((await chat.inbox('ZhujianWang')).filter((m) => m.includes(code))).toEqual([]);
      expect((await chat.inbox('JiaotongLiu')).some((m) => m.includes(`【建议交办】${code}`))).toBe(true);
      expect((await audits(code)).map((r) => r.detail)).toEqual([
        expect.objectContaining({ fromTold: false }),
      ]);
    });

    it('changes nothing on 否, and says so', async () => {
      const code = await filed('ZhangSan', '公园路灯不亮');
      await chat.say('LiSi', `交办 ${code} 市住建局`);
      expect(await chat.say('LiSi', '改成市水务局')).toContain(`是要把 ${code} 改交市水务局吗？`);
      expect(await chat.say('LiSi', '否')).toContain('没有改交');
      expect((await assignments(code)).map((a) => [a.name, a.status])).toEqual([['市住建局', 'open']]);
      expect(await audits(code)).toEqual([]);
    });

    it('refuses once the organ signed for it, and says how it can still move', async () => {
      const code = await filed('ZhangSan', '河道垃圾无人清理');
      await chat.say('LiSi', `交办 ${code} 市住建局`);
      expect(await chat.say('ZhujianWang', `签收 ${code}`)).toContain('签收');
      const r = await chat.say('LiSi', '不对，是水务局');
      expect(r).toContain(`市住建局已经签收了 ${code}，交办不能再直接更正`);
      expect(r).toContain(`申请退回 ${code}`);
      expect(r).toContain('改办');
      expect(await chat.say('LiSi', '是')).not.toContain('已把');
      expect((await assignments(code)).map((a) => [a.name, a.status])).toEqual([['市住建局', 'open']]);
    });

    it('offers the same correction when 交办 is typed again with the organ meant', async () => {
      const code = await filed('ZhangSan', '自来水管爆裂');
      await chat.say('LiSi', `交办 ${code} 市住建局`);
      expect(await chat.say('LiSi', `交办 ${code} 市住建局`)).toContain(
        `${code} 已经由市住建局办理，不用更正`,
      );
      expect(await chat.say('LiSi', `交办 ${code} 水务局`)).toContain(`是要把 ${code} 改交市水务局吗？`);
      expect(await chat.say('LiSi', '是')).toContain(`已把 ${code} 改交市水务局`);
      expect((await assignments(code)).map((a) => [a.name, a.status])).toEqual([
        ['市住建局', 'transferred'],
        ['市水务局', 'open'],
      ]);
      // 取消 afterwards: nothing waits, and staff are not told how a deputy takes back their item.
      expect(await chat.say('LiSi', '取消')).toBe('当前没有进行中的操作。');
    });

    it('asks the date of a 延期 again when the one written cannot be taken, keeping the reason', async () => {
      const code = await filed('ZhangSan', '背街小巷积水');
      await chat.say('LiSi', `交办 ${code} 市住建局`);
      const early = await chat.say('LiSi', `延期 ${code} 2027-01-05 需多部门协调`);
      expect(early).toContain('延期后的日期应晚于现在的答复期限 2027-03-02（星期二）');
      expect(early).toContain('请问延期到哪一天');
      const late = await chat.say('LiSi', '2027-07-30');
      expect(late).toContain('延期不得超过自交办之日起6个月');
      expect(late).toContain('请问延期到哪一天');
      expect(await chat.say('LiSi', '2027-05-20')).toContain('2027-05-20（星期四）');
      expect((await assignments(code)).map((a) => a.due_on)).toEqual(['2027-05-20']);
      const [event] = await chat.deps.db
        .selectFrom('suggestion_events as e')
        .innerJoin('suggestions as s', 's.id', 'e.suggestion_id')
        .select(['e.reason'])
        .where('s.code', '=', code)
        .where('e.action', '=', 'extended')
        .execute();
      expect(event?.reason).toBe('需多部门协调');
    });

    it('names the registered organs when the one written fits none', async () => {
      const code = await filed('ZhangSan', '菜市场门口占道经营');
      await chat.say('LiSi', `交办 ${code} 市住建局`);
      const r = await chat.say('LiSi', '不对，是市场监管局');
      expect(r).toContain('没有登记的单位：市场监管局');
      expect((await assignments(code)).map((a) => a.name)).toEqual(['市住建局']);
    });
  });
}
