import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FixedClock } from '../../src/clock.ts';
import { backends } from '../helpers/backends.ts';
import { type ChatHarness, createChatHarness } from '../helpers/chat.ts';
import { seedCityRoster } from '../helpers/city-roster.ts';
import { bookingsOf } from '../helpers/deputy-round.ts';

// Dialogs never trap: nothing to cancel starts no dialog; one booking is cancelled after a yes; a clear
// other request leaves the dialog and is handled; two answers that cannot be read end it with a short
// help. Booking takes its topic and month from the same message, and "下个月" is remembered.

for (const backend of backends()) {
  describe.skipIf(!backend.available)(`dialogs never trap on ${backend.name}`, () => {
    let chat: ChatHarness;
    // Monday 2 November 2026, 10:00 in Shanghai: this month's reception day (the 5th) is still ahead.
    const clock = new FixedClock('2026-11-02T02:00:00Z');
    const bookings = (wecom: string) => bookingsOf(chat.deps.db, wecom);

    beforeAll(async () => {
      chat = await createChatHarness(backend.name, { clock });
      await seedCityRoster(chat.deps, {
        deputies: ['ZhangSan', 'WangEr', 'ZhaoLiu', 'QianQi', 'SunBa', 'ZhouJiu', 'WuShi', 'ZhengYi'],
        sessionAhead: true,
      });
    });
    afterAll(async () => {
      await chat.close();
    });

    it('never starts a dialog to cancel a booking that does not exist', async () => {
      const none = await chat.say('ZhangSan', '帮我取消一下接待日的预约');
      expect(none).toContain('没有可以取消的接待日预约');
      expect(none).not.toContain('编号');
      for (const next of ['接待日是哪天', '我的履职']) {
        const answer = await chat.say('ZhangSan', next);
        expect(answer).not.toContain('不是有效的编号');
        expect(answer).not.toContain('请问取消哪个预约');
      }
    });

    it('cancels the one booking after a yes, with no code', async () => {
      const booked = await chat.say('WangEr', '预约接待日');
      expect(booked).toMatch(/JD-2026-\d{4}/);
      const ask = await chat.send('WangEr', { kind: 'text', text: '取消预约' });
      expect(ask?.text).toContain('确定取消吗');
      expect(ask?.buttons?.map((b) => b.label)).toEqual(['是', '否']);
      expect((await bookings('WangEr'))[0]!.status).toBe('booked');
      expect(await chat.say('WangEr', '是')).toContain('已取消预约');
      expect((await bookings('WangEr'))[0]!.status).toBe('cancelled');
    });

    it('leaves a dialog for a clear other request, and ends it after two answers it cannot read', async () => {
      // Nothing to answer: 参加 starts no dialog asking for a code.
      const none = await chat.say('ZhaoLiu', '参加');
      expect(none).toContain('没有待答复的活动邀请');
      expect(await chat.say('ZhaoLiu', '我的履职')).not.toContain('编号');

      // Nothing waits for 交办: said at once, with no dialog asking for a code.
      expect(await chat.say('LiSi', '交办')).toBe('目前没有待交办的建议。');
      expect(await chat.say('LiSi', '帮助')).toContain('例如');

      // Nor for 延期 with nothing being handled.
      expect(await chat.say('LiSi', '延期')).toBe('目前没有办理中的建议可以延期。');

      expect(await chat.say('LiSi', '答复')).toContain('哪条建议');
      // A clear other request is handled, not read as a code.
      const other = await chat.say('LiSi', '帮助');
      expect(other).not.toContain('不是有效的编号');
      expect(other).toContain('例如');

      expect(await chat.say('LiSi', '答复')).toContain('哪条建议');
      const first = await chat.say('LiSi', '嗯嗯那个');
      expect(first).toContain('哪条建议');
      const second = await chat.say('LiSi', '就那个啊');
      expect(second).toContain('先结束了');
      expect(second).toContain('帮助');
      // The dialog is over: an ordinary message is answered as such.
      expect(await chat.say('LiSi', '帮助')).toContain('例如');
    });

    it('never takes “不提了”, “谢谢” or another question as the words a dialog asks for', async () => {
      const filed = () => chat.deps.db.selectFrom('suggestions').select('id').execute();
      const leave = () => chat.deps.db.selectFrom('leave_requests').select('id').execute();
      expect(await chat.say('ZhaoLiu', '建议')).toContain('建议内容');
      expect(await chat.say('ZhaoLiu', '不提了')).toContain('已取消');
      expect(await chat.say('ZhaoLiu', '建议')).toContain('建议内容');
      const thanks = await chat.say('ZhaoLiu', '谢谢');
      expect(thanks).toContain('不客气');
      expect(thanks).toContain('建议内容');
      expect(await chat.say('ZhaoLiu', '取消')).toContain('已取消');
      expect(await filed()).toEqual([]);

      await chat.say('ZhaoLiu', '请假');
      expect(await chat.say('ZhaoLiu', '十号的常委会')).toContain('事由');
      const query = await chat.say('ZhaoLiu', '我的建议怎么样了');
      expect(query).not.toContain('QJ-');
      expect(await leave()).toEqual([]);
    });

    it('books with the topic and the month of the same message', async () => {
      const booked = await chat.say('QianQi', '预约下个月接待日 加装电梯补贴');
      expect(booked).toContain('话题：加装电梯补贴');
      expect(await bookings('QianQi')).toEqual([
        expect.objectContaining({ month: '2026-12', topic: '加装电梯补贴', status: 'booked' }),
      ]);
    });

    it('remembers “下个月” for the next 预约接待日 of the conversation', async () => {
      // Read as the day or as a booking of that month: either way December, and the next 预约接待日 too.
      const day = await chat.say('SunBa', '约一下下个月的接待日');
      expect(day).toContain('2026-12');
      const booked = await chat.say('SunBa', '预约接待日');
      expect(booked).toMatch(/JD-2026-\d{4}/);
      expect(booked).toContain('2026-12');
      expect((await bookings('SunBa')).map((b) => b.month)).toEqual(['2026-12']);
    });

    const leaveOf = (wecom: string) =>
      chat.deps.db
        .selectFrom('leave_requests as l')
        .innerJoin('mandates as m', 'm.id', 'l.mandate_id')
        .innerJoin('person_identities as pi', 'pi.person_id', 'm.person_id')
        .select(['l.code', 'l.reason'])
        .where('pi.external_id', '=', wecom)
        .execute();

    it('keeps a reason given where the meeting was asked, and takes “对” for the one meeting listed', async () => {
      expect(await chat.say('ZhouJiu', '请假')).toContain('请问您要请假的是哪个会议或活动？');
      const kept = await chat.send('ZhouJiu', { kind: 'text', text: '出差' });
      expect(kept?.text).toContain('好的，事由“出差”已记下。请问您要请假的是哪个会议或活动？');
      expect(kept?.buttons?.map((b) => b.command)).toEqual([
        '请假 大同市第十六届人民代表大会第七次会议 出差',
      ]);
      expect(await leaveOf('ZhouJiu')).toEqual([]);
      expect(await chat.say('ZhouJiu', '对')).toMatch(/^已提交请假 QJ-2026-\d{4}/);
      expect((await leaveOf('ZhouJiu')).map((l) => l.reason)).toEqual(['出差']);
    });

    it('answers two requests of one message each, asking what is missing last', async () => {
      // The leave needs its meeting: the question about the items is answered first, the meeting asked last.
      const both = await chat.send('ZhengYi', {
        kind: 'text',
        text: '我要请假，出差。还有，我的建议怎么样了',
      });
      expect(both?.text).toMatch(/^我这里没有查到您提交过的事项[\s\S]*请问您要请假的是哪个会议或活动？/);
      expect(both?.buttons?.map((b) => b.command)).toEqual([
        '请假 大同市第十六届人民代表大会第七次会议 出差',
      ]);
      expect(await chat.say('ZhengYi', '人代会')).toMatch(/^已提交请假 QJ-2026-\d{4}/);
      expect((await leaveOf('ZhengYi')).map((l) => l.reason)).toEqual(['出差']);
    });

    it('takes “好的” for the one meeting offered after words that name none in particular', async () => {
      const offered = await chat.say('WuShi', '清假 开会那天出差');
      // "开会" is any meeting: asked which, never told that nothing fits it.
      expect(offered).toContain('请问您要请假的是哪个会议或活动');
      expect(offered).not.toContain('没有找到');
      expect(offered).toContain('1. 大同市第十六届人民代表大会第七次会议');
      expect(await leaveOf('WuShi')).toEqual([]);
      expect(await chat.say('WuShi', '好的')).toMatch(/^已提交请假 QJ-2026-\d{4}/);
      // The reason without the day it is about ("那天": the meeting's day).
      expect((await leaveOf('WuShi')).map((l) => l.reason)).toEqual(['出差']);
      // The choice answered once: a later "好的" is small talk.
      expect(await chat.say('WuShi', '好的')).not.toContain('已提交');
    });
  });
}
