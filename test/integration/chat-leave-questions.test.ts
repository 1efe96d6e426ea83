import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FixedClock } from '../../src/clock.ts';
import { backends } from '../helpers/backends.ts';
import { type ChatHarness, createChatHarness } from '../helpers/chat.ts';
import { seedCityRoster } from '../helpers/city-roster.ts';

// 山西 第八条 (S5) as deputies ask about it: how leave works — who decides, how early, whether one still
// goes — is answered, never filed (before, “人代会请假能批吗” filed leave with the reason “能批”). “能批吗”
// after a reason is no part of it. “我出差回来了 能去了” just after asking leave asks to take that request back. How
// long a session lasts or what to bring lists the meetings ahead.

for (const backend of backends()) {
  describe.skipIf(!backend.available)(`questions about leave on ${backend.name}`, () => {
    let chat: ChatHarness;
    const clock = new FixedClock('2026-12-02T02:00:00Z'); // Wednesday 10:00 in Shanghai
    const reasons = async () =>
      (await chat.deps.db.selectFrom('leave_requests').select('reason').orderBy('id').execute()).map(
        (r) => r.reason,
      );

    beforeAll(async () => {
      chat = await createChatHarness(backend.name, { clock });
      await seedCityRoster(chat.deps, {
        deputies: ['ZhangDaYe', 'WangMang', 'ZhaoLaoShi', 'QianDaJie'],
        sessionAhead: true,
      });
    });
    afterAll(async () => {
      await chat?.close();
    });

    it('answers how leave works, as deputies ask it, and files nothing', async () => {
      for (const [who, asked] of [
        ['ZhangDaYe', '人代会请假能批吗'],
        ['ZhangDaYe', '请假需要谁批'],
        ['ZhangDaYe', '请假要提前几天'],
        ['ZhaoLaoShi', '我请假了 还要去吗'],
      ] as const) {
        const r = await chat.say(who, asked);
        expect(r, asked).toContain('开会前由本级人大常委会主任会议决定是否批准');
        expect(r, asked).toContain('（山西 第八条）');
        expect(r, asked).toContain('没有规定提前几天');
      }
      expect(await reasons()).toEqual([]);
    });

    it('leaves “能批吗” out of the reason, and asks for one when nothing else was said', async () => {
      expect(await chat.say('ZhangDaYe', '请假 人代会 能批吗')).toContain('请假要写明原因');
      expect(await reasons()).toEqual([]);
      expect(await chat.say('ZhangDaYe', '俺老伴住院了')).toContain('已提交请假 QJ-');
      expect(await chat.say('WangMang', '人代会我去不了 身体不好能批吗')).toContain('事由：身体不好。');
      expect(await reasons()).toEqual(['俺老伴住院了', '身体不好']);
    });

    it('takes “能去了” just after asking leave as about that request', async () => {
      const r = await chat.say('WangMang', '我出差回来了 能去了');
      expect(r).toBe(
        '您要撤回 1月1日 大同市第十六届人民代表大会第七次会议 的请假、改为按时参加吗？\n回复“是”撤回请假，回复“否”请假照旧。',
      );
      expect(await chat.say('WangMang', '否')).toBe('好的，没有撤回请假。');
      expect(await reasons()).toHaveLength(2);
    });

    it('shows the one session ahead when asked how long it lasts or what to bring', async () => {
      for (const [asked, line] of [
        ['人代会几天', '会期共 4 天，以正式通知为准。'],
        ['人代会要带什么', '要带什么、要准备什么，以会议通知为准'],
      ] as const) {
        const r = await chat.say('QianDaJie', asked);
        expect(r, asked).toContain(
          '大同市第十六届人民代表大会第七次会议\n时间：2027-01-01（星期五）至2027-01-04（星期一）',
        );
        expect(r, asked).toContain(line);
        expect(r, asked).not.toContain('我先记着');
      }
    });
  });
}
