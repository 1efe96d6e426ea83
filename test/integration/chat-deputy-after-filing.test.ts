import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FixedClock } from '../../src/clock.ts';
import { backends } from '../helpers/backends.ts';
import { type ChatHarness, createChatHarness } from '../helpers/chat.ts';
import { seedCityRoster } from '../helpers/city-roster.ts';
import { rowCount } from '../helpers/rows.ts';

// What deputies say right after something was filed or offered:
// - "还行吧 就是慢了点" to an answer leans to 基本满意 (asked first); "还行吧 但是没解决" to 不满意 (asked too);
// - "算了不请了" to a list of meetings offered ends it, saying nothing was filed;
// - a bare "撤回" just after a leave request is about that request (asked before it is withdrawn), and just
//   after a booking asks before anything is cancelled; "撤回建议" still means the suggestion; "撤会 刚才的请假"
//   (撤回 slipped) is about the leave, never leave asked from a meeting called 撤会.

for (const backend of backends()) {
  describe.skipIf(!backend.available)(`right after filing on ${backend.name}`, () => {
    let chat: ChatHarness;
    const clock = new FixedClock('2026-12-02T02:00:00Z');
    const item = (code: string) =>
      chat.deps.db
        .selectFrom('suggestions')
        .select(['status', 'rating'])
        .where('code', '=', code)
        .executeTakeFirstOrThrow();

    beforeAll(async () => {
      chat = await createChatHarness(backend.name, { clock });
      await seedCityRoster(chat.deps, {
        deputies: ['ZhangDaYe', 'WangMang', 'LiMaHu', 'QianDaJie'],
        liSi: 'staff',
        zhujian: true,
        sessionAhead: true,
      });
    });
    afterAll(async () => {
      await chat?.close();
    });

    it('asks whether "还行吧 就是慢了点" is 基本满意, and rates only when told yes', async () => {
      expect(await chat.say('ZhangDaYe', '建议 村里的自来水经常停')).toContain('JY-2026-0001');
      expect(await chat.say('QianDaJie', '建议 菜市场门口垃圾没人清理')).toContain('JY-2026-0002');
      for (const code of ['JY-2026-0001', 'JY-2026-0002']) {
        await chat.say('LiSi', `交办 ${code} 市住建局`);
        expect(await chat.say('LiSi', `答复 ${code} 已处理`)).toContain('已发给代表并请其评价');
      }
      expect(await chat.say('ZhangDaYe', '还行吧 就是慢了点')).toContain('评价“基本满意”吗');
      expect((await item('JY-2026-0001')).rating).toBeNull();
      expect(await chat.say('ZhangDaYe', '是')).toContain('评价“基本满意”');
      expect((await item('JY-2026-0001')).rating).toBe('basically_satisfied');
      // Mild words, then that nothing was solved: 不满意 is what is asked about, and nothing is rated yet.
      const leans = await chat.say('QianDaJie', '还行吧 但是没解决');
      expect(leans).toContain('评价“不满意”吗');
      expect((await item('JY-2026-0002')).rating).toBeNull();
      expect(await chat.say('QianDaJie', '否')).toBeTruthy();
      expect((await item('JY-2026-0002')).rating).toBeNull();
    });

    it('ends what was offered on "算了不请了", filing nothing', async () => {
      expect(await chat.say('WangMang', '下周三的会我请个假 孩子生病')).toContain('近期您可以请假的有');
      expect(await chat.say('WangMang', '算了不请了 我能去')).toContain('什么也没有提交');
      expect(await chat.say('WangMang', '1')).toContain('现在没有可以按序号选的列表');
      expect(await rowCount(chat.deps.db, 'leave_requests')).toBe(0);
    });

    it('reads a bare 撤回 after a leave request as about that request', async () => {
      expect(await chat.say('LiMaHu', '建议 路灯坏了')).toContain('JY-2026-0003');
      expect(await chat.say('LiMaHu', '请假 人代会 家里有事')).toContain('QJ-2026-0001');
      const asked =
        /^您要撤回 \d{1,2}月\d{1,2}日 大同市第十六届人民代表大会第七次会议 的请假、改为按时参加吗？/;
      expect(await chat.say('LiMaHu', '撤回')).toMatch(asked);
      expect(await chat.say('LiMaHu', '否')).toBe('好的，没有撤回请假。');
      // 撤回 typed with a same-sound slip is no leave asked from a meeting called 撤会.
      expect(await chat.say('LiMaHu', '撤会 刚才的请假')).toMatch(asked);
      expect(await chat.say('LiMaHu', '否')).toBe('好的，没有撤回请假。');
      expect((await item('JY-2026-0003')).status).toBe('submitted');
      const leave = await chat.deps.db.selectFrom('leave_requests').select('status').execute();
      expect(leave.map((l) => l.status)).toEqual(['pending']);
      expect(await chat.say('LiMaHu', '撤回建议')).toContain('确定撤回 JY-2026-0003 吗');
      expect(await chat.say('LiMaHu', '是')).toContain('已撤回 JY-2026-0003');
    });

    it('asks before a bare 撤回 cancels the booking just made', async () => {
      expect(await chat.say('WangMang', '预约接待日 1月')).toContain('JD-2027-0001');
      const asked = await chat.send('WangMang', { kind: 'text', text: '撤回' });
      expect(asked?.text).toContain('您是要取消接待日预约 JD-2027-0001 吗');
      expect(asked?.buttons?.map((b) => b.command)).toEqual(['取消预约 JD-2027-0001']);
      const booking = await chat.deps.db.selectFrom('reception_bookings').select('status').execute();
      expect(booking.map((b) => b.status)).toEqual(['booked']);
    });
  });
}
