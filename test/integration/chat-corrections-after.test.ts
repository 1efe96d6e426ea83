import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FixedClock } from '../../src/clock.ts';
import { backends } from '../helpers/backends.ts';
import { type ChatHarness, createChatHarness } from '../helpers/chat.ts';
import { seedCityRoster } from '../helpers/city-roster.ts';
import { historyOf, rowCount } from '../helpers/rows.ts';

// What deputies say right after they sent something: "刚才说错了，是东关街" corrects the suggestion just filed
// (never a new one), a leave just filed is not changed in chat and they are told how, and "按错了，应该是不满意"
// changes the rating just given, within a week. A 催办 pressed by mistake is taken back ("不对 我不是要催办"),
// and words that only deny what was meant ("我不是要提建议") never go into the item.

for (const backend of backends()) {
  describe.skipIf(!backend.available)(`corrections after sending on ${backend.name}`, () => {
    let chat: ChatHarness;
    const clock = new FixedClock('2026-12-02T02:00:00Z');
    const item = (code: string) =>
      chat.deps.db
        .selectFrom('suggestions')
        .select(['content', 'status', 'rating', 'closed_at', 'round'])
        .where('code', '=', code)
        .executeTakeFirstOrThrow();
    const count = (table: 'suggestions' | 'leave_requests') => rowCount(chat.deps.db, table);
    const urges = async (code: string) => {
      const row = await chat.deps.db
        .selectFrom('suggestions as s')
        .innerJoin('suggestion_assignments as a', 'a.suggestion_id', 's.id')
        .select((eb) => [
          'a.unanswered_reminders',
          eb
            .selectFrom('suggestion_urges as u')
            .whereRef('u.suggestion_id', '=', 's.id')
            .select((e) => e.fn.countAll<string>().as('n'))
            .as('urges'),
        ])
        .where('s.code', '=', code)
        .executeTakeFirstOrThrow();
      return { urges: Number(row.urges), unanswered: row.unanswered_reminders };
    };
    const lastEvent = async (code: string) => (await historyOf(chat.deps.db, code)).at(-1);
    const assigned = async (deputy: string, text: string) => {
      const code = /JY-2026-\d{4}/.exec(await chat.say(deputy, `建议 ${text}`))?.[0];
      expect(code).toBeDefined();
      expect(await chat.say('LiSi', `交办 ${code} 市住建局`)).toContain('已交办');
      await chat.flush();
      return code!;
    };
    const answered = async (deputy: string, text: string, organ: string) => {
      const filed = await chat.say(deputy, `建议 ${text}`);
      const code = /JY-2026-\d{4}/.exec(filed)?.[0];
      expect(code).toBeDefined();
      expect(await chat.say('LiSi', `交办 ${code} ${organ}`)).toContain('已交办');
      expect(await chat.say('LiSi', `答复 ${code} 已经处理好了`)).toContain('已发给代表并请其评价');
      return code!;
    };

    beforeAll(async () => {
      chat = await createChatHarness(backend.name, { clock });
      await seedCityRoster(chat.deps, {
        deputies: ['ZhangSan', 'WangEr', 'LiXiuYing', 'ZhaoLiu', 'QianQi', 'SunBa', 'ZhouJiu', 'WuShi'],
        zhujian: true,
        sessionAhead: true,
      });
    });
    afterAll(async () => {
      await chat?.close();
    });

    it('adds a correction to the suggestion just filed, and files nothing new', async () => {
      expect(await chat.say('ZhangSan', '建议 西关街的路灯坏了好几个，晚上很黑')).toContain('JY-2026-0001');
      const before = await count('suggestions');
      const r = await chat.say('ZhangSan', '刚才说错了，是东关街不是西关街');
      expect(r).toBe(
        '已把您的更正加到 JY-2026-0001：“是东关街不是西关街”。原来写的也保留着，交办时一并转交，工作人员会看到更正。',
      );
      expect(await count('suggestions')).toBe(before);
      expect((await item('JY-2026-0001')).content).toBe(
        '西关街的路灯坏了好几个，晚上很黑\n（补充）更正：是东关街不是西关街',
      );
    });

    it('asks for the correction when only "不对" is said, and adds the next message as one', async () => {
      expect(await chat.say('WangEr', '建议 三楼楼道的灯不亮')).toContain('JY-2026-0002');
      expect(await chat.say('WangEr', '不对')).toContain('请发更正后的内容，会加到 JY-2026-0002 里');
      expect(await chat.say('WangEr', '是五楼')).toContain('已把您的更正加到 JY-2026-0002：“是五楼”');
      expect((await item('JY-2026-0002')).content).toBe('三楼楼道的灯不亮\n（补充）更正：是五楼');
    });

    it('does not change a suggestion already handed over, and says whom to tell', async () => {
      expect(await chat.say('LiXiuYing', '建议 北关小学门口没有红绿灯')).toContain('JY-2026-0003');
      expect(await chat.say('LiSi', '交办 JY-2026-0003 市住建局')).toContain('已交办');
      const r = await chat.say('LiXiuYing', '我写错了，是南关小学');
      expect(r).toContain('JY-2026-0003 已经交办，不能再撤回或修改');
      expect((await item('JY-2026-0003')).content).toBe('北关小学门口没有红绿灯');
    });

    it('tells how to correct a leave just filed, and files no other leave', async () => {
      expect(await chat.say('ZhaoLiu', '请假 人代会 出差')).toContain('QJ-2026-0001');
      const before = await count('leave_requests');
      const r = await chat.say('ZhaoLiu', '哎呀我说错了 是常委会');
      // No 常委会 ahead to move it to: the request stays as it is (moving one: chat-leave-correction).
      expect(r).toContain('请假 QJ-2026-0001 没有改动');
      expect(r).toContain('请告诉代表工作机构');
      expect(await count('leave_requests')).toBe(before);
    });

    it('answers "说错了" with nothing before it plainly, and keeps "路牌写错了" as a matter', async () => {
      const r = await chat.send('QianQi', { text: '说错了' });
      expect(r?.text).toContain('好的，没关系。请问您要办什么？');
      expect(r?.buttons ?? []).toEqual([]);
      const sign = await chat.say('QianQi', '路牌写错了，把东关街写成了冬关街');
      expect(sign).toContain('要把这段话作为建议提交吗？');
      expect(sign).toContain('路牌写错了，把东关街写成了冬关街');
    });

    it('changes a 满意 just given to 不满意 with the reason, and the item is handled again', async () => {
      const code = await answered('ZhangSan', '东关街路灯坏了', '市住建局');
      expect(await chat.say('ZhangSan', '满意')).toContain(
        `已记录您对 ${code}「东关街路灯坏了」的评价“满意”`,
      );
      const r = await chat.say('ZhangSan', '哎呀按错了，应该是不满意，路灯只换了一半');
      expect(r).toContain(`已把您对 ${code}「东关街路灯坏了」的评价改为“不满意”，已转入重新办理（重办）`);
      expect(r).not.toContain('哪里不满意');
      const now = await item(code);
      expect(now).toMatchObject({ status: 'rehandling', rating: 'dissatisfied', closed_at: null, round: 2 });
      const events = await chat.deps.db
        .selectFrom('suggestion_events as e')
        .innerJoin('suggestions as s', 's.id', 'e.suggestion_id')
        .select(['e.summary', 'e.reason'])
        .where('s.code', '=', code)
        .where('e.action', '=', 'rated')
        .orderBy('e.id')
        .execute();
      expect(events).toEqual([
        { summary: '评价：满意', reason: null },
        { summary: '更正评价：满意 → 不满意', reason: '路灯只换了一半' },
      ]);
    });

    it('asks which rating was meant after "我点错了", and a second 满意 changes nothing', async () => {
      const code = await answered('WangEr', '菜市场门口积水', '市住建局');
      expect(await chat.say('WangEr', '满意')).toContain('该事项已办结');
      expect(await chat.say('WangEr', '满意')).toBe(
        `${code} 已经评价为“满意”了。要改的话，直接回复另一个评价即可，例如“基本满意”。`,
      );
      const asked = await chat.send('WangEr', { text: '我点错了' });
      expect(asked?.text).toContain(`您对 ${code} 的评价是“满意”。要改成哪一个？`);
      expect(asked?.buttons?.map((b) => b.command)).toEqual([`基本满意 ${code}`, `不满意 ${code}`]);
      expect(await chat.say('WangEr', '基本满意')).toBe(
        `已把您对 ${code}「菜市场门口积水」的评价改为“基本满意”，该事项已办结。`,
      );
      expect(await item(code)).toMatchObject({ status: 'closed', rating: 'basically_satisfied' });
    });

    it('says plainly why a 不满意 that sent the item back is not changed to 满意 in chat', async () => {
      const code = await answered('ZhaoLiu', '公交站的候车亭漏雨', '市住建局');
      expect(await chat.say('ZhaoLiu', '不满意 还是漏雨')).toContain('已转入重新办理');
      const r = await chat.say('ZhaoLiu', '哎呀按错了，应该是满意');
      expect(r).toBe(
        `${code} 已评价为“不满意”，正在重新办理，承办单位会重新答复。重新答复后可以再评价；如果刚才是按错了，请告诉代表工作机构，由他们跟承办单位说明。`,
      );
      expect(await item(code)).toMatchObject({ status: 'rehandling', rating: 'dissatisfied', round: 2 });
      // Said with its code, the same.
      expect(await chat.say('ZhaoLiu', `满意 ${code}`)).toContain('正在重新办理');
    });

    it('keeps a rating after a week', async () => {
      const code = await answered('LiXiuYing', '小区垃圾没人清', '市住建局');
      expect(await chat.say('LiXiuYing', '满意')).toContain('该事项已办结');
      clock.advance(8 * 24 * 3600_000);
      try {
        expect(await chat.say('LiXiuYing', `不满意 ${code}`)).toContain(`${code} 已办结（评价：满意）`);
        expect(await item(code)).toMatchObject({ status: 'closed', rating: 'satisfied' });
      } finally {
        clock.advance(-8 * 24 * 3600_000);
      }
    });

    describe('a 催办 taken back', () => {
      it('says nothing was urged when the 催办 was refused, and adds nothing to the item', async () => {
        const filed = await chat.say('SunBa', '建议 南环路口的护栏被撞坏了');
        const code = /JY-2026-\d{4}/.exec(filed)![0];
        const before = (await item(code)).content;
        expect(await chat.say('SunBa', '催办')).toContain('没有正在办理中的建议可以催办');
        expect(await chat.say('SunBa', '不对 我不是要催办')).toBe(
          '好的，刚才没有催办任何事项，什么都没有变。请问您要办什么？可以直接说，发“帮助”可查看全部事项。',
        );
        expect((await item(code)).content).toBe(before);
      });

      it('takes back a 催办 not yet delivered: the organ is never reminded, and it may be urged again', async () => {
        const code = await assigned('ZhouJiu', '北街的下水道井盖丢了');
        const inboxBefore = (await chat.inbox('ZhuJian')).length;
        expect(await chat.say('ZhouJiu', `催办 ${code}`)).toContain(`${code} 已催办`);
        expect(await urges(code)).toEqual({ urges: 1, unanswered: 1 });
        const r = await chat.say('ZhouJiu', '哎呀 按错了 不催了');
        expect(r).toBe(
          `好的，已撤回对 ${code} 的催办。提醒还没有发出，不会再发了。以后需要时，可以再发“催办 ${code}”。`,
        );
        expect(await urges(code)).toEqual({ urges: 0, unanswered: 0 });
        expect(await lastEvent(code)).toEqual({
          action: 'urge_undone',
          summary: '代表撤回催办（提醒尚未发出）',
        });
        // The organ's inbox holds nothing new: the reminder was withdrawn before it went out.
        expect((await chat.inbox('ZhuJian')).length).toBe(inboxBefore);
        // Not counted against the week: urged again at once.
        expect(await chat.say('ZhouJiu', `催办 ${code}`)).toContain(`${code} 已催办`);
        expect(await urges(code)).toEqual({ urges: 1, unanswered: 1 });
      });

      it('takes back the 催办 said instead of what was meant, and does what was meant', async () => {
        const code = await assigned('ZhouJiu', '西街的路灯不亮');
        expect(await chat.say('ZhouJiu', `催办 ${code}`)).toContain(`${code} 已催办`);
        const r = await chat.say('ZhouJiu', '我不是要催办，是想查一下进度');
        expect(r).toContain(`好的，已撤回对 ${code} 的催办。`);
        expect(r).toContain(`${code} 建议「西街的路灯不亮」：已交办，办理中`);
        expect((await urges(code)).urges).toBe(0);
        // Nothing urged: only what was meant.
        const again = await chat.say('ZhouJiu', '不对 我不是要催办 我是想查一下进度');
        expect(again).not.toContain('撤回');
        expect(again).toContain(`${code} 建议「西街的路灯不亮」`);
      });

      it('reads "能不能快点" after the item was looked at as its 催办', async () => {
        const code = await assigned('WangEr', '南关的路面坑坑洼洼');
        expect(await chat.say('WangEr', `查询 ${code}`)).toContain(code);
        expect(await chat.say('WangEr', '能不能快点')).toContain(`${code} 已催办`);
        expect((await urges(code)).urges).toBe(1);
        expect(await chat.say('WangEr', '撤销催办')).toContain(`好的，已撤回对 ${code} 的催办。`);
      });

      it('tells an organ already reminded that the 催办 was a slip; an older one is not taken back', async () => {
        const code = await assigned('SunBa', '东门菜场的路面塌了一块');
        expect(await chat.say('SunBa', `催办 ${code}`)).toContain(`${code} 已催办`);
        const organ = await chat.inbox('ZhuJian');
        expect(organ.filter((m) => m.includes(code) && m.includes('催办')).length).toBe(1);
        const r = await chat.say('SunBa', '撤销催办');
        expect(r).toContain(`好的，已撤回对 ${code} 的催办。市住建局已经收到提醒，已另外告诉他们这是误发`);
        const after = await chat.inbox('ZhuJian');
        expect(after.some((m) => m.includes(`【催办撤回】`) && m.includes(code))).toBe(true);
        expect(await lastEvent(code)).toEqual({
          action: 'urge_undone',
          summary: '代表撤回催办，已告知市住建局',
        });
        // Said again: nothing left to take back, and nothing more is sent.
        expect(await chat.say('SunBa', '撤销催办')).toContain('刚才没有催办任何事项');
        expect((await chat.inbox('ZhuJian')).length).toBe(after.length);
        // A 催办 of two days ago stands.
        expect(await chat.say('SunBa', `催办 ${code}`)).toContain(`${code} 已催办`);
        clock.advance(2 * 24 * 3600_000);
        try {
          expect(await chat.say('SunBa', `不对 我不是要催办 ${code}`)).toContain('不能再撤回了');
          expect((await urges(code)).urges).toBe(1);
        } finally {
          clock.advance(-2 * 24 * 3600_000);
        }
      });
    });

    it('puts no words into the item that only deny what was meant, and offers to withdraw one just filed', async () => {
      const filed = await chat.say('QianQi', '建议 学校门口加个减速带');
      const code = /JY-2026-\d{4}/.exec(filed)![0];
      const offer = await chat.send('QianQi', { text: '不对 我不是要提建议' });
      expect(offer?.text).toContain(`${code} 是刚才收到的。如果不是要提，可以撤回`);
      expect(offer?.buttons?.map((b) => b.command)).toEqual([`撤回 ${code}`]);
      expect(await chat.say('QianQi', '不对 我不是要请假')).toBe(
        `好的，${code} 没有变，刚才的话也没有记到它上面。请问您要办什么？可以直接说，发“帮助”可查看全部事项。`,
      );
      // Said with what was meant: the offer, then that done.
      const both = await chat.send('QianQi', { text: '不对 我不是要提建议 我是想预约接待日' });
      expect(both?.text).toContain(`${code} 是刚才收到的。如果不是要提，可以撤回`);
      expect(both?.text).toContain('已预约接待日 JD-');
      expect(both?.buttons?.[0]?.command).toBe(`撤回 ${code}`);
      expect((await item(code)).content).toBe('学校门口加个减速带');
      expect((await item(code)).status).toBe('submitted');
    });

    it('asks whether "还有 …" right after filing goes into that suggestion or is one of its own', async () => {
      const code = /JY-2026-\d{4}/.exec(await chat.say('WuShi', '建议 我们小区门口的路灯坏了'))![0];
      const before = await count('suggestions');
      const asked = await chat.send('WuShi', { text: '还有 垃圾桶也不够' });
      expect(asked?.text).toContain(
        `“还有 垃圾桶也不够”要补充到刚提交的 ${code}「我们小区门口的路灯坏了」里，还是另提一条？`,
      );
      expect(asked?.buttons?.map((b) => b.command)).toEqual([
        `修改 ${code} 还有 垃圾桶也不够`,
        '建议 还有 垃圾桶也不够',
      ]);
      expect(await count('suggestions')).toBe(before);
      expect(await chat.say('WuShi', '1')).toContain(`已把您补充的内容加到 ${code}`);
      expect((await item(code)).content).toBe('我们小区门口的路灯坏了\n（补充）还有 垃圾桶也不够');
      expect(await chat.say('WuShi', '另外 小区里的路也坑坑洼洼')).toContain('还是另提一条？');
      expect(await chat.say('WuShi', '2')).toContain('已收到您的建议');
      expect(await count('suggestions')).toBe(before + 1);
      expect((await item(code)).content).toBe('我们小区门口的路灯坏了\n（补充）还有 垃圾桶也不够');
      // Asked where it stands, in words: answered, never offered as a suggestion.
      await chat.say('WuShi', `查询 ${code}`);
      const before2 = await count('suggestions');
      const asked2 = await chat.say('WuShi', '这条建议交办了吗');
      expect(asked2).toContain(code);
      expect(asked2).toContain('待交办');
      expect(asked2).not.toContain('作为建议提交');
      expect(await count('suggestions')).toBe(before2);
    });
  });
}
