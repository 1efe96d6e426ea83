import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FixedClock } from '../../src/clock.ts';
import { backends } from '../helpers/backends.ts';
import { type ChatHarness, createChatHarness } from '../helpers/chat.ts';
import { seedCityRoster, seedTrafficAndPolice } from '../helpers/city-roster.ts';

// The whole life of one suggestion through chat: submitted with a photo, 交办 to two organs, one 延期,
// one 答复, 不满意, 重办, 满意, closed — and every message the deputy receives on the way.

const at = (shanghai: string) => new Date(`${shanghai}+08:00`);

for (const backend of backends()) {
  describe.skipIf(!backend.available)(`a suggestion's life on ${backend.name}`, () => {
    let chat: ChatHarness;
    const clock = new FixedClock(at('2026-07-03T10:00:00')); // Friday

    beforeAll(async () => {
      chat = await createChatHarness(backend.name, { clock });
      await seedCityRoster(chat.deps, {
        deputies: ['ZhangSan', 'WangWu'],
      });
      await seedTrafficAndPolice(chat.deps.db, clock.now());
    });
    afterAll(async () => {
      await chat.close();
    });

    const suggestion = async () =>
      chat.deps.db
        .selectFrom('suggestions')
        .selectAll()
        .where('code', '=', 'JY-2026-0001')
        .executeTakeFirstOrThrow();
    const openDeadlines = async () =>
      chat.deps.db
        .selectFrom('deadlines')
        .innerJoin('suggestion_assignments', 'suggestion_assignments.deadline_id', 'deadlines.id')
        .innerJoin('organs', 'organs.id', 'suggestion_assignments.organ_id')
        .select(['organs.name', 'deadlines.due_on', 'deadlines.kind', 'deadlines.starts_on'])
        .where('deadlines.closed_at', 'is', null)
        .orderBy('deadlines.id')
        .execute();

    it('runs from a message with a photo to a closed, rated item, telling the deputy each step', async () => {
      // Submitted through a dialog, with a photo sent while it asks for the content.
      expect(await chat.say('ZhangSan', '建议')).toContain('请讲讲您的建议内容');
      const photo = await chat.send('ZhangSan', {
        kind: 'image',
        media: { mediaId: 'MEDIA-1', url: 'https://p/1.jpg' },
      });
      expect(photo?.text).toContain('已收到照片');
      const submitted = await chat.say('ZhangSan', '新建北路的路灯坏了很久，请尽快修复');
      expect(submitted).toContain('JY-2026-0001');
      expect(submitted).toContain('附照片 1 张');
      const s0 = await suggestion();
      expect(s0.status).toBe('submitted');
      expect(s0.kind).toBe('建议');
      expect(s0.content).toBe('新建北路的路灯坏了很久，请尽快修复');
      // The photo is kept in our own storage too (the `media` row it is fetched into).
      expect(s0.photos).toEqual([{ mediaId: 'MEDIA-1', url: 'https://p/1.jpg', stored: expect.any(Number) }]);
      // The deputy's own submission is answered in chat, not pushed again.
      expect(await chat.inbox('ZhangSan')).toEqual([]);

      // 交办 on Sunday 2026-07-05: three months end on 10-05, inside the National Day rest → 10-08.
      clock.set(at('2026-07-05T10:00:00'));
      const assigned = await chat.say('LiSi', '交办 JY-2026-0001 市交通局、市公安局');
      expect(assigned).toContain('市交通局（承办）：2026-10-08（星期四）前答复');
      expect(assigned).toContain('市公安局（协办）：2026-10-08（星期四）前答复');
      expect((await suggestion()).status).toBe('assigned');
      expect(await openDeadlines()).toEqual([
        { name: '市交通局', due_on: '2026-10-08', kind: 'S8', starts_on: '2026-07-05' },
        { name: '市公安局', due_on: '2026-10-08', kind: 'S8', starts_on: '2026-07-05' },
      ]);
      let inbox = await chat.inbox('ZhangSan');
      expect(inbox).toHaveLength(1);
      expect(inbox[0]).toContain('【建议 JY-2026-0001】已交办');
      expect(inbox[0]).toContain('市交通局（承办）：2026-10-08（星期四）前答复');
      expect(inbox[0]).toContain('市公安局（协办）：2026-10-08（星期四）前答复');

      // 延期 past six months from 交办 (2027-01-05) is refused and changes nothing.
      clock.set(at('2026-09-21T10:00:00')); // Monday
      const refused = await chat.say('LiSi', '延期 JY-2026-0001 2027-01-06 市公安局 需协调多个部门');
      expect(refused).toContain('延期不得超过自交办之日起6个月');
      expect(refused).toContain('2027-01-05（星期二）（暂定日历）');
      expect((await openDeadlines()).map((d) => d.due_on)).toEqual(['2026-10-08', '2026-10-08']);
      // Staff write the day as they say it: 年底 is 31 December.
      const extended = await chat.say('LiSi', '延期 JY-2026-0001 年底 市公安局 需协调多个部门');
      // The cap lies in 2027, a year with no published arrangement yet: the new date carries the mark.
      expect(extended).toContain('市公安局（协办）：2026-12-31（星期四）（暂定日历）前答复');
      expect(extended).toContain('市交通局（承办）：2026-10-08（星期四）前答复');
      expect((await openDeadlines()).map((d) => [d.name, d.due_on])).toEqual([
        ['市交通局', '2026-10-08'],
        ['市公安局', '2026-12-31'],
      ]);
      inbox = await chat.inbox('ZhangSan');
      expect(inbox).toHaveLength(2);
      expect(inbox[1]).toContain('答复期限延长');
      expect(inbox[1]).toContain('市公安局：2026-10-08（星期四） 延至 2026-12-31（星期四）（暂定日历）');
      expect(inbox[1]).toContain('原因：需协调多个部门');

      // The lead organ answers with the structured fields; the deputy is asked to rate it.
      clock.set(at('2026-09-22T10:00:00'));
      const answered = await chat.say(
        'LiSi',
        '答复 JY-2026-0001 市交通局：已办理：已更换路灯20盏 计划：年底前完成全线改造 落实时限：2026-12-31 签发人：王局长',
      );
      expect(answered).toContain('已发给代表并请其评价');
      const lead = await chat.deps.db
        .selectFrom('suggestion_assignments')
        .selectAll()
        .where('status', '=', 'answered')
        .executeTakeFirstOrThrow();
      expect(lead).toMatchObject({
        answer_done: '已更换路灯20盏',
        answer_planned: '年底前完成全线改造',
        answer_planned_by: '2026-12-31',
        answer_signed_by: '王局长',
        answered_on: '2026-09-22',
      });
      // The promised 落实时限 is a follow-up the reminder job reads.
      const followUp = await chat.deps.db
        .selectFrom('suggestion_follow_ups')
        .selectAll()
        .executeTakeFirstOrThrow();
      expect(followUp).toMatchObject({
        due_on: '2026-12-31',
        promise: '年底前完成全线改造',
        reminded_at: null,
      });
      expect((await suggestion()).status).toBe('answered');
      // Staff looking at it are told the deputy's rating is awaited, not asked to rate it themselves.
      const staffView = await chat.say('LiSi', '查询 JY-2026-0001');
      expect(staffView).toContain('等代表评价');
      expect(staffView).not.toContain('请回复“满意”');
      inbox = await chat.inbox('ZhangSan');
      expect(inbox).toHaveLength(4);
      expect(inbox[2]).toContain('市交通局已答复');
      expect(inbox[2]).toContain('已办理：已更换路灯20盏');
      expect(inbox[2]).toContain('计划办理：年底前完成全线改造（落实时限 2026-12-31（星期四））');
      expect(inbox[2]).toContain('签发人：王局长');
      expect(inbox[2]).toContain('请评价');
      expect(inbox[3]).toBe('请点下面的按钮选择'); // the rating buttons' card
      const card = chat.wecom.inbox('ZhangSan').at(-1)!;
      expect(card.buttons?.map((b) => b.text)).toEqual(['满意', '基本满意', '不满意']);

      // 不满意 without a code means the item just answered: handling reopens on the re-handling clock.
      const unhappy = await chat.say('ZhangSan', '不满意');
      expect(unhappy).toContain('JY-2026-0001');
      expect(unhappy).toContain('重新办理');
      // One month (the default reHandlingMonths) from 2026-09-22.
      expect(unhappy).toContain('市交通局：2026-10-22（星期四）前重新答复');
      expect(unhappy).toContain('市公安局：2026-10-22（星期四）前重新答复');
      const s1 = await suggestion();
      expect(s1).toMatchObject({ status: 'rehandling', rating: 'dissatisfied', round: 2 });
      expect(await openDeadlines()).toEqual([
        { name: '市交通局', due_on: '2026-10-22', kind: 'S8-rehandle', starts_on: '2026-09-22' },
        { name: '市公安局', due_on: '2026-10-22', kind: 'S8-rehandle', starts_on: '2026-09-22' },
      ]);
      // Their own rating is answered in chat: nothing new in the inbox.
      expect(await chat.inbox('ZhangSan')).toHaveLength(4);
      // Asked why, they say it in the next message: kept with the item for the organs, not filed anew.
      expect(unhappy).toContain('可以直接回复哪里不满意');
      expect(await chat.say('ZhangSan', '下午放学时段还是没人疏导')).toBe(
        '已把您说的原因记在 JY-2026-0001 上，并转给重新办理的单位。',
      );
      expect(await chat.deps.db.selectFrom('suggestions').select('code').execute()).toHaveLength(1);

      // The second answer; 满意 closes it.
      clock.set(at('2026-10-15T10:00:00'));
      expect(await chat.say('LiSi', '答复 JY-2026-0001 市交通局：已完成新建北路全线路灯改造')).toContain(
        '已发给代表',
      );
      inbox = await chat.inbox('ZhangSan');
      expect(inbox).toHaveLength(6);
      expect(inbox[4]).toContain('市交通局已答复');
      expect(inbox[4]).toContain('已办理：已完成新建北路全线路灯改造');
      expect(inbox[5]).toBe('请点下面的按钮选择');
      const happy = await chat.say('ZhangSan', '满意');
      expect(happy).toContain('已办结');
      const s2 = await suggestion();
      expect(s2).toMatchObject({ status: 'closed', rating: 'satisfied' });
      expect(await openDeadlines()).toEqual([]);
      expect(await chat.inbox('ZhangSan')).toHaveLength(6);

      // Every change is a history row: who, what, why.
      const history = await chat.deps.db
        .selectFrom('suggestion_events')
        .select(['action', 'actor_name', 'reason'])
        .where('suggestion_id', '=', s2.id)
        .orderBy('id')
        .execute();
      expect(history.map((h) => h.action)).toEqual([
        'submitted',
        'assigned',
        'extended',
        'answered',
        'rated',
        'rehandling',
        'rating_reason',
        'answered',
        'rated',
        'closed',
      ]);
      expect(history[6]).toMatchObject({ action: 'rating_reason', reason: '下午放学时段还是没人疏导' });
      expect(history[2]).toEqual({ action: 'extended', actor_name: '李四', reason: '需协调多个部门' });

      // 查询 shows the closed item to its deputy.
      const detail = await chat.say('ZhangSan', '查询 JY-2026-0001');
      expect(detail).toContain('已办结');
      expect(detail).toContain('评价：满意');
      expect(detail).toContain('照片：1 张');
    });

    it('answers "not found" for someone else\'s item, to 查询, 催办 and a rating alike', async () => {
      for (const text of ['查询 JY-2026-0001', '催办 JY-2026-0001', '满意 JY-2026-0001']) {
        const answer = await chat.say('WangWu', text);
        expect(answer).toContain('没有找到');
        expect(answer).not.toContain('新建北路');
        expect(answer).not.toContain('已办结');
      }
      // A code that does not exist reads the same as another person's.
      const missing = await chat.say('WangWu', '查询 JY-2026-0999');
      expect(missing.replace('0999', '0001')).toBe(await chat.say('WangWu', '查询 JY-2026-0001'));
    });

    it("lists a deputy's own items only", async () => {
      const mine = await chat.say('ZhangSan', '查询');
      expect(mine).toContain('JY-2026-0001');
      const theirs = await chat.say('WangWu', '查询');
      expect(theirs).not.toContain('JY-2026-0001');
      expect(theirs).toContain('我这里没有查到您提交过的事项');
    });

    it('keeps staff commands from deputies', async () => {
      const answer = await chat.say('WangWu', '交办 JY-2026-0001 市交通局');
      expect(answer).not.toContain('已交办');
    });
  });
}
